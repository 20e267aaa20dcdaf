import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
import type {
  BroadcastAudience,
  BroadcastCounters,
  BroadcastParameters,
  BroadcastPauseReason,
  BroadcastState,
  RecipientState,
  SkipReason,
} from "./schema.ts";

// Reads and writes of broadcasts and their recipients (migration 0032). Tenant-scoped: every
// function takes the workspace id and a transaction from withWorkspace.

const BROADCAST_COLUMNS = [
  "id",
  "name",
  "template_name",
  "template_language",
  "parameters",
  "audience",
  "number_ids",
  "scheduled_at",
  "time_zone",
  "state",
  "pause_reason",
  "pause_detail",
  "waiting_until",
  "audience_resolved",
  "audience_cursor",
  "run_seq",
  "recipient_count",
  "counters",
  "created_by_user_id",
  "started_at",
  "resumed_at",
  "finished_at",
  "created_at",
  "updated_at",
] as const;

export type BroadcastRow = {
  id: string;
  name: string;
  template_name: string;
  template_language: string;
  parameters: BroadcastParameters;
  audience: BroadcastAudience;
  number_ids: string[];
  scheduled_at: Date | null;
  time_zone: string;
  state: BroadcastState;
  pause_reason: BroadcastPauseReason | null;
  pause_detail: string | null;
  waiting_until: Date | null;
  audience_resolved: boolean;
  audience_cursor: string | null;
  run_seq: number;
  recipient_count: number;
  counters: BroadcastCounters;
  created_by_user_id: string | null;
  started_at: Date | null;
  resumed_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

export async function insertBroadcast(
  trx: Tx,
  workspaceId: string,
  input: {
    id: string;
    name: string;
    templateName: string;
    templateLanguage: string;
    parameters: BroadcastParameters;
    audience: BroadcastAudience;
    numberIds: readonly string[];
    scheduledAt: Date | null;
    timeZone: string;
    createdByUserId: string | null;
  },
): Promise<BroadcastRow> {
  return await trx
    .insertInto("broadcasts")
    .values({
      workspace_id: workspaceId,
      id: input.id,
      name: input.name,
      template_name: input.templateName,
      template_language: input.templateLanguage,
      parameters: JSON.stringify(input.parameters),
      audience: JSON.stringify(input.audience),
      number_ids: [...input.numberIds],
      scheduled_at: input.scheduledAt,
      time_zone: input.timeZone,
      created_by_user_id: input.createdByUserId,
    })
    .returning(BROADCAST_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findBroadcast(trx: Tx, workspaceId: string, id: string): Promise<BroadcastRow | undefined> {
  return await trx
    .selectFrom("broadcasts")
    .select(BROADCAST_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The broadcast, its row locked until commit: state changes and run steps take turns. */
export async function lockBroadcast(trx: Tx, workspaceId: string, id: string): Promise<BroadcastRow | undefined> {
  return await trx
    .selectFrom("broadcasts")
    .select(BROADCAST_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** Newest first, keyset on (created_at, id). */
export async function listBroadcastRows(
  trx: Tx,
  workspaceId: string,
  options: { limit: number; before?: { createdAt: Date; id: string } },
): Promise<BroadcastRow[]> {
  let query = trx.selectFrom("broadcasts").select(BROADCAST_COLUMNS).where("workspace_id", "=", workspaceId);
  if (options.before) {
    query = query.where(
      sql<boolean>`(created_at, id) < (${options.before.createdAt.toISOString()}::timestamptz, ${options.before.id}::uuid)`,
    );
  }
  return await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(options.limit).execute();
}

export type BroadcastChanges = Partial<{
  state: BroadcastState;
  pause_reason: BroadcastPauseReason | null;
  pause_detail: string | null;
  waiting_until: Date | null;
  audience_resolved: boolean;
  audience_cursor: string | null;
  run_seq: number;
  recipient_count: number;
  counters: BroadcastCounters;
  scheduled_at: Date | null;
  started_at: Date | null;
  resumed_at: Date | null;
  finished_at: Date | null;
}>;

export async function updateBroadcast(trx: Tx, workspaceId: string, id: string, changes: BroadcastChanges, now: Date): Promise<void> {
  const { counters, ...rest } = changes;
  await trx
    .updateTable("broadcasts")
    .set({ ...rest, ...(counters !== undefined ? { counters: JSON.stringify(counters) } : {}), updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .execute();
}

export async function deleteDraftBroadcast(trx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const result = await trx
    .deleteFrom("broadcasts")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .where("state", "=", "draft")
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// ——— Audience ———

export type AudienceCandidate = { id: string; consent_status: string; has_phone: boolean };

/**
 * One batch of the contacts an audience filter selects (tags, number, last activity; custom fields
 * are encrypted and filtered by the caller), after `afterId` in id order: the audience is streamed,
 * never held whole. Contacts in the trash are never part of it.
 */
export async function selectAudienceBatch(
  trx: Tx,
  workspaceId: string,
  audience: BroadcastAudience,
  afterId: string | null,
  limit: number,
): Promise<AudienceCandidate[]> {
  let query = trx
    .selectFrom("contacts as c")
    .select(["c.id", "c.consent_status", sql<boolean>`c.phone_ciphertext is not null`.as("has_phone")])
    .where("c.workspace_id", "=", workspaceId)
    .where("c.deleted_at", "is", null);
  if (afterId !== null) query = query.where("c.id", ">", afterId);
  if (audience.uploadId !== undefined) {
    // An uploaded audience: the contacts its valid rows matched or created (the schema allows no filter beside it).
    query = query.where(
      sql<boolean>`exists (select 1 from broadcast_audience_rows u where u.workspace_id = c.workspace_id and u.upload_id = ${audience.uploadId}::uuid and u.contact_id = c.id)`,
    );
  }
  for (const tag of audience.tags ?? []) {
    query = query.where(
      sql<boolean>`exists (select 1 from contact_tags t where t.workspace_id = c.workspace_id and t.contact_id = c.id and t.tag = ${tag})`,
    );
  }
  if (audience.numberId !== undefined || audience.lastActivityAfter !== undefined || audience.lastActivityBefore !== undefined) {
    const conditions = [sql`v.workspace_id = c.workspace_id`, sql`v.contact_id = c.id`];
    if (audience.numberId !== undefined) conditions.push(sql`v.number_id = ${audience.numberId}::uuid`);
    if (audience.lastActivityAfter !== undefined) conditions.push(sql`v.activity_at >= ${audience.lastActivityAfter}::timestamptz`);
    if (audience.lastActivityBefore !== undefined) conditions.push(sql`v.activity_at <= ${audience.lastActivityBefore}::timestamptz`);
    query = query.where(sql<boolean>`exists (select 1 from conversations v where ${sql.join(conditions, sql` and `)})`);
  }
  const rows = await query.orderBy("c.id").limit(limit).execute();
  return rows.map((row) => ({ id: row.id, consent_status: row.consent_status, has_phone: Boolean(row.has_phone) }));
}

export type NewRecipient = { id: string; contactId: string; numberId: string; state: "pending" | "skipped"; skipReason: SkipReason | null };

/** Adds recipients; a contact already in the broadcast is left as it is. Returns how many were added. */
export async function insertRecipients(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
  rows: readonly NewRecipient[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await trx
    .insertInto("broadcast_recipients")
    .values(
      rows.map((row) => ({
        workspace_id: workspaceId,
        broadcast_id: broadcastId,
        id: row.id,
        contact_id: row.contactId,
        number_id: row.numberId,
        state: row.state,
        skip_reason: row.skipReason,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["workspace_id", "broadcast_id", "contact_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

// ——— Uploaded audiences (migration 0037) ———

export type AudienceUploadRow = {
  id: string;
  row_count: number;
  accepted_count: number;
  invalid_number_count: number;
  duplicate_count: number;
  invalid_row_count: number;
  field_keys: string[];
  created_at: Date;
};

const UPLOAD_COLUMNS = [
  "id",
  "row_count",
  "accepted_count",
  "invalid_number_count",
  "duplicate_count",
  "invalid_row_count",
  "field_keys",
  "created_at",
] as const;

export async function insertAudienceUpload(
  trx: Tx,
  workspaceId: string,
  input: Omit<AudienceUploadRow, "created_at"> & { createdByUserId: string | null },
): Promise<AudienceUploadRow> {
  const { createdByUserId, field_keys, ...counts } = input;
  return trx
    .insertInto("broadcast_audience_uploads")
    .values({ workspace_id: workspaceId, ...counts, field_keys: [...field_keys], created_by_user_id: createdByUserId })
    .returning(UPLOAD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findAudienceUpload(trx: Tx, workspaceId: string, id: string): Promise<AudienceUploadRow | undefined> {
  return trx
    .selectFrom("broadcast_audience_uploads")
    .select(UPLOAD_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export type NewAudienceRow = { contactId: string; rowNumber: number; valuesCiphertext: string | null };

export async function insertAudienceRows(trx: Tx, workspaceId: string, uploadId: string, rows: readonly NewAudienceRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto("broadcast_audience_rows")
    .values(
      rows.map((row) => ({
        workspace_id: workspaceId,
        upload_id: uploadId,
        contact_id: row.contactId,
        row_number: row.rowNumber,
        values_ciphertext: row.valuesCiphertext,
      })),
    )
    .execute();
}

/** The sealed values of these contacts' rows in an upload (at most 1,000 contacts per call). */
export async function findAudienceRowValues(
  trx: Tx,
  workspaceId: string,
  uploadId: string,
  contactIds: readonly string[],
): Promise<{ contact_id: string; values_ciphertext: string | null }[]> {
  if (contactIds.length === 0) return [];
  if (contactIds.length > 1_000) throw new RangeError("look up at most 1,000 contacts at once");
  return trx
    .selectFrom("broadcast_audience_rows")
    .select(["contact_id", "values_ciphertext"])
    .where("workspace_id", "=", workspaceId)
    .where("upload_id", "=", uploadId)
    .where("contact_id", "in", [...contactIds])
    .execute();
}

// ——— Numbers and the messaging limit ———

export type BroadcastNumber = {
  id: string;
  waba_id: string;
  phone_number_id: string;
  status: string;
  tier: number;
  quality_rating: string;
  messaging_limit: string | null;
};

export async function findBroadcastNumbers(trx: Tx, workspaceId: string, numberIds: readonly string[]): Promise<BroadcastNumber[]> {
  if (numberIds.length === 0) return [];
  return trx
    .selectFrom("numbers")
    .select(["id", "waba_id", "phone_number_id", "status", "tier", "quality_rating", "messaging_limit"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...numberIds])
    .orderBy("id")
    .execute();
}

/** The messaging limits of a portfolio's numbers (every number of the workspace in that WABA). */
export async function findPortfolioLimits(trx: Tx, workspaceId: string, wabaId: string): Promise<(string | null)[]> {
  const rows = await trx
    .selectFrom("numbers")
    .select(["messaging_limit"])
    .where("workspace_id", "=", workspaceId)
    .where("waba_id", "=", wabaId)
    .execute();
  return rows.map((row) => row.messaging_limit);
}

/**
 * Unique recipients of business-initiated (template) messages from the portfolio's numbers since
 * `since`, and when the first of them leaves the rolling window (its latest such message + 24 h).
 */
export async function countPortfolioRecipients(
  trx: Tx,
  workspaceId: string,
  wabaId: string,
  since: Date,
): Promise<{ used: number; oldestLatestAt: Date | null }> {
  const result = await sql<{ used: string; oldest: Date | string | null }>`
    select count(*) as used, min(latest) as oldest from (
      select m.contact_id, max(m.created_at) as latest
        from messages m join numbers n on n.workspace_id = m.workspace_id and n.id = m.number_id
       where m.workspace_id = ${workspaceId} and n.waba_id = ${wabaId}
         and m.direction = 'out' and m.type = 'template' and m.created_at > ${since.toISOString()}::timestamptz
       group by m.contact_id) recent`.execute(trx);
  const row = result.rows[0];
  return { used: Number(row?.used ?? 0), oldestLatestAt: row?.oldest ? new Date(row.oldest) : null };
}

// ——— Claiming and sending ———

export type ClaimedRecipient = {
  id: string;
  contact_id: string;
  attempt: number;
  consent_status: string;
  contact_deleted: boolean;
};

/**
 * Up to `limit` pending recipients of one number, locked `FOR UPDATE SKIP LOCKED` in id order: a
 * second step running at once (another worker) takes others or none, never the same ones. The
 * contact's consent is read now, so an opt-out after the audience was resolved is honoured.
 */
export async function claimPendingRecipients(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
  numberId: string,
  limit: number,
): Promise<ClaimedRecipient[]> {
  if (limit <= 0) return [];
  const result = await sql<{ id: string; contact_id: string; attempt: number; consent_status: string; contact_deleted: boolean }>`
    select r.id, r.contact_id, r.attempt, c.consent_status, (c.deleted_at is not null) as contact_deleted
      from broadcast_recipients r
      join contacts c on c.workspace_id = r.workspace_id and c.id = r.contact_id
     where r.workspace_id = ${workspaceId} and r.broadcast_id = ${broadcastId} and r.number_id = ${numberId}
       and r.state = 'pending'
     order by r.id
     limit ${limit}
       for update of r skip locked`.execute(trx);
  return result.rows;
}

/** Claimed recipients whose message was queued: `sending`, with the message of this attempt. */
export async function markRecipientsQueued(
  trx: Tx,
  workspaceId: string,
  items: readonly { id: string; messageId: string }[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await sql`
    update broadcast_recipients r
       set state = 'sending', message_id = v.message_id, queued_at = ${now.toISOString()}::timestamptz,
           updated_at = ${now.toISOString()}::timestamptz, error_code = null, skip_reason = null
      from (select unnest(${items.map((item) => item.id)}::uuid[]) as id, unnest(${items.map((item) => item.messageId)}::uuid[]) as message_id) v
     where r.workspace_id = ${workspaceId} and r.id = v.id and r.state = 'pending'`.execute(trx);
}

export async function skipRecipients(trx: Tx, workspaceId: string, ids: readonly string[], reason: SkipReason, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable("broadcast_recipients")
    .set({ state: "skipped", skip_reason: reason, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...ids])
    .where("state", "=", "pending")
    .execute();
}

/** Every pending recipient of a cancelled broadcast is skipped (`cancelled`). */
export async function skipAllPending(trx: Tx, workspaceId: string, broadcastId: string, reason: SkipReason, now: Date): Promise<number> {
  const result = await trx
    .updateTable("broadcast_recipients")
    .set({ state: "skipped", skip_reason: reason, updated_at: now })
    .where("workspace_id", "=", workspaceId)
    .where("broadcast_id", "=", broadcastId)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ——— Statuses ———

// A message's status as the recipient's state; the recipient moves only up (never out of failed).
// `unknown` (the answer was lost; the status webhook settles it) has left Parley: `accepted`.
const MIRROR = sql`case m.status
      when 'queued' then 'sending' when 'sending' then 'sending'
      when 'accepted' then 'accepted' when 'held' then 'accepted' when 'unknown' then 'accepted'
      when 'sent' then 'sent' when 'delivered' then 'delivered' when 'read' then 'read' when 'played' then 'read'
      when 'failed' then 'failed' else r.state end`;
const RANK_OF = (column: string) =>
  sql`(case ${sql.raw(column)} when 'pending' then 0 when 'sending' then 1 when 'accepted' then 2 when 'sent' then 3
        when 'delivered' then 4 when 'read' then 5 else 9 end)`;

function mirrorStatement(workspaceId: string, scope: ReturnType<typeof sql>, now: Date) {
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`
    with source as (
      select r.id, ${MIRROR} as state, m.error_code, m.status_at
        from broadcast_recipients r
        join messages m on m.workspace_id = r.workspace_id and m.id = r.message_id
       where r.workspace_id = ${workspaceId} and r.state in ('sending', 'accepted', 'sent', 'delivered') and ${scope}
       order by r.id
         for update of r)
    update broadcast_recipients r
       set state = source.state,
           error_code = case when source.state = 'failed' then source.error_code else r.error_code end,
           sent_at = case when source.state in ('sent', 'delivered', 'read') then coalesce(r.sent_at, source.status_at, ${at}) else r.sent_at end,
           delivered_at = case when source.state in ('delivered', 'read') then coalesce(r.delivered_at, source.status_at, ${at}) else r.delivered_at end,
           read_at = case when source.state = 'read' then coalesce(r.read_at, source.status_at, ${at}) else r.read_at end,
           failed_at = case when source.state = 'failed' then ${at} else r.failed_at end,
           updated_at = ${at}
      from source
     where r.workspace_id = ${workspaceId} and r.id = source.id and ${RANK_OF("source.state")} > ${RANK_OF("r.state")}`;
}

/** Brings a broadcast's recipients in flight up to their messages' statuses; how many moved. */
export async function mirrorBroadcastStatuses(trx: Tx, workspaceId: string, broadcastId: string, now: Date): Promise<number> {
  const result = await mirrorStatement(workspaceId, sql`r.broadcast_id = ${broadcastId}::uuid`, now).execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** The same for the recipients whose messages these status webhooks were about (the inbound path). */
export async function mirrorStatusesOfWamids(trx: Tx, workspaceId: string, wamids: readonly string[], now: Date): Promise<void> {
  if (wamids.length === 0) return;
  await mirrorStatement(workspaceId, sql`m.wamid = any(${[...wamids]}::text[])`, now).execute(trx);
}

// ——— Counts and reports ———

export async function countRecipientsByState(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
): Promise<{ state: RecipientState; number_id: string; count: number }[]> {
  const rows = await trx
    .selectFrom("broadcast_recipients")
    .select(["state", "number_id", sql<string>`count(*)`.as("count")])
    .where("workspace_id", "=", workspaceId)
    .where("broadcast_id", "=", broadcastId)
    .groupBy(["state", "number_id"])
    .execute();
  return rows.map((row) => ({ state: row.state, number_id: row.number_id, count: Number(row.count) }));
}

/** Failures with these codes since `since`, and the messages handed over since then. */
export async function countBurst(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
  codes: readonly number[],
  since: Date,
): Promise<{ failures: number; queued: number }> {
  const result = await sql<{ failures: string; queued: string }>`
    select count(*) filter (where state = 'failed' and error_code = any(${[...codes]}::int[]) and failed_at >= ${since.toISOString()}::timestamptz) as failures,
           count(*) filter (where queued_at >= ${since.toISOString()}::timestamptz) as queued
      from broadcast_recipients
     where workspace_id = ${workspaceId} and broadcast_id = ${broadcastId}`.execute(trx);
  const row = result.rows[0];
  return { failures: Number(row?.failures ?? 0), queued: Number(row?.queued ?? 0) };
}

export async function countFailuresByCode(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
): Promise<{ code: number | null; count: number }[]> {
  const rows = await trx
    .selectFrom("broadcast_recipients")
    .select(["error_code", sql<string>`count(*)`.as("count")])
    .where("workspace_id", "=", workspaceId)
    .where("broadcast_id", "=", broadcastId)
    .where("state", "=", "failed")
    .groupBy("error_code")
    .orderBy(sql`count(*)`, "desc")
    .execute();
  return rows.map((row) => ({ code: row.error_code, count: Number(row.count) }));
}

export async function countSkipsByReason(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
): Promise<{ reason: SkipReason | null; count: number }[]> {
  const rows = await trx
    .selectFrom("broadcast_recipients")
    .select(["skip_reason", sql<string>`count(*)`.as("count")])
    .where("workspace_id", "=", workspaceId)
    .where("broadcast_id", "=", broadcastId)
    .where("state", "=", "skipped")
    .groupBy("skip_reason")
    .execute();
  return rows.map((row) => ({ reason: row.skip_reason, count: Number(row.count) }));
}

/** Recipients who wrote back on the broadcast's number after their message was queued. */
export async function countReplies(trx: Tx, workspaceId: string, broadcastId: string): Promise<number> {
  const result = await sql<{ count: string }>`
    select count(*) as count from broadcast_recipients r
     where r.workspace_id = ${workspaceId} and r.broadcast_id = ${broadcastId} and r.queued_at is not null
       and exists (select 1 from messages m
                    where m.workspace_id = r.workspace_id and m.contact_id = r.contact_id and m.number_id = r.number_id
                      and m.direction = 'in' and m.occurred_at >= r.queued_at)`.execute(trx);
  return Number(result.rows[0]?.count ?? 0);
}

/** Failed recipients with one of these codes (or none: no answer) go back to pending for another attempt. */
export async function requeueFailed(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
  codes: readonly number[],
  now: Date,
): Promise<number> {
  const result = await sql`
    update broadcast_recipients
       set state = 'pending', attempt = attempt + 1, error_code = null, failed_at = null, message_id = null, updated_at = ${now.toISOString()}::timestamptz
     where workspace_id = ${workspaceId} and broadcast_id = ${broadcastId} and state = 'failed'
       and (error_code is null or error_code = any(${[...codes]}::int[]))`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

export type OutcomeRow = {
  id: string;
  contact_id: string;
  number_id: string;
  state: RecipientState;
  skip_reason: SkipReason | null;
  error_code: number | null;
  queued_at: Date | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  phone_ciphertext: string | null;
};

/** One page of outcomes in id order, with the contact's sealed phone (null once the contact was erased). */
export async function listOutcomes(
  trx: Tx,
  workspaceId: string,
  broadcastId: string,
  afterId: string | null,
  limit: number,
): Promise<OutcomeRow[]> {
  let query = trx
    .selectFrom("broadcast_recipients as r")
    .innerJoin("contacts as c", (join) => join.onRef("c.workspace_id", "=", "r.workspace_id").onRef("c.id", "=", "r.contact_id"))
    .select([
      "r.id",
      "r.contact_id",
      "r.number_id",
      "r.state",
      "r.skip_reason",
      "r.error_code",
      "r.queued_at",
      "r.sent_at",
      "r.delivered_at",
      "r.read_at",
      "r.failed_at",
      "c.phone_ciphertext",
    ])
    .where("r.workspace_id", "=", workspaceId)
    .where("r.broadcast_id", "=", broadcastId);
  if (afterId !== null) query = query.where("r.id", ">", afterId);
  return query.orderBy("r.id").limit(limit).execute();
}
