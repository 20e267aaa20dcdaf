import { createHmac } from "node:crypto";
import { createWriteStream } from "node:fs";
import { once } from "node:events";

// Signed webhook bodies for the load generators: each one a distinct inbound text message (its own
// wamid and sender), in Meta's `messages` shape, signed as Meta signs it (X-Hub-Signature-256:
// HMAC-SHA256 over the exact bytes, keyed by the app's secret). They are written ahead of a round
// to a file of one `<signature> <json>` line per body, which wrk's Lua script and the paced
// generator load before their clock starts.

export type BodyTarget = { appSecret: string; phoneNumberId: string; wabaId: string; displayPhoneNumber: string };

/** Meta escapes "/" in its JSON; the bodies do too, so the bytes look like what Meta sends. */
export function buildWebhookBody(target: BodyTarget, messageId: string, sequence: number, timestamp: number): string {
  const from = `49151${String(sequence % 100_000_000).padStart(8, "0")}`;
  const envelope = {
    object: "whatsapp_business_account",
    entry: [
      {
        id: target.wabaId,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: target.displayPhoneNumber, phone_number_id: target.phoneNumberId },
              contacts: [{ profile: { name: "Bench" }, wa_id: from }],
              messages: [
                { from, id: messageId, timestamp: String(timestamp), type: "text", text: { body: `benchmark message ${sequence}` } },
              ],
            },
            field: "messages",
          },
        ],
      },
    ],
  };
  return JSON.stringify(envelope).replaceAll("/", "\\/");
}

export function signWebhookBody(appSecret: string, body: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** One line of a body file: the signature header's value, a space, the body (JSON has no raw newline). */
export function bodyLine(target: BodyTarget, idPrefix: string, sequence: number, timestamp: number): string {
  const body = buildWebhookBody(target, `wamid.${idPrefix}${sequence}`, sequence, timestamp);
  return `${signWebhookBody(target.appSecret, body)} ${body}\n`;
}

export function parseBodyLine(line: string): { signature: string; body: string } {
  const space = line.indexOf(" ");
  if (space < 0) throw new Error("body line without a signature");
  return { signature: line.slice(0, space), body: line.slice(space + 1).replace(/\n$/, "") };
}

/**
 * Writes `count` distinct signed bodies (message ids `wamid.<idPrefix><n>`) dealt round-robin into
 * `parts` files `<path>.0`, `<path>.1`, …: one per load-generator thread, so that no thread reads
 * what another sends. Returns the files' paths.
 */
export async function writeBodyFiles(path: string, target: BodyTarget, idPrefix: string, count: number, parts = 1): Promise<string[]> {
  const paths = Array.from({ length: parts }, (_, part) => `${path}.${part}`);
  const outs = paths.map((file) => createWriteStream(file));
  const chunks = paths.map(() => "");
  const timestamp = Math.floor(Date.now() / 1000);
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const part = (sequence - 1) % parts;
    chunks[part] += bodyLine(target, idPrefix, sequence, timestamp);
    if (chunks[part]!.length > 1 << 20) {
      if (!outs[part]!.write(chunks[part])) await once(outs[part]!, "drain");
      chunks[part] = "";
    }
  }
  await Promise.all(
    outs.map(async (out, part) => {
      out.end(chunks[part]);
      await once(out, "finish");
    }),
  );
  return paths;
}
