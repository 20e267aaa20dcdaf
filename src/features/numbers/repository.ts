import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";
import { sql, type Updateable } from "kysely";
import type { NumbersTable } from "../../db/generated/database.ts";
import type { MessagingLimit, NumberEventKind, NumberMode, NumberStatus, NumberTier, QualityRating } from "../../whatsapp/schema.ts";
import type { StoredTemplateComponents } from "../../whatsapp/templates/components.ts";
import { openTemplateComponents } from "../templates/repository.ts";

// Connected numbers, tenant-scoped: every function takes the workspace id and a transaction opened
// by withWorkspace. Secrets are sealed under the workspace key with AAD bound to their row and
// column; views carry only the last four characters.

export type NumberView = {
  id: string;
  workspaceId: string;
  mode: NumberMode;
  wabaId: string;
  phoneNumberId: string;
  appId: string | null;
  displayPhoneLast4: string | null;
  accessTokenLast4: string;
  accessTokenVersion: number;
  appSecretLast4: string;
  verifyTokenLast4: string;
  status: NumberStatus;
  tier: NumberTier;
  webhookKey: string;
  verifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  qualityRating: QualityRating;
  messagingLimit: MessagingLimit | null;
  metaStatus: string | null;
  throughputLevel: string | null;
  nameStatus: string | null;
  accountEvent: string | null;
  healthCheckedAt: Date | null;
  healthError: string | null;
  pinSetAt: Date | null;
  registeredAt: Date | null;
  disconnectedAt: Date | null;
  accessTokenStoredAt: Date;
};

export type NumberCredentials = {
  numberId: string;
  phoneNumberId: string;
  wabaId: string;
  appId: string | null;
  accessToken: string;
  accessTokenVersion: number;
  appSecret: string;
  verifyToken: string;
};

export type SecretColumn = "access_token" | "app_secret" | "verify_token" | "display_phone";

const VIEW_COLUMNS = [
  "id",
  "workspace_id",
  "mode",
  "waba_id",
  "phone_number_id",
  "app_id",
  "display_phone_last4",
  "access_token_last4",
  "access_token_version",
  "app_secret_last4",
  "verify_token_last4",
  "status",
  "tier",
  "webhook_key",
  "verified_at",
  "created_at",
  "updated_at",
  "quality_rating",
  "messaging_limit",
  "meta_status",
  "throughput_level",
  "name_status",
  "account_event",
  "health_checked_at",
  "health_error",
  "pin_set_at",
  "registered_at",
  "disconnected_at",
  "access_token_stored_at",
] as const;

type ViewRow = {
  id: string;
  workspace_id: string;
  mode: NumberMode;
  waba_id: string;
  phone_number_id: string;
  app_id: string | null;
  display_phone_last4: string | null;
  access_token_last4: string;
  access_token_version: number;
  app_secret_last4: string;
  verify_token_last4: string;
  status: NumberStatus;
  tier: NumberTier;
  webhook_key: string;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
  quality_rating: QualityRating;
  messaging_limit: MessagingLimit | null;
  meta_status: string | null;
  throughput_level: string | null;
  name_status: string | null;
  account_event: string | null;
  health_checked_at: Date | null;
  health_error: string | null;
  pin_set_at: Date | null;
  registered_at: Date | null;
  disconnected_at: Date | null;
  access_token_stored_at: Date;
};

export function secretField(workspaceId: string, numberId: string, column: SecretColumn) {
  return { workspaceId, table: "numbers", column, rowId: numberId };
}

export function lastFour(value: string): string {
  return value.slice(-4);
}

export async function sealNumberSecret(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
  column: SecretColumn,
  value: string,
): Promise<string> {
  return keyring.encryptSecret(trx, secretField(workspaceId, numberId, column), value);
}

export type InsertNumberInput = {
  workspaceId: string;
  id: string;
  mode: NumberMode;
  wabaId: string;
  phoneNumberId: string;
  appId: string | null;
  displayPhoneNumber: string | null;
  accessToken: string;
  accessTokenExpiresAt: Date | null;
  appSecret: string;
  verifyToken: string;
  tier: NumberTier;
  webhookKey: string;
};

/** Inserts a number; undefined when the workspace already has this phone number id. */
export async function insertNumber(trx: Tx, keyring: Keyring, input: InsertNumberInput): Promise<NumberView | undefined> {
  const { workspaceId, id } = input;
  const seal = (column: SecretColumn, value: string) => sealNumberSecret(trx, keyring, workspaceId, id, column, value);
  const row = await trx
    .insertInto("numbers")
    .values({
      workspace_id: workspaceId,
      id,
      mode: input.mode,
      waba_id: input.wabaId,
      phone_number_id: input.phoneNumberId,
      app_id: input.appId,
      display_phone_ciphertext: input.displayPhoneNumber === null ? null : await seal("display_phone", input.displayPhoneNumber),
      display_phone_last4: input.displayPhoneNumber === null ? null : lastFour(input.displayPhoneNumber),
      access_token_ciphertext: await seal("access_token", input.accessToken),
      access_token_last4: lastFour(input.accessToken),
      access_token_expires_at: input.accessTokenExpiresAt,
      app_secret_ciphertext: await seal("app_secret", input.appSecret),
      app_secret_last4: lastFour(input.appSecret),
      verify_token_ciphertext: await seal("verify_token", input.verifyToken),
      verify_token_last4: lastFour(input.verifyToken),
      tier: input.tier,
      webhook_key: input.webhookKey,
      verified_at: new Date(),
    })
    .onConflict((oc) => oc.columns(["workspace_id", "phone_number_id"]).doNothing())
    .returning(VIEW_COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}

export async function listNumbers(trx: Tx, workspaceId: string): Promise<NumberView[]> {
  const rows = await trx
    .selectFrom("numbers")
    .select(VIEW_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toView);
}

/** A number's Meta id and status, for sending from it. */
export function findNumberStatus(trx: Tx, workspaceId: string, numberId: string) {
  return trx
    .selectFrom("numbers")
    .select(["id", "phone_number_id", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
}

/** Whether the number exists in the workspace (and the caller may see it). */
export async function numberExists(trx: Tx, workspaceId: string, numberId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("numbers")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The workspace's numbers by the ids Meta gives them, for routing webhook changes. */
export async function listNumberMetaIds(trx: Tx, workspaceId: string): Promise<{ id: string; phoneNumberId: string; wabaId: string }[]> {
  const rows = await trx
    .selectFrom("numbers")
    .select(["id", "phone_number_id", "waba_id"])
    .where("workspace_id", "=", workspaceId)
    .execute();
  return rows.map((row) => ({ id: row.id, phoneNumberId: row.phone_number_id, wabaId: row.waba_id }));
}

export async function findNumber(trx: Tx, workspaceId: string, numberId: string): Promise<NumberView | undefined> {
  if (!isUuid(numberId)) return undefined;
  const row = await trx
    .selectFrom("numbers")
    .select(VIEW_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}

/** Decrypted credentials of a number, for the Graph client and the webhook receiver only. Never returned to a client. */
export async function loadNumberCredentials(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
): Promise<NumberCredentials | undefined> {
  if (!isUuid(numberId)) return undefined;
  const row = await trx
    .selectFrom("numbers")
    .select([
      "id",
      "phone_number_id",
      "waba_id",
      "app_id",
      "access_token_ciphertext",
      "access_token_version",
      "app_secret_ciphertext",
      "verify_token_ciphertext",
    ])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
  if (!row) return undefined;
  const open = (column: SecretColumn, envelope: string) => keyring.decrypt(trx, secretField(workspaceId, row.id, column), envelope);
  return {
    numberId: row.id,
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    appId: row.app_id,
    accessToken: await open("access_token", row.access_token_ciphertext),
    accessTokenVersion: row.access_token_version,
    appSecret: await open("app_secret", row.app_secret_ciphertext),
    verifyToken: await open("verify_token", row.verify_token_ciphertext),
  };
}

/**
 * Rotates the access token with an overlap: the new token becomes the current version in one
 * statement, and the one it replaces stays (encrypted) as the previous version until `overlapUntil`
 * — a send that read it finishes on it, and a 190 on it does not flag the new one (see
 * markCredentialsInvalid). dropPreviousAccessTokens then removes it. Returns the view, or undefined
 * when the number is gone.
 */
export async function replaceAccessToken(
  trx: Tx,
  keyring: Keyring,
  input: { workspaceId: string; numberId: string; accessToken: string; expiresAt: Date | null; overlapUntil?: Date },
): Promise<NumberView | undefined> {
  const now = new Date();
  const row = await trx
    .updateTable("numbers")
    .set({
      previous_access_token_ciphertext: sql<string>`access_token_ciphertext`,
      previous_access_token_version: sql<number>`access_token_version`,
      previous_access_token_drop_at: input.overlapUntil ?? new Date(now.getTime() + TOKEN_OVERLAP_MS),
      access_token_ciphertext: await sealNumberSecret(trx, keyring, input.workspaceId, input.numberId, "access_token", input.accessToken),
      access_token_last4: lastFour(input.accessToken),
      access_token_version: sql<number>`access_token_version + 1`,
      access_token_expires_at: input.expiresAt,
      access_token_stored_at: now,
      status: sql<NumberStatus>`case when status = 'disconnected' then status else 'active' end`,
      verified_at: now,
      updated_at: now,
    })
    .where("workspace_id", "=", input.workspaceId)
    .where("id", "=", input.numberId)
    .returning(VIEW_COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}

/** How long a replaced token is kept for the sends that read it: longer than any send's Graph call. */
export const TOKEN_OVERLAP_MS = 15 * 60_000;

/** Drops the previous access tokens whose overlap ended; how many. */
export async function dropPreviousAccessTokens(trx: Tx, workspaceId: string, now: Date): Promise<number> {
  const result = await trx
    .updateTable("numbers")
    .set({ previous_access_token_ciphertext: null, previous_access_token_version: null, previous_access_token_drop_at: null })
    .where("workspace_id", "=", workspaceId)
    .where("previous_access_token_drop_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whether the number still holds a replaced token, and until when. */
export async function findPreviousAccessToken(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
): Promise<{ accessToken: string; version: number; dropAt: Date } | undefined> {
  const row = await trx
    .selectFrom("numbers")
    .select(["previous_access_token_ciphertext", "previous_access_token_version", "previous_access_token_drop_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
  if (!row?.previous_access_token_ciphertext || row.previous_access_token_version === null || !row.previous_access_token_drop_at)
    return undefined;
  return {
    accessToken: await keyring.decrypt(trx, secretField(workspaceId, numberId, "access_token"), row.previous_access_token_ciphertext),
    version: row.previous_access_token_version,
    dropAt: row.previous_access_token_drop_at,
  };
}

/** What a Graph read or a webhook tells of a number (src/whatsapp/number-health.ts); absent keys are left as they are. */
export type NumberHealthUpdate = {
  qualityRating?: QualityRating;
  messagingLimit?: MessagingLimit | null;
  throughputLevel?: string;
  metaStatus?: string;
  nameStatus?: string;
  accountEvent?: string;
  /** Set by a Graph read: when it happened, and its error in words (null when it succeeded). */
  checkedAt?: Date;
  error?: string | null;
};

/**
 * Stores a number's health. The throughput level also sets the send tier (HIGH → 1,000 messages per
 * second, otherwise 80). Returns whether the number exists. Shared with the broadcast engine.
 */
export async function updateNumberHealth(trx: Tx, workspaceId: string, numberId: string, health: NumberHealthUpdate): Promise<boolean> {
  const set: Updateable<NumbersTable> = {};
  if (health.qualityRating !== undefined) set.quality_rating = health.qualityRating;
  if (health.messagingLimit !== undefined) set.messaging_limit = health.messagingLimit;
  if (health.throughputLevel !== undefined) {
    set.throughput_level = health.throughputLevel.slice(0, 40);
    if (health.throughputLevel === "HIGH") set.tier = 1000;
    else if (health.throughputLevel === "STANDARD") set.tier = 80;
  }
  if (health.metaStatus !== undefined) set.meta_status = health.metaStatus.slice(0, 40);
  if (health.nameStatus !== undefined) set.name_status = health.nameStatus.slice(0, 40);
  if (health.accountEvent !== undefined) set.account_event = health.accountEvent.slice(0, 60);
  if (health.checkedAt !== undefined) set.health_checked_at = health.checkedAt;
  if (health.error !== undefined) set.health_error = health.error === null ? null : health.error.slice(0, 300);
  if (Object.keys(set).length === 0) return numberExists(trx, workspaceId, numberId);
  const result = await trx
    .updateTable("numbers")
    .set({ ...set, updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The numbers of a WABA with the last four digits of their display number, for health webhooks. */
export async function listWabaNumbers(
  trx: Tx,
  workspaceId: string,
  wabaId: string,
): Promise<{ id: string; displayPhoneLast4: string | null }[]> {
  const rows = await trx
    .selectFrom("numbers")
    .select(["id", "display_phone_last4"])
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", wabaId)
    .limit(1000)
    .execute();
  return rows.map((row) => ({ id: row.id, displayPhoneLast4: row.display_phone_last4 }));
}

/** Every connected number of every workspace (identifiers only), through connected_numbers (migration 0031). */
export async function listConnectedNumberIds(trx: Tx): Promise<{ workspaceId: string; numberId: string }[]> {
  const result = await sql<{ workspace_id: string; number_id: string }>`select workspace_id, number_id from connected_numbers()`.execute(
    trx,
  );
  return result.rows.map((row) => ({ workspaceId: row.workspace_id, numberId: row.number_id }));
}

/**
 * Disconnects or reconnects a number. Disconnected: sends are refused and queued ones fail, its
 * webhook URL answers 404 (resolve_webhook_key skips it), its history stays. Reconnected: active
 * again, with the credentials it had. Returns the view, or undefined when the number is gone or
 * already in that state.
 */
export async function setNumberConnected(
  trx: Tx,
  workspaceId: string,
  numberId: string,
  connected: boolean,
): Promise<NumberView | undefined> {
  const now = new Date();
  const row = await trx
    .updateTable("numbers")
    .set(
      connected
        ? { status: "active", disconnected_at: null, updated_at: now }
        : { status: "disconnected", disconnected_at: now, updated_at: now },
    )
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .where("status", connected ? "=" : "<>", "disconnected")
    .returning(VIEW_COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}

/** Records that a two-step PIN was set (never the PIN), or that the number was registered or deregistered. */
export async function markNumberPin(
  trx: Tx,
  workspaceId: string,
  numberId: string,
  change: { pinSet?: boolean; registered?: boolean },
): Promise<void> {
  const now = new Date();
  await trx
    .updateTable("numbers")
    .set({
      ...(change.pinSet ? { pin_set_at: now } : {}),
      ...(change.registered === undefined ? {} : { registered_at: change.registered ? now : null }),
      updated_at: now,
    })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .execute();
}

/** Marks a number's credentials unusable (Graph said 190); senders stop until the token is replaced. */
export async function markCredentialsInvalid(trx: Tx, workspaceId: string, numberId: string, tokenVersion: number): Promise<boolean> {
  // Only the version that failed: a token replaced meanwhile stays active.
  const result = await trx
    .updateTable("numbers")
    .set({ status: "credentials_invalid", updated_at: new Date() })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .where("access_token_version", "=", tokenVersion)
    .where("status", "=", "active")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toView(row: ViewRow): NumberView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    mode: row.mode,
    wabaId: row.waba_id,
    phoneNumberId: row.phone_number_id,
    appId: row.app_id,
    displayPhoneLast4: row.display_phone_last4,
    accessTokenLast4: row.access_token_last4,
    accessTokenVersion: row.access_token_version,
    appSecretLast4: row.app_secret_last4,
    verifyTokenLast4: row.verify_token_last4,
    status: row.status,
    tier: row.tier,
    webhookKey: row.webhook_key,
    verifiedAt: row.verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    qualityRating: row.quality_rating,
    messagingLimit: row.messaging_limit,
    metaStatus: row.meta_status,
    throughputLevel: row.throughput_level,
    nameStatus: row.name_status,
    accountEvent: row.account_event,
    healthCheckedAt: row.health_checked_at,
    healthError: row.health_error,
    pinSetAt: row.pin_set_at,
    registeredAt: row.registered_at,
    disconnectedAt: row.disconnected_at,
    accessTokenStoredAt: row.access_token_stored_at,
  };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Every connected sandbox number of every workspace (identifiers only), through sandbox_numbers (migration 0019). */
export async function listSandboxNumberIds(trx: Tx): Promise<{ workspaceId: string; numberId: string }[]> {
  const result = await sql<{ workspace_id: string; number_id: string }>`select workspace_id, number_id from sandbox_numbers()`.execute(trx);
  return result.rows.map((row) => ({ workspaceId: row.workspace_id, numberId: row.number_id }));
}

export type SandboxAccount = NumberCredentials & { displayPhoneNumber: string | null; webhookKey: string };

/** What the simulator needs to serve a sandbox number again after a restart. Never returned to a client. */
export async function loadSandboxAccount(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
): Promise<SandboxAccount | undefined> {
  const credentials = await loadNumberCredentials(trx, keyring, workspaceId, numberId);
  if (!credentials) return undefined;
  const row = await trx
    .selectFrom("numbers")
    .select(["display_phone_ciphertext", "webhook_key"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", numberId)
    .where("mode", "=", "sandbox")
    .executeTakeFirst();
  if (!row) return undefined;
  const displayPhoneNumber =
    row.display_phone_ciphertext === null
      ? null
      : await keyring.decrypt(trx, secretField(workspaceId, numberId, "display_phone"), row.display_phone_ciphertext);
  return { ...credentials, displayPhoneNumber, webhookKey: row.webhook_key };
}

/**
 * The customers of a number whose 24-hour service window is still open (they wrote after `since`),
 * with their phone numbers decrypted: the sandbox simulator is told of them after a restart, so a
 * reply Parley allows is not refused as outside the window.
 */
export async function listOpenServiceWindows(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  numberId: string,
  since: Date,
): Promise<{ phone: string; lastInboundAt: Date }[]> {
  const rows = await trx
    .selectFrom("conversations as conv")
    .innerJoin("contacts as c", (join) => join.onRef("c.workspace_id", "=", "conv.workspace_id").onRef("c.id", "=", "conv.contact_id"))
    .select(["c.id as contact_id", "c.phone_ciphertext", "c.data_key_id", "conv.last_inbound_at"])
    .where("conv.workspace_id", "=", workspaceId)
    .where("conv.number_id", "=", numberId)
    .where("conv.last_inbound_at", ">", since)
    .where("c.phone_ciphertext", "is not", null)
    .orderBy("conv.last_inbound_at", "desc")
    .limit(10_000)
    .execute();
  await keyring.preloadDataKeys(
    trx,
    workspaceId,
    rows.map((row) => row.data_key_id),
  );
  const windows: { phone: string; lastInboundAt: Date }[] = [];
  for (const row of rows) {
    if (row.phone_ciphertext === null || row.last_inbound_at === null) continue;
    const phone = await keyring.decrypt(
      trx,
      { workspaceId, table: "contacts", column: "phone", rowId: row.contact_id },
      row.phone_ciphertext,
    );
    windows.push({ phone, lastInboundAt: row.last_inbound_at });
  }
  return windows;
}

export type StoredSandboxTemplate = {
  metaTemplateId: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  parameterFormat: "POSITIONAL" | "NAMED" | null;
  components: StoredTemplateComponents | null;
};

/** The templates Parley holds for a WABA, with Meta's ids, to put back on the sandbox simulator after a restart. */
export async function listWabaTemplates(trx: Tx, keyring: Keyring, workspaceId: string, wabaId: string): Promise<StoredSandboxTemplate[]> {
  const rows = await trx
    .selectFrom("templates")
    .select(["id", "meta_template_id", "name", "language", "category", "status", "parameter_format", "components_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", wabaId)
    .where("meta_template_id", "is not", null)
    .limit(1000)
    .execute();
  const templates: StoredSandboxTemplate[] = [];
  for (const row of rows) {
    if (row.meta_template_id === null) continue;
    templates.push({
      metaTemplateId: row.meta_template_id,
      name: row.name,
      language: row.language,
      category: row.category,
      status: row.status,
      parameterFormat: row.parameter_format,
      components: await openTemplateComponents(trx, keyring, workspaceId, row.id, row.components_ciphertext),
    });
  }
  return templates;
}

/** A report about a number as stored (src/features/numbers/events.ts): clear fields, the payload sealed, the dedupe key hashed. */
export type NumberEventRow = {
  id: string;
  numberId: string;
  kind: NumberEventKind;
  code: number | null;
  title: string | null;
  detail: string | null;
  field: string | null;
  wamid: string | null;
  payloadCiphertext: string | null;
  dedupeKey: string;
  occurredAt: Date;
};

/** Inserts the event unless one with its dedupe key is already recorded for the number; whether it was new. */
export async function insertNumberEvent(trx: Tx, workspaceId: string, event: NumberEventRow): Promise<boolean> {
  const result = await trx
    .insertInto("number_events")
    .values({
      workspace_id: workspaceId,
      id: event.id,
      number_id: event.numberId,
      kind: event.kind,
      code: event.code,
      title: event.title,
      detail: event.detail,
      field: event.field,
      wamid: event.wamid,
      payload_ciphertext: event.payloadCiphertext,
      dedupe_key: event.dedupeKey,
      occurred_at: event.occurredAt,
    })
    .onConflict((oc) => oc.columns(["workspace_id", "number_id", "dedupe_key"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A number's events, newest first, at most `limit` (1–200). */
export async function listNumberEventRows(trx: Tx, workspaceId: string, numberId: string, limit: number) {
  return trx
    .selectFrom("number_events")
    .select(["id", "kind", "code", "title", "detail", "field", "wamid", "occurred_at"])
    .where("workspace_id", "=", workspaceId)
    .where("number_id", "=", numberId)
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(Math.max(limit, 1), 200))
    .execute();
}

/** How many of a number's events are errors, and how many are changes or items Parley does not apply. */
export async function countNumberEvents(trx: Tx, workspaceId: string, numberId: string): Promise<{ errors: number; unsupported: number }> {
  const counts = await trx
    .selectFrom("number_events")
    .select([
      sql<string>`count(*) filter (where kind in ('webhook_error', 'status_error', 'message_error'))`.as("errors"),
      sql<string>`count(*) filter (where kind in ('unsupported_field', 'unparsed_item'))`.as("unsupported"),
    ])
    .where("workspace_id", "=", workspaceId)
    .where("number_id", "=", numberId)
    .executeTakeFirstOrThrow();
  return { errors: Number(counts.errors), unsupported: Number(counts.unsupported) };
}
