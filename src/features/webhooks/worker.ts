import { z } from "zod";
import { recordAudit } from "../../audit/record.ts";
import type { Tx } from "../../db/database.ts";
import { createGroupCommit } from "../../db/group-commit.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { enqueueJob, enqueueJobsAt, defineJob } from "../../jobs/definition.ts";
import type { JobDependencies, Services } from "../../services.ts";
import { getContact } from "../contacts/repository.ts";
import { presentContent } from "../conversations/content.ts";
import { decryptOrNull, messageContentField } from "../messages/repository.ts";
import { webhookEventCatalogue, type WebhookEventType } from "./catalogue.ts";
import { EgressRefusedError, postPinned, resolveTarget, systemResolver, type EgressResponse, type Resolver } from "./egress.ts";
import { metaEnvelope, payloadField } from "./meta-envelope.ts";
import {
  META_EVENT_TYPE,
  findDeliveriesForAttempt,
  findEndpoint,
  findMessageContent,
  findMetaPayload,
  recordDeliverySuccesses,
  rescheduleDeliveries,
  secretField,
  updateDelivery,
  updateEndpoint,
  type DeliveryAttemptView,
  type DeliverySuccess,
  type EndpointRow,
} from "./repository.ts";
import { signMeta, signStandard, webhookMessageId } from "./signing.ts";

// Delivery of outbound webhooks: one job per attempt (`webhooks.deliver`, payload ids only). An
// attempt reads the delivery in a short transaction, POSTs outside any transaction, and records the
// outcome in another; a failure schedules the next attempt as a new job at the time the retry
// schedule says. The job's own retries only cover Parley's failures (database, keyring), not the
// receiver's. Attempts running together share those transactions (group commit, per workspace):
// the reads of a burst are three queries, and its successes one statement, so the cost per
// delivery is the HTTP exchange rather than round trips to the database.
//
// One endpoint must never hold up another's deliveries:
// - each worker runs at most PER_ENDPOINT_CONCURRENCY attempts of one endpoint at once; an attempt
//   that finds its endpoint's slots taken waits up to SLOT_WAIT_MS for one (a fast endpoint frees
//   one within milliseconds), then is deferred by a second or two rather than keep a worker slot,
//   so a slow endpoint occupies at most that many of the worker's slots, plus brief waiters;
// - every attempt is cut after ATTEMPT_TIMEOUT_MS;
// - after CIRCUIT_THRESHOLD failures in a row the endpoint's circuit opens for CIRCUIT_OPEN_MS: its
//   deliveries wait without being attempted (and without using up their attempts).

/** Delay after the 1st, 2nd, … failed attempt (Svix's and Standard Webhooks' example); 8 attempts over about 27.5 h. */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000] as const;
export const MAX_DELIVERY_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
/** Up to this fraction is added to each delay, so that retries of one outage do not arrive together. */
export const RETRY_JITTER = 0.1;
export const ATTEMPT_TIMEOUT_MS = 10_000;
export const PER_ENDPOINT_CONCURRENCY = 8;
/** How long an attempt waits in its worker slot for one of its endpoint's slots before it is deferred. */
export const SLOT_WAIT_MS = 250;
export const CIRCUIT_THRESHOLD = 5;
export const CIRCUIT_OPEN_MS = 60_000;
/** An endpoint whose deliveries have all failed for this long is disabled (Svix: 5 days). */
export const AUTO_DISABLE_AFTER_MS = 5 * 24 * 3_600_000;
/** … or once this many deliveries in a row ended as dead letters. */
export const AUTO_DISABLE_DEAD_LETTERS = 5;
/** A receiver's Retry-After (on 429 and 503) is honoured up to this long; a longer one is cut to it. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
const SLOT_RETRY_MS = 1_000;
/** The longest a deferral for want of a slot waits: a long backlog of a slow endpoint is spread over this. */
const MAX_SLOT_DEFERRAL_MS = 30_000;

export const DELIVER_QUEUE = "webhooks.deliver";

const deliverPayload = z.strictObject({ workspaceId: z.uuid(), deliveryId: z.uuid() });

export type DeliveryOptions = {
  now?: () => Date;
  random?: () => number;
  resolver?: Resolver;
  timeoutMs?: number;
  perEndpointConcurrency?: number;
};

/**
 * Per-worker slots per endpoint; a waiter is served first come, first served. Waiting is worth it
 * only while the endpoint answers fast: when none of its slots came free for SLOT_WAIT_MS, it is
 * slow right now, and an attempt is deferred at once instead of holding a worker slot to no end.
 */
function createSlots(limit: number) {
  const inUse = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();
  /** When a slot of the endpoint last came free, or when its first slot was taken. */
  const lastFreedAt = new Map<string, number>();
  /** Attempts deferred for want of a slot since the endpoint last freed one. */
  const deferrals = new Map<string, number>();
  function take(endpointId: string): boolean {
    const used = inUse.get(endpointId) ?? 0;
    if (used >= limit) return false;
    if (used === 0) lastFreedAt.set(endpointId, performance.now());
    inUse.set(endpointId, used + 1);
    return true;
  }
  return {
    /** True once a slot is held; false when none came free within `maxWaitMs` (or none will soon). */
    async acquire(endpointId: string, maxWaitMs: number): Promise<boolean> {
      if (!waiting.get(endpointId)?.length && take(endpointId)) return true;
      if (performance.now() - (lastFreedAt.get(endpointId) ?? performance.now()) > maxWaitMs) return false;
      return new Promise<boolean>((resolve) => {
        const queue = waiting.get(endpointId) ?? [];
        waiting.set(endpointId, queue);
        const handOver = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          const index = queue.indexOf(handOver);
          if (index >= 0) queue.splice(index, 1);
          if (queue.length === 0) waiting.delete(endpointId);
          resolve(false);
        }, maxWaitMs);
        queue.push(handOver);
      });
    },
    /** Counts a deferral of the endpoint's; answers how many came before it since a slot last came free. */
    deferred(endpointId: string): number {
      const before = deferrals.get(endpointId) ?? 0;
      deferrals.set(endpointId, before + 1);
      return before;
    },
    release(endpointId: string): void {
      lastFreedAt.set(endpointId, performance.now());
      deferrals.delete(endpointId);
      // A waiter takes the slot over as it is: the count stays.
      const next = waiting.get(endpointId)?.shift();
      if (waiting.get(endpointId)?.length === 0) waiting.delete(endpointId);
      if (next) {
        next();
        return;
      }
      const used = (inUse.get(endpointId) ?? 1) - 1;
      if (used <= 0) {
        inUse.delete(endpointId);
        lastFreedAt.delete(endpointId);
      } else inUse.set(endpointId, used);
    },
  };
}

type Prepared = {
  endpointId: string;
  url: string;
  format: "standard" | "meta";
  attempts: number;
  secrets: string[];
  messageId: string;
  body: string;
};

type Outcome =
  { kind: "succeeded"; response: EgressResponse } | { kind: "failed"; response: EgressResponse | null; error: string; gone: boolean };

export function createDeliveryHandler(services: Services, options: DeliveryOptions = {}) {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const resolver = options.resolver ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const slots = createSlots(options.perEndpointConcurrency ?? PER_ENDPOINT_CONCURRENCY);
  const logger = services.logger.child({ component: "webhooks.deliver" });
  const policy = { allowPrivate: services.config.outboundWebhooks.allowPrivate, requireHttps: services.config.isProduction };

  // Reads of attempts starting together, in one transaction per workspace (see prepareAttempts).
  const preparations = createGroupCommit<string, Prepared | { failure: unknown } | undefined>(
    (workspaceId, deliveryIds) =>
      withWorkspace(services.db, { workspaceId }, (trx) => prepareAttempts(trx, services, workspaceId, deliveryIds, now())),
    { maxBatch: 100, parallel: 4, parallelFrom: 20 },
  );
  // Successes, in one statement per batch; failures keep their own transaction (they lock the endpoint).
  const successes = createGroupCommit<DeliverySuccess, undefined>(
    async (workspaceId, items) => {
      await withWorkspace(services.db, { workspaceId }, (trx) => recordDeliverySuccesses(trx, workspaceId, items));
      return items.map(() => undefined);
    },
    { maxBatch: 200, parallel: 2, parallelFrom: 50 },
  );

  // Deferrals for want of a slot, in one transaction per batch: a slow endpoint's backlog is deferred
  // by the hundred, and one transaction each would cost the other endpoints their rate.
  const deferrals = createGroupCommit<{ deliveryId: string; until: Date }, undefined>(
    async (workspaceId, entries) => {
      await withWorkspace(services.db, { workspaceId }, async (trx) => {
        await rescheduleDeliveries(trx, workspaceId, entries);
        await enqueueJobsAt(
          trx,
          deliverWebhookJob,
          entries.map((entry) => ({ payload: { workspaceId, deliveryId: entry.deliveryId }, runAt: entry.until })),
        );
      });
      return entries.map(() => undefined);
    },
    { maxBatch: 200, parallel: 2, parallelFrom: 50 },
  );

  return async (job: { workspaceId: string; deliveryId: string }): Promise<void> => {
    const { workspaceId, deliveryId } = job;
    const prepared = await preparations.submit(workspaceId, deliveryId);
    if (prepared && "failure" in prepared) throw prepared.failure;
    if (!prepared) return;
    if (!(await slots.acquire(prepared.endpointId, SLOT_WAIT_MS))) {
      // The more of the endpoint's attempts were just deferred, the later this one comes back: a slow
      // endpoint's backlog returns at about the rate its slots can take it, not all at once.
      const backlog = slots.deferred(prepared.endpointId);
      const spread = Math.min(
        MAX_SLOT_DEFERRAL_MS,
        SLOT_RETRY_MS * (1 + Math.floor(backlog / (options.perEndpointConcurrency ?? PER_ENDPOINT_CONCURRENCY))),
      );
      const later = new Date(now().getTime() + SLOT_RETRY_MS + Math.floor(random() * spread));
      await deferrals.submit(workspaceId, { deliveryId, until: later });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await attempt(prepared, policy, resolver, timeoutMs, now());
    } finally {
      slots.release(prepared.endpointId);
    }
    if (outcome.kind === "succeeded") {
      await successes.submit(workspaceId, {
        deliveryId,
        attempts: prepared.attempts + 1,
        at: now(),
        responseCode: outcome.response.status,
        responseExcerpt: outcome.response.excerpt.slice(0, 1024),
        latencyMs: outcome.response.latencyMs,
      });
      return;
    }
    await withWorkspace(services.db, { workspaceId }, (trx) =>
      recordFailure(trx, workspaceId, deliveryId, prepared, outcome, now(), random),
    );
    logger.info(
      {
        workspaceId,
        deliveryId,
        endpointId: prepared.endpointId,
        attempt: prepared.attempts + 1,
        status: outcome.response?.status ?? null,
        error: outcome.error,
      },
      "webhook delivery attempt failed",
    );
  };
}

async function deferDelivery(trx: Tx, workspaceId: string, deliveryId: string, until: Date): Promise<void> {
  await updateDelivery(trx, workspaceId, deliveryId, { next_attempt_at: until });
  await enqueueJob(trx, deliverWebhookJob, { workspaceId, deliveryId }, { runAt: until });
}

/**
 * The attempts of a batch, in the batch's order: what to send, or undefined when there is nothing to
 * send now (the delivery is settled, rescheduled, disabled or behind an open circuit — each written
 * down here). One delivery's failure is its own: the others of the batch still go.
 */
async function prepareAttempts(
  trx: Tx,
  services: Services,
  workspaceId: string,
  deliveryIds: string[],
  at: Date,
): Promise<Array<Prepared | { failure: unknown } | undefined>> {
  const views = await findDeliveriesForAttempt(trx, workspaceId, deliveryIds);
  const secrets = new Map<string, string[]>();
  const prepared: Array<Prepared | { failure: unknown } | undefined> = [];
  for (const deliveryId of deliveryIds) {
    try {
      prepared.push(await prepareAttempt(trx, services, workspaceId, deliveryId, views.get(deliveryId), at, secrets));
    } catch (failure) {
      prepared.push({ failure });
    }
  }
  return prepared;
}

async function prepareAttempt(
  trx: Tx,
  services: Services,
  workspaceId: string,
  deliveryId: string,
  view: DeliveryAttemptView | undefined,
  at: Date,
  secrets: Map<string, string[]>,
): Promise<Prepared | undefined> {
  if (view?.delivery.status !== "pending") return undefined;
  // A job whose delivery was rescheduled later (a deferral, a newer series): that job will run.
  if (view.delivery.next_attempt_at && view.delivery.next_attempt_at.getTime() > at.getTime() + SLOT_RETRY_MS) return undefined;
  if (!view.endpoint.enabled) {
    await updateDelivery(trx, workspaceId, deliveryId, {
      status: "failed",
      next_attempt_at: null,
      last_error: "The endpoint is disabled; replay once it is enabled again.",
    });
    return undefined;
  }
  if (view.endpoint.circuit_open_until && view.endpoint.circuit_open_until > at) {
    await deferDelivery(trx, workspaceId, deliveryId, view.endpoint.circuit_open_until);
    return undefined;
  }
  let endpointSecrets = secrets.get(view.endpoint.id);
  if (!endpointSecrets) {
    endpointSecrets = await liveSecrets(trx, services, view.endpoint, at);
    secrets.set(view.endpoint.id, endpointSecrets);
  }
  return prepare(trx, services, view, endpointSecrets);
}

/** The secrets to sign with now: the current one, and the previous one during its overlap. */
async function liveSecrets(trx: Tx, services: Services, endpoint: EndpointRow, at: Date): Promise<string[]> {
  const secrets = [
    await services.keyring.decrypt(trx, secretField(endpoint.workspace_id, endpoint.id, "secret"), endpoint.secret_ciphertext),
  ];
  if (endpoint.previous_secret_ciphertext && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > at) {
    secrets.push(
      await services.keyring.decrypt(
        trx,
        secretField(endpoint.workspace_id, endpoint.id, "previous_secret"),
        endpoint.previous_secret_ciphertext,
      ),
    );
  }
  return secrets;
}

async function prepare(trx: Tx, services: Services, view: DeliveryAttemptView, secrets: string[]): Promise<Prepared | undefined> {
  const { endpoint, event, delivery } = view;
  let body: string;
  if (event.type === META_EVENT_TYPE) {
    // Meta's envelope around the value as received; gone once a contact it names was erased.
    const payload = await findMetaPayload(trx, endpoint.workspace_id, event.id);
    if (!payload) {
      await updateDelivery(trx, endpoint.workspace_id, delivery.id, {
        status: "failed",
        next_attempt_at: null,
        last_error: "The event's content was erased with its contact.",
      });
      return undefined;
    }
    body = metaEnvelope(
      payload.wabaId,
      await services.keyring.decrypt(trx, payloadField(endpoint.workspace_id, event.id), payload.valueCiphertext),
    );
  } else {
    const type = event.type as WebhookEventType;
    let data: Record<string, unknown> = event.data;
    if (endpoint.include_personal_data && webhookEventCatalogue[type]?.personal) {
      data = { ...data, ...(await readPersonalData(trx, services, endpoint.workspace_id, type, data)) };
    }
    // Serialized once: these exact bytes are signed and sent.
    body = JSON.stringify({ type, timestamp: event.occurredAt.toISOString(), data });
  }
  return {
    endpointId: endpoint.id,
    url: endpoint.url,
    format: endpoint.format,
    attempts: delivery.attempts,
    secrets,
    messageId: webhookMessageId(event.id),
    body,
  };
}

/** Personal fields for an endpoint that opted in, read from their source now: an erased contact's are gone. */
async function readPersonalData(
  trx: Tx,
  services: Services,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (type === "message.received" && typeof data.messageId === "string") {
    const row = await findMessageContent(trx, workspaceId, data.messageId);
    const plaintext = row
      ? await decryptOrNull(trx, services.keyring, messageContentField(workspaceId, data.messageId), row.contentCiphertext)
      : null;
    const view = plaintext === null || !row ? null : presentContent(row.type, JSON.parse(plaintext) as Record<string, unknown>);
    const text = view?.kind === "text" ? view.body : view?.kind === "media" ? view.caption : null;
    return { text: text === null ? null : text.slice(0, 4096) };
  }
  if ((type === "contact.created" || type === "contact.updated") && typeof data.contactId === "string") {
    const contact = await getContact(trx, services.keyring, workspaceId, data.contactId).catch(() => undefined);
    return { phone: contact?.phone ?? null, name: contact?.name ?? null };
  }
  return {};
}

async function attempt(
  prepared: Prepared,
  policy: { allowPrivate: boolean; requireHttps: boolean },
  resolver: Resolver,
  timeoutMs: number,
  at: Date,
): Promise<Outcome> {
  const timestamp = Math.floor(at.getTime() / 1000);
  const headers: Record<string, string> =
    prepared.format === "meta"
      ? { "x-hub-signature-256": signMeta(prepared.secrets[0]!, prepared.body) }
      : {
          "webhook-id": prepared.messageId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signStandard(prepared.secrets, prepared.messageId, timestamp, prepared.body),
        };
  let response: EgressResponse;
  try {
    // Checked again at connect time, and the connection pinned to the address checked.
    const target = await resolveTarget(prepared.url, policy, resolver);
    response = await postPinned(target, headers, prepared.body, timeoutMs);
  } catch (error) {
    return { kind: "failed", response: null, error: describeFailure(error), gone: false };
  }
  if (response.status >= 200 && response.status < 300) return { kind: "succeeded", response };
  return {
    kind: "failed",
    response,
    error: response.status >= 300 && response.status < 400 ? "Redirects are not followed." : `HTTP ${response.status}`,
    gone: response.status === 410,
  };
}

/** Why an attempt got no answer, in words that hold no secret and no payload. */
function describeFailure(error: unknown): string {
  if (error instanceof EgressRefusedError) return error.reason;
  const name = error instanceof Error ? error.name : "";
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (name === "TimeoutError" || name === "AbortError" || code === "ABORT_ERR") return "No answer within the timeout.";
  if (typeof code === "string" && /^[A-Z_]{1,40}$/.test(code)) return `Connection failed (${code}).`;
  return "Connection failed.";
}

/** A failed attempt: the retry or dead letter, the endpoint's counters, its circuit and perhaps its disabling. */
async function recordFailure(
  trx: Tx,
  workspaceId: string,
  deliveryId: string,
  prepared: Prepared,
  outcome: Extract<Outcome, { kind: "failed" }>,
  at: Date,
  random: () => number,
): Promise<void> {
  const attempts = prepared.attempts + 1;
  const response = outcome.response;
  const common = {
    attempts,
    last_attempt_at: at,
    last_response_code: response?.status ?? null,
    last_response_excerpt: response ? response.excerpt.slice(0, 1024) : null,
    last_latency_ms: response?.latencyMs ?? null,
  };
  // A failure locks the endpoint's row (its counters); successes never do (recordDeliverySuccesses).
  const endpoint = await findEndpoint(trx, workspaceId, prepared.endpointId, { forUpdate: true });
  const failures = (endpoint?.consecutive_failures ?? 0) + 1;
  const failingSince = endpoint?.failing_since ?? at;
  const isExhausted = attempts >= MAX_DELIVERY_ATTEMPTS;
  const provisionalDeadLetters = (endpoint?.consecutive_dead_letters ?? 0) + (isExhausted ? 1 : 0);
  const reason = outcome.gone
    ? "gone"
    : at.getTime() - failingSince.getTime() >= AUTO_DISABLE_AFTER_MS || provisionalDeadLetters >= AUTO_DISABLE_DEAD_LETTERS
      ? "failing"
      : null;
  // A delivery to an endpoint being disabled now is not retried: it waits as a dead letter for a replay.
  const isDeadLetter = isExhausted || reason !== null;
  const deadLetters = (endpoint?.consecutive_dead_letters ?? 0) + (isDeadLetter ? 1 : 0);
  if (isDeadLetter) {
    await updateDelivery(trx, workspaceId, deliveryId, { ...common, status: "failed", next_attempt_at: null, last_error: outcome.error });
  } else {
    const scheduled = RETRY_SCHEDULE_MS[attempts - 1]!;
    // The receiver asked for a pause (429, 503): the next attempt comes no sooner than it said.
    const asked = response && (response.status === 429 || response.status === 503) ? retryAfterMs(response.retryAfter, at) : null;
    const delay = asked === null ? scheduled : Math.max(scheduled, Math.min(asked, MAX_RETRY_AFTER_MS));
    const next = new Date(at.getTime() + delay + Math.floor(random() * delay * RETRY_JITTER));
    await updateDelivery(trx, workspaceId, deliveryId, { ...common, next_attempt_at: next, last_error: outcome.error });
    await enqueueJob(trx, deliverWebhookJob, { workspaceId, deliveryId }, { runAt: next });
  }
  if (!endpoint) return;
  await updateEndpoint(trx, workspaceId, endpoint.id, {
    consecutive_failures: failures,
    failing_since: failingSince,
    consecutive_dead_letters: deadLetters,
    circuit_open_until: failures >= CIRCUIT_THRESHOLD ? new Date(at.getTime() + CIRCUIT_OPEN_MS) : endpoint.circuit_open_until,
    ...(reason && endpoint.enabled ? { enabled: false, disabled_reason: reason, disabled_at: at } : {}),
  });
  if (reason && endpoint.enabled) {
    await recordAudit(trx, {
      workspaceId,
      actor: { type: "system", id: null },
      action: "webhook.endpoint.auto_disabled",
      target: { type: "webhook_endpoint", id: endpoint.id },
      metadata: { reason, consecutiveFailures: failures, deadLetters },
    });
  }
}

/** A Retry-After header's wait in milliseconds (delta-seconds or an HTTP date, RFC 9110 §10.2.3); null when it is neither. */
export function retryAfterMs(value: string | null, at: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - at.getTime());
}

export const deliverWebhookJob = defineJob({
  queue: DELIVER_QUEUE,
  payload: deliverPayload,
  // Parley's own failures (database, keyring) only; the receiver's failures follow RETRY_SCHEDULE_MS.
  retry: { maxAttempts: 5, backoff: { baseMs: 1_000, maxMs: 60_000 } },
  createHandler: ({ services }: JobDependencies) => createDeliveryHandler(services),
});
