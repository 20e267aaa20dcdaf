import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Keyring } from "../../src/crypto/keyring.ts";
import type { Database, Tx } from "../../src/db/database.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { insertRows } from "../../test/support/audience-seed.ts";

// Seeds a broadcast audience into the real tables: contacts with their own data keys (made by the
// real keyring), each phone encrypted under its contact's key (the AAD binds it to the row) with
// its blind index, marketing consent, a tag, and optionally an open conversation per contact on a
// number (so the inbox has rows). Per chunk, this process encrypts while PostgreSQL inserts the
// previous chunk (INSERT … SELECT FROM unnest(arrays), one statement per table). Phones are
// +49151 followed by eight digits from `firstPhone` on: they never appear in any output.

export type AudienceGroup = {
  tag: string;
  /** Contacts with the tag. */
  contacts: number;
  /** Of those, how many have opted in (the rest: half opted out, half never asked). */
  optedIn: number;
  /** A number on which each contact gets an open conversation (inbox rows). */
  conversationNumberId?: string;
};

export type AudienceSeed = { contacts: number; seconds: number };

const CHUNK = 2_000;

/**
 * A bulk-loading transaction on the owner connection with the tenant set for RLS; commits are not
 * flushed one by one (synchronous_commit off), as in bench/support/inbox-seed.ts.
 */
async function bulkTransaction(db: Database, workspaceId: string, fn: (trx: Tx) => Promise<void>): Promise<void> {
  await db.owner.transaction().execute(async (trx) => {
    await sql`select set_config('parley.workspace_id', ${workspaceId}, true), set_config('synchronous_commit', 'off', true)`.execute(trx);
    await fn(trx);
  });
}

export async function seedAudience(
  db: Database,
  keyring: Keyring,
  workspaceId: string,
  groups: readonly AudienceGroup[],
  options: { firstPhone?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<AudienceSeed> {
  const started = performance.now();
  const total = groups.reduce((sum, group) => sum + group.contacts, 0);
  let phone = options.firstPhone ?? 10_000_000;
  let done = 0;
  let inserting: Promise<void> = Promise.resolve();
  for (const group of groups) {
    for (let from = 0; from < group.contacts; from += CHUNK) {
      const to = Math.min(from + CHUNK, group.contacts);
      const rows = await withWorkspace(db, { workspaceId }, async (trx) => {
        const keys = await keyring.createDataKeys(trx, workspaceId, "contact", to - from);
        const contacts = {
          id: [] as string[],
          key: [] as string[],
          phone: [] as string[],
          index: [] as string[],
          consent: [] as string[],
        };
        for (let index = from; index < to; index += 1) {
          const id = randomUUID();
          const dataKeyId = keys[index - from]!;
          const number = `+49151${String(phone).padStart(8, "0")}`;
          phone += 1;
          contacts.id.push(id);
          contacts.key.push(dataKeyId);
          contacts.phone.push(
            await keyring.encryptForSubject(trx, { workspaceId, dataKeyId, table: "contacts", column: "phone", rowId: id }, number),
          );
          contacts.index.push(await keyring.blindIndex(trx, workspaceId, "contacts.phone", number));
          // Opted-in contacts first, then alternately opted out and never asked.
          contacts.consent.push(index < group.optedIn ? "opted_in" : index % 2 === 0 ? "opted_out" : "unknown");
        }
        return contacts;
      });
      await inserting;
      inserting = bulkTransaction(db, workspaceId, async (trx) => {
        await insertRows(trx, "contacts", workspaceId, [
          ["id", "uuid", rows.id],
          ["data_key_id", "uuid", rows.key],
          ["phone_ciphertext", "text", rows.phone],
          ["phone_index", "text", rows.index],
          ["consent_status", "text", rows.consent],
        ]);
        await insertRows(trx, "contact_tags", workspaceId, [
          ["contact_id", "uuid", rows.id],
          ["tag", "text", rows.id.map(() => group.tag)],
        ]);
        if (group.conversationNumberId !== undefined) {
          await insertRows(trx, "conversations", workspaceId, [
            ["id", "uuid", rows.id.map(() => randomUUID())],
            ["contact_id", "uuid", rows.id],
            ["number_id", "uuid", rows.id.map(() => group.conversationNumberId)],
            ["status", "text", rows.id.map(() => "open")],
          ]);
        }
      }).then(() => {
        done += rows.id.length;
        options.onProgress?.(done, total);
      });
      inserting.catch(() => undefined);
    }
  }
  await inserting;
  for (const table of ["data_keys", "contacts", "contact_tags", "conversations"]) {
    await sql`vacuum (analyze) ${sql.table(table)}`.execute(db.owner);
  }
  return { contacts: total, seconds: (performance.now() - started) / 1000 };
}
