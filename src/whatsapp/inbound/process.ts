import { createHash } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import {
  applyReactionEvent,
  applyStatuses,
  changeWhatsAppIdentity,
  insertInboundMessage,
  upsertOpenConversation,
  upsertWhatsAppContact,
  WA_USER_ID,
  type ContactRef,
  type IdentityChange,
  type StatusEvent,
} from "../../features/conversations/repository.ts";
import type { JobHandler } from "../../jobs/queue.ts";
import { withRealtime } from "../../realtime/events.ts";
import { scrubText } from "../../log/scrub.ts";
import type { Services } from "../../services.ts";
import { enqueueMediaFetch } from "../../features/messages/media/fetch.ts";
import type { DeliveryStatus } from "../schema.ts";
import { applyTemplateReports, applyTemplateUpdates, parseTemplateReports } from "../templates/status.ts";
import { inboundBodyField } from "../webhook/store.ts";
import { errorFields, recordNumberEvents, type NumberEventInput } from "../../features/numbers/events.ts";
import { mediaOf, messageContent, messageErrors, parseWebhook, type InboundMessage, type ParsedChange } from "./payload.ts";

// The worker half of inbound (DESIGN §2): a stored delivery is decrypted, parsed and turned into
// effects, each keyed by a unique constraint, in one transaction with marking the event processed.
// Running it twice — a retry, a duplicate delivery, two workers — yields the same rows once.

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
export function createInboundHandler(services: Services): JobHandler {
  return async (payload) => {
    const parsed = jobPayload.parse(payload);
    const eventIds = "eventIds" in parsed ? parsed.eventIds : [parsed.eventId];
    let failed = 0;
    let firstError: unknown;
    for (const eventId of eventIds) {
      try {
        await processInboundEvent(services, parsed.workspaceId, eventId);
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

/** Processes one stored delivery; a no-op when it was already processed. */
export async function processInboundEvent(services: Services, workspaceId: string, eventId: string): Promise<InboundOutcome> {
  const log = services.logger.child({ component: "whatsapp.inbound", workspaceId, eventId });
  try {
    // Realtime events noted by the repository are published once the transaction has committed.
    const outcome = await withRealtime(services, workspaceId, () => withWorkspace(services.db, { workspaceId }, (trx) => applyEvent(services, trx, workspaceId, eventId)));
    if (outcome.processed) log.info({ messages: outcome.messages, duplicates: outcome.duplicates, statuses: outcome.statuses, ignored: outcome.ignored, numberEvents: outcome.numberEvents }, "inbound event processed");
    return outcome;
  } catch (error) {
    // The effects rolled back; the job retries. The event keeps a scrubbed reason for operators.
    const reason = scrubText(error instanceof Error ? `${error.name}: ${error.message}` : "unknown failure").slice(0, 1_000);
    await withWorkspace(services.db, { workspaceId }, (trx) =>
      trx
        .updateTable("inbound_events")
        .set((eb) => ({ attempts: eb("attempts", "+", 1), error: reason }))
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", eventId)
        .execute(),
    ).catch(() => undefined);
    throw error;
  }
}

type Trx = Parameters<Parameters<typeof withWorkspace>[2]>[0];

async function applyEvent(services: Services, trx: Trx, workspaceId: string, eventId: string): Promise<InboundOutcome> {
  const outcome: InboundOutcome = { processed: false, messages: 0, duplicates: 0, statuses: 0, ignored: 0, numberEvents: 0 };
  const event = await trx
    .selectFrom("inbound_events")
    .select(["id", "number_id", "body_ciphertext", "processed_at"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", eventId)
    .forUpdate()
    .executeTakeFirst();
  if (!event || event.processed_at !== null || event.body_ciphertext === null) return outcome;

  const body = await services.keyring.decrypt(trx, inboundBodyField(workspaceId, eventId), event.body_ciphertext);
  const changes = parseOrUndefined(body);
  if (!changes) {
    // Signed by Meta yet not an envelope we understand: retrying cannot help. The body stays
    // (encrypted) for an operator; the error says what happened without quoting it.
    await trx
      .updateTable("inbound_events")
      .set((eb) => ({ processed_at: new Date(), attempts: eb("attempts", "+", 1), error: "not a WhatsApp webhook envelope; kept unprocessed" }))
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", eventId)
      .execute();
    outcome.processed = true;
    outcome.ignored = 1;
    return outcome;
  }

  // The workspace's numbers by Meta id: one app's webhook may carry several of its numbers.
  const numbers = await trx.selectFrom("numbers").select(["id", "phone_number_id", "waba_id"]).where("workspace_id", "=", workspaceId).execute();
  const numberByPhoneId = new Map(numbers.map((row) => [row.phone_number_id, row.id]));
  const numberByWaba = new Map<string, string>();
  for (const row of numbers) if (!numberByWaba.has(row.waba_id)) numberByWaba.set(row.waba_id, row.id);
  // Reports without an id of their own are keyed by the delivery's bytes and their place in it.
  const bodyDigest = createHash("sha256").update(body).digest("hex");
  const receivedAt = new Date();

  const statuses: StatusEvent[] = [];
  const events: NumberEventInput[] = [];
  const contactCache = new Map<string, ContactRef>();
  for (const change of changes) {
    if (change.kind === "template") continue;
    if (change.kind === "unsupported") {
      // A field Parley does not apply yet (or a `messages` value it cannot read): kept, encrypted,
      // against the number it names, else the WABA's number, else the number whose URL received it.
      const numberId = (change.phoneNumberId !== null ? numberByPhoneId.get(change.phoneNumberId) : undefined) ?? numberByWaba.get(change.wabaId) ?? event.number_id;
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
      events.push({ numberId, kind: "webhook_error", ...errorFields(error), field: "messages", wamid: null, dedupe: `${bodyDigest}|${change.position}|error.${index}`, occurredAt: receivedAt });
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
        events.push({ numberId, kind: "message_error", ...errorFields(error), field: message.type, wamid: message.id, dedupe: `message|${message.id}|${error.code}`, occurredAt: message.timestamp });
      }
      const applied = await applyMessage(services, trx, { workspaceId, numberId, change, message, contactCache });
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
        events.push({ numberId, kind: "status_error", ...errorFields(error), field: status.status, wamid: status.id, dedupe: `status|${status.id}|${status.status}|${error.code}`, occurredAt: status.timestamp });
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
  if (statuses.length > 0) {
    await applyStatuses(trx, workspaceId, statuses);
    outcome.statuses = statuses.length;
  }
  if (changes.some((change) => change.kind === "template")) {
    const { reports, updates, skipped } = parseTemplateReports(JSON.parse(body) as unknown, receivedAt);
    await applyTemplateReports(trx, workspaceId, reports);
    await applyTemplateUpdates(trx, workspaceId, updates);
    outcome.ignored += skipped;
  }
  if (events.length > 0) {
    outcome.numberEvents = await recordNumberEvents(trx, services.keyring, workspaceId, events);
  }

  // Processed: the raw body is dropped, its effects now live under the contacts' data keys.
  await trx
    .updateTable("inbound_events")
    .set((eb) => ({ processed_at: new Date(), body_ciphertext: null, attempts: eb("attempts", "+", 1), error: null }))
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", eventId)
    .execute();
  outcome.processed = true;
  return outcome;
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
    change.contacts.find((contact) => (waId !== null && contact.wa_id === waId) || (message.from_user_id !== undefined && contact.user_id === message.from_user_id)) ??
    (change.contacts.length === 1 ? change.contacts[0] : undefined);
  const rawUserId = message.from_user_id ?? profile?.user_id ?? null;
  const userId = rawUserId !== null && WA_USER_ID.test(rawUserId) ? rawUserId : null;
  // A user with a username may show no profile name: the username names them instead.
  return { waId, userId, profileName: profile?.profile?.name ?? profile?.profile?.username ?? null };
}

async function applyMessage(
  services: Services,
  trx: Trx,
  input: { workspaceId: string; numberId: string; change: MessagesChange; message: InboundMessage; contactCache: Map<string, ContactRef> },
): Promise<"inserted" | "duplicate" | "skipped" | "removed" | "stale"> {
  const { workspaceId, numberId, change, message } = input;
  let sender = senderOf(change, message);
  if (message.type === "system") {
    const moved = await applyIdentityChange(services, trx, workspaceId, message, sender);
    if (moved) sender = moved;
  }
  // Users with a username may come with a BSUID and no phone: such a contact is keyed by the BSUID.
  if (sender.waId === null && sender.userId === null) return "skipped";
  const cacheKey = `${sender.waId ?? ""}|${sender.userId ?? ""}`;
  let contact = input.contactCache.get(cacheKey);
  if (!contact) {
    contact = await upsertWhatsAppContact(trx, services.keyring, { workspaceId, waId: sender.waId, userId: sender.userId, profileName: sender.profileName, at: message.timestamp });
    input.contactCache.set(cacheKey, contact);
  }
  const conversationId = await upsertOpenConversation(trx, { workspaceId, contactId: contact.id, numberId, inboundAt: message.timestamp });
  if (message.type === "reaction" && message.reaction) {
    // One reaction per user and message: a newer one replaces it, an empty one removes it, and an
    // event older than the latest applied (a redelivery, a reordering) changes nothing.
    const removal = !message.reaction.emoji;
    const applied = await applyReactionEvent(trx, {
      workspaceId,
      contactId: contact.id,
      phoneNumberId: change.phoneNumberId,
      targetWamid: message.reaction.message_id,
      wamid: message.id,
      at: message.timestamp,
      removed: removal,
    });
    if (!applied) return "stale";
    if (removal) return "removed";
  }
  const media = mediaOf(message);
  const id = await insertInboundMessage(trx, services.keyring, {
    workspaceId,
    conversationId,
    contact,
    numberId,
    phoneNumberId: change.phoneNumberId,
    wamid: message.id,
    type: message.type,
    content: messageContent(message),
    occurredAt: message.timestamp,
    contextWamid: message.context?.id ?? null,
    reactionToWamid: message.reaction?.message_id ?? null,
    media: media ? { id: media.id, mimeType: media.mime_type ?? null, sha256: media.sha256 ?? null } : null,
  });
  if (!id) return "duplicate";
  // The fetch job commits with the message (outbox): no message without its fetch, and no fetch for
  // a rolled-back message. Without a blob store (tools, some tests) media stays metadata only.
  if (media && services.blobs) await enqueueMediaFetch(trx, workspaceId, id);
  return "inserted";
}

/**
 * A `system` message saying the user changed their number (or BSUID): the contact moves to the new
 * identifier, keeping its history, and the move is audited with identifiers only. Returns the
 * sender to file the system message under (the new identifier), or undefined when it is not such
 * a message.
 */
async function applyIdentityChange(
  services: Services,
  trx: Trx,
  workspaceId: string,
  message: InboundMessage,
  sender: ReturnType<typeof senderOf>,
): Promise<ReturnType<typeof senderOf> | undefined> {
  const system = message.system;
  let change: IdentityChange | undefined;
  if (system?.type === "user_changed_number" && sender.waId !== null && system.wa_id !== undefined && /^[1-9]\d{7,14}$/.test(system.wa_id) && system.wa_id !== sender.waId) {
    change = { kind: "number", fromWaId: sender.waId, toWaId: system.wa_id };
  } else if (system?.type === "user_changed_user_id" && system.previous_user_id !== undefined && system.user_id !== undefined && WA_USER_ID.test(system.previous_user_id) && WA_USER_ID.test(system.user_id)) {
    change = { kind: "user_id", fromUserId: system.previous_user_id, toUserId: system.user_id };
  }
  if (!change) return undefined;
  const result = await changeWhatsAppIdentity(trx, services.keyring, workspaceId, change);
  if (result.outcome !== "not_found") {
    await recordAudit(trx, {
      workspaceId,
      actor: { type: "system", id: null },
      action: change.kind === "number" ? "contact.number_changed" : "contact.user_id_changed",
      ...(result.contact ? { target: { type: "contact", id: result.contact.id } } : {}),
      metadata: { outcome: result.outcome, wamid: message.id.slice(0, 256) },
    });
  }
  // Filed under the new identifier: the moved contact (or, on a conflict, the one that has it).
  return change.kind === "number" ? { ...sender, waId: change.toWaId, userId: null } : { ...sender, waId: sender.waId, userId: change.toUserId };
}

