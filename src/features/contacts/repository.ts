import { randomUUID } from "node:crypto";
import { normalizePhone } from "../../crypto/blind-index.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";

// The tenant-table pattern for personal data: every function takes the workspace id and a
// transaction opened by withWorkspace (RLS filters to that workspace); the values are encrypted
// under a data key of their own, so erasing a contact crypto-shreds every copy of it; lookups go
// through a blind index, never through plaintext.

export type Contact = {
  id: string;
  workspaceId: string;
  /** E.164. */
  phone: string;
  name: string | null;
  createdAt: Date;
};

type ContactRow = {
  workspace_id: string;
  id: string;
  data_key_id: string;
  phone_ciphertext: string;
  name_ciphertext: string | null;
  created_at: Date;
};

const COLUMNS = ["workspace_id", "id", "data_key_id", "phone_ciphertext", "name_ciphertext", "created_at"] as const;

/** Creates a contact; CONFLICT when the workspace already has one with this phone number. */
export async function createContact(
  trx: Tx,
  keyring: Keyring,
  input: { workspaceId: string; phone: string; name?: string | null | undefined },
): Promise<Contact> {
  const { workspaceId } = input;
  const phone = normalizePhone(input.phone);
  const id = randomUUID();
  const dataKeyId = await keyring.createDataKey(trx, workspaceId, "contact");
  const field = (column: string) => ({ workspaceId, dataKeyId, table: "contacts", column, rowId: id });
  const name = input.name ?? null;
  const inserted = await trx
    .insertInto("contacts")
    .values({
      workspace_id: workspaceId,
      id,
      data_key_id: dataKeyId,
      phone_ciphertext: await keyring.encryptForSubject(trx, field("phone"), phone),
      phone_index: await keyring.blindIndex(trx, workspaceId, "contacts.phone", phone),
      name_ciphertext: name === null ? null : await keyring.encryptForSubject(trx, field("name"), name),
    })
    // The unique index decides under concurrency; a conflict leaves the transaction usable.
    .onConflict((oc) => oc.columns(["workspace_id", "phone_index"]).doNothing())
    .returning(["created_at"])
    .executeTakeFirst();
  if (!inserted) {
    // Throwing rolls back the transaction, including the data key created above.
    throw new AppError("CONFLICT", "A contact with this phone number already exists.");
  }
  return { id, workspaceId, phone, name, createdAt: inserted.created_at };
}

export async function findContactByPhone(trx: Tx, keyring: Keyring, workspaceId: string, phone: string): Promise<Contact | undefined> {
  const index = await keyring.blindIndex(trx, workspaceId, "contacts.phone", normalizePhone(phone));
  const row = await trx
    .selectFrom("contacts")
    .select(COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("phone_index", "=", index)
    .executeTakeFirst();
  return row ? decryptContact(trx, keyring, row) : undefined;
}

export async function getContact(trx: Tx, keyring: Keyring, workspaceId: string, id: string): Promise<Contact | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await trx
    .selectFrom("contacts")
    .select(COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? decryptContact(trx, keyring, row) : undefined;
}

/**
 * Erases a contact: deletes the row and destroys its data key in the same transaction. Copies of
 * the row elsewhere (replicas, WAL, backups) stay encrypted under a key that no longer exists.
 * Returns false when there was no such contact.
 */
export async function eraseContact(trx: Tx, keyring: Keyring, workspaceId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const row = await trx
    .deleteFrom("contacts")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returning(["data_key_id"])
    .executeTakeFirst();
  if (!row) return false;
  await keyring.shredDataKey(trx, workspaceId, row.data_key_id);
  return true;
}

async function decryptContact(trx: Tx, keyring: Keyring, row: ContactRow): Promise<Contact> {
  const field = (column: string) => ({ workspaceId: row.workspace_id, table: "contacts", column, rowId: row.id });
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    phone: await keyring.decrypt(trx, field("phone"), row.phone_ciphertext),
    name: row.name_ciphertext === null ? null : await keyring.decrypt(trx, field("name"), row.name_ciphertext),
    createdAt: row.created_at,
  };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
