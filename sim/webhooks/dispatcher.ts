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

type Destination = { key: string; wabaId: string; url: string | undefined; appSecret: string };

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

  // Secrets by delivery id, for the legacy sha1 header computed at each attempt.
  const secrets = new Map<number, string>();

  function buildEnvelope(wabaId: string, changes: WebhookChange[]): Record<string, unknown> {
    const isMessageField = changes.every((c) => MESSAGE_FIELDS.has(c.field));
    const entry = isMessageField
      ? { id: wabaId, changes: changes.map((c) => ({ value: c.value, field: c.field })) }
      : { id: wabaId, time: Math.floor(clock.now() / 1000), changes: changes.map((c) => ({ value: c.value, field: c.field })) };
    // Meta's message-field bodies start with "object"; its template-status example starts with "entry".
    return isMessageField
      ? { object: "whatsapp_business_account", entry: [entry] }
      : { entry: [entry], object: "whatsapp_business_account" };
  }

  // Where a change goes: the account owning its phone number (or its template's WABA), else the app.
  function destinationOf(change: WebhookChange): Destination {
    const metadata = change.value.metadata as { phone_number_id?: unknown } | undefined;
    let wabaId: string | undefined;
    if (typeof metadata?.phone_number_id === "string") wabaId = state.phoneNumbers.get(metadata.phone_number_id)?.wabaId;
    else if (change.value.message_template_id !== undefined)
      wabaId = state.templates.get(`${change.value.message_template_id as string | number}`)?.wabaId;
    const account = wabaId === undefined ? undefined : state.accounts.get(wabaId);
    if (account) return { key: account.wabaId, wabaId: account.wabaId, url: account.webhookUrl, appSecret: account.appSecret };
    return { key: "", wabaId: state.wabaId, url: state.webhookUrl, appSecret: state.appSecret };
  }

  function createDelivery(
    destination: Destination,
    body: string,
    fields: string[],
    duplicateOf: number | undefined,
  ): WebhookDeliveryRecord {
    const record: WebhookDeliveryRecord = {
      id: nextDeliveryId++,
      url: destination.url ?? "",
      body,
      signature: signWebhookBody(destination.appSecret, body),
      fields,
      createdAt: clock.now(),
      duplicateOf,
      state: "pending",
      attempts: [],
    };
    state.deliveries.push(record);
    secrets.set(record.id, destination.appSecret);
    return record;
  }

  function cutBatches(): void {
    batchScheduled = false;
    const changes = buffer;
    buffer = [];
    // Message-type and account-type fields never share a POST, nor do two destinations.
    const groups = new Map<string, { destination: Destination; changes: WebhookChange[] }>();
    for (const change of changes) {
      const destination = destinationOf(change);
      const key = `${MESSAGE_FIELDS.has(change.field) ? "m" : "a"}:${destination.key}`;
      const group = groups.get(key) ?? { destination, changes: [] };
      group.changes.push(change);
      groups.set(key, group);
    }
    for (const { destination, changes: group } of groups.values()) {
      for (let i = 0; i < group.length; i += options.maxChangesPerPost) {
        const slice = group.slice(i, i + options.maxChangesPerPost);
        const record = createDelivery(
          destination,
          serializeWireJson(buildEnvelope(destination.wabaId, slice)),
          [...new Set(slice.map((c) => c.field))],
          undefined,
        );
        if (!destination.url) {
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
    if (options.sendSha1Signature) headers["x-hub-signature"] = signWebhookBodySha1(secrets.get(record.id) ?? state.appSecret, record.body);
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
          const appSecret = secrets.get(record.id) ?? state.appSecret;
          queue.push(createDelivery({ key: "", wabaId: "", url: record.url, appSecret }, record.body, record.fields, record.id));
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
      secrets.clear();
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
