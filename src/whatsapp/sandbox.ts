import { randomBytes } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { createSimulator, type Simulator } from "../../sim/index.ts";
import type { Config } from "../config.ts";

// Sandbox mode (DESIGN §3): the Graph transport is the built-in Cloud API simulator, running in
// this process on loopback. Its app secret and token are created once and kept in the data
// directory (mode 0600), so sandbox numbers connected earlier keep working after a restart.

const sandboxFileSchema = z.strictObject({
  appSecret: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/),
  accessToken: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
});

async function readOrCreateSandboxCredentials(dataDir: string): Promise<z.infer<typeof sandboxFileSchema>> {
  const path = join(dataDir, "sandbox.json");
  try {
    return sandboxFileSchema.parse(JSON.parse(await readFile(path, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`${path} is not a valid sandbox credentials file`, { cause: error });
  }
  await mkdir(dataDir, { recursive: true });
  const credentials = { appSecret: randomBytes(32).toString("base64url"), accessToken: `EAAsandbox${randomBytes(32).toString("base64url").replace(/[-_]/g, "")}` };
  const handle = await open(path, "wx", 0o600).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") return null; // another process created it first: use theirs
    throw error;
  });
  if (!handle) return sandboxFileSchema.parse(JSON.parse(await readFile(path, "utf8")));
  await handle.writeFile(JSON.stringify(credentials));
  await handle.close();
  return credentials;
}

/** Starts the sandbox simulator on 127.0.0.1 (random port) and returns it listening. */
export async function startSandbox(config: Config): Promise<Simulator> {
  const credentials = await readOrCreateSandboxCredentials(config.dataDir);
  const simulator = createSimulator({ host: "127.0.0.1", appSecret: credentials.appSecret, accessToken: credentials.accessToken });
  seedSandboxTemplates(simulator);
  await simulator.listen(0);
  return simulator;
}

/**
 * The simulator starts without templates (its state lives in memory): the sandbox gets one
 * approved utility template, so the template picker has something to offer when a conversation's
 * 24-hour window is closed. Connecting the sandbox number syncs it into Parley.
 */
export function seedSandboxTemplates(simulator: Simulator): void {
  if (simulator.state.templates.size > 0) return;
  simulator.state.templates.set("1000000000000001", {
    id: "1000000000000001",
    wabaId: simulator.state.wabaId,
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    components: [
      { type: "HEADER", format: "TEXT", text: "Your order" },
      { type: "BODY", text: "Hello {{1}}, your order {{2}} is on its way.", example: { body_text: [["Dana", "A-1042"]] } },
      { type: "FOOTER", text: "Parley sandbox" },
    ],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: simulator.clock.now(),
  });
}
