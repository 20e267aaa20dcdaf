import { z } from "zod";
import { withWorkspace } from "../../db/with-workspace.ts";
import {
  applyStatuses,
  insertInboundMessage,
  upsertOpenConversation,
  upsertWhatsAppContact,
  type ContactRef,
  type StatusEvent,
} from "../../features/conversations/repository.ts";
import type { JobHandler } from "../../jobs/queue.ts";
import { withRealtime } from "../../realtime/events.ts";
import { scrubText } from "../../log/scrub.ts";
import type { Services } from "../../services.ts";
import { enqueueMediaFetch } from "../media/fetch.ts";
import type { DeliveryStatus } from "../schema.ts";
import { applyTemplateReports, parseTemplateReports, TEMPLATE_STATUS_FIELD } from "../templates/status.ts";
import { inboundBodyField } from "../webhook/store.ts";
import { mediaOf, messageContent, parseWebhook, type InboundMessage, type ParsedChange } from "./payload.ts";

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
    if (outcome.processed) log.info({ messages: outcome.messages, duplicates: outcome.duplicates, statuses: outcome.statuses, ignored: outcome.ignored }, "inbound event processed");
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
  const outcome: InboundOutcome = { processed: false, messages: 0, duplicates: 0, statuses: 0, ignored: 0 };
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
  const numbers = await trx.selectFrom("numbers").select(["id", "phone_number_id"]).where("workspace_id", "=", workspaceId).execute();
  const numberByPhoneId = new Map(numbers.map((row) => [row.phone_number_id, row.id]));

  const statuses: StatusEvent[] = [];
  const contactCache = new Map<string, ContactRef>();
  for (const change of changes) {
    if (change.kind === "ignored") {
      // Account and other fields: kept in the stored event, not applied. Template statuses: below.
      if (change.field !== TEMPLATE_STATUS_FIELD) outcome.ignored += 1;
      continue;
    }
    const numberId = numberByPhoneId.get(change.phoneNumberId);
    if (!numberId) {
      outcome.ignored += change.messages.length + change.statuses.length;
      continue;
    }
    outcome.ignored += change.skipped;
    for (const message of change.messages) {
      const inserted = await applyMessage(services, trx, { workspaceId, numberId, change, message, contactCache });
      if (inserted === "inserted") outcome.messages += 1;
      else if (inserted === "duplicate") outcome.duplicates += 1;
      else outcome.ignored += 1;
    }
    for (const status of change.statuses) {
      if (!DELIVERY_STATUSES.has(status.status)) {
        outcome.ignored += 1;
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
  if (changes.some((change) => change.kind === "ignored" && change.field === TEMPLATE_STATUS_FIELD)) {
    const { reports, skipped } = parseTemplateReports(JSON.parse(body) as unknown, new Date());
    await applyTemplateReports(trx, workspaceId, reports);
    outcome.ignored += skipped;
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

async function applyMessage(
  services: Services,
  trx: Trx,
  input: { workspaceId: string; numberId: string; change: Extract<ParsedChange, { kind: "messages" }>; message: InboundMessage; contactCache: Map<string, ContactRef> },
): Promise<"inserted" | "duplicate" | "skipped"> {
  const { workspaceId, numberId, change, message } = input;
  // Users with a username and no phone exchange carry only a BSUID; contacts are keyed by phone for now.
  const waId = message.from;
  if (!waId || !/^[1-9]\d{7,14}$/.test(waId)) return "skipped";
  const profile = change.contacts.find((contact) => contact.wa_id === waId);
  let contact = input.contactCache.get(waId);
  if (!contact) {
    contact = await upsertWhatsAppContact(trx, services.keyring, {
      workspaceId,
      waId,
      profileName: profile?.profile?.name ?? null,
      userId: profile?.user_id ?? message.from_user_id ?? null,
      at: message.timestamp,
    });
    input.contactCache.set(waId, contact);
  }
  const conversationId = await upsertOpenConversation(trx, { workspaceId, contactId: contact.id, numberId, inboundAt: message.timestamp });
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
