import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createEnvKeyProvider } from "../../crypto/key-provider.ts";
import { createKeyring, type Keyring } from "../../crypto/keyring.ts";
import type { Database } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { testEngine } from "../../../test/support/engine.ts";
import { withNonSuperuserOwner } from "../../../test/support/owner-database.ts";
import { resolveWebhookEndpoint, storeInboundEvents } from "./store.ts";

// Production-shaped PostgreSQL: the owner that runs migrations is not a superuser, so forced RLS
// applies to it, and so to resolve_webhook_key (SECURITY DEFINER), which must find a webhook key's
// number across workspaces before any tenant context exists. A receiver that resolved nothing there
// would answer 404 to every delivery. The suite's own owner is a superuser (and PGlite's always
// is), so this runs on the PostgreSQL pass only.

async function connect(db: Database, keyring: Keyring, status: "active" | "disconnected" = "active") {
  const [workspaceId, numberId] = [randomUUID(), randomUUID()];
  const webhookKey = randomBytes(32).toString("base64url");
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await sql`insert into workspaces (id, name, region) values (${workspaceId}, 'W', 'local')`.execute(trx);
    await keyring.createWorkspaceKey(trx, workspaceId);
    await sql`insert into numbers (workspace_id, id, mode, waba_id, phone_number_id, access_token_ciphertext, access_token_last4, app_secret_ciphertext, app_secret_last4, verify_token_ciphertext, verify_token_last4, webhook_key, status)
              values (${workspaceId}, ${numberId}, 'live', '1', '2', 'x', 'x', 'x', 'x', 'x', 'x', ${webhookKey}, ${status})`.execute(trx);
  });
  return { workspaceId, numberId, webhookKey };
}

describe.runIf(testEngine === "postgres")("webhook receiver with an owner that is not a superuser", () => {
  it("resolves each webhook key to its own workspace and number, and stores the delivery there", { timeout: 60_000 }, async () => {
    await withNonSuperuserOwner(async (db) => {
      const keyring = createKeyring({ provider: createEnvKeyProvider(randomBytes(32).toString("base64")) });
      const first = await connect(db, keyring);
      const second = await connect(db, keyring);
      const gone = await connect(db, keyring, "disconnected");
      expect(await resolveWebhookEndpoint(db, first.webhookKey)).toEqual({ workspaceId: first.workspaceId, numberId: first.numberId });
      expect(await resolveWebhookEndpoint(db, second.webhookKey)).toEqual({ workspaceId: second.workspaceId, numberId: second.numberId });
      expect(await resolveWebhookEndpoint(db, gone.webhookKey)).toBeUndefined();
      expect(await resolveWebhookEndpoint(db, randomBytes(32).toString("base64url"))).toBeUndefined();

      const [eventId] = await storeInboundEvents(db, keyring, first.workspaceId, [
        { numberId: first.numberId, rawBody: Buffer.from('{"object":"whatsapp_business_account","entry":[]}') },
      ]);
      const stored = (workspaceId: string) =>
        withWorkspace(db, { workspaceId }, (trx) => trx.selectFrom("inbound_events").select("id").execute());
      expect(await stored(first.workspaceId)).toEqual([{ id: eventId }]);
      expect(await stored(second.workspaceId)).toEqual([]);
    });
  });
});
