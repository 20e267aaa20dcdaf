import { normalizePhone } from "../../crypto/blind-index.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import type { Tx } from "../../db/database.ts";
import { asCaller, recordCallerAccess, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { appendErasure } from "../../backup/erasure-ledger.ts";
import {
  countContactConversations,
  eraseContact,
  findContactDataKeyId,
  getContactProfile,
  insertContacts,
  isContactTrashed,
  listContactsByPhoneIndex,
  listContactProfiles,
  listTrashedContacts,
  recordErasure,
  restoreContact,
  trashContact,
  updateContactProfile,
  type ContactChanges,
  type ContactProfile,
} from "./repository.ts";
import { isValidTag, MAX_CUSTOM_FIELDS, MAX_TAGS, normalizeTag, sameFields, sameTags, tagSet, TAG_RULE } from "./rules.ts";
import type { ConsentScope, ConsentSource, ConsentStatus } from "./schema.ts";
import { recordConsentChange } from "../consent/service.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "../../db/keyset.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";

// Contacts for the team: what a member may list, read, create, change and erase. Every function
// runs as the caller (withWorkspace with user and role: RLS scopes it to the workspace, and the
// conversation count of an Agent to their own conversations). Agents see every contact of the
// workspace, as the permission matrix grants contacts.read to them (the inbox needs the contact of
// any conversation they may be handed); what narrows Agents is the conversation policy.
// Audit entries carry identifiers, states and counts only, never a phone number or a name.

export type Page<T> = { data: T[]; nextCursor: string | null };

export type ContactQuery = { phone?: string; tag?: string; consent?: ConsentStatus; cursor?: string; limit: number };

export type ContactDetail = ContactProfile & { conversationCount: number };

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A page's cursor (src/db/keyset.ts): the last row's exact sort key and id. */
export function encodeContactCursor(profile: Pick<ContactProfile, "createdKey" | "id">): string {
  return encodeKeysetCursor(profile.createdKey, profile.id);
}

export function decodeContactCursor(cursor: string): { key: string; id: string } {
  const position = decodeKeysetCursor(cursor, { sortKey: SORT_KEY });
  if (position) return { key: position.at, id: position.id };
  throw invalid(["query", "cursor"], "Not a cursor from a previous page.");
}

function invalid(path: Array<string | number>, message: string): AppError {
  return new AppError("VALIDATION_FAILED", undefined, { details: [{ path, message }] });
}

/** The blind index of a searched phone number; the input is normalized like stored numbers, never echoed. */
function searchPhone(phone: string): string {
  try {
    return normalizePhone(phone);
  } catch {
    throw invalid(["query", "phone"], "Give a full phone number with its country code, like +14155550100.");
  }
}

/** A tag filter, normalized like stored tags. */
export function filterTag(tag: string, path: Array<string | number> = ["query", "tag"]): string {
  const normalized = normalizeTag(tag);
  if (!isValidTag(normalized)) throw invalid(path, TAG_RULE);
  return normalized;
}

export async function listContactsFor(services: Services, caller: Caller, query: ContactQuery): Promise<Page<ContactProfile>> {
  const phone = query.phone === undefined ? undefined : searchPhone(query.phone);
  const tag = query.tag === undefined ? undefined : filterTag(query.tag);
  const after = query.cursor === undefined ? undefined : decodeContactCursor(query.cursor);
  return asCaller(services, caller, async (trx) => {
    const rows = await listContactProfiles(trx, services.keyring, caller.workspaceId, {
      ...(phone !== undefined ? { phoneIndex: await services.keyring.blindIndex(trx, caller.workspaceId, "contacts.phone", phone) } : {}),
      ...(tag !== undefined ? { tag } : {}),
      ...(query.consent !== undefined ? { consent: query.consent } : {}),
      ...(after ? { after } : {}),
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeContactCursor(last) : null };
  });
}

function notFound(): AppError {
  return new AppError("NOT_FOUND", "The contact does not exist.");
}

export async function getContactFor(services: Services, caller: Caller, contactId: string): Promise<ContactDetail> {
  const detail = await asCaller(services, caller, async (trx) => {
    const profile = await getContactProfile(trx, services.keyring, caller.workspaceId, contactId);
    if (!profile) throw notFound();
    return { ...profile, conversationCount: await countContactConversations(trx, caller.workspaceId, contactId) };
  });
  await recordCallerAccess(services, caller, {
    action: "contact.viewed",
    target: { type: "contact", id: contactId },
    metadata: { contactId },
  });
  return detail;
}

export type NewContactInput = {
  phone: string;
  name?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, string> | undefined;
  consent?: { status: ConsentStatus; source: ConsentSource } | undefined;
};

/** Creates a contact (CONFLICT when the phone number is taken). Setting consent is audited. */
export async function createContactFor(services: Services, caller: Caller, input: NewContactInput): Promise<ContactDetail> {
  const tags = tagSet(input.tags ?? []);
  let phone: string;
  try {
    phone = normalizePhone(input.phone);
  } catch {
    throw invalid(["body", "phone"], "Give a full phone number with its country code, like +14155550100.");
  }
  return asCaller(services, caller, async (trx) => {
    const phoneIndex = await services.keyring.blindIndex(trx, caller.workspaceId, "contacts.phone", phone);
    const [created] = await insertContacts(trx, services.keyring, caller.workspaceId, [
      { phone, phoneIndex, name: input.name ?? null, tags, customFields: input.customFields ?? {}, consent: null },
    ]);
    if (!created) {
      const [existing] = await listContactsByPhoneIndex(trx, caller.workspaceId, phoneIndex);
      throw new AppError(
        "CONFLICT",
        existing?.isTrashed
          ? "A contact with this phone number is in the trash; restore it instead."
          : "A contact with this phone number already exists.",
      );
    }
    await recordWebhookEvent(
      trx,
      caller.workspaceId,
      { type: "contact.created", data: { workspaceId: caller.workspaceId, contactId: created.id, at: created.createdAt.toISOString() } },
      { occurredAt: created.createdAt },
    );
    if (input.consent) {
      await recordConsentChange(
        trx,
        caller.workspaceId,
        { kind: "caller", caller },
        { contactId: created.id, scope: "marketing", ...input.consent, method: "recorded" },
      );
    }
    const profile = await getContactProfile(trx, services.keyring, caller.workspaceId, created.id);
    if (!profile) throw notFound();
    return { ...profile, conversationCount: 0 };
  });
}

export type ContactUpdate = {
  name?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, string> | undefined;
};

/** Replaces the name, the tag set and/or the custom fields (whichever are given). */
export async function updateContactFor(
  services: Services,
  caller: Caller,
  contactId: string,
  update: ContactUpdate,
): Promise<ContactDetail> {
  return asCaller(services, caller, async (trx) => {
    const current = await getContactProfile(trx, services.keyring, caller.workspaceId, contactId);
    if (!current) throw notFound();
    const changes: ContactChanges = {};
    if (update.name !== undefined && update.name !== current.name) changes.name = update.name;
    if (update.tags !== undefined) {
      const tags = tagSet(update.tags);
      if (tags.length > MAX_TAGS) throw invalid(["body", "tags"], `A contact has at most ${MAX_TAGS} tags.`);
      if (!sameTags(tags, current.tags)) changes.tags = tags;
    }
    if (update.customFields !== undefined) {
      if (Object.keys(update.customFields).length > MAX_CUSTOM_FIELDS)
        throw invalid(["body", "customFields"], `A contact has at most ${MAX_CUSTOM_FIELDS} custom fields.`);
      if (!sameFields(update.customFields, current.customFields)) changes.customFields = update.customFields;
    }
    if (Object.keys(changes).length > 0) {
      await updateContactProfile(trx, services.keyring, current, changes);
      await recordWebhookEvent(trx, caller.workspaceId, {
        type: "contact.updated",
        data: { workspaceId: caller.workspaceId, contactId, changed: Object.keys(changes), at: new Date().toISOString() },
      });
    }
    const profile = await getContactProfile(trx, services.keyring, caller.workspaceId, contactId);
    if (!profile) throw notFound();
    return { ...profile, conversationCount: await countContactConversations(trx, caller.workspaceId, contactId) };
  });
}

/**
 * Records a consent decision: the scope (marketing unless said), the state, where it came from and
 * when (now), as a consent ledger entry (features/consent). Recorded and audited every time, also
 * when the state stays the same: a renewed opt-in is evidence too.
 */
export async function setConsentFor(
  services: Services,
  caller: Caller,
  contactId: string,
  consent: { status: ConsentStatus; source: ConsentSource; scope?: ConsentScope | undefined },
): Promise<ContactDetail> {
  return asCaller(services, caller, async (trx) => {
    const current = await getContactProfile(trx, services.keyring, caller.workspaceId, contactId);
    if (!current) throw notFound();
    await recordConsentChange(
      trx,
      caller.workspaceId,
      { kind: "caller", caller },
      { contactId, scope: consent.scope ?? "marketing", status: consent.status, source: consent.source, method: "recorded" },
    );
    const profile = await getContactProfile(trx, services.keyring, caller.workspaceId, contactId);
    if (!profile) throw notFound();
    return { ...profile, conversationCount: await countContactConversations(trx, caller.workspaceId, contactId) };
  });
}

/**
 * Erases a contact: the row, its tags, conversations and messages go (foreign keys cascade) and its
 * data key is destroyed, so copies in backups, replicas and stored media can no longer be read.
 * The audit entry names the contact's id only. Once committed, the erasure joins the erasure
 * ledger (ids only), which every backup restore replays, so an older backup cannot bring it back.
 */
export async function eraseContactFor(
  services: Services,
  caller: Caller,
  contactId: string,
  /** More writes in the erasure's own transaction (a subject request completing with it). */
  alsoInTransaction?: (trx: Tx) => Promise<void>,
): Promise<void> {
  const dataKeyId = await asCaller(services, caller, async (trx) => {
    const keyId = await findContactDataKeyId(trx, caller.workspaceId, contactId);
    if (keyId === undefined || !(await eraseContact(trx, services.keyring, caller.workspaceId, contactId))) throw notFound();
    await alsoInTransaction?.(trx);
    await recordErasure(trx, caller.workspaceId, { contactId, reason: "request", requestedByUserId: caller.userId, at: new Date() });
    await recordCallerAudit(trx, caller, {
      action: "contact.erased",
      target: { type: "contact", id: contactId },
      metadata: { reason: "request" },
    });
    await recordWebhookEvent(trx, caller.workspaceId, {
      type: "contact.erased",
      data: { workspaceId: caller.workspaceId, contactId, at: new Date().toISOString() },
    });
    return keyId;
  });
  // Services built without a blob store (tests, tools) have no ledger; every deployment has one.
  if (services.blobs) {
    try {
      await appendErasure(services.blobs, { workspaceId: caller.workspaceId, contactId, dataKeyId, erasedAt: new Date().toISOString() });
    } catch (error) {
      // The erasure stands (its data key is gone), but an older backup would bring the rows back: an operator must know.
      services.logger.error(
        { component: "backups", workspaceId: caller.workspaceId, contactId, err: error },
        "erasure committed but not written to the erasure ledger; a restore would not replay it",
      );
      throw error;
    }
  }
}

/** How long a contact stays in the trash before the purge erases it. */
export const TRASH_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Moves a contact to the trash: hidden from lists, search and the inbox, never messaged, and
 * erased by the purge (./purge.ts) after TRASH_DAYS unless restored. Audited with the purge date.
 */
export async function trashContactFor(
  services: Services,
  caller: Caller,
  contactId: string,
  now: Date = new Date(),
): Promise<{ purgeAfter: Date }> {
  const purgeAfter = new Date(now.getTime() + TRASH_DAYS * DAY_MS);
  return asCaller(services, caller, async (trx) => {
    if (!(await trashContact(trx, caller.workspaceId, contactId, now, purgeAfter))) throw notFound();
    await recordCallerAudit(trx, caller, {
      action: "contact.trashed",
      target: { type: "contact", id: contactId },
      metadata: { purgeAfter: purgeAfter.toISOString() },
    });
    return { purgeAfter };
  });
}

/** Takes a contact out of the trash (NOT_FOUND when it is not there). Audited. */
export async function restoreContactFor(services: Services, caller: Caller, contactId: string): Promise<ContactDetail> {
  return asCaller(services, caller, async (trx) => {
    if (!(await restoreContact(trx, caller.workspaceId, contactId, new Date())))
      throw new AppError("NOT_FOUND", "The contact is not in the trash.");
    await recordCallerAudit(trx, caller, {
      action: "contact.restored",
      target: { type: "contact", id: contactId },
      metadata: { reason: "member" },
    });
    const profile = await getContactProfile(trx, services.keyring, caller.workspaceId, contactId);
    if (!profile) throw notFound();
    return { ...profile, conversationCount: await countContactConversations(trx, caller.workspaceId, contactId) };
  });
}

const TRASH_SORT_KEY = SORT_KEY;

/** One page of the trash, soonest purge first. */
export async function listTrashFor(
  services: Services,
  caller: Caller,
  query: { cursor?: string; limit: number },
): Promise<Page<ContactProfile>> {
  let after: { key: string; id: string } | undefined;
  if (query.cursor !== undefined) {
    const position = decodeKeysetCursor(query.cursor, { sortKey: TRASH_SORT_KEY });
    if (!position) throw invalid(["query", "cursor"], "Not a cursor from a previous page.");
    after = { key: position.at, id: position.id };
  }
  return asCaller(services, caller, async (trx) => {
    const rows = await listTrashedContacts(trx, services.keyring, caller.workspaceId, {
      ...(after ? { after } : {}),
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeKeysetCursor(last.purgeKey, last.id) : null };
  });
}

/** Refuses a send to a contact in the trash: nothing may be queued for it. */
export async function assertContactSendable(
  trx: Parameters<typeof isContactTrashed>[0],
  workspaceId: string,
  contactId: string,
): Promise<void> {
  if (await isContactTrashed(trx, workspaceId, contactId)) throw new AppError("CONTACT_IN_TRASH");
}
