import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/database.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { withRealtime } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import { describeGraphError } from "../../whatsapp/send/outcomes.ts";
import { formatCsvRow } from "../contacts/csv.ts";
import { checkTemplateSend } from "../templates/catalogue.ts";
import { requireAudienceUpload } from "./audience-upload.ts";
import {
  countFailuresByCode,
  countRecipientsByState,
  countReplies,
  countSkipsByReason,
  deleteDraftBroadcast,
  findBroadcast,
  findBroadcastNumbers,
  insertBroadcast,
  listBroadcastRows,
  listOutcomes,
  lockBroadcast,
  requeueFailed,
  selectAudienceBatch,
  skipAllPending,
  updateBroadcast,
  type BroadcastRow,
} from "./repository.ts";
import {
  AUDIENCE_BATCH,
  classifyConsent,
  describePause,
  enqueueRun,
  filterByCustomFields,
  noteLiveProgress,
  portfolioQuota,
  recordProgress,
  sumCounts,
  type Counts,
} from "./runner.ts";
import { RETRYABLE_ERROR_CODES, type BroadcastAudience, type BroadcastParameters, type BroadcastState, type SkipReason } from "./schema.ts";

// Broadcasts: Owners and Admins (broadcasts.manage) create one from an audience filter, an approved
// template with a parameter mapping and one or several numbers, then send it now or at a local
// time in a time zone; pause, resume, cancel, retry the failures that may succeed, read the report
// and export the outcomes. Every state change is audited (ids only) and reported as
// broadcast.progress. The sending itself is the runner's (./runner.ts).

export type BroadcastInput = {
  name: string;
  template: { name: string; language: string };
  parameters: BroadcastParameters;
  audience: BroadcastAudience;
  numberIds: string[];
  /** A local date-time (YYYY-MM-DDTHH:MM) in `timeZone`; absent to send when started. */
  scheduledAt?: string | undefined;
  timeZone: string;
};

export type BroadcastView = {
  id: string;
  name: string;
  template: { name: string; language: string };
  parameters: BroadcastParameters;
  audience: BroadcastAudience;
  numberIds: string[];
  scheduledAt: Date | null;
  timeZone: string;
  state: BroadcastState;
  pauseReason: BroadcastRow["pause_reason"];
  /** Why it is paused or waiting, in words. */
  statusText: string | null;
  waitingUntil: Date | null;
  audienceResolved: boolean;
  counts: Counts;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The UTC instant of a local wall-clock time in an IANA zone (the later one of a repeated hour). */
export function zonedTimeToUtc(local: string, zone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) throw new RangeError("not a local date-time");
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (instant: number): number => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute")) - instant;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess);
}

function formatLocal(at: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

function present(row: BroadcastRow, counts: Counts): BroadcastView {
  const waiting =
    row.state === "running" && row.waiting_until !== null
      ? `Waiting for the messaging limit until ${formatLocal(row.waiting_until, row.time_zone)} (${row.time_zone}): the portfolio has reached its number of customers per 24 hours.`
      : null;
  return {
    id: row.id,
    name: row.name,
    template: { name: row.template_name, language: row.template_language },
    parameters: row.parameters,
    audience: row.audience,
    numberIds: row.number_ids,
    scheduledAt: row.scheduled_at,
    timeZone: row.time_zone,
    state: row.state,
    pauseReason: row.pause_reason,
    statusText: row.state === "paused" ? describePause(row.pause_reason, row.pause_detail) : waiting,
    waitingUntil: row.state === "running" ? row.waiting_until : null,
    audienceResolved: row.audience_resolved,
    counts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

async function countsOf(trx: Tx, workspaceId: string, id: string): Promise<Counts> {
  return sumCounts(await countRecipientsByState(trx, workspaceId, id));
}

function notFound(): AppError {
  return new AppError("NOT_FOUND", "The broadcast does not exist.");
}

function wrongState(action: string, state: BroadcastState): AppError {
  return new AppError("CONFLICT", `A ${state} broadcast cannot be ${action}.`, { details: { reason: "broadcast_state", state } });
}

/** The numbers must be the workspace's and able to send, and the template approved on each with as many body parameters as mapped. */
async function checkSendable(
  trx: Tx,
  keyring: Keyring,
  workspaceId: string,
  input: Pick<BroadcastInput, "numberIds" | "template" | "parameters">,
): Promise<void> {
  const numbers = await findBroadcastNumbers(trx, workspaceId, input.numberIds);
  if (numbers.length !== new Set(input.numberIds).size) throw new AppError("NOT_FOUND", "A number of this broadcast does not exist.");
  for (const number of numbers) {
    if (number.status !== "active") {
      throw new AppError("UNPROCESSABLE", "A number of this broadcast is disconnected or its access token is invalid.", {
        details: { reason: "number_unavailable" },
      });
    }
    await checkTemplateSend(trx, keyring, workspaceId, number.id, {
      name: input.template.name,
      language: input.template.language,
      ...(input.parameters.length > 0
        ? // Stand-in values: only the count is checked here; each recipient's values are filled at send time.
          { components: [{ type: "body", parameters: input.parameters.map(() => ({ type: "text", text: "-" })) }] }
        : {}),
    });
  }
}

export async function createBroadcast(services: Services, caller: Caller, input: BroadcastInput, now = new Date()): Promise<BroadcastView> {
  if (!isValidTimeZone(input.timeZone)) {
    throw new AppError("VALIDATION_FAILED", "The time zone is not a known IANA time zone (such as Europe/Berlin).", {
      details: [{ path: ["body", "timeZone"], message: "unknown time zone" }],
    });
  }
  const scheduledAt = input.scheduledAt === undefined ? null : zonedTimeToUtc(input.scheduledAt, input.timeZone);
  if (scheduledAt !== null && scheduledAt.getTime() < now.getTime() - 60_000) {
    throw new AppError("UNPROCESSABLE", "The scheduled time is in the past.", { details: { reason: "schedule_in_past" } });
  }
  return asCaller(services, caller, async (trx) => {
    await checkSendable(trx, services.keyring, caller.workspaceId, input);
    if (input.audience.uploadId !== undefined) await requireAudienceUpload(trx, caller.workspaceId, input.audience.uploadId);
    const row = await insertBroadcast(trx, caller.workspaceId, {
      id: randomUUID(),
      name: input.name,
      templateName: input.template.name,
      templateLanguage: input.template.language,
      parameters: input.parameters,
      audience: input.audience,
      numberIds: [...new Set(input.numberIds)],
      scheduledAt,
      timeZone: input.timeZone,
      createdByUserId: caller.audit.type === "user" ? caller.userId : null,
    });
    await recordCallerAudit(trx, caller, { action: "broadcast.created", target: { type: "broadcast", id: row.id } });
    return present(row, sumCounts([]));
  });
}

export async function listBroadcasts(services: Services, caller: Caller, limit: number): Promise<BroadcastView[]> {
  return asCaller(services, caller, async (trx) => {
    const rows = await listBroadcastRows(trx, caller.workspaceId, { limit });
    const views: BroadcastView[] = [];
    for (const row of rows) views.push(present(row, await countsOf(trx, caller.workspaceId, row.id)));
    return views;
  });
}

export async function getBroadcast(services: Services, caller: Caller, id: string): Promise<BroadcastView> {
  return asCaller(services, caller, async (trx) => {
    const row = await findBroadcast(trx, caller.workspaceId, id);
    if (!row) throw notFound();
    return present(row, await countsOf(trx, caller.workspaceId, id));
  });
}

export async function deleteBroadcast(services: Services, caller: Caller, id: string): Promise<void> {
  await asCaller(services, caller, async (trx) => {
    const row = await findBroadcast(trx, caller.workspaceId, id);
    if (!row) throw notFound();
    if (!(await deleteDraftBroadcast(trx, caller.workspaceId, id))) throw wrongState("deleted", row.state);
    await recordCallerAudit(trx, caller, { action: "broadcast.deleted", target: { type: "broadcast", id } });
  });
}

export type AudienceEstimate = {
  /** Contacts the filter selects. */
  matched: number;
  /** Those who would be sent to now. */
  eligible: number;
  excluded: {
    noConsent: number;
    optedOut: number;
    invalidNumber: number;
    duplicate: number;
    /** Rows of an uploaded audience with another problem (a bad name or field, a contact in the trash). */
    invalidRow: number;
    outsideMessagingLimit: number;
  };
  /** Unique customers the portfolios may still reach in the current 24 hours (null: unlimited). */
  remainingQuota: number | null;
};

/** Counts the audience by streaming it in batches (short transactions), never holding it whole. */
export async function estimateAudience(
  services: Services,
  caller: Caller,
  input: { audience: BroadcastAudience; numberIds: string[] },
  now = new Date(),
): Promise<AudienceEstimate> {
  const estimate: AudienceEstimate = {
    matched: 0,
    eligible: 0,
    excluded: { noConsent: 0, optedOut: 0, invalidNumber: 0, duplicate: 0, invalidRow: 0, outsideMessagingLimit: 0 },
    remainingQuota: null,
  };
  const uploadId = input.audience.uploadId;
  if (uploadId !== undefined) {
    // The rows the upload excluded count as matched: the file named them.
    const upload = await asCaller(services, caller, (trx) => requireAudienceUpload(trx, caller.workspaceId, uploadId));
    estimate.matched += upload.invalid_number_count + upload.duplicate_count + upload.invalid_row_count;
    estimate.excluded.invalidNumber += upload.invalid_number_count;
    estimate.excluded.duplicate += upload.duplicate_count;
    estimate.excluded.invalidRow += upload.invalid_row_count;
  }
  let cursor: string | null = null;
  for (;;) {
    const batch = await asCaller(services, caller, async (trx) => {
      const candidates = await selectAudienceBatch(trx, caller.workspaceId, input.audience, cursor, AUDIENCE_BATCH);
      return { candidates, selected: await filterByCustomFields(services, trx, caller.workspaceId, input.audience, candidates) };
    });
    for (const candidate of batch.selected) {
      estimate.matched += 1;
      const { skipReason } = classifyConsent(candidate.consent_status);
      if (skipReason === "opted_out") estimate.excluded.optedOut += 1;
      else if (skipReason === "no_consent") estimate.excluded.noConsent += 1;
      else if (!candidate.has_phone) estimate.excluded.invalidNumber += 1;
      else estimate.eligible += 1;
    }
    cursor = batch.candidates.at(-1)?.id ?? cursor;
    if (batch.candidates.length < AUDIENCE_BATCH) break;
  }
  const remaining = await asCaller(services, caller, async (trx) => {
    const numbers = await findBroadcastNumbers(trx, caller.workspaceId, input.numberIds);
    if (numbers.length !== new Set(input.numberIds).size) throw new AppError("NOT_FOUND", "A number of this broadcast does not exist.");
    let total = 0;
    for (const wabaId of new Set(numbers.map((number) => number.waba_id))) {
      total += (await portfolioQuota(trx, caller.workspaceId, wabaId, now)).remaining;
    }
    return total;
  });
  estimate.remainingQuota = Number.isFinite(remaining) ? remaining : null;
  if (Number.isFinite(remaining) && estimate.eligible > remaining) {
    estimate.excluded.outsideMessagingLimit = estimate.eligible - remaining;
  }
  return estimate;
}

/** Changes the broadcast's state under its row lock; audits and reports the change. */
async function transition(
  services: Services,
  caller: Caller,
  id: string,
  decide: (
    row: BroadcastRow,
    trx: Tx,
    now: Date,
  ) => Promise<{
    action: "broadcast.started" | "broadcast.paused" | "broadcast.resumed" | "broadcast.cancelled" | "broadcast.retried";
    state: BroadcastState;
    run: boolean;
    metadata?: Record<string, number>;
  }>,
): Promise<BroadcastView> {
  return withRealtime(services, caller.workspaceId, () =>
    asCaller(services, caller, async (trx) => {
      const now = new Date();
      const row = await lockBroadcast(trx, caller.workspaceId, id);
      if (!row) throw notFound();
      const change = await decide(row, trx, now);
      const seq = change.run ? row.run_seq + 1 : row.run_seq;
      await updateBroadcast(trx, caller.workspaceId, id, { run_seq: seq }, now);
      if (change.run)
        await enqueueRun(trx, caller.workspaceId, id, seq, change.state === "scheduled" && row.scheduled_at ? row.scheduled_at : now);
      await recordCallerAudit(trx, caller, {
        action: change.action,
        target: { type: "broadcast", id },
        ...(change.metadata ? { metadata: change.metadata } : {}),
      });
      const updated = (await findBroadcast(trx, caller.workspaceId, id))!;
      const counts = await countsOf(trx, caller.workspaceId, id);
      await recordProgress(trx, caller.workspaceId, updated, counts, now);
      noteLiveProgress(updated, counts);
      return present(updated, counts);
    }),
  );
}

/** Sends now, or at its scheduled time. */
export function startBroadcast(services: Services, caller: Caller, id: string): Promise<BroadcastView> {
  return transition(services, caller, id, async (row, trx, now) => {
    if (row.state !== "draft") throw wrongState("started", row.state);
    await checkSendable(trx, services.keyring, caller.workspaceId, {
      numberIds: row.number_ids,
      template: { name: row.template_name, language: row.template_language },
      parameters: row.parameters,
    });
    const scheduled = row.scheduled_at !== null && row.scheduled_at > now;
    await updateBroadcast(trx, caller.workspaceId, id, scheduled ? { state: "scheduled" } : { state: "running", started_at: now }, now);
    return { action: "broadcast.started", state: scheduled ? "scheduled" : "running", run: true };
  });
}

export function pauseBroadcast(services: Services, caller: Caller, id: string): Promise<BroadcastView> {
  return transition(services, caller, id, async (row, trx, now) => {
    if (row.state !== "running" && row.state !== "scheduled") throw wrongState("paused", row.state);
    await updateBroadcast(
      trx,
      caller.workspaceId,
      id,
      { state: "paused", pause_reason: "manual", pause_detail: null, waiting_until: null },
      now,
    );
    // The current chain ends at its next step, which finds the broadcast paused.
    return { action: "broadcast.paused", state: "paused", run: false };
  });
}

export function resumeBroadcast(services: Services, caller: Caller, id: string): Promise<BroadcastView> {
  return transition(services, caller, id, async (row, trx, now) => {
    if (row.state !== "paused") throw wrongState("resumed", row.state);
    await updateBroadcast(
      trx,
      caller.workspaceId,
      id,
      { state: "running", pause_reason: null, pause_detail: null, resumed_at: now, started_at: row.started_at ?? now },
      now,
    );
    return { action: "broadcast.resumed", state: "running", run: true };
  });
}

export function cancelBroadcast(services: Services, caller: Caller, id: string): Promise<BroadcastView> {
  return transition(services, caller, id, async (row, trx, now) => {
    if (row.state === "cancelled" || row.state === "completed") throw wrongState("cancelled", row.state);
    const skipped = await skipAllPending(trx, caller.workspaceId, id, "cancelled", now);
    await updateBroadcast(trx, caller.workspaceId, id, { state: "cancelled", waiting_until: null, finished_at: now }, now);
    return { action: "broadcast.cancelled", state: "cancelled", run: false, metadata: { skipped } };
  });
}

/** Failed recipients with a code worth retrying go back to pending; a finished broadcast runs again for them. */
export function retryFailedRecipients(services: Services, caller: Caller, id: string): Promise<BroadcastView> {
  return transition(services, caller, id, async (row, trx, now) => {
    if (row.state === "draft" || row.state === "cancelled" || row.state === "scheduled") throw wrongState("retried", row.state);
    const requeued = await requeueFailed(trx, caller.workspaceId, id, RETRYABLE_ERROR_CODES, now);
    if (requeued === 0) {
      throw new AppError(
        "UNPROCESSABLE",
        "No failed recipient has an error worth retrying (limits, Meta's transient errors or no answer).",
        {
          details: { reason: "nothing_to_retry" },
        },
      );
    }
    const restart = row.state === "completed";
    if (restart) await updateBroadcast(trx, caller.workspaceId, id, { state: "running", finished_at: null }, now);
    return {
      action: "broadcast.retried",
      state: restart ? "running" : row.state,
      run: restart || row.state === "running",
      metadata: { requeued },
    };
  });
}

const SKIP_WORDS: Record<SkipReason, string> = {
  no_consent: "The contact never opted in to marketing messages.",
  opted_out: "The contact opted out of marketing messages.",
  contact_deleted: "The contact was deleted or erased.",
  cancelled: "The broadcast was cancelled before this contact's turn.",
  number_unavailable: "The number could not send.",
  refused: "Parley refused the send (number, template or conversation).",
};

export type BroadcastReport = {
  counts: Counts;
  /** Reached WhatsApp, delivered, read, replied. */
  funnel: { targeted: number; handedOver: number; sent: number; delivered: number; read: number; replied: number };
  failures: { code: number | null; count: number; description: string; retryable: boolean }[];
  skips: { reason: SkipReason | null; count: number; description: string }[];
};

export async function reportBroadcast(services: Services, caller: Caller, id: string): Promise<BroadcastReport> {
  return asCaller(services, caller, async (trx) => {
    const row = await findBroadcast(trx, caller.workspaceId, id);
    if (!row) throw notFound();
    const counts = await countsOf(trx, caller.workspaceId, id);
    const replied = await countReplies(trx, caller.workspaceId, id);
    const failures = await countFailuresByCode(trx, caller.workspaceId, id);
    const skips = await countSkipsByReason(trx, caller.workspaceId, id);
    const sent = counts.sent + counts.delivered + counts.read;
    return {
      counts,
      funnel: {
        targeted: counts.total - counts.skipped,
        handedOver: counts.accepted + sent + counts.failed,
        sent,
        delivered: counts.delivered + counts.read,
        read: counts.read,
        replied,
      },
      failures: failures.map((failure) => ({
        ...failure,
        description: failure.code === null ? "No answer from WhatsApp." : describeGraphError(failure.code),
        retryable: failure.code === null || (RETRYABLE_ERROR_CODES as readonly number[]).includes(failure.code),
      })),
      skips: skips.map((skip) => ({ ...skip, description: skip.reason ? SKIP_WORDS[skip.reason] : "Skipped." })),
    };
  });
}

export const OUTCOME_COLUMNS = [
  "phone",
  "state",
  "reason",
  "error_code",
  "error",
  "queued_at",
  "sent_at",
  "delivered_at",
  "read_at",
  "failed_at",
] as const;
const OUTCOME_PAGE = 500;

/** The outcomes as CSV chunks (formula-safe cells), read page by page; audited with the count before the first byte leaves. */
export async function exportOutcomes(services: Services, caller: Caller, id: string): Promise<{ filename: string; chunks: string[] }> {
  const row = await asCaller(services, caller, (trx) => findBroadcast(trx, caller.workspaceId, id));
  if (!row) throw notFound();
  const chunks = [formatCsvRow(OUTCOME_COLUMNS)];
  let cursor: string | null = null;
  let rows = 0;
  for (;;) {
    const page = await asCaller(services, caller, async (trx) => {
      const outcomes = await listOutcomes(trx, caller.workspaceId, id, cursor, OUTCOME_PAGE);
      const lines: string[] = [];
      for (const outcome of outcomes) {
        const phone =
          outcome.phone_ciphertext === null
            ? null
            : await services.keyring.decrypt(
                trx,
                { workspaceId: caller.workspaceId, table: "contacts", column: "phone", rowId: outcome.contact_id },
                outcome.phone_ciphertext,
              );
        lines.push(
          formatCsvRow([
            phone,
            outcome.state,
            outcome.skip_reason,
            outcome.error_code,
            outcome.error_code === null ? null : describeGraphError(outcome.error_code),
            outcome.queued_at?.toISOString() ?? null,
            outcome.sent_at?.toISOString() ?? null,
            outcome.delivered_at?.toISOString() ?? null,
            outcome.read_at?.toISOString() ?? null,
            outcome.failed_at?.toISOString() ?? null,
          ]),
        );
      }
      return { outcomes, text: lines.join("") };
    });
    chunks.push(page.text);
    rows += page.outcomes.length;
    cursor = page.outcomes.at(-1)?.id ?? cursor;
    if (page.outcomes.length < OUTCOME_PAGE) break;
  }
  await asCaller(services, caller, (trx) =>
    recordCallerAudit(trx, caller, { action: "broadcast.exported", target: { type: "broadcast", id }, metadata: { rows } }),
  );
  return { filename: `broadcast-${id}.csv`, chunks };
}
