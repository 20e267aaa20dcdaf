// Standalone Cloud API simulator: `npm run sim -- --port 4010 --webhook-url http://127.0.0.1:3000/webhooks/whatsapp/sandbox`.
// Its control API (/_sim/…) is open to whoever reaches the port unless --control-token is given;
// keep it on loopback. Parley's built-in sandbox always runs it closed, with a random token.
import { parseArgs } from "node:util";
import { createSimulator } from "./simulator.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "public-url": { type: "string" },
    "webhook-url": { type: "string" },
    "app-secret": { type: "string" },
    "access-token": { type: "string" },
    "control-token": { type: "string" },
    "phone-number-id": { type: "string" },
    "display-phone-number": { type: "string" },
    "waba-id": { type: "string" },
    seed: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run sim -- [--port 4010] [--host 127.0.0.1] [--public-url URL] [--webhook-url URL]
                      [--app-secret S] [--access-token T] [--phone-number-id ID] [--display-phone-number N]
                      [--waba-id ID] [--seed N] [--control-token T]

The control API (/_sim/...) lets a caller write as any customer and read what customers received.
Without --control-token it is open to anyone who reaches the port (keep --host on loopback); with
it, every control request needs "Authorization: Bearer T".`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error("--port must be an integer between 0 and 65535");
  process.exit(2);
}

const simulator = createSimulator({
  host: values.host,
  publicUrl: values["public-url"],
  webhookUrl: values["webhook-url"],
  appSecret: values["app-secret"],
  accessToken: values["access-token"],
  controlToken: values["control-token"],
  wabaId: values["waba-id"],
  seed: values.seed === undefined ? undefined : Number(values.seed),
  phoneNumbers: values["phone-number-id"]
    ? [{ id: values["phone-number-id"], displayPhoneNumber: values["display-phone-number"] ?? "15550783881" }]
    : undefined,
});

const url = await simulator.listen(port);
const credentials = simulator.credentials();
// Sandbox credentials are printed on purpose: they only unlock this local simulator.
console.log(`WhatsApp Cloud API simulator listening on ${url}
  Graph base URL : ${credentials.graphBaseUrl}
  Access token   : ${credentials.accessToken}
  App ID         : ${credentials.appId}
  App secret     : ${credentials.appSecret}
  WABA ID        : ${credentials.wabaId}
  Phone numbers  : ${credentials.phoneNumbers.map((p) => `${p.id} (${p.displayPhoneNumber})`).join(", ")}
  Webhook target : ${credentials.webhookUrl ?? "(none — set with --webhook-url or PUT /_sim/webhooks)"}
  Control API    : ${url}/_sim/... (${values["control-token"] ? "needs Authorization: Bearer <control token>" : "open: no --control-token"})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}
