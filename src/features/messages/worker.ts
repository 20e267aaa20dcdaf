import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { isAuditAction } from "../../audit/actions.ts";
import { recordAudit } from "../../audit/record.ts";
import { CoordinationUnavailableError } from "../../coordination/types.ts";
import type { Tx } from "../../db/database.ts";
import { createGroupCommit } from "../../db/group-commit.ts";
import { announceSendsSettled } from "./settled.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { applyRecordedStatuses, messageContentField } from "./repository.ts";
import { graphPayloadOf } from "./message-schema.ts";
import { markCredentialsInvalid, secretField } from "../numbers/repository.ts";
import {
  findMessageParties,
  findNumberSendLimits,
  lockMessagesForSending,
  lockSendingState,
  markMessageFailed,
  markSending,
  markSendingAccepted,
  markSendingUnknown,
  recordAcceptedSends,
  requeueSending,
} from "./send-repository.ts";
import { defineJob, enqueueJob, type JobHandler } from "../../jobs/definition.ts";
import type { JobDependencies } from "../../services.ts";
import type { Logger } from "../../log/logger.ts";
import type { Services } from "../../services.ts";
import { DEFAULT_GOVERNOR_POLICY, numberParameters, type Governor } from "../../whatsapp/governor/types.ts";
import { createGraphClient, GraphError, type FetchLike } from "../../whatsapp/graph-client.ts";
import { createGraphFetch } from "../../whatsapp/graph-fetch.ts";
import { classifyGraphError, describeGraphError, isNeverSentError, retryDelayMs } from "../../whatsapp/send/outcomes.ts";
import { uploadPendingMedia } from "./upload-media.ts";

// The send worker (DESIGN §2): queued message → governor token → Graph POST /{id}/messages → wamid.
//
// Exactly once. Before calling Graph the row is marked `sending` and committed. From then on the
// only evidence of what Meta did is its answer or, when the answer is lost (timeout after the
// request was written, dropped connection, a crash), the status webhook carrying our send id as
// biz_opaque_callback_data — which the inbound half matches to the row. So a job that finds its
// row already `sending` never calls Graph again: it waits for that webhook for a reconciliation
// window, then marks the message `unknown` and raises an alert. A retry happens only when Meta
// answered with an error, or when the request provably never left (connection refused).

export type SendWorkerOptions = {
  governor: Governor;
  /** Graph transport (default: the configured one). */
  graphBaseUrl?: string;
  fetch?: FetchLike;
  /** Per Graph call (default 15 s). A timeout is an unknown outcome, never a blind retry. */
  graphTimeoutMs?: number;
  /** How long a `sending` message waits for its status webhook before it is marked `unknown` (default 15 min). */
  reconciliationWindowMs?: number;
  /** Graph answers that allow a retry, per message, before it fails (default 8). */
  maxSendAttempts?: number;
  /** Backoff for retryable answers: base and ceiling (default 1 s, 5 min); pair limit: base · 4^X (default 1 s). */
  backoff?: { baseMs: number; maxMs: number; pairBaseMs: number };
  /** A governor slot up to this far ahead is reserved and waited for in place; a later one reschedules the job (default 1 s). */
  maxInlineWaitMs?: number;
  random?: () => number;
  now?: () => Date;
  /** Test seam: runs after Graph answered and before the answer is recorded (crash injection). */
  afterGraphAnswer?: (messageId: string) => Promise<void>;
};

export const SEND_QUEUE = "whatsapp.send";
export const RECONCILE_QUEUE = "whatsapp.send.reconcile";
/** The send job's own retries cover crashes and database hiccups; Graph outcomes are handled by code. */
export const SEND_JOB_MAX_ATTEMPTS = 10;

const sendPayload = z.object({
  workspaceId: z.uuid(),
  messageId: z.uuid(),
  numberId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  /** The message carries a Parley upload that must reach Graph first (./upload-media.ts). */
  upload: z.boolean().optional(),
});

const graphSendAnswer = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1).max(256), message_status: z.string().max(64).optional() })).min(1),
});

const NUMBER_CACHE_MS = 5_000;
/** Departures a number may send back to back after a gap (kept below the governor's headroom). */
const PACING_BURST = 10;

type NumberInfo = { tier: number; phoneNumberId: string; status: string; expiresAt: number };

type SendPlan = {
  numberId: string;
  contactId: string;
  phoneNumberId: string;
  tokenVersion: number;
  attempts: number;
  sendingAt: Date;
  token: string;
  body: Record<string, unknown>;
};

type GraphOutcome =
  | { kind: "accepted"; wamid: string; held: boolean }
  | { kind: "refused"; error: GraphError }
  | { kind: "not_sent"; reason: string }
  | { kind: "unknown"; reason: string };

type Settings = Required<Omit<SendWorkerOptions, "fetch" | "afterGraphAnswer" | "graphBaseUrl">> &
  Pick<SendWorkerOptions, "afterGraphAnswer"> & { fetch: FetchLike; graphBaseUrl: string; graphApiVersion: string };

function settingsOf(services: Services, options: SendWorkerOptions): Settings {
  return {
    governor: options.governor,
    graphBaseUrl: options.graphBaseUrl ?? services.config.whatsapp.graphBaseUrl,
    graphApiVersion: services.config.whatsapp.graphApiVersion,
    graphTimeoutMs: options.graphTimeoutMs ?? 15_000,
    reconciliationWindowMs: options.reconciliationWindowMs ?? 15 * 60_000,
    maxSendAttempts: options.maxSendAttempts ?? 8,
    backoff: options.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000, pairBaseMs: 1_000 },
    maxInlineWaitMs: options.maxInlineWaitMs ?? 1_000,
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
    // Keep-alive node:http for the sends themselves (graph-fetch.ts), one pool per handler.
    fetch: options.fetch ?? createGraphFetch(),
    afterGraphAnswer: options.afterGraphAnswer,
  };
}

/** Handler for the `whatsapp.send` queue. */
export function createSendHandler(services: Services, options: SendWorkerOptions): JobHandler<SendJobPayload> {
  const settings = settingsOf(services, options);
  const logger = services.logger.child({ component: "whatsapp.send" });
  const numbers = new Map<string, NumberInfo>();
  // Claims and acceptances of messages sent together share a transaction (group commit): at 1,000
  // messages a second, per-message commits would be most of the work. One batch of each at a time
  // per workspace: with more in flight the batches only get smaller, and the round trips (not the
  // rows) are what the sends wait on (bench/send.bench.ts: 0.66–0.76 of the tier with four in
  // flight, 0.90 with one).
  const claims = createGroupCommit<JobIds, SendPlan | undefined>(
    (workspaceId, jobs) =>
      withWorkspace(services.db, { workspaceId }, (trx) => claimForSending(services, settings, trx, workspaceId, jobs, logger)),
    { maxBatch: 200 },
  );
  const acceptances = createGroupCommit<Acceptance, void>(
    async (workspaceId, items) => {
      const recorded = await withWorkspace(services.db, { workspaceId }, (trx) =>
        recordAcceptances(trx, workspaceId, items, settings.now()),
      );
      announceSendsSettled(
        services.coordination.pubsub,
        items.map((item) => item.messageId),
      );
      return recorded;
    },
    { maxBatch: 500 },
  );

  // One lookup in flight per number: when the cached entry expires, the hundreds of sends waiting
  // on it share one read instead of each running its own.
  const numberLookups = new Map<string, Promise<NumberInfo | undefined>>();
  function numberInfo(workspaceId: string, numberId: string): Promise<NumberInfo | undefined> {
    const key = `${workspaceId}:${numberId}`;
    const cached = numbers.get(key);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached);
    let lookup = numberLookups.get(key);
    if (!lookup) {
      lookup = (async () => {
        const row = await withWorkspace(services.db, { workspaceId }, (trx) => findNumberSendLimits(trx, workspaceId, numberId));
        if (!row) return undefined;
        const info = { tier: row.tier, phoneNumberId: row.phone_number_id, status: row.status, expiresAt: Date.now() + NUMBER_CACHE_MS };
        numbers.set(key, info);
        return info;
      })().finally(() => numberLookups.delete(key));
      numberLookups.set(key, lookup);
    }
    return lookup;
  }

  // Departure pacing. The governor's token is taken before the claim, and a claim batch's commit
  // releases many sends at once: spaced again at the number's rate here, they never reach Meta
  // bunched (a second holding more than the tier is answered 130429). A GCRA with a small burst
  // allowance: sends may catch up after a gap, yet any 1 s window holds at most the governed rate
  // plus PACING_BURST — below the tier, as the governor leaves 3 % headroom. The wait happens after
  // the claim, like the HTTP call itself, and is short: the governor already holds the rate.
  const departures = new Map<string, number>();
  async function paceDeparture(numberKey: string, tier: number, signal: AbortSignal): Promise<void> {
    const { intervalMs } = numberParameters(DEFAULT_GOVERNOR_POLICY, tier);
    const toleranceMs = Math.min(PACING_BURST, Math.floor(tier * 0.02)) * intervalMs;
    const now = performance.now();
    const theoretical = departures.get(numberKey) ?? now;
    const at = Math.max(now, theoretical - toleranceMs);
    departures.set(numberKey, Math.max(theoretical, at) + intervalMs);
    if (at > now) await sleep(at - now, undefined, { signal }).catch(() => undefined);
  }

  /**
   * Null when granted (after waiting for the reserved slot); otherwise how long to defer the whole
   * job. One governor call per send: a slot within `maxInlineWaitMs` is reserved and waited for in
   * place, a later one is not taken and the job comes back when it is due.
   */
  async function takeToken(
    request: { numberKey: string; tier: number; recipientKey: string },
    signal: AbortSignal,
  ): Promise<number | null> {
    let decision;
    try {
      decision = await settings.governor.take({ ...request, maxWaitMs: settings.maxInlineWaitMs });
    } catch (error) {
      if (!(error instanceof CoordinationUnavailableError)) throw error;
      // Fail closed: without the shared budget nobody may send; try again shortly.
      services.metrics?.observeGovernor("unavailable", "none", 0);
      logger.warn({ numberKey: request.numberKey }, "governor unavailable; send deferred");
      return retryDelayMs({ pair: false, attempt: 1, baseMs: 2_000, pairBaseMs: 0, maxMs: 2_000, random: settings.random });
    }
    if (!decision.granted) {
      services.metrics?.observeGovernor("deferred", decision.limitedBy, 0);
      return decision.retryAfterMs;
    }
    services.metrics?.observeGovernor("granted", "none", decision.waitMs / 1000);
    if (decision.waitMs >= 1) await sleep(decision.waitMs, undefined, { signal });
    return null;
  }

  return async (job, context) => {
    const log = logger.child({ workspaceId: job.workspaceId, messageId: job.messageId });
    let ids = job.numberId && job.contactId ? { numberId: job.numberId, contactId: job.contactId } : undefined;
    ids ??= await withWorkspace(services.db, { workspaceId: job.workspaceId }, (trx) =>
      findMessageParties(trx, job.workspaceId, job.messageId),
    );
    if (!ids) return;
    if (job.upload && !(await uploadPendingMedia(services, settings, job, log))) return;

    const number = await numberInfo(job.workspaceId, ids.numberId);
    if (number?.status === "active") {
      const deferMs = await takeToken({ numberKey: number.phoneNumberId, tier: number.tier, recipientKey: ids.contactId }, context.signal);
      if (deferMs !== null) {
        await withWorkspace(services.db, { workspaceId: job.workspaceId }, (trx) => deferJob(trx, job, ids, deferMs, settings.now()));
        return;
      }
    }

    const plan = await claims.submit(job.workspaceId, { workspaceId: job.workspaceId, messageId: job.messageId });
    if (!plan) return;

    if (number) await paceDeparture(number.phoneNumberId, number.tier, context.signal);
    const outcome = await callGraph(settings, plan);
    services.metrics?.countSend(outcome.kind, outcome.kind === "refused" ? outcome.error.code : null);
    await settings.afterGraphAnswer?.(job.messageId);
    if (outcome.kind === "accepted") {
      await acceptances.submit(job.workspaceId, { messageId: job.messageId, wamid: outcome.wamid, held: outcome.held });
      return;
    }
    await recordOutcome(services, settings, job, plan, outcome, log);
    announceSendsSettled(services.coordination.pubsub, [job.messageId]);
  };
}

/** Handler for `whatsapp.send.reconcile`: settles a `sending` message the webhook did not reach in time. */
export function createReconcileHandler(
  services: Services,
  options: Pick<SendWorkerOptions, "reconciliationWindowMs" | "now">,
): JobHandler<SendJobPayload> {
  const window = options.reconciliationWindowMs ?? 15 * 60_000;
  const now = options.now ?? (() => new Date());
  const logger = services.logger.child({ component: "whatsapp.send" });
  return async (job) => {
    await withWorkspace(services.db, { workspaceId: job.workspaceId }, async (trx) => {
      const row = await lockSendingState(trx, job.workspaceId, job.messageId);
      if (row?.status !== "sending") return;
      await settleSending(trx, job, row, window, now(), logger.child({ workspaceId: job.workspaceId, messageId: job.messageId }));
    });
  };
}

export type SendJobPayload = z.infer<typeof sendPayload>;

export const sendMessageJob = defineJob({
  queue: SEND_QUEUE,
  payload: sendPayload,
  retry: { maxAttempts: SEND_JOB_MAX_ATTEMPTS },
  createHandler: ({ services, governor }: JobDependencies) => createSendHandler(services, { governor }),
});

export const reconcileSendJob = defineJob({
  queue: RECONCILE_QUEUE,
  payload: sendPayload,
  retry: { maxAttempts: SEND_JOB_MAX_ATTEMPTS },
  createHandler: ({ services }: JobDependencies) => createReconcileHandler(services, {}),
});

type JobIds = { workspaceId: string; messageId: string };

async function deferJob(trx: Tx, job: JobIds, ids: { numberId: string; contactId: string }, deferMs: number, now: Date): Promise<void> {
  await enqueueJob(
    trx,
    sendMessageJob,
    { workspaceId: job.workspaceId, messageId: job.messageId, ...ids },
    { runAt: new Date(now.getTime() + deferMs) },
  );
}

/**
 * A `sending` row: Graph may have accepted it. Never send again — adopt a wamid the webhook brought,
 * or wait for it until the window closes, then mark the outcome unknown and alert.
 */
async function settleSending(
  trx: Tx,
  job: JobIds,
  row: { wamid: string | null; sending_at: Date | null; number_id: string; contact_id: string },
  windowMs: number,
  now: Date,
  log: Logger,
): Promise<void> {
  if (row.wamid !== null) {
    await markSendingAccepted(trx, job.workspaceId, job.messageId, now);
    await applyRecordedStatuses(trx, job.workspaceId, job.messageId);
    return;
  }
  const deadline = (row.sending_at ?? now).getTime() + windowMs;
  if (now.getTime() >= deadline) {
    await markSendingUnknown(
      trx,
      job.workspaceId,
      job.messageId,
      now,
      "No answer from WhatsApp and no status webhook within the reconciliation window; the message may or may not have been delivered. It was not sent again.",
    );
    log.error(
      { alert: "whatsapp_send_unknown", numberId: row.number_id },
      "send outcome unknown after the reconciliation window; not resent",
    );
    return;
  }
  await enqueueJob(trx, reconcileSendJob, { workspaceId: job.workspaceId, messageId: job.messageId }, { runAt: new Date(deadline) });
}

/**
 * Claims a batch of one workspace's queued messages for sending: locks their rows (in id order, so
 * concurrent batches cannot deadlock), settles or fails those that cannot go, decrypts what the
 * others need and marks them `sending` in one statement. One plan per job, in order; undefined
 * when that job has nothing to send (also for a second job of the same message in the batch).
 */
async function claimForSending(
  services: Services,
  settings: Settings,
  trx: Tx,
  workspaceId: string,
  jobs: readonly JobIds[],
  logger: Logger,
): Promise<(SendPlan | undefined)[]> {
  const messageIds = [...new Set(jobs.map((job) => job.messageId))];
  const rows = await lockMessagesForSending(trx, workspaceId, messageIds);
  const now = settings.now();
  const plans = new Map<string, SendPlan>();
  // The recipients' data keys in one read, not one per message (a burst reaches many contacts).
  await services.keyring.preloadDataKeys(
    trx,
    workspaceId,
    rows.map((row) => row.data_key_id),
  );
  await Promise.all(
    rows.map(async (row) => {
      const job = { workspaceId, messageId: row.id };
      if (row.status === "sending") {
        await settleSending(trx, job, row, settings.reconciliationWindowMs, now, logger.child(job));
        return;
      }
      if (row.status !== "queued") return;
      if (row.number_status !== "active") {
        const code = row.number_status === "credentials_invalid" ? 190 : null;
        await failMessage(trx, job, now, code, code === 190 ? describeGraphError(190) : "The number is disconnected.");
        return;
      }
      if (row.content_ciphertext === null || row.send_id === null) {
        await failMessage(trx, job, now, null, "The message has no content to send.");
        return;
      }
      // Queued before its contact went to the trash: a contact in the trash is never messaged.
      if (row.contact_deleted_at !== null) {
        await failMessage(trx, job, now, null, "The contact was moved to the trash before the message was sent.");
        return;
      }
      // A contact known only by its business-scoped user id (a username, no phone) is addressed by it.
      const contactField = (column: string) => ({ workspaceId, table: "contacts", column, rowId: row.contact_id });
      const recipient =
        row.phone_ciphertext !== null
          ? { to: await services.keyring.decrypt(trx, contactField("phone"), row.phone_ciphertext) }
          : row.wa_user_id_ciphertext !== null
            ? { recipient: await services.keyring.decrypt(trx, contactField("wa_user_id"), row.wa_user_id_ciphertext) }
            : null;
      if (recipient === null) {
        await failMessage(trx, job, now, null, "The contact has no phone number or WhatsApp user id.");
        return;
      }
      const [content, token] = await Promise.all([
        services.keyring.decrypt(trx, messageContentField(workspaceId, row.id), row.content_ciphertext),
        services.keyring.decrypt(trx, secretField(workspaceId, row.number_id, "access_token"), row.access_token_ciphertext),
      ]);
      plans.set(row.id, {
        numberId: row.number_id,
        contactId: row.contact_id,
        phoneNumberId: row.phone_number_id,
        tokenVersion: row.access_token_version,
        attempts: row.send_attempts + 1,
        sendingAt: now,
        token,
        body: {
          messaging_product: "whatsapp",
          recipient_type: "individual",
          ...recipient,
          type: row.type,
          [row.type]: graphPayloadOf(JSON.parse(content) as unknown),
          biz_opaque_callback_data: row.send_id,
        },
      });
    }),
  );
  if (plans.size > 0) {
    // Committed before the calls: from here on, only Meta's answer or its webhook settles a row.
    await markSending(trx, workspaceId, [...plans.keys()], now);
  }
  const handedOut = new Set<string>();
  return jobs.map((job) => {
    const plan = plans.get(job.messageId);
    if (!plan || handedOut.has(job.messageId)) return undefined;
    handedOut.add(job.messageId);
    return plan;
  });
}

async function callGraph(settings: Settings, plan: SendPlan): Promise<GraphOutcome> {
  const transport = { dispatched: false, neverSent: false };
  const baseFetch = settings.fetch;
  // Watches the transport: whether a request was attempted, and whether its failure proves it never left.
  const watchedFetch: FetchLike = async (input, init) => {
    transport.dispatched = true;
    try {
      return await baseFetch(input, init);
    } catch (error) {
      transport.neverSent = isNeverSentError(error);
      throw error;
    }
  };
  const graph = createGraphClient({
    baseUrl: settings.graphBaseUrl,
    apiVersion: settings.graphApiVersion,
    fetch: watchedFetch,
    timeoutMs: settings.graphTimeoutMs,
  });
  try {
    const answer = graphSendAnswer.safeParse(
      await graph.request({ method: "POST", path: `/${plan.phoneNumberId}/messages`, token: plan.token, body: plan.body }),
    );
    // 2xx without a wamid: accepted in some form we cannot read — the webhook will tell.
    if (!answer.success) return { kind: "unknown", reason: "accepted without a readable message id" };
    const first = answer.data.messages[0]!;
    return { kind: "accepted", wamid: first.id, held: first.message_status === "held_for_quality_assessment" };
  } catch (error) {
    if (error instanceof GraphError && error.httpStatus > 0) return { kind: "refused", error };
    if (!transport.dispatched || transport.neverSent)
      return { kind: "not_sent", reason: "the request could not be sent (connection refused)" };
    return { kind: "unknown", reason: error instanceof GraphError ? error.message : "transport failure" };
  }
}

async function failMessage(trx: Tx, job: JobIds, now: Date, code: number | null, reason: string): Promise<void> {
  await markMessageFailed(trx, job.workspaceId, job.messageId, { now, code, reason, fromStatuses: ["queued", "sending"] });
}

/** Every outcome but acceptance (which is group committed by the handler). */
async function recordOutcome(
  services: Services,
  settings: Settings,
  job: JobIds,
  plan: SendPlan,
  outcome: Exclude<GraphOutcome, { kind: "accepted" }>,
  log: Logger,
): Promise<void> {
  const now = settings.now();
  if (outcome.kind === "refused" || outcome.kind === "not_sent") {
    const policy =
      outcome.kind === "refused"
        ? classifyGraphError(outcome.error.code, outcome.error.httpStatus)
        : ({ kind: "retry", pair: false } as const);
    const code = outcome.kind === "refused" ? outcome.error.code : null;
    if (policy.kind === "retry") {
      const delayMs = retryDelayMs({ pair: policy.pair, attempt: plan.attempts, ...settings.backoff, random: settings.random });
      // Only that recipient waits on a pair limit; the rest of the number's traffic flows on.
      if (policy.pair)
        await settings.governor.holdPair({ numberKey: plan.phoneNumberId, recipientKey: plan.contactId }, delayMs).catch(() => undefined);
      await withWorkspace(services.db, { workspaceId: job.workspaceId }, async (trx) => {
        if (plan.attempts >= settings.maxSendAttempts) {
          await failMessage(
            trx,
            job,
            now,
            code,
            `Gave up after ${plan.attempts} attempts: ${code === null ? "WhatsApp could not be reached." : describeGraphError(code)}`,
          );
          return;
        }
        if (await requeueSending(trx, job.workspaceId, job.messageId, now, code))
          await deferJob(trx, job, { numberId: plan.numberId, contactId: plan.contactId }, delayMs, now);
      });
      log.warn({ code, attempt: plan.attempts, delayMs }, "send refused for now; retrying later");
      return;
    }
    if (policy.kind === "token") {
      await withWorkspace(services.db, { workspaceId: job.workspaceId }, async (trx) => {
        const marked = await markCredentialsInvalid(trx, job.workspaceId, plan.numberId, plan.tokenVersion);
        await failMessage(trx, job, now, code, describeGraphError(code ?? 190));
        if (marked) {
          const action = "number.credentials_invalid";
          if (isAuditAction(action)) {
            await recordAudit(trx, {
              workspaceId: job.workspaceId,
              actor: { type: "system", id: null },
              action,
              target: { type: "number", id: plan.numberId },
              metadata: { code: code ?? 190, tokenVersion: plan.tokenVersion },
            });
          }
        }
      });
      log.error(
        { alert: "whatsapp_token_invalid", numberId: plan.numberId, code },
        "the number's access token was refused; sending from it stopped until the token is replaced",
      );
      return;
    }
    await withWorkspace(services.db, { workspaceId: job.workspaceId }, (trx) =>
      failMessage(trx, job, now, code, describeGraphError(code ?? -1)),
    );
    log.warn({ code }, "send refused by WhatsApp; not retried");
    return;
  }

  // Unknown: the request may have reached Meta. The webhook decides, never a second send.
  await withWorkspace(services.db, { workspaceId: job.workspaceId }, (trx) =>
    settleSending(
      trx,
      job,
      { wamid: null, sending_at: plan.sendingAt, number_id: plan.numberId, contact_id: plan.contactId },
      settings.reconciliationWindowMs,
      now,
      log,
    ),
  );
  log.warn({ reason: outcome.reason }, "send outcome unknown; waiting for the status webhook");
}

type Acceptance = { messageId: string; wamid: string; held: boolean };

/** Graph accepted these sends: keep each wamid, move `sending` rows on, apply statuses that came first. */
async function recordAcceptances(trx: Tx, workspaceId: string, items: readonly Acceptance[], now: Date): Promise<void[]> {
  await recordAcceptedSends(trx, workspaceId, items, now);
  // Statuses that arrived before we knew the wamid are applied now.
  await applyRecordedStatuses(
    trx,
    workspaceId,
    items.map((item) => item.messageId),
  );
  return items.map(() => undefined);
}
