import { randomUUID } from "node:crypto";
import { normalizePhone } from "../../crypto/blind-index.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import type { IdentityChange } from "../../whatsapp/inbound/port.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// Contacts as WhatsApp sees them: found or created by the blind index of their phone or BSUID.
// Tenant-scoped: every function takes the workspace id and a transaction from withWorkspace.
// Personal data — phone, names — is encrypted under the contact's data key, so erasing the contact
// shreds it everywhere.

export type ContactRef = {
  id: string;
  dataKeyId: string;
  created: boolean;
  /** It was in the trash, and this message took it out. */ restored?: boolean;
};

function contactField(workspaceId: string, contactId: string, dataKeyId: string, column: string) {
  return { workspaceId, dataKeyId, table: "contacts", column, rowId: contactId };
}

/** The WhatsApp identity an inbound message carries: a phone (wa_id), a BSUID, or both. */
export type WhatsAppIdentity = { waId: string | null; userId: string | null };

/**
 * Finds the contact a WhatsApp user is, by the blind index of their phone (wa_id: digits, E.164
 * without the +) and else of their business-scoped user id, or creates it. A user with a username
 * may come with a BSUID only: that contact has no phone until WhatsApp shares one, when it gains it.
 * Safe under concurrency: the unique (workspace_id, phone_index) and (workspace_id, user_id_index)
 * decide, and the loser reads the winner's row (its own unused data key is destroyed in the same
 * transaction).
 */
export async function upsertWhatsAppContact(
  trx: Tx,
  keyring: Keyring,
  input: WhatsAppIdentity & { workspaceId: string; profileName: string | null; at: Date },
): Promise<ContactRef> {
  const { workspaceId } = input;
  const phone = input.waId === null ? null : normalizePhone(`+${input.waId}`);
  const phoneIndex = phone === null ? null : await keyring.blindIndex(trx, workspaceId, "contacts.phone", phone);
  const userIndex = input.userId === null ? null : await keyring.blindIndex(trx, workspaceId, "contacts.user_id", input.userId);
  if (phoneIndex === null && userIndex === null) throw new RangeError("a WhatsApp contact needs a phone or a user id");
  const existing = await findWhatsAppContact(trx, workspaceId, phoneIndex, userIndex);
  if (existing) {
    const restored = await touchContact(trx, keyring, workspaceId, existing, { ...input, phone, phoneIndex, userIndex });
    return { id: existing.id, dataKeyId: existing.dataKeyId, created: false, ...(restored ? { restored } : {}) };
  }
  const id = randomUUID();
  const dataKeyId = await keyring.createDataKey(trx, workspaceId, "contact");
  const seal = (column: string, value: string) => keyring.encryptForSubject(trx, contactField(workspaceId, id, dataKeyId, column), value);
  const inserted = await trx
    .insertInto("contacts")
    .values({
      workspace_id: workspaceId,
      id,
      data_key_id: dataKeyId,
      phone_ciphertext: phone === null ? null : await seal("phone", phone),
      phone_index: phoneIndex,
      user_id_index: userIndex,
      name_ciphertext: input.profileName === null ? null : await seal("name", input.profileName),
      wa_profile_name_ciphertext: input.profileName === null ? null : await seal("wa_profile_name", input.profileName),
      wa_user_id_ciphertext: input.userId === null ? null : await seal("wa_user_id", input.userId),
      last_inbound_at: input.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(["id"])
    .executeTakeFirst();
  if (inserted) {
    await recordWebhookEvent(
      trx,
      workspaceId,
      { type: "contact.created", data: { workspaceId, contactId: id, at: input.at.toISOString() } },
      { occurredAt: input.at },
    );
    return { id, dataKeyId, created: true };
  }
  await keyring.shredDataKey(trx, workspaceId, dataKeyId);
  const winner = await findWhatsAppContact(trx, workspaceId, phoneIndex, userIndex);
  if (!winner) throw new Error("contact vanished during upsert");
  const restored = await touchContact(trx, keyring, workspaceId, winner, { ...input, phone, phoneIndex, userIndex });
  return { id: winner.id, dataKeyId: winner.dataKeyId, created: false, ...(restored ? { restored } : {}) };
}

type FoundContact = { id: string; dataKeyId: string; hasPhone: boolean; hasUserId: boolean };

/** The contact with this phone index, else the one with this user id index. */
async function findWhatsAppContact(
  trx: Tx,
  workspaceId: string,
  phoneIndex: string | null,
  userIndex: string | null,
): Promise<FoundContact | undefined> {
  for (const [column, value] of [
    ["phone_index", phoneIndex],
    ["user_id_index", userIndex],
  ] as const) {
    if (value === null) continue;
    const row = await trx
      .selectFrom("contacts")
      .select(["id", "data_key_id", "phone_index", "user_id_index"])
      .where("workspace_id", "=", workspaceId)
      .where(column, "=", value)
      .executeTakeFirst();
    if (row) return { id: row.id, dataKeyId: row.data_key_id, hasPhone: row.phone_index !== null, hasUserId: row.user_id_index !== null };
  }
  return undefined;
}

/**
 * Moves last_inbound_at forward, refreshes the WhatsApp profile name when it changed, and fills in
 * the identifier the contact lacked (a phone for a BSUID-only contact, a BSUID for a phone contact)
 * unless another contact already holds it. A contact in the trash comes out of it: the customer
 * wrote again, so the message is kept and the team can answer (an erasure on request never goes
 * through the trash). Answers whether it was restored.
 */
async function touchContact(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  contact: FoundContact,
  input: {
    profileName: string | null;
    userId: string | null;
    phone: string | null;
    phoneIndex: string | null;
    userIndex: string | null;
    at: Date;
  },
): Promise<boolean> {
  const row = await trx
    .selectFrom("contacts")
    .select(["wa_profile_name_ciphertext", "wa_user_id_ciphertext", "last_inbound_at", "deleted_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contact.id)
    .executeTakeFirst();
  if (!row) return false;
  const field = (column: string) => contactField(workspaceId, contact.id, contact.dataKeyId, column);
  const update: {
    wa_profile_name_ciphertext?: string;
    wa_user_id_ciphertext?: string;
    user_id_index?: string;
    phone_ciphertext?: string;
    phone_index?: string;
    last_inbound_at?: Date;
    updated_at?: Date;
    deleted_at?: null;
    purge_after?: null;
  } = {};
  const isRestored = row.deleted_at !== null;
  if (isRestored) {
    update.deleted_at = null;
    update.purge_after = null;
  }
  if (input.profileName !== null) {
    const current =
      row.wa_profile_name_ciphertext === null ? null : await keyring.decrypt(trx, field("wa_profile_name"), row.wa_profile_name_ciphertext);
    if (current !== input.profileName)
      update.wa_profile_name_ciphertext = await keyring.encryptForSubject(trx, field("wa_profile_name"), input.profileName);
  }
  if (
    input.userId !== null &&
    input.userIndex !== null &&
    !contact.hasUserId &&
    !(await indexTaken(trx, workspaceId, "user_id_index", input.userIndex))
  ) {
    update.wa_user_id_ciphertext = await keyring.encryptForSubject(trx, field("wa_user_id"), input.userId);
    update.user_id_index = input.userIndex;
  }
  if (
    input.phone !== null &&
    input.phoneIndex !== null &&
    !contact.hasPhone &&
    !(await indexTaken(trx, workspaceId, "phone_index", input.phoneIndex))
  ) {
    update.phone_ciphertext = await keyring.encryptForSubject(trx, field("phone"), input.phone);
    update.phone_index = input.phoneIndex;
  }
  if (row.last_inbound_at === null || row.last_inbound_at < input.at) update.last_inbound_at = input.at;
  if (Object.keys(update).length === 0) return false;
  update.updated_at = new Date();
  await trx.updateTable("contacts").set(update).where("workspace_id", "=", workspaceId).where("id", "=", contact.id).execute();
  return isRestored;
}

async function indexTaken(trx: Tx, workspaceId: string, column: "phone_index" | "user_id_index", value: string): Promise<boolean> {
  const row = await trx
    .selectFrom("contacts")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where(column, "=", value)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Applies a `system` message saying a user changed their phone number (or their BSUID): the
 * contact found by the old identifier takes the new one, keeping its history, notes and tags. A
 * new number comes with a new BSUID, so the old BSUID is dropped (the next message brings the new
 * one). Nothing moves when no contact has the old identifier (already moved: a redelivery) or when
 * another contact already has the new one (never merged silently). Returns the contact moved.
 */
export async function changeWhatsAppIdentity(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  change: IdentityChange,
): Promise<{ contact: ContactRef; outcome: "moved" } | { contact: null; outcome: "not_found" | "conflict" }> {
  const column = change.kind === "number" ? "phone_index" : "user_id_index";
  const indexColumn = change.kind === "number" ? "contacts.phone" : "contacts.user_id";
  const [fromValue, toValue] =
    change.kind === "number"
      ? [normalizePhone(`+${change.fromWaId}`), normalizePhone(`+${change.toWaId}`)]
      : [change.fromUserId, change.toUserId];
  const fromIndex = await keyring.blindIndex(trx, workspaceId, indexColumn, fromValue);
  const toIndex = await keyring.blindIndex(trx, workspaceId, indexColumn, toValue);
  const current = await trx
    .selectFrom("contacts")
    .select(["id", "data_key_id"])
    .where("workspace_id", "=", workspaceId)
    .where(column, "=", fromIndex)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return { contact: null, outcome: "not_found" };
  if (await indexTaken(trx, workspaceId, column, toIndex)) return { contact: null, outcome: "conflict" };
  const field = (name: string) => contactField(workspaceId, current.id, current.data_key_id, name);
  const update =
    change.kind === "number"
      ? {
          phone_ciphertext: await keyring.encryptForSubject(trx, field("phone"), toValue),
          phone_index: toIndex,
          wa_user_id_ciphertext: null,
          user_id_index: null,
        }
      : { wa_user_id_ciphertext: await keyring.encryptForSubject(trx, field("wa_user_id"), toValue), user_id_index: toIndex };
  await trx
    .updateTable("contacts")
    .set({ ...update, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", current.id)
    .execute();
  return { contact: { id: current.id, dataKeyId: current.data_key_id, created: false }, outcome: "moved" };
}

/** The id of the contact's data key, which their messages are encrypted under. */
export async function findContactDataKey(trx: Tx, workspaceId: string, contactId: string): Promise<string> {
  const contact = await trx
    .selectFrom("contacts")
    .select(["data_key_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", contactId)
    .executeTakeFirstOrThrow();
  return contact.data_key_id;
}
