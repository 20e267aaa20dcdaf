import { randomUUID } from "node:crypto";
import { assertQuotaAllows } from "../../identity/plans.ts";
import { sql, type ExpressionBuilder, type RawBuilder } from "kysely";
import { enqueueBlobDeletion } from "../../blob/deletion.ts";
import { normalizePhone } from "../../crypto/blind-index.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import type { Schema } from "../../db/schema.ts";
import { AppError } from "../../errors.ts";
import { sortedFields, tagSet } from "./rules.ts";
import type { ConsentSource, ConsentStatus } from "./schema.ts";

// The tenant-table pattern for personal data: every function takes the workspace id and a
// transaction opened by withWorkspace (RLS filters to that workspace); the values are encrypted
// under a data key of their own, so erasing a contact crypto-shreds every copy of it; lookups go
// through a blind index, never through plaintext.

export type Contact = {
  id: string;
  workspaceId: string;
  /** E.164; null for a contact WhatsApp identified only by its business-scoped user id. */
  phone: string | null;
  name: string | null;
  createdAt: Date;
};

type ContactRow = {
  workspace_id: string;
  id: string;
  data_key_id: string;
  phone_ciphertext: string | null;
  name_ciphertext: string | null;
  created_at: Date;
};

const COLUMNS = ["workspace_id", "id", "data_key_id", "phone_ciphertext", "name_ciphertext", "created_at"] as const;

/** Creates a contact; CONFLICT when the workspace already has one with this phone number. */
export async function createContact(
  trx: Tx,
  keyring: Keyring,
  input: { workspaceId: string; phone: string; name?: string | null | undefined } & Partial<
    Pick<NewContact, "tags" | "customFields" | "consent">
  >,
): Promise<Contact> {
  const { workspaceId } = input;
  const phone = normalizePhone(input.phone);
  const phoneIndex = await keyring.blindIndex(trx, workspaceId, "contacts.phone", phone);
  const [created] = await insertContacts(trx, keyring, workspaceId, [
    {
      phone,
      phoneIndex,
      name: input.name ?? null,
      tags: input.tags ?? [],
      customFields: input.customFields ?? {},
      consent: input.consent ?? null,
    },
  ]);
  if (!created) {
    // Throwing rolls back the transaction (the unused data key was already destroyed).
    throw new AppError("CONFLICT", "A contact with this phone number already exists.");
  }
  return { id: created.id, workspaceId, phone, name: input.name ?? null, createdAt: created.createdAt };
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
 * the row elsewhere (replicas, WAL, backups) stay encrypted under a key that no longer exists. The
 * media files of its messages and uploads (encrypted under that key, so already unreadable) are
 * deleted from the blob store by a job enqueued in the same transaction.
 * Returns false when there was no such contact.
 */
/** The data key a contact's personal data is encrypted under (the erasure ledger records it). */
export async function findContactDataKeyId(trx: Tx, workspaceId: string, id: string): Promise<string | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await trx
    .selectFrom("contacts")
    .select("data_key_id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row?.data_key_id;
}

export async function eraseContact(trx: Tx, keyring: Keyring, workspaceId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  // Read before the delete: the rows that name the files go with the contact (on delete cascade).
  const [media, uploads, bundles] = await Promise.all([
    trx
      .selectFrom("messages")
      .select("media_blob_key")
      .where("workspace_id", "=", workspaceId)
      .where("contact_id", "=", id)
      .where("media_blob_key", "is not", null)
      .execute(),
    trx.selectFrom("media_uploads").select("blob_key").where("workspace_id", "=", workspaceId).where("contact_id", "=", id).execute(),
    trx
      .selectFrom("subject_exports")
      .select("blob_key")
      .where("workspace_id", "=", workspaceId)
      .where("contact_id", "=", id)
      .where("blob_key", "is not", null)
      .execute(),
  ]);
  // The contact's export bundles and request notes are under its data key (shredded below); the
  // bundles' files go too, and the tracker's rows keep ids, dates and states only.
  await trx
    .updateTable("subject_exports")
    .set({ status: "expired", wrapped_key: null, blob_key: null })
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", id)
    .where("status", "in", ["pending", "ready"])
    .execute();
  await trx
    .updateTable("subject_requests")
    .set({ notes_ciphertext: null })
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", id)
    .execute();
  // Delivery statuses and number events name messages by Meta's id only (no contact column to
  // cascade on), and a wamid encodes the recipient's number: statuses go with the contact's
  // messages, and number events keep their facts without the id.
  const contactWamids = (eb: ExpressionBuilder<Schema, "message_statuses" | "number_events">) =>
    eb
      .selectFrom("messages")
      .select("wamid")
      .where("workspace_id", "=", workspaceId)
      .where("contact_id", "=", id)
      .where("wamid", "is not", null)
      .$narrowType<{ wamid: string }>();
  await trx.deleteFrom("message_statuses").where("workspace_id", "=", workspaceId).where("wamid", "in", contactWamids).execute();
  await trx
    .updateTable("number_events")
    .set({ wamid: null })
    .where("workspace_id", "=", workspaceId)
    .where("wamid", "in", contactWamids)
    .execute();
  // Values kept for Meta-format webhook endpoints hold the contact's phone, name and texts as Meta
  // sent them (under the workspace key, not the contact's): they are deleted, not shredded.
  await trx
    .deleteFrom("webhook_event_payloads")
    .where("workspace_id", "=", workspaceId)
    .where(sql<boolean>`contact_ids @> array[${id}]::uuid[]`)
    .execute();
  const row = await trx
    .deleteFrom("contacts")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .returning(["data_key_id"])
    .executeTakeFirst();
  if (!row) return false;
  await keyring.shredDataKey(trx, workspaceId, row.data_key_id);
  await enqueueBlobDeletion(trx, workspaceId, [
    ...media.map((message) => message.media_blob_key!),
    ...uploads.map((upload) => upload.blob_key),
    ...bundles.map((bundle) => bundle.blob_key!),
  ]);
  return true;
}

async function decryptContact(trx: Tx, keyring: Keyring, row: ContactRow): Promise<Contact> {
  const field = (column: string) => ({ workspaceId: row.workspace_id, table: "contacts", column, rowId: row.id });
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    phone: row.phone_ciphertext === null ? null : await keyring.decrypt(trx, field("phone"), row.phone_ciphertext),
    name: row.name_ciphertext === null ? null : await keyring.decrypt(trx, field("name"), row.name_ciphertext),
    createdAt: row.created_at,
  };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

// ——— The contact profile: WhatsApp name, tags, custom fields and consent (migration 0009) ———

export type ConsentRecord = { status: ConsentStatus; source: ConsentSource | null; updatedAt: Date | null };

export type ContactProfile = Contact & {
  /** Internal: the data key the contact's personal data is encrypted under. Never presented. */
  dataKeyId: string;
  waProfileName: string | null;
  /** Sorted, lower case. */
  tags: string[];
  customFields: Record<string, string>;
  consent: ConsentRecord;
  updatedAt: Date;
  /** created_at exactly as stored (ISO text with microseconds), for keyset cursors. */
  createdKey: string;
  /** When it was moved to the trash, and when the purge erases it; null when not in the trash. */
  deletedAt: Date | null;
  purgeAfter: Date | null;
};

/** What a new contact is made of; phone already normalized and its blind index computed. */
export type NewContact = {
  phone: string;
  phoneIndex: string;
  name: string | null;
  tags: readonly string[];
  customFields: Record<string, string>;
  consent: { status: ConsentStatus; source: ConsentSource; at: Date } | null;
};

export type ContactFilter = {
  phoneIndex?: string;
  tag?: string;
  consent?: ConsentStatus;
  /** Keyset position: the createdKey and id of the last row of the previous page. */
  after?: { key: string; id: string };
  limit: number;
};

// A JavaScript Date keeps milliseconds only; a cursor rounded down would skip rows created within
// the same millisecond, so the sort key travels as PostgreSQL's own text (microseconds, UTC).
const createdKey = sql<string>`to_char(contacts.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function profileRows(trx: Tx, workspaceId: string, trash: "hide" | "only" | "include" = "hide") {
  return (
    trx
      .selectFrom("contacts")
      .select([
        "workspace_id",
        "id",
        "data_key_id",
        "phone_ciphertext",
        "name_ciphertext",
        "wa_profile_name_ciphertext",
        "custom_fields_ciphertext",
        "consent_status",
        "consent_source",
        "consent_updated_at",
        "created_at",
        "updated_at",
        createdKey.as("created_key"),
        "deleted_at",
        "purge_after",
      ])
      .where("workspace_id", "=", workspaceId)
      // A contact in the trash is hidden from every list, read, edit and export; only the trash shows
      // it, and the import sees it to say why its number cannot be added again.
      .$if(trash !== "include", (query) => query.where("deleted_at", trash === "hide" ? "is" : "is not", null))
  );
}

type ProfileRow = Awaited<ReturnType<ReturnType<typeof profileRows>["execute"]>>[number];

/**
 * The contact in `contactColumn` (of the workspace in `workspaceColumn`) carries `tag`. One
 * condition for every list that filters by tag: contacts, the inbox.
 */
export function taggedWith(workspaceColumn: string, contactColumn: string, tag: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from contact_tags t where t.workspace_id = ${sql.ref(workspaceColumn)} and t.contact_id = ${sql.ref(contactColumn)} and t.tag = ${tag})`;
}

/** One page of contacts, newest first, filtered by exact phone (blind index), tag and consent status. */
export async function listContactProfiles(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  filter: ContactFilter,
): Promise<ContactProfile[]> {
  let query = profileRows(trx, workspaceId);
  if (filter.phoneIndex !== undefined) query = query.where("phone_index", "=", filter.phoneIndex);
  if (filter.consent !== undefined) query = query.where("consent_status", "=", filter.consent);
  if (filter.tag !== undefined) query = query.where(taggedWith("contacts.workspace_id", "contacts.id", filter.tag));
  if (filter.after) {
    query = query.where(sql<boolean>`(contacts.created_at, contacts.id) < (${filter.after.key}::timestamptz, ${filter.after.id}::uuid)`);
  }
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
  return decryptProfiles(trx, keyring, workspaceId, rows);
}

/** How many contacts match a filter (tag and consent), for bounding exports. */
export async function countContacts(trx: Tx, workspaceId: string, filter: Pick<ContactFilter, "tag" | "consent">): Promise<number> {
  let query = trx
    .selectFrom("contacts")
    .select(sql<string>`count(*)`.as("count"))
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is", null);
  if (filter.consent !== undefined) query = query.where("consent_status", "=", filter.consent);
  if (filter.tag !== undefined) query = query.where(taggedWith("contacts.workspace_id", "contacts.id", filter.tag));
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function getContactProfile(trx: Tx, keyring: Keyring, workspaceId: string, id: string): Promise<ContactProfile | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await profileRows(trx, workspaceId).where("id", "=", id).execute();
  const [profile] = await decryptProfiles(trx, keyring, workspaceId, rows);
  return profile;
}

/** The contacts of the workspace with these phone blind indexes (at most 1,000 per call), those in the trash included (`deletedAt`). */
export async function findContactProfilesByIndex(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  phoneIndexes: readonly string[],
): Promise<Map<string, ContactProfile>> {
  if (phoneIndexes.length === 0) return new Map();
  if (phoneIndexes.length > 1_000) throw new RangeError("look up at most 1,000 phone indexes at once");
  const rows = await profileRows(trx, workspaceId, "include")
    .select("phone_index")
    .where("phone_index", "in", [...phoneIndexes])
    .execute();
  const profiles = await decryptProfiles(trx, keyring, workspaceId, rows);
  return new Map(rows.map((row, index) => [row.phone_index ?? "", profiles[index]!]));
}

/** The contacts of the workspace with these ids (at most 1,000 per call), not those in the trash, decrypted. */
export async function findContactProfilesByIds(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, ContactProfile>> {
  if (ids.length === 0) return new Map();
  if (ids.length > 1_000) throw new RangeError("look up at most 1,000 contacts at once");
  const rows = await profileRows(trx, workspaceId)
    .where("id", "in", [...ids])
    .execute();
  const profiles = await decryptProfiles(trx, keyring, workspaceId, rows);
  return new Map(profiles.map((profile) => [profile.id, profile]));
}

/** Conversations of the contact that the caller can see (RLS: an Agent counts the ones assigned to them). */
export async function countContactConversations(trx: Tx, workspaceId: string, contactId: string): Promise<number> {
  const row = await trx
    .selectFrom("conversations")
    .select(sql<string>`count(*)`.as("count"))
    .where("workspace_id", "=", workspaceId)
    .where("contact_id", "=", contactId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Inserts contacts, each under a data key of its own, with their tags. Returns one entry per input,
 * in order: the new contact, or null when the workspace already had that phone number (the unique
 * index decides, also against a concurrent writer; the unused data key is destroyed here).
 */
export async function insertContacts(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  inputs: readonly NewContact[],
): Promise<Array<{ id: string; createdAt: Date } | null>> {
  // Every contact the workspace creates (by hand, by import, by messaging a new number) comes
  // through here; a customer writing in is never refused (see ./whatsapp-repository.ts).
  await assertQuotaAllows(trx, workspaceId, "contacts", inputs.length);
  const results: Array<{ id: string; createdAt: Date } | null> = [];
  const CHUNK = 500;
  for (let start = 0; start < inputs.length; start += CHUNK) {
    const chunk = inputs.slice(start, start + CHUNK);
    const values = [];
    const prepared: Array<{ id: string; dataKeyId: string; input: NewContact }> = [];
    for (const input of chunk) {
      const id = randomUUID();
      const dataKeyId = await keyring.createDataKey(trx, workspaceId, "contact");
      const seal = (column: string, value: string) =>
        keyring.encryptForSubject(trx, { workspaceId, dataKeyId, table: "contacts", column, rowId: id }, value);
      const fields = sortedFields(input.customFields);
      values.push({
        workspace_id: workspaceId,
        id,
        data_key_id: dataKeyId,
        phone_ciphertext: await seal("phone", input.phone),
        phone_index: input.phoneIndex,
        name_ciphertext: input.name === null ? null : await seal("name", input.name),
        custom_fields_ciphertext: Object.keys(fields).length === 0 ? null : await seal("custom_fields", JSON.stringify(fields)),
        consent_status: input.consent?.status ?? "unknown",
        consent_source: input.consent?.source ?? null,
        consent_updated_at: input.consent?.at ?? null,
      });
      prepared.push({ id, dataKeyId, input });
    }
    const inserted = await trx
      .insertInto("contacts")
      .values(values)
      .onConflict((oc) => oc.columns(["workspace_id", "phone_index"]).doNothing())
      .returning(["id", "created_at"])
      .execute();
    const createdAt = new Map(inserted.map((row) => [row.id, row.created_at]));
    const tagRows: Array<{ workspace_id: string; contact_id: string; tag: string }> = [];
    for (const { id, dataKeyId, input } of prepared) {
      const at = createdAt.get(id);
      if (at === undefined) {
        await keyring.shredDataKey(trx, workspaceId, dataKeyId);
        results.push(null);
        continue;
      }
      for (const tag of tagSet(input.tags)) tagRows.push({ workspace_id: workspaceId, contact_id: id, tag });
      results.push({ id, createdAt: at });
    }
    await insertTags(trx, tagRows);
  }
  return results;
}

export type ContactChanges = {
  name?: string | null;
  /** The complete new tag set. */
  tags?: readonly string[];
  /** The complete new custom fields. */
  customFields?: Record<string, string>;
  consent?: { status: ConsentStatus; source: ConsentSource; at: Date };
};

/** Applies changes to a contact read with getContactProfile / findContactProfilesByIndex (in this transaction). */
export async function updateContactProfile(trx: Tx, keyring: Keyring, current: ContactProfile, changes: ContactChanges): Promise<void> {
  const { workspaceId, id, dataKeyId } = current;
  const seal = (column: string, value: string) =>
    keyring.encryptForSubject(trx, { workspaceId, dataKeyId, table: "contacts", column, rowId: id }, value);
  const set: {
    name_ciphertext?: string | null;
    custom_fields_ciphertext?: string | null;
    consent_status?: ConsentStatus;
    consent_source?: ConsentSource;
    consent_updated_at?: Date;
    updated_at: Date;
  } = { updated_at: new Date() };
  if (changes.name !== undefined) set.name_ciphertext = changes.name === null ? null : await seal("name", changes.name);
  if (changes.customFields !== undefined) {
    const fields = sortedFields(changes.customFields);
    set.custom_fields_ciphertext = Object.keys(fields).length === 0 ? null : await seal("custom_fields", JSON.stringify(fields));
  }
  if (changes.consent) {
    set.consent_status = changes.consent.status;
    set.consent_source = changes.consent.source;
    set.consent_updated_at = changes.consent.at;
  }
  await trx.updateTable("contacts").set(set).where("workspace_id", "=", workspaceId).where("id", "=", id).execute();
  if (changes.tags !== undefined) {
    const next = new Set(changes.tags);
    const removed = current.tags.filter((tag) => !next.has(tag));
    const added = [...next].filter((tag) => !current.tags.includes(tag));
    if (removed.length > 0) {
      await trx
        .deleteFrom("contact_tags")
        .where("workspace_id", "=", workspaceId)
        .where("contact_id", "=", id)
        .where("tag", "in", removed)
        .execute();
    }
    await insertTags(
      trx,
      added.map((tag) => ({ workspace_id: workspaceId, contact_id: id, tag })),
    );
  }
}

async function insertTags(trx: Tx, rows: Array<{ workspace_id: string; contact_id: string; tag: string }>): Promise<void> {
  const CHUNK = 2_000;
  for (let start = 0; start < rows.length; start += CHUNK) {
    await trx
      .insertInto("contact_tags")
      .values(rows.slice(start, start + CHUNK))
      .onConflict((oc) => oc.columns(["workspace_id", "contact_id", "tag"]).doNothing())
      .execute();
  }
}

async function decryptProfiles(trx: Tx, keyring: Keyring, workspaceId: string, rows: readonly ProfileRow[]): Promise<ContactProfile[]> {
  if (rows.length === 0) return [];
  const tagRows = await trx
    .selectFrom("contact_tags")
    .select(["contact_id", "tag"])
    .where("workspace_id", "=", workspaceId)
    .where(
      "contact_id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  const tagsOf = new Map<string, string[]>();
  for (const { contact_id, tag } of tagRows) {
    const list = tagsOf.get(contact_id) ?? [];
    list.push(tag);
    tagsOf.set(contact_id, list);
  }
  const profiles: ContactProfile[] = [];
  for (const row of rows) {
    const field = (column: string) => ({ workspaceId: row.workspace_id, table: "contacts", column, rowId: row.id });
    const open = (column: string, envelope: string | null) =>
      envelope === null ? Promise.resolve(null) : keyring.decrypt(trx, field(column), envelope);
    const fields = await open("custom_fields", row.custom_fields_ciphertext);
    profiles.push({
      id: row.id,
      workspaceId: row.workspace_id,
      dataKeyId: row.data_key_id,
      phone: await open("phone", row.phone_ciphertext),
      name: await open("name", row.name_ciphertext),
      waProfileName: await open("wa_profile_name", row.wa_profile_name_ciphertext),
      tags: tagSet(tagsOf.get(row.id) ?? []),
      customFields: fields === null ? {} : (JSON.parse(fields) as Record<string, string>),
      consent: { status: row.consent_status, source: row.consent_source, updatedAt: row.consent_updated_at },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdKey: row.created_key,
      deletedAt: row.deleted_at,
      purgeAfter: row.purge_after,
    });
  }
  return profiles;
}

// ——— The trash (migration 0026) ———

/**
 * Moves a contact to the trash until `purgeAfter`. Returns false when there is no such contact
 * outside the trash (already trashed: nothing changes, so the first purge date stands).
 */
export async function trashContact(trx: Tx, workspaceId: string, id: string, at: Date, purgeAfter: Date): Promise<boolean> {
  if (!isUuid(id)) return false;
  const row = await trx
    .updateTable("contacts")
    .set({ deleted_at: at, purge_after: purgeAfter, updated_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes a contact out of the trash. Returns false when it is not in the trash. */
export async function restoreContact(trx: Tx, workspaceId: string, id: string, at: Date): Promise<boolean> {
  if (!isUuid(id)) return false;
  const row = await trx
    .updateTable("contacts")
    .set({ deleted_at: null, purge_after: null, updated_at: at })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("deleted_at", "is not", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** One page of the trash, soonest purge first, after the keyset position `after` (purge time as stored, id). */
export async function listTrashedContacts(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  filter: { after?: { key: string; id: string }; limit: number },
): Promise<Array<ContactProfile & { purgeKey: string }>> {
  const purgeKey = sql<string>`to_char(contacts.purge_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  let query = profileRows(trx, workspaceId, "only").select(purgeKey.as("purge_key"));
  if (filter.after)
    query = query.where(sql<boolean>`(contacts.purge_after, contacts.id) > (${filter.after.key}::timestamptz, ${filter.after.id}::uuid)`);
  const rows = await query.orderBy("purge_after").orderBy("id").limit(filter.limit).execute();
  const profiles = await decryptProfiles(trx, keyring, workspaceId, rows);
  return profiles.map((profile, index) => ({ ...profile, purgeKey: rows[index]!.purge_key }));
}

/** Whether the contact is in the trash (false for a contact that does not exist). */
export async function isContactTrashed(trx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const row = await trx
    .selectFrom("contacts")
    .select("deleted_at")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row !== undefined && row.deleted_at !== null;
}

/** Up to `limit` contacts of the workspace whose trash period ended by `now`, oldest first. */
export async function findContactsDueForPurge(trx: Tx, workspaceId: string, now: Date, limit: number): Promise<string[]> {
  const rows = await trx
    .selectFrom("contacts")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is not", null)
    .where("purge_after", "<=", now)
    .orderBy("purge_after")
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => row.id);
}

export type ErasureReason = "trash_purge" | "request";

/**
 * The PII-free record of an erasure: ids, the reason and when, never a phone number or a name.
 * Once per contact (a repeated erasure of the same id records nothing new).
 */
export async function recordErasure(
  trx: Tx,
  workspaceId: string,
  input: { contactId: string; reason: ErasureReason; requestedByUserId: string | null; at: Date },
): Promise<void> {
  await trx
    .insertInto("erasures")
    .values({
      workspace_id: workspaceId,
      id: randomUUID(),
      contact_id: input.contactId,
      reason: input.reason,
      requested_by_user_id: input.requestedByUserId,
      completed_at: input.at,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "contact_id"]).doNothing())
    .execute();
}

export type ErasureRecord = { id: string; contactId: string; reason: ErasureReason; requestedByUserId: string | null; completedAt: Date };

/** The workspace's erasure records, newest first. */
export async function listErasures(trx: Tx, workspaceId: string, limit: number): Promise<ErasureRecord[]> {
  const rows = await trx
    .selectFrom("erasures")
    .select(["id", "contact_id", "reason", "requested_by_user_id", "completed_at"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("completed_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    reason: row.reason as ErasureReason,
    requestedByUserId: row.requested_by_user_id,
    completedAt: row.completed_at,
  }));
}

/**
 * The workspaces holding contacts whose trash period ended by `cutoff`, through the SECURITY
 * DEFINER function of migration 0026 (ids only, longest waiting first). Call it in a transaction
 * without a workspace (withoutWorkspace).
 */
export async function listWorkspacesWithPurgeDue(trx: Tx, cutoff: Date, maxWorkspaces: number): Promise<string[]> {
  const result = await sql<{
    workspace_id: string;
  }>`select workspace_id from workspaces_with_purge_due(${cutoff.toISOString()}::timestamptz, ${maxWorkspaces}::integer)`.execute(trx);
  return result.rows.map((row) => row.workspace_id);
}

/** The contact holding this phone blind index, in the trash or not (ids and state only). */
export async function listContactsByPhoneIndex(
  trx: Tx,
  workspaceId: string,
  phoneIndex: string,
): Promise<Array<{ id: string; isTrashed: boolean }>> {
  const rows = await trx
    .selectFrom("contacts")
    .select(["id", "deleted_at"])
    .where("workspace_id", "=", workspaceId)
    .where("phone_index", "=", phoneIndex)
    .execute();
  return rows.map((row) => ({ id: row.id, isTrashed: row.deleted_at !== null }));
}
