import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../../audit/record.ts";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { defineJob, enqueueJob, type JobHandler } from "../../jobs/definition.ts";
import { noteRealtimeEvent, withRealtime } from "../../realtime/events.ts";
import type { JobDependencies, Services } from "../../services.ts";
import { describeGraphError } from "../../whatsapp/send/outcomes.ts";
import { findContactProfilesByIds, type ContactProfile } from "../contacts/repository.ts";
import { openConversation } from "../conversations/repository.ts";
import { queueMessage } from "../messages/service.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";
import { withUploadedValues } from "./audience-upload.ts";
import {
  claimPendingRecipients,
  countBurst,
  countPortfolioRecipients,
  countRecipientsByState,
  findBroadcastNumbers,
  findPortfolioLimits,
  insertRecipients,
  lockBroadcast,
  markRecipientsQueued,
  mirrorBroadcastStatuses,
  selectAudienceBatch,
  skipRecipients,
  updateBroadcast,
  type AudienceCandidate,
  type BroadcastChanges,
  type BroadcastNumber,
  type BroadcastRow,
  type NewRecipient,
} from "./repository.ts";
import {
  BURST_ERROR_CODES,
  BURST_MIN_FAILURES,
  BURST_MIN_SHARE,
  BURST_WINDOW_MS,
  messagingLimitOf,
  RECIPIENT_STATES,
  type BroadcastAudience,
  type BroadcastParameters,
  type BroadcastPauseReason,
  type BroadcastState,
  type RecipientState,
  type SkipReason,
} from "./schema.ts";

// The broadcast runner: one chain of `broadcasts.run` jobs per running broadcast, each a step in
// one transaction with the broadcast row locked. A step resolves the next batch of the audience,
// or mirrors message statuses onto recipients, applies the quality guard, and claims the next
// recipients (FOR UPDATE SKIP LOCKED) within the number's throughput and the portfolio's
// messaging limit. Each claimed recipient's message is queued through the send pipeline
// (queueMessage: the message row and its whatsapp.send job) in the same transaction that marks it
// `sending`, with an id derived from broadcast, recipient and attempt: a crash before the commit
// leaves the recipient pending and nothing queued; after it, the send pipeline's exactly-once
// (claim before Graph, reconciliation of lost answers by the status webhook) takes over.
// The chain is one: the broadcast carries `run_seq`, a job whose number is not the current one
// (a chain replaced by resume or start) ends without doing anything.

export const RUN_QUEUE = "broadcasts.run";
/** Contacts read per audience step. */
export const AUDIENCE_BATCH = 500;
/** Audience batches resolved per step. */
export const AUDIENCE_BATCHES_PER_STEP = 10;
/**
 * Recipients claimed per number and step, at most: 200, or one step's worth of the number's
 * throughput when that is more (a 1,000 msg/s number needs 1,000 per 1 s step), up to the 1,000
 * contacts a profile lookup takes at once.
 */
export const CLAIM_BATCH = 200;
const CLAIM_BATCH_MAX = 1_000;
const DAY_MS = 24 * 60 * 60_000;
const PROGRESS_EVERY_MS = 10_000;
/**
 * The dashboard's live event (broadcast.progress) at most this often per broadcast, state changes
 * aside: a step runs every second while sending (back to back while the audience resolves), and a
 * 1,000 msg/s campaign must not flood the event stream.
 */
export const LIVE_PROGRESS_EVERY_MS = 500;

const runPayload = z.object({ workspaceId: z.uuid(), broadcastId: z.uuid(), seq: z.number().int().min(0) });
export type RunPayload = z.infer<typeof runPayload>;

export type RunnerOptions = {
  /** Between steps while sending (default 1 s). */
  stepMs?: number;
  now?: () => Date;
  /** Test seam: runs after a step queued its messages and before it commits (crash injection). */
  afterClaim?: (broadcastId: string, queued: number) => Promise<void>;
};

export const runBroadcastJob = defineJob({
  queue: RUN_QUEUE,
  payload: runPayload,
  retry: { maxAttempts: 20 },
  createHandler: ({ services }: JobDependencies) => createBroadcastRunner(services, {}),
});

/** The message id of a recipient's attempt: the same inputs always give the same id. */
export function recipientMessageId(broadcastId: string, recipientId: string, attempt: number): string {
  const bytes = createHash("sha256").update(`parley:broadcast:${broadcastId}:${recipientId}:${attempt}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Enqueues the next step of the broadcast's one chain (the caller has set run_seq to `seq`). */
export async function enqueueRun(trx: Tx, workspaceId: string, broadcastId: string, seq: number, runAt?: Date): Promise<void> {
  await enqueueJob(trx, runBroadcastJob, { workspaceId, broadcastId, seq }, runAt ? { runAt } : {});
}

export type Counts = Record<RecipientState, number> & { total: number };

export function emptyCounts(): Counts {
  const counts = { total: 0 } as Counts;
  for (const state of RECIPIENT_STATES) counts[state] = 0;
  return counts;
}

export function sumCounts(rows: readonly { state: RecipientState; count: number }[]): Counts {
  const counts = emptyCounts();
  for (const row of rows) {
    counts[row.state] += row.count;
    counts.total += row.count;
  }
  return counts;
}

/** The pause reason in words. */
export function describePause(reason: BroadcastPauseReason | null, detail: string | null): string | null {
  if (reason === null) return null;
  if (detail) return detail;
  return reason === "manual" ? "Paused by a member." : "Paused.";
}

/** Records broadcast.progress (ids and counts only). */
export async function recordProgress(
  trx: Tx,
  workspaceId: string,
  broadcast: { id: string; state: BroadcastState; pause_reason: BroadcastPauseReason | null },
  counts: Counts,
  now: Date,
): Promise<void> {
  const { total, pending, sending, accepted, sent, delivered, read, failed, skipped } = counts;
  await recordWebhookEvent(
    trx,
    workspaceId,
    {
      type: "broadcast.progress",
      data: {
        workspaceId,
        broadcastId: broadcast.id,
        state: broadcast.state,
        pauseReason: broadcast.pause_reason,
        counts: { total, pending, sending, accepted, sent, delivered, read, failed, skipped },
        at: now.toISOString(),
      },
    },
    { occurredAt: now, now },
  );
}

/** Notes broadcast.progress for the dashboard (ids, state and counts only), published after the commit by withRealtime. */
export function noteLiveProgress(
  broadcast: { id: string; state: BroadcastState; pause_reason: BroadcastPauseReason | null },
  counts: Counts,
): void {
  const { total, pending, sending, accepted, sent, delivered, read, failed, skipped } = counts;
  noteRealtimeEvent({
    type: "broadcast.progress",
    data: {
      broadcastId: broadcast.id,
      state: broadcast.state,
      pauseReason: broadcast.pause_reason,
      counts: { total, pending, sending, accepted, sent, delivered, read, failed, skipped },
    },
  });
}

/** What the live event says, to tell whether a step changed anything a dashboard shows. */
function liveKeyOf(state: BroadcastState, pauseReason: BroadcastPauseReason | null, counts: Counts): string {
  return [state, pauseReason ?? "", ...RECIPIENT_STATES.map((name) => counts[name])].join(":");
}

/** The contacts of one audience batch that pass the custom-field filter (decrypted here, never stored). */
export async function filterByCustomFields(
  services: Services,
  trx: Tx,
  workspaceId: string,
  audience: BroadcastAudience,
  candidates: readonly AudienceCandidate[],
): Promise<AudienceCandidate[]> {
  const wanted = audience.customFields ?? [];
  if (wanted.length === 0 || candidates.length === 0) return [...candidates];
  const profiles = await findContactProfilesByIds(
    trx,
    services.keyring,
    workspaceId,
    candidates.map((candidate) => candidate.id),
  );
  return candidates.filter((candidate) => {
    const profile = profiles.get(candidate.id);
    return profile !== undefined && wanted.every(({ key, value }) => profile.customFields[key] === value);
  });
}

/** Marketing consent decides: opted in → pending; opted out or never asked → skipped with the reason. */
export function classifyConsent(consent: string): { state: "pending" | "skipped"; skipReason: SkipReason | null } {
  if (consent === "opted_in") return { state: "pending", skipReason: null };
  return { state: "skipped", skipReason: consent === "opted_out" ? "opted_out" : "no_consent" };
}

/** The number a contact is sent from: the audience's number when the broadcast has it, else spread by contact id (stable). */
export function numberFor(broadcast: Pick<BroadcastRow, "number_ids" | "audience">, contactId: string): string {
  const ids = broadcast.number_ids;
  if (broadcast.audience.numberId !== undefined && ids.includes(broadcast.audience.numberId)) return broadcast.audience.numberId;
  return ids[Number.parseInt(contactId.slice(0, 8), 16) % ids.length]!;
}

/** The template's body parameters for one contact: its name or field, the fallback when it has none. */
export function renderParameters(parameters: BroadcastParameters, profile: ContactProfile): string[] {
  return parameters.map((parameter) => {
    if (parameter.source === "text") return parameter.text;
    const value = parameter.source === "name" ? (profile.name ?? profile.waProfileName) : profile.customFields[parameter.field];
    const trimmed = value?.trim();
    return trimmed ? trimmed.slice(0, 1024) : parameter.fallback;
  });
}

/** Remaining quota of a portfolio and when the next slot frees. */
export async function portfolioQuota(
  trx: Tx,
  workspaceId: string,
  wabaId: string,
  now: Date,
): Promise<{ limit: number; remaining: number; freesAt: Date | null }> {
  const limits = await findPortfolioLimits(trx, workspaceId, wabaId);
  // The numbers of a portfolio share one limit; the highest one reported is the portfolio's.
  const limit = Math.max(...limits.map(messagingLimitOf), 0);
  if (!Number.isFinite(limit)) return { limit, remaining: Number.POSITIVE_INFINITY, freesAt: null };
  const { used, oldestLatestAt } = await countPortfolioRecipients(trx, workspaceId, wabaId, new Date(now.getTime() - DAY_MS));
  return {
    limit,
    remaining: Math.max(0, limit - used),
    freesAt: oldestLatestAt ? new Date(oldestLatestAt.getTime() + DAY_MS) : null,
  };
}

type StepResult = { next: Date | null };

/** Handler for `broadcasts.run`. */
export function createBroadcastRunner(services: Services, options: RunnerOptions): JobHandler<RunPayload> {
  const stepMs = options.stepMs ?? 1_000;
  const clock = options.now ?? (() => new Date());
  const logger = services.logger.child({ component: "broadcasts.run" });

  async function step(trx: Tx, job: RunPayload): Promise<StepResult> {
    const now = clock();
    const broadcast = await lockBroadcast(trx, job.workspaceId, job.broadcastId);
    if (!broadcast || broadcast.run_seq !== job.seq) return { next: null };
    const changes: BroadcastChanges = { run_seq: job.seq + 1 };
    const save = async (next: Date | null, stateChanged = false): Promise<StepResult> => {
      const counts = sumCounts(await countRecipientsByState(trx, job.workspaceId, broadcast.id));
      const state = changes.state ?? broadcast.state;
      const reportedAt = broadcast.counters.reportedAt ? Date.parse(broadcast.counters.reportedAt) : 0;
      const report = stateChanged || now.getTime() - reportedAt >= PROGRESS_EVERY_MS;
      const pauseReason = changes.pause_reason === undefined ? broadcast.pause_reason : changes.pause_reason;
      // The live event: whenever what it says changed, at most every LIVE_PROGRESS_EVERY_MS unless the state moved.
      const liveKey = liveKeyOf(state, pauseReason, counts);
      const liveAt = broadcast.counters.liveAt ? Date.parse(broadcast.counters.liveAt) : 0;
      const live = liveKey !== broadcast.counters.liveKey && (stateChanged || now.getTime() - liveAt >= LIVE_PROGRESS_EVERY_MS);
      const { total: _total, ...byState } = counts;
      changes.counters = {
        ...byState,
        reportedAt: report ? now.toISOString() : (broadcast.counters.reportedAt ?? now.toISOString()),
        ...(live ? { liveAt: now.toISOString(), liveKey } : { liveAt: broadcast.counters.liveAt, liveKey: broadcast.counters.liveKey }),
      };
      if (report) await recordProgress(trx, job.workspaceId, { id: broadcast.id, state, pause_reason: pauseReason }, counts, now);
      if (live) noteLiveProgress({ id: broadcast.id, state, pause_reason: pauseReason }, counts);
      if (next === null) changes.run_seq = job.seq;
      await updateBroadcast(trx, job.workspaceId, broadcast.id, changes, now);
      if (next !== null) await enqueueRun(trx, job.workspaceId, broadcast.id, job.seq + 1, next);
      return { next };
    };

    if (broadcast.state === "scheduled") {
      if (broadcast.scheduled_at !== null && broadcast.scheduled_at > now) return save(broadcast.scheduled_at);
      changes.state = "running";
      changes.started_at = now;
      await recordAudit(trx, {
        workspaceId: job.workspaceId,
        actor: { type: "system", id: null },
        action: "broadcast.started",
        target: { type: "broadcast", id: broadcast.id },
        metadata: { scheduled: true },
      });
      return save(now, true);
    }
    if (broadcast.state !== "running") return { next: null };

    if (!broadcast.audience_resolved) {
      // Several batches per step: each step also pays for the lock, the counts and the next job,
      // which a 100,000-contact audience would otherwise pay 200 times. Each batch is still read,
      // filtered and inserted on its own, so no more than AUDIENCE_BATCH contacts are held at once.
      let cursor = broadcast.audience_cursor;
      let added = 0;
      let resolved = false;
      for (let batch = 0; batch < AUDIENCE_BATCHES_PER_STEP && !resolved; batch += 1) {
        const candidates = await selectAudienceBatch(trx, job.workspaceId, broadcast.audience, cursor, AUDIENCE_BATCH);
        const selected = await filterByCustomFields(services, trx, job.workspaceId, broadcast.audience, candidates);
        const rows: NewRecipient[] = selected.map((candidate) => ({
          id: randomUUID(),
          contactId: candidate.id,
          numberId: numberFor(broadcast, candidate.id),
          ...classifyConsent(candidate.consent_status),
        }));
        added += await insertRecipients(trx, job.workspaceId, broadcast.id, rows, now);
        cursor = candidates.at(-1)?.id ?? cursor;
        resolved = candidates.length < AUDIENCE_BATCH;
      }
      changes.recipient_count = broadcast.recipient_count + added;
      changes.audience_cursor = cursor;
      changes.audience_resolved = resolved;
      return save(now);
    }

    await mirrorBroadcastStatuses(trx, job.workspaceId, broadcast.id, now);
    const numbers = await findBroadcastNumbers(trx, job.workspaceId, broadcast.number_ids);

    const pause = await qualityGuard(trx, job.workspaceId, broadcast, numbers, now);
    if (pause) {
      changes.state = "paused";
      changes.pause_reason = pause.reason;
      changes.pause_detail = pause.detail;
      changes.waiting_until = null;
      await recordAudit(trx, {
        workspaceId: job.workspaceId,
        actor: { type: "system", id: null },
        action: "broadcast.auto_paused",
        target: { type: "broadcast", id: broadcast.id },
        metadata: { reason: pause.reason },
      });
      logger.warn(
        { workspaceId: job.workspaceId, broadcastId: broadcast.id, reason: pause.reason },
        "broadcast paused by the quality guard",
      );
      return save(null, true);
    }

    const byNumber = await countRecipientsByState(trx, job.workspaceId, broadcast.id);
    const quotas = new Map<string, Awaited<ReturnType<typeof portfolioQuota>>>();
    let waitingUntil: Date | null = null;
    let queuedTotal = 0;
    for (const number of numbers) {
      const pending = byNumber.find((row) => row.number_id === number.id && row.state === "pending")?.count ?? 0;
      if (pending === 0) continue;
      const inFlight = byNumber.find((row) => row.number_id === number.id && row.state === "sending")?.count ?? 0;
      // Enough queued to keep the number busy for two steps; the governor paces the sends themselves.
      const room = Math.max(0, Math.ceil((number.tier * 2 * stepMs) / 1_000) - inFlight);
      let quota = quotas.get(number.waba_id);
      if (!quota) {
        quota = await portfolioQuota(trx, job.workspaceId, number.waba_id, now);
        quotas.set(number.waba_id, quota);
      }
      if (quota.remaining <= 0) {
        const freesAt = quota.freesAt ?? new Date(now.getTime() + 60_000);
        if (waitingUntil === null || freesAt < waitingUntil) waitingUntil = freesAt;
        continue;
      }
      const perStep = Math.min(CLAIM_BATCH_MAX, Math.max(CLAIM_BATCH, Math.ceil((number.tier * stepMs) / 1_000)));
      const take = Math.min(room, perStep, quota.remaining);
      const queued = await sendBatch(trx, job.workspaceId, broadcast, number, take, now);
      quota.remaining -= queued;
      queuedTotal += queued;
    }
    if (queuedTotal > 0) await options.afterClaim?.(broadcast.id, queuedTotal);

    const counts = sumCounts(await countRecipientsByState(trx, job.workspaceId, broadcast.id));
    if (counts.pending === 0 && counts.sending === 0) {
      changes.state = "completed";
      changes.finished_at = now;
      changes.waiting_until = null;
      return save(null, true);
    }
    const waiting = counts.pending > 0 && queuedTotal === 0 && waitingUntil !== null && counts.sending === 0;
    changes.waiting_until = waiting ? waitingUntil : null;
    // With nothing left to claim, the step only watches the sends in flight: less often.
    const interval = counts.pending === 0 ? stepMs * 5 : stepMs;
    return save(waiting ? waitingUntil : new Date(now.getTime() + interval), waiting !== (broadcast.waiting_until !== null));
  }

  /** Claims up to `take` pending recipients of the number and queues their messages; how many were queued. */
  async function sendBatch(
    trx: Tx,
    workspaceId: string,
    broadcast: BroadcastRow,
    number: BroadcastNumber,
    take: number,
    now: Date,
  ): Promise<number> {
    const claimed = await claimPendingRecipients(trx, workspaceId, broadcast.id, number.id, take);
    if (claimed.length === 0) return 0;
    const skipped = new Map<SkipReason, string[]>();
    const skip = (reason: SkipReason, id: string) => skipped.set(reason, [...(skipped.get(reason) ?? []), id]);
    const sendable = claimed.filter((recipient) => {
      if (recipient.contact_deleted) skip("contact_deleted", recipient.id);
      else if (recipient.consent_status !== "opted_in")
        skip(recipient.consent_status === "opted_out" ? "opted_out" : "no_consent", recipient.id);
      else return true;
      return false;
    });
    const profiles = await withUploadedValues(
      services,
      trx,
      workspaceId,
      broadcast.audience,
      await findContactProfilesByIds(
        trx,
        services.keyring,
        workspaceId,
        sendable.map((recipient) => recipient.contact_id),
      ),
    );
    const queued: { id: string; messageId: string }[] = [];
    for (const recipient of sendable) {
      const profile = profiles.get(recipient.contact_id);
      if (!profile) {
        skip("contact_deleted", recipient.id);
        continue;
      }
      const conversation = await openConversation(trx, workspaceId, recipient.contact_id, number.id);
      if (!conversation) {
        skip("refused", recipient.id);
        continue;
      }
      const values = renderParameters(broadcast.parameters, profile);
      const messageId = recipientMessageId(broadcast.id, recipient.id, recipient.attempt);
      try {
        await queueMessage(services, trx, {
          workspaceId,
          userId: null,
          canStartConversations: true,
          messageId,
          now,
          body: {
            conversationId: conversation.id,
            type: "template",
            template: {
              name: broadcast.template_name,
              language: broadcast.template_language,
              ...(values.length > 0
                ? { components: [{ type: "body" as const, parameters: values.map((text) => ({ type: "text" as const, text })) }] }
                : {}),
            },
          },
        });
      } catch (error) {
        // A refusal decided before anything was written (number, template, trash): this recipient is skipped.
        if (!(error instanceof AppError)) throw error;
        skip(error.code === "CONTACT_IN_TRASH" ? "contact_deleted" : "refused", recipient.id);
        continue;
      }
      queued.push({ id: recipient.id, messageId });
    }
    await markRecipientsQueued(trx, workspaceId, queued, now);
    for (const [reason, ids] of skipped) await skipRecipients(trx, workspaceId, ids, reason, now);
    return queued.length;
  }

  return async (job) => {
    await withRealtime(services, job.workspaceId, () =>
      withWorkspace(services.db, { workspaceId: job.workspaceId }, (trx) => step(trx, job)),
    );
  };
}

/** Why the broadcast must stop now, if it must: a RED number, a number that cannot send, or a burst of Meta's limiting errors. */
async function qualityGuard(
  trx: Tx,
  workspaceId: string,
  broadcast: BroadcastRow,
  numbers: readonly BroadcastNumber[],
  now: Date,
): Promise<{ reason: BroadcastPauseReason; detail: string } | null> {
  const red = numbers.find((number) => number.quality_rating === "RED");
  if (red) {
    return {
      reason: "quality_red",
      detail: `Paused: the quality rating of number …${red.phone_number_id.slice(-4)} became RED (low). Sending more could restrict the number; resume once its quality has recovered.`,
    };
  }
  const unusable = numbers.some((number) => number.status !== "active") || numbers.length < broadcast.number_ids.length;
  if (unusable) {
    return {
      reason: "number_unavailable",
      detail: "Paused: a number of this broadcast is disconnected, removed or its access token is invalid. Fix the number, then resume.",
    };
  }
  const since = new Date(Math.max(now.getTime() - BURST_WINDOW_MS, (broadcast.resumed_at ?? broadcast.started_at ?? now).getTime()));
  const burst = await countBurst(trx, workspaceId, broadcast.id, BURST_ERROR_CODES, since);
  if (burst.failures >= BURST_MIN_FAILURES && burst.failures >= burst.queued * BURST_MIN_SHARE) {
    return {
      reason: "error_burst",
      detail: `Paused: ${burst.failures} messages failed within ${BURST_WINDOW_MS / 60_000} minutes with errors that mean WhatsApp is limiting this business's marketing messages (e.g. 131049: ${describeGraphError(131049)}). Wait before resuming.`,
    };
  }
  return null;
}
