import type { Clock, Scheduler } from "../clock.ts";
import type { Rng } from "../random.ts";
import type { SimState, WebhookDeliveryRecord } from "../state.ts";
import { serializeWireJson } from "../wire-json.ts";
import { signWebhookBody, signWebhookBodySha1 } from "./signature.ts";

export type WebhookChange = { field: string; value: Record<string, unknown> };

export type RetryPolicy = {
  // Meta retries "immediately, then a few more times with decreasing frequency" for up to 7 days.
  firstDelayMs: number;
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  windowMs: number;
};

export type DispatcherOptions = {
  batchWindowMs: number;
  maxChangesPerPost: number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  sendSha1Signature: boolean;
};

export type WebhookDispatcher = {
  enqueue(change: WebhookChange): void;
  flush(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
};

const MESSAGE_FIELDS = new Set(["messages", "calls", "smb_message_echoes", "history"]);

export function computeRetryDelay(policy: RetryPolicy, failedAttempts: number): number {
  if (failedAttempts <= 1) return policy.firstDelayMs;
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (failedAttempts - 2));
}

export function createWebhookDispatcher(deps: {
  state: SimState;
  clock: Clock;
  scheduler: Scheduler;
  rng: Rng;
  options: DispatcherOptions;
}): WebhookDispatcher {
  const { state, clock, scheduler, rng, options } = deps;
  let buffer: WebhookChange[] = [];
  let batchScheduled = false;
  const queue: WebhookDeliveryRecord[] = [];
  let running: Promise<void> | undefined;
  let generation = 0;
  let nextDeliveryId = 1;
  const aborter = new AbortController();

  function buildEnvelope(changes: WebhookChange[]): Record<string, unknown> {
    const isMessageField = changes.every((c) => MESSAGE_FIELDS.has(c.field));
    const entry = isMessageField
      ? { id: state.wabaId, changes: changes.map((c) => ({ value: c.value, field: c.field })) }
      : { id: state.wabaId, time: Math.floor(clock.now() / 1000), changes: changes.map((c) => ({ value: c.value, field: c.field })) };
    // Meta's message-field bodies start with "object"; its template-status example starts with "entry".
    return isMessageField ? { object: "whatsapp_business_account", entry: [entry] } : { entry: [entry], object: "whatsapp_business_account" };
  }

  function createDelivery(body: string, fields: string[], duplicateOf: number | undefined): WebhookDeliveryRecord {
    const record: WebhookDeliveryRecord = {
      id: nextDeliveryId++,
      url: state.webhookUrl ?? "",
      body,
      signature: signWebhookBody(state.appSecret, body),
      fields,
      createdAt: clock.now(),
      duplicateOf,
      state: "pending",
      attempts: [],
    };
    state.deliveries.push(record);
    return record;
  }

  function cutBatches(): void {
    batchScheduled = false;
    const changes = buffer;
    buffer = [];
    // Message-type and account-type fields never share a POST.
    const groups = [changes.filter((c) => MESSAGE_FIELDS.has(c.field)), changes.filter((c) => !MESSAGE_FIELDS.has(c.field))];
    for (const group of groups) {
      for (let i = 0; i < group.length; i += options.maxChangesPerPost) {
        const slice = group.slice(i, i + options.maxChangesPerPost);
        const record = createDelivery(serializeWireJson(buildEnvelope(slice)), [...new Set(slice.map((c) => c.field))], undefined);
        if (!state.webhookUrl) {
          record.state = "dropped";
          continue;
        }
        queue.push(record);
      }
    }
    pump();
  }

  function takeNext(): WebhookDeliveryRecord | undefined {
    if (queue.length >= 2 && rng.chance(state.faults.reorderProbability)) return queue.splice(1, 1)[0];
    return queue.shift();
  }

  async function attempt(record: WebhookDeliveryRecord): Promise<boolean> {
    const startedAt = Date.now();
    const at = clock.now();
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "facebookexternalua",
      "x-hub-signature-256": record.signature,
    };
    if (options.sendSha1Signature) headers["x-hub-signature"] = signWebhookBodySha1(state.appSecret, record.body);
    try {
      const response = await fetch(record.url, {
        method: "POST",
        headers,
        body: record.body,
        redirect: "manual",
        signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(options.requestTimeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.attempts.push({ at, statusCode: response.status, error: undefined, durationMs: Date.now() - startedAt });
      return response.status === 200;
    } catch (error) {
      const message = error instanceof Error ? error.name : "error";
      record.attempts.push({ at, statusCode: undefined, error: message, durationMs: Date.now() - startedAt });
      return false;
    }
  }

  function scheduleRetry(record: WebhookDeliveryRecord): void {
    const delay = computeRetryDelay(options.retry, record.attempts.length);
    if (clock.now() + delay - record.createdAt > options.retry.windowMs) {
      record.state = "dropped";
      return;
    }
    const gen = generation;
    scheduler.schedule(delay, () => {
      if (gen !== generation) return;
      queue.push(record);
      pump();
    });
  }

  async function drain(): Promise<void> {
    for (;;) {
      const record = takeNext();
      if (!record) return;
      const gen = generation;
      const ok = await attempt(record);
      if (gen !== generation || aborter.signal.aborted) return;
      if (ok) {
        record.state = "delivered";
        if (rng.chance(state.faults.duplicateProbability)) {
          queue.push(createDelivery(record.body, record.fields, record.id));
        }
      } else {
        scheduleRetry(record);
      }
    }
  }

  function pump(): void {
    if (running || aborter.signal.aborted) return;
    running = drain().finally(() => {
      running = undefined;
      if (queue.length > 0) pump();
    });
  }

  async function waitIdle(): Promise<void> {
    while (running) await running;
  }

  return {
    enqueue(change) {
      buffer.push(change);
      if (buffer.length >= options.maxChangesPerPost) {
        cutBatches();
        return;
      }
      if (!batchScheduled) {
        batchScheduled = true;
        const gen = generation;
        scheduler.schedule(options.batchWindowMs, () => {
          if (gen === generation && batchScheduled) cutBatches();
        });
      }
    },
    // Delivers everything that is due now, including immediate retries, and waits for it.
    async flush() {
      for (;;) {
        scheduler.runDue();
        if (buffer.length > 0) cutBatches();
        await waitIdle();
        const next = scheduler.nextDueAt();
        if (buffer.length === 0 && (next === undefined || next > clock.now())) return;
      }
    },
    reset() {
      generation++;
      buffer = [];
      batchScheduled = false;
      queue.length = 0;
    },
    async close() {
      aborter.abort();
      await waitIdle().catch(() => undefined);
    },
  };
}
