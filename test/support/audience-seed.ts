import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Keyring } from "../../src/crypto/keyring.ts";
import type { Database, Tx } from "../../src/db/database.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";

// A broadcast audience at scale: contacts as the product stores them (each under a data key of its
// own made by the real keyring, the phone encrypted under it with its blind index), tagged, with
// marketing consent recorded as an import records it — the current state on the contact and its
// row in the consent ledger (migration 0029), in the same transaction. Rows go in set-based
// (INSERT … SELECT FROM unnest(…)), a chunk per transaction, through the runtime role under RLS.

export type SeededAudience = {
  contactIds: string[];
  /** The WhatsApp ids (phone without "+") in the order of `contactIds`: what the simulator records as `to`. */
  waIds: string[];
  seconds: number;
};

export type Column = [name: string, type: string, values: unknown[]];

/** One multi-row insert of `columns` (name, array type, values) into a workspace's table, through unnest. */
export async function insertRows(trx: Tx, table: string, workspaceId: string, columns: Column[]): Promise<void> {
  if (columns[0]![2].length === 0) return;
  const names = sql.join([sql.ref("workspace_id"), ...columns.map(([name]) => sql.ref(name))]);
  const arrays = sql.join(columns.map(([, type, values]) => sql`${values}::${sql.raw(type)}[]`));
  await sql`insert into ${sql.table(table)} (${names}) select ${workspaceId}::uuid, u.* from unnest(${arrays}) as u`.execute(trx);
}

/**
 * `count` opted-in contacts tagged `tag`, with phones +49 170 … numbered from `firstPhone`
 * (distinct per call when the ranges do not overlap).
 */
export async function seedOptedInAudience(
  db: Database,
  keyring: Keyring,
  options: { workspaceId: string; count: number; tag: string; firstPhone?: number; chunk?: number },
): Promise<SeededAudience> {
  const started = performance.now();
  const { workspaceId, count, tag } = options;
  const chunk = options.chunk ?? 2_000;
  const firstPhone = options.firstPhone ?? 0;
  const contactIds: string[] = [];
  const waIds: string[] = [];
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(from + chunk, count);
    await withWorkspace(db, { workspaceId }, async (trx) => {
      const now = new Date();
      const dataKeyIds = await keyring.createDataKeys(trx, workspaceId, "contact", to - from);
      const ids: string[] = [];
      const phones: string[] = [];
      const indexes: string[] = [];
      for (let index = from; index < to; index += 1) {
        const id = randomUUID();
        const phone = `+49170${String(firstPhone + index).padStart(7, "0")}`;
        ids.push(id);
        waIds.push(phone.slice(1));
        phones.push(
          await keyring.encryptForSubject(
            trx,
            { workspaceId, dataKeyId: dataKeyIds[index - from]!, table: "contacts", column: "phone", rowId: id },
            phone,
          ),
        );
        indexes.push(await keyring.blindIndex(trx, workspaceId, "contacts.phone", phone));
      }
      const at = ids.map(() => now);
      await insertRows(trx, "contacts", workspaceId, [
        ["id", "uuid", ids],
        ["data_key_id", "uuid", dataKeyIds],
        ["phone_ciphertext", "text", phones],
        ["phone_index", "text", indexes],
        ["consent_status", "text", ids.map(() => "opted_in")],
        ["consent_source", "text", ids.map(() => "import")],
        ["consent_updated_at", "timestamptz", at],
      ]);
      await insertRows(trx, "contact_tags", workspaceId, [
        ["contact_id", "uuid", ids],
        ["tag", "text", ids.map(() => tag)],
      ]);
      await insertRows(trx, "contact_consent_events", workspaceId, [
        ["id", "uuid", ids.map(() => randomUUID())],
        ["contact_id", "uuid", ids],
        ["scope", "text", ids.map(() => "marketing")],
        ["status", "text", ids.map(() => "opted_in")],
        ["source", "text", ids.map(() => "import")],
        ["method", "text", ids.map(() => "import")],
        ["occurred_at", "timestamptz", at],
      ]);
      contactIds.push(...ids);
    });
  }
  return { contactIds, waIds, seconds: (performance.now() - started) / 1000 };
}
