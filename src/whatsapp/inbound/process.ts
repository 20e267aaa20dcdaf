import { createHash } from "node:crypto";
import { z } from "zod";
import type { Tx } from "../../db/database.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { defineJob, type JobHandler } from "../../jobs/definition.ts";
import type { JobDependencies } from "../../services.ts";
import { withRealtime } from "../../realtime/events.ts";
import { scrubText } from "../../log/scrub.ts";
import type { Services } from "../../services.ts";
import type { DeliveryStatus } from "../schema.ts";
import { parseHealthChange, type NumberHealthChange } from "../number-health.ts";
import { parseTemplateReports } from "../templates/status.ts";
import { INBOUND_JOB_ATTEMPTS, INBOUND_QUEUE, inboundBodyField } from "../webhook/store.ts";
import { WA_USER_ID, messageErrors, parseWebhook, type InboundMessage, type MetaError, type ParsedChange } from "./payload.ts";
import type {
  IdentityChange,
  InboundDelivery,
  InboundPort,
  InboundSender,
  MarketingPreferenceEvent,
  NumberEventInput,
  ReceivedChange,
  StatusEvent,
} from "./port.ts";
import { lockInboundEvent, markInboundProcessed, markInboundUnreadable, recordInboundFailure } from "./repository.ts";

// The worker half of inbound (DESIGN §2): a stored delivery is decrypted, parsed and handed to the
// product through the inbound port (port.ts), whose effects are each keyed by a unique constraint,
// in one transaction with marking the event processed. Running it twice — a retry, a duplicate
// delivery, two workers — yields the same rows once.

/** One job per stored batch (migration 0017); jobs queued before it name a single event. */
export const MAX_EVENTS_PER_JOB = 100;
const jobPayload = z.union([
  z.strictObject({ workspaceId: z.uuid(), eventIds: z.array(z.uuid()).min(1).max(MAX_EVENTS_PER_JOB) }),
  z.strictObject({ workspaceId: z.uuid(), eventId: z.uuid() }),
]);

const DELIVERY_STATUSES: ReadonlySet<string> = new Set(["sent", "delivered", "read", "played", "failed"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InboundOutcome = {
  processed: boolean;
  messages: number;
  duplicates: number;
  statuses: number;
  ignored: number;
  /** Errors and unsupported changes recorded against numbers (number_events). */
  numberEvents: number;
};

/**
 * Processes the events a job names, one after another, each in its own transaction. A failed event
 * does not stop the others; the job then fails and retries, and its events already processed are
 * no-ops the next time, so only the failed ones run again (each keeps its attempts and reason).
 */
export function createInboundHandler(services: Services, port: InboundPort): JobHandler<z.infer<typeof jobPayload>> {
  return async (parsed) => {
    const eventIds = "eventIds" in parsed ? parsed.eventIds : [parsed.eventId];
    let failed = 0;
    let firstError: unknown;
    for (const eventId of eventIds) {
      try {
        await processInboundEvent(services, port, parsed.workspaceId, eventId);
      } catch (error) {
        failed += 1;
        firstError ??= error;
      }
    }
    if (failed === 1 && eventIds.length === 1) throw firstError;
    if (failed > 0) {
      const reason = firstError instanceof Error ? `${firstError.name}: ${firstError.message}` : "unknown failure";
      throw new Error(`${failed} of ${eventIds.length} inbound events failed; the first: ${reason}`, { cause: firstError });
    }
  };
}

/** Written by the ingest statement itself (src/whatsapp/webhook/store.ts), in this payload's shape. */
export const inboundJob = defineJob({
  queue: INBOUND_QUEUE,
  payload: jobPayload,
  retry: { maxAttempts: INBOUND_JOB_ATTEMPTS },
  createHandler: ({ services, inboundPort }: JobDependencies) => createInboundHandler(services, inboundPort),
});

/** Processes one stored delivery; a no-op when it was already processed. */
export async function processInboundEvent(
  services: Services,
  port: InboundPort,
  workspaceId: string,
  eventId: string,
): Promise<InboundOutcome> {
  const log = services.logger.child({ component: "whatsapp.inbound", workspaceId, eventId });
  try {
    // Realtime events noted by the repository are published once the transaction has committed.
    const outcome = await withRealtime(services, workspaceId, () =>
      withWorkspace(services.db, { workspaceId }, (trx) => applyEvent(services, port, trx, workspaceId, eventId)),
    );
    if (outcome.processed)
      log.info(
        {
          messages: outcome.messages,
          duplicates: outcome.duplicates,
          statuses: outcome.statuses,
          ignored: outcome.ignored,
          numberEvents: outcome.numberEvents,
        },
        "inbound event processed",
      );
    return outcome;
  } catch (error) {
    // The effects rolled back; the job retries. The event keeps a scrubbed reason for operators.
    const reason = scrubText(error instanceof Error ? `${error.name}: ${error.message}` : "unknown failure").slice(0, 1_000);
    await withWorkspace(services.db, { workspaceId }, (trx) => recordInboundFailure(trx, workspaceId, eventId, reason)).catch(
      () => undefined,
    );
    throw error;
  }
}

async function applyEvent(services: Services, port: InboundPort, trx: Tx, workspaceId: string, eventId: string): Promise<InboundOutcome> {
  const outcome: InboundOutcome = { processed: false, messages: 0, duplicates: 0, statuses: 0, ignored: 0, numberEvents: 0 };
  const event = await lockInboundEvent(trx, workspaceId, eventId);
  if (!event || event.processed_at !== null || event.body_ciphertext === null) return outcome;

  const body = await services.keyring.decrypt(trx, inboundBodyField(workspaceId, eventId), event.body_ciphertext);
  const changes = parseOrUndefined(body);
  if (!changes) {
    // Signed by Meta yet not an envelope we understand: retrying cannot help. The body stays
    // (encrypted) for an operator; the error says what happened without quoting it.
    await markInboundUnreadable(trx, workspaceId, eventId, "not a WhatsApp webhook envelope; kept unprocessed", new Date());
    outcome.processed = true;
    outcome.ignored = 1;
    return outcome;
  }

  // The workspace's numbers by Meta id: one app's webhook may carry several of its numbers.
  const delivery = port.openDelivery(services, trx, workspaceId);
  const numbers = await delivery.numbers();
  const numberByPhoneId = new Map(numbers.map((row) => [row.phoneNumberId, row.id]));
  const numberByWaba = new Map<string, string>();
  for (const row of numbers) if (!numberByWaba.has(row.wabaId)) numberByWaba.set(row.wabaId, row.id);
  // Reports without an id of their own are keyed by the delivery's bytes and their place in it.
  const bodyDigest = createHash("sha256").update(body).digest("hex");
  const receivedAt = new Date();

  const statuses: StatusEvent[] = [];
  const events: NumberEventInput[] = [];
  const health: NumberHealthChange[] = [];
  const preferences: MarketingPreferenceEvent[] = [];
  for (const change of changes) {
    if (change.kind === "template") continue;
    if (change.kind === "user_preferences") {
      const numberId = numberByPhoneId.get(change.phoneNumberId);
      if (!numberId) {
        outcome.ignored += change.preferences.length + change.unparsed;
        continue;
      }
      change.preferences.forEach((preference, index) => {
        const value = preference.value.toLowerCase();
        if (preference.category === "marketing_messages" && (value === "stop" || value === "resume") && PHONE.test(preference.wa_id)) {
          preferences.push({
            numberId,
            waId: preference.wa_id,
            value,
            occurredAt: preference.timestamp,
            dedupe: `user_preferences|${change.phoneNumberId}|${preference.wa_id}|${value}|${preference.timestamp.getTime()}`,
          });
          return;
        }
        // A preference Parley does not apply (another category or value): kept as a report, without the user's id.
        outcome.ignored += 1;
        events.push({
          numberId,
          kind: "unparsed_item",
          code: null,
          title: `Unsupported user preference (${preference.category.slice(0, 40)})`,
          detail: null,
          field: "user_preferences",
          wamid: null,
          dedupe: `${bodyDigest}|${change.position}|preference.${index}`,
          occurredAt: receivedAt,
        });
      });
      outcome.ignored += change.unparsed;
      continue;
    }
    if (change.kind === "unsupported") {
      // Health fields are applied to the numbers, and still kept as the number's event below.
      const healthChange = parseHealthChange(change.wabaId, change.field, change.value);
      if (healthChange) health.push(healthChange);
      // A field Parley does not apply yet (or a `messages` value it cannot read): kept, encrypted,
      // against the number it names, else the WABA's number, else the number whose URL received it.
      const numberId =
        (change.phoneNumberId !== null ? numberByPhoneId.get(change.phoneNumberId) : undefined) ??
        numberByWaba.get(change.wabaId) ??
        event.number_id;
      events.push({
        numberId,
        kind: "unsupported_field",
        code: null,
        title: `Unsupported webhook field: ${change.field}`.slice(0, 200),
        detail: null,
        field: change.field,
        wamid: null,
        dedupe: `${bodyDigest}|${change.position}|field`,
        occurredAt: receivedAt,
        payload: change.value,
      });
      outcome.ignored += 1;
      continue;
    }
    const numberId = numberByPhoneId.get(change.phoneNumberId);
    if (!numberId) {
      outcome.ignored += change.messages.length + change.statuses.length + change.errors.length;
      continue;
    }
    change.errors.forEach((error, index) => {
      events.push({
        numberId,
        kind: "webhook_error",
        ...errorFields(error),
        field: "messages",
        wamid: null,
        dedupe: `${bodyDigest}|${change.position}|error.${index}`,
        occurredAt: receivedAt,
      });
    });
    change.unparsed.forEach((item, index) => {
      events.push({
        numberId,
        kind: "unparsed_item",
        code: null,
        title: `Unreadable ${item.item}${item.type ? ` (${item.type})` : ""}`,
        detail: null,
        field: item.type,
        wamid: null,
        dedupe: `${bodyDigest}|${change.position}|unparsed.${index}`,
        occurredAt: receivedAt,
      });
    });
    outcome.ignored += change.unparsed.length;
    for (const message of change.messages) {
      for (const error of messageErrors(message)) {
        events.push({
          numberId,
          kind: "message_error",
          ...errorFields(error),
          field: message.type,
          wamid: message.id,
          dedupe: `message|${message.id}|${error.code}`,
          occurredAt: message.timestamp,
        });
      }
      const preference = marketingPreferenceOf(numberId, change, message);
      if (preference) preferences.push(preference);
      const applied = await applyMessage(delivery, { numberId, change, message });
      if (applied === "inserted") outcome.messages += 1;
      else if (applied === "duplicate") outcome.duplicates += 1;
      else if (applied === "skipped") {
        outcome.ignored += 1;
        events.push({
          numberId,
          kind: "unparsed_item",
          code: null,
          title: `Message without a sender (${message.type})`,
          detail: null,
          field: message.type,
          wamid: message.id,
          dedupe: `sender|${message.id}`,
          occurredAt: message.timestamp,
        });
      }
    }
    for (const status of change.statuses) {
      for (const error of status.errors ?? []) {
        events.push({
          numberId,
          kind: "status_error",
          ...errorFields(error),
          field: status.status,
          wamid: status.id,
          dedupe: `status|${status.id}|${status.status}|${error.code}`,
          occurredAt: status.timestamp,
        });
      }
      if (!DELIVERY_STATUSES.has(status.status)) {
        outcome.ignored += 1;
        events.push({
          numberId,
          kind: "unparsed_item",
          code: null,
          title: `Unsupported status: ${status.status}`,
          detail: null,
          field: status.status,
          wamid: status.id,
          dedupe: `status|${status.id}|${status.status}`,
          occurredAt: status.timestamp,
        });
        continue;
      }
      const error = status.errors?.[0];
      const opaque = status.biz_opaque_callback_data;
      statuses.push({
        phoneNumberId: change.phoneNumberId,
        wamid: status.id,
        status: status.status as DeliveryStatus,
        occurredAt: status.timestamp,
        sendId: opaque !== undefined && UUID.test(opaque) ? opaque.toLowerCase() : null,
        errorCode: error?.code ?? null,
        errorTitle: error?.title?.slice(0, 200) ?? null,
        pricingCategory: status.pricing?.category ?? null,
        pricingType: status.pricing?.type ?? null,
      });
    }
  }
  // After the messages: a system message announcing an opt-out may be the contact's first.
  if (preferences.length > 0) {
    const applied = await delivery.marketingPreferences(preferences);
    outcome.ignored += preferences.length - applied;
  }
  if (statuses.length > 0) {
    await delivery.statuses(statuses);
    outcome.statuses = statuses.length;
  }
  if (changes.some((change) => change.kind === "template")) {
    const { reports, updates, skipped } = parseTemplateReports(JSON.parse(body) as unknown, receivedAt);
    await delivery.templates(reports, updates);
    outcome.ignored += skipped;
  }
  if (events.length > 0) {
    outcome.numberEvents = await delivery.numberEvents(events);
  }
  if (health.length > 0) await delivery.numberHealth(health);

  await delivery.received(receivedChanges(body));

  // Processed: the raw body is dropped, its effects now live under the contacts' data keys.
  await markInboundProcessed(trx, workspaceId, eventId, new Date());
  outcome.processed = true;
  return outcome;
}

/** The delivery's changes as Meta sent them (the envelope was already checked by parseWebhook). */
function receivedChanges(body: string): ReceivedChange[] {
  const json = JSON.parse(body) as { entry?: unknown };
  const changes: ReceivedChange[] = [];
  if (!Array.isArray(json.entry)) return changes;
  for (const entry of json.entry as { id?: unknown; changes?: unknown }[]) {
    if (typeof entry?.id !== "string" || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes as { field?: unknown; value?: unknown }[]) {
      if (typeof change?.field === "string") changes.push({ wabaId: entry.id, field: change.field, value: change.value });
    }
  }
  return changes;
}

/** Parse errors are dropped on purpose: JSON.parse and zod messages can quote the input (PII). */
function parseOrUndefined(body: string): ParsedChange[] | undefined {
  try {
    return parseWebhook(JSON.parse(body) as unknown);
  } catch {
    return undefined;
  }
}

type MessagesChange = Extract<ParsedChange, { kind: "messages" }>;

/** The sender of a message: its phone (wa_id) when it has one, its BSUID, and its profile entry. */
function senderOf(change: MessagesChange, message: InboundMessage) {
  const waId = message.from !== undefined && /^[1-9]\d{7,14}$/.test(message.from) ? message.from : null;
  const profile =
    change.contacts.find(
      (contact) =>
        (waId !== null && contact.wa_id === waId) || (message.from_user_id !== undefined && contact.user_id === message.from_user_id),
    ) ?? (change.contacts.length === 1 ? change.contacts[0] : undefined);
  const rawUserId = message.from_user_id ?? profile?.user_id ?? null;
  const userId = rawUserId !== null && WA_USER_ID.test(rawUserId) ? rawUserId : null;
  // A user with a username may show no profile name: the username names them instead.
  return { waId, userId, profileName: profile?.profile?.name ?? profile?.profile?.username ?? null };
}

async function applyMessage(
  delivery: InboundDelivery,
  input: { numberId: string; change: MessagesChange; message: InboundMessage },
): Promise<"inserted" | "duplicate" | "skipped" | "removed" | "stale"> {
  const { numberId, change, message } = input;
  let sender: InboundSender = senderOf(change, message);
  if (message.type === "system") {
    const identityChange = identityChangeOf(message, sender);
    if (identityChange) {
      await delivery.contactChange(identityChange, message.id);
      // Filed under the new identifier: the moved contact (or, on a conflict, the one that has it).
      sender =
        identityChange.kind === "number"
          ? { ...sender, waId: identityChange.toWaId, userId: null }
          : { ...sender, waId: sender.waId, userId: identityChange.toUserId };
    }
  }
  // Users with a username may come with a BSUID and no phone: such a contact is keyed by the BSUID.
  if (sender.waId === null && sender.userId === null) return "skipped";
  return delivery.message({ numberId, phoneNumberId: change.phoneNumberId, message, sender });
}

const PHONE = /^[1-9]\d{7,14}$/;

/** A `system` message saying the user stopped or resumed marketing messages (the older form of §2.4). */
function marketingPreferenceOf(numberId: string, change: MessagesChange, message: InboundMessage): MarketingPreferenceEvent | undefined {
  if (message.type !== "system" || message.system?.type !== "user_preference_changed") return undefined;
  const value = message.system.marketing?.toLowerCase();
  const waId = senderOf(change, message).waId;
  if ((value !== "stop" && value !== "resume") || waId === null) return undefined;
  return { numberId, waId, value, occurredAt: message.timestamp, dedupe: `system|${message.id}` };
}

/** A `system` message saying the user changed their number (or BSUID), or undefined when it is not one. */
function identityChangeOf(message: InboundMessage, sender: InboundSender): IdentityChange | undefined {
  const system = message.system;
  if (
    system?.type === "user_changed_number" &&
    sender.waId !== null &&
    system.wa_id !== undefined &&
    /^[1-9]\d{7,14}$/.test(system.wa_id) &&
    system.wa_id !== sender.waId
  ) {
    return { kind: "number", fromWaId: sender.waId, toWaId: system.wa_id };
  }
  if (
    system?.type === "user_changed_user_id" &&
    system.previous_user_id !== undefined &&
    system.user_id !== undefined &&
    WA_USER_ID.test(system.previous_user_id) &&
    WA_USER_ID.test(system.user_id)
  ) {
    return { kind: "user_id", fromUserId: system.previous_user_id, toUserId: system.user_id };
  }
  return undefined;
}

function clip(value: string | null | undefined, length: number): string | null {
  if (value === null || value === undefined || value.length === 0) return null;
  const chars = [...scrubText(value)];
  return chars.length <= length ? chars.join("") : `${chars.slice(0, length - 1).join("")}…`;
}

/** The event fields of one Meta error, scrubbed of phone numbers and the like. */
function errorFields(error: MetaError): Pick<NumberEventInput, "code" | "title" | "detail"> {
  return {
    code: error.code,
    title: clip(error.title ?? error.message, 200),
    detail: clip(error.error_data?.details ?? error.message, 500),
  };
}
