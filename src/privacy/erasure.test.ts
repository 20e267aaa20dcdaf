import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { seedConversationRows } from "../../test/support/owner-database.ts";
import { openKeyProvider } from "../crypto/key-provider.ts";
import { createKeyring } from "../crypto/keyring.ts";
import { readCatalogColumns } from "../db/generate-types.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import { eraseContact } from "../features/contacts/repository.ts";
import { declarationsOf } from "./data-inventory.ts";

// Erasing a contact does what the data inventory says, table by table: every table that holds a
// contact's data and declares `delete` or `shred` keeps no row of the erased contact, and tables
// that keep PII-free records keep no message id of theirs. A table added about contacts must say
// here how its rows are found, or this test fails.

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "parley-erasure-"));
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

type Seeded = { workspaceId: string; contactId: string; dataKeyId: string; wamids: string[] };

/** One contact with a row in every table that can hold its data, as bare rows. */
async function seedContactEverywhere(): Promise<Seeded> {
  const workspaceId = randomUUID();
  return db.owner.transaction().execute(async (trx) => {
    const { contactId, dataKeyId, numberId, conversationId } = await seedConversationRows(trx, workspaceId);
    const wamids = [`wamid.in-${randomUUID()}`, `wamid.out-${randomUUID()}`];
    for (const [index, wamid] of wamids.entries()) {
      await trx
        .insertInto("messages")
        .values({
          workspace_id: workspaceId,
          id: randomUUID(),
          conversation_id: conversationId,
          contact_id: contactId,
          number_id: numberId,
          phone_number_id: "2",
          direction: index === 0 ? "in" : "out",
          wamid,
          type: "text",
          content_ciphertext: "c",
          status: index === 0 ? "received" : "sent",
          occurred_at: new Date(),
        })
        .execute();
    }
    await trx
      .insertInto("message_statuses")
      .values({ workspace_id: workspaceId, phone_number_id: "2", wamid: wamids[1]!, status: "delivered", occurred_at: new Date() })
      .execute();
    await trx
      .insertInto("reaction_events")
      .values({
        workspace_id: workspaceId,
        phone_number_id: "2",
        contact_id: contactId,
        target_wamid: wamids[1]!,
        event_wamid: `wamid.r-${randomUUID()}`,
        event_at: new Date(),
        removed: false,
      })
      .execute();
    await trx
      .insertInto("conversation_notes")
      .values({ workspace_id: workspaceId, id: randomUUID(), conversation_id: conversationId, contact_id: contactId, body_ciphertext: "c" })
      .execute();
    await trx.insertInto("contact_tags").values({ workspace_id: workspaceId, contact_id: contactId, tag: "vip" }).execute();
    await trx
      .insertInto("contact_consent_events")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        contact_id: contactId,
        scope: "marketing",
        status: "opted_out",
        source: "whatsapp",
        method: "keyword",
      })
      .execute();
    await trx
      .insertInto("media_uploads")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        conversation_id: conversationId,
        contact_id: contactId,
        media_type: "image",
        mime_type: "image/png",
        size_bytes: 1,
        sha256: "0".repeat(64),
        blob_key: `uploads/${workspaceId}/${randomUUID()}`,
      })
      .execute();
    await trx
      .insertInto("number_events")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        number_id: numberId,
        kind: "message_error",
        code: 131_026,
        wamid: wamids[1]!,
        dedupe_key: randomUUID(),
        occurred_at: new Date(),
      })
      .execute();
    const eventId = randomUUID();
    await trx
      .insertInto("webhook_events")
      .values({
        workspace_id: workspaceId,
        id: eventId,
        type: "whatsapp.messages",
        data: JSON.stringify({ workspaceId }),
        occurred_at: new Date(),
      })
      .execute();
    await trx
      .insertInto("webhook_event_payloads")
      .values({ workspace_id: workspaceId, event_id: eventId, waba_id: "1", value_ciphertext: "c", contact_ids: [randomUUID(), contactId] })
      .execute();
    const requestId = randomUUID();
    await trx
      .insertInto("subject_requests")
      .values({
        workspace_id: workspaceId,
        id: requestId,
        kind: "export",
        contact_id: contactId,
        received_on: new Date("2026-01-01T00:00:00Z"),
        due_on: new Date("2026-01-31T00:00:00Z"),
        notes_ciphertext: "c",
      })
      .execute();
    await trx
      .insertInto("subject_exports")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        request_id: requestId,
        contact_id: contactId,
        status: "ready",
        wrapped_key: "k",
        blob_key: `subject-exports/${workspaceId}/${randomUUID()}`,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute();
    const broadcastId = randomUUID();
    await trx
      .insertInto("broadcasts")
      .values({
        workspace_id: workspaceId,
        id: broadcastId,
        name: "Spring sale",
        template_name: "spring_sale",
        template_language: "en_US",
        audience: JSON.stringify({ tags: ["vip"] }),
        number_ids: [numberId],
      })
      .execute();
    await trx
      .insertInto("broadcast_recipients")
      .values({ workspace_id: workspaceId, broadcast_id: broadcastId, id: randomUUID(), contact_id: contactId, number_id: numberId })
      .execute();
    const uploadId = randomUUID();
    await trx
      .insertInto("broadcast_audience_uploads")
      .values({ workspace_id: workspaceId, id: uploadId, row_count: 1, accepted_count: 1 })
      .execute();
    await trx
      .insertInto("broadcast_audience_rows")
      .values({ workspace_id: workspaceId, upload_id: uploadId, contact_id: contactId, row_number: 2, values_ciphertext: "c" })
      .execute();
    return { workspaceId, contactId, dataKeyId, wamids };
  });
}

/** How the rows of each table about contacts are found; a table with a `contact_id` column needs no entry. */
const rowsOfContact: Record<string, (seeded: Seeded) => Promise<number>> = {
  // The tracker's rows outlive the contact; what must go is what they held of it (notes, bundles).
  subject_requests: async ({ contactId }) =>
    count(sql`select count(*) as n from subject_requests where contact_id = ${contactId} and notes_ciphertext is not null`),
  subject_exports: async ({ contactId }) =>
    count(
      sql`select count(*) as n from subject_exports where contact_id = ${contactId} and (blob_key is not null or wrapped_key is not null)`,
    ),
  contacts: async ({ contactId }) => count(sql`select count(*) as n from contacts where id = ${contactId}`),
  data_keys: async ({ dataKeyId }) => count(sql`select count(*) as n from data_keys where id = ${dataKeyId}`),
  message_statuses: async ({ workspaceId, wamids }) =>
    count(sql`select count(*) as n from message_statuses where workspace_id = ${workspaceId} and wamid in (${sql.join(wamids)})`),
  number_events: async ({ workspaceId, wamids }) =>
    count(sql`select count(*) as n from number_events where workspace_id = ${workspaceId} and wamid in (${sql.join(wamids)})`),
  webhook_event_payloads: async ({ contactId }) =>
    count(sql`select count(*) as n from webhook_event_payloads where contact_ids @> array[${contactId}]::uuid[]`),
  inbound_events: async () => 0, // bodies are cleared once processed; a processed row names no contact
};

async function count(query: ReturnType<typeof sql<{ n: number | string }>>): Promise<number> {
  const result = await query.execute(db.owner);
  return Number(result.rows[0]?.n ?? 0);
}

describe(`erasing a contact follows the data inventory (${testEngine})`, () => {
  it("leaves no row of the contact in any table that holds contact data, and clears their message ids elsewhere", async () => {
    const columns = await readCatalogColumns(db.owner);
    const hasContactId = (table: string) => columns.some((column) => column.table === table && column.column === "contact_id");
    const seeded = await seedContactEverywhere();
    const rowsIn = async (table: string): Promise<number> => {
      const find = rowsOfContact[table];
      if (find) return find(seeded);
      if (!hasContactId(table))
        throw new Error(`table ${table} holds contact data: say in src/privacy/erasure.test.ts how its rows of a contact are found`);
      return count(sql`select count(*) as n from ${sql.table(table)} where contact_id = ${seeded.contactId}`);
    };
    const checked = declarationsOf().filter(
      ([table, declaration]) => declaration.subject === "contact" || (declaration.erasure === "keep-pii-free" && table in rowsOfContact),
    );
    const before = Object.fromEntries(await Promise.all(checked.map(async ([table]) => [table, await rowsIn(table)] as const)));
    // Every table the check covers held something of the contact, so the check below can fail.
    for (const [table] of checked) if (table !== "inbound_events") expect(before[table], table).toBeGreaterThan(0);

    const provider = await openKeyProvider(
      { kind: "file", path: join(dir, "master.key"), allowedInProduction: false },
      { isProduction: false },
    );
    const erased = await withWorkspace(db, { workspaceId: seeded.workspaceId }, (trx) =>
      eraseContact(trx, createKeyring({ provider }), seeded.workspaceId, seeded.contactId),
    );
    expect(erased).toBe(true);

    const after = Object.fromEntries(await Promise.all(checked.map(async ([table]) => [table, await rowsIn(table)] as const)));
    expect(after).toEqual(Object.fromEntries(checked.map(([table]) => [table, 0])));
    // PII-free records stay: the number's event is still there, without the message id.
    expect(await count(sql`select count(*) as n from number_events where workspace_id = ${seeded.workspaceId}`)).toBe(1);
  });
});
