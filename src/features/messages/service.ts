import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { createContact, findContactByPhone } from "../contacts/repository.ts";
import { guardReply, recordTakeover } from "../conversations/collision.ts";
import {
  findConversationParties,
  lastInboundAt,
  openConversation,
  SERVICE_WINDOW_MS,
  touchConversation,
} from "../conversations/repository.ts";
import { findContactDataKey } from "../contacts/whatsapp-repository.ts";
import { assertContactSendable } from "../contacts/service.ts";
import { findNumberStatus } from "../numbers/repository.ts";
import { findMessageWamid, insertOutboundMessage } from "./repository.ts";
import type { Caller } from "../../identity/caller.ts";
import { enqueueJob } from "../../jobs/definition.ts";
import { announceJobs } from "../../jobs/queue.ts";
import { noteRealtimeEvent } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import { claimUpload } from "./media/upload.ts";
import { checkTemplateSend } from "../templates/catalogue.ts";
import type { RenderedTemplate } from "../templates/render.ts";
import { assertMarketingConsent } from "../consent/service.ts";
import { needsServiceWindow, toGraphContent, uploadOf, withRendered, type SendMessageBody } from "./message-schema.ts";
import { SEND_QUEUE, sendMessageJob } from "./worker.ts";

// The outbox (DESIGN §2, STYLE 13): the message row (status `queued`, content encrypted under the
// contact's data key) and its send job are written in the caller's transaction — both or neither.
// Everything that can be refused without Meta is refused here, before anything is queued.

export { RECONCILE_QUEUE, SEND_JOB_MAX_ATTEMPTS, SEND_QUEUE } from "./worker.ts";

/**
 * After the transaction that queued messages committed: the send workers claim them now instead of
 * at their next poll (a person or an API client is waiting for the send).
 */
export function announceQueuedMessages(services: Services): void {
  announceJobs(services.coordination.pubsub, SEND_QUEUE);
}

export type QueueMessageInput = {
  workspaceId: string;
  /** The member sending (null for system sends). */
  userId: string | null;
  /** May open a conversation with any phone number (not only in conversations assigned to them). */
  canStartConversations: boolean;
  body: SendMessageBody;
  /**
   * The member (or their API key) sending: replies in a conversation are then checked for
   * collisions and audited when they take over (see features/conversations/collision.ts).
   */
  actor?: Caller;
  /** The message's id when the caller derives it (a broadcast recipient's attempt): a second queueing of it fails on the key. */
  messageId?: string;
  now?: Date;
};

export type QueuedMessage = {
  id: string;
  conversationId: string;
  numberId: string;
  type: SendMessageBody["type"];
  status: "queued";
  createdAt: Date;
};

type Target = { conversationId: string; contactId: string; numberId: string; phoneNumberId: string };

function refuse(reason: string, message: string): AppError {
  return new AppError("UNPROCESSABLE", message, { details: { reason } });
}

async function loadSendableNumber(trx: Tx, workspaceId: string, numberId: string): Promise<{ id: string; phoneNumberId: string }> {
  const number = await findNumberStatus(trx, workspaceId, numberId);
  if (!number) throw new AppError("NOT_FOUND", "The number does not exist.");
  if (number.status === "credentials_invalid") {
    throw refuse("number_credentials_invalid", "This number's access token is invalid or expired; update it before sending.");
  }
  if (number.status !== "active") throw refuse("number_disconnected", "This number is disconnected.");
  return { id: number.id, phoneNumberId: number.phone_number_id };
}

async function resolveTarget(services: Services, trx: Tx, input: QueueMessageInput): Promise<Target> {
  const { workspaceId, body } = input;
  if (body.conversationId !== undefined) {
    // RLS hides conversations an Agent is not assigned: for them it does not exist.
    const conversation = await findConversationParties(trx, workspaceId, body.conversationId);
    if (!conversation) throw new AppError("NOT_FOUND", "The conversation does not exist.");
    const number = await loadSendableNumber(trx, workspaceId, conversation.number_id);
    return {
      conversationId: conversation.id,
      contactId: conversation.contact_id,
      numberId: number.id,
      phoneNumberId: number.phoneNumberId,
    };
  }
  if (!input.canStartConversations) throw new AppError("FORBIDDEN", "You may send only in conversations assigned to you.");
  const number = await loadSendableNumber(trx, workspaceId, body.numberId!);
  let contact = await findContactByPhone(trx, services.keyring, workspaceId, body.to!);
  if (!contact) {
    try {
      contact = await createContact(trx, services.keyring, { workspaceId, phone: body.to! });
    } catch (error) {
      // Created by a concurrent request meanwhile: use that one.
      if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
      contact = await findContactByPhone(trx, services.keyring, workspaceId, body.to!);
      if (!contact) throw error;
    }
  }
  const conversation = await openConversation(trx, workspaceId, contact.id, number.id);
  if (!conversation) throw new AppError("NOT_FOUND", "The conversation does not exist.");
  return { conversationId: conversation.id, contactId: contact.id, numberId: number.id, phoneNumberId: number.phoneNumberId };
}

/**
 * Validates the send against local state (number usable, 24-hour window for free-form messages,
 * reaction target), then writes the message row and its send job in `trx`.
 */
export async function queueMessage(services: Services, trx: Tx, input: QueueMessageInput): Promise<QueuedMessage> {
  const { workspaceId, body } = input;
  const now = input.now ?? new Date();
  const target = await resolveTarget(services, trx, input);
  // A contact in the trash is never messaged, by number or in a conversation it already had.
  await assertContactSendable(trx, workspaceId, target.contactId);
  const takeover =
    body.conversationId !== undefined && input.actor ? await guardReply(trx, input.actor, target.conversationId, body) : null;

  if (needsServiceWindow(body.type)) {
    // Meta would answer 131047 (reference/cloud-api.md §6, §11): refuse before queueing.
    const at = await lastInboundAt(trx, workspaceId, target.contactId, target.numberId);
    if (at === null || now.getTime() - at.getTime() >= SERVICE_WINDOW_MS) {
      throw refuse(
        "service_window_closed",
        "The customer has not written in the last 24 hours, so only an approved template can be sent (WhatsApp error 131047). Send a template message instead.",
      );
    }
  }

  // A template Parley knows must be approved and get the parameters its components name; a
  // marketing template is business-initiated marketing and needs the contact's marketing consent
  // (utility and authentication templates, and replies in the window, do not). Its rendered form is
  // stored with the content, so the thread shows what the customer received.
  let rendered: RenderedTemplate | null = null;
  if (body.type === "template") {
    const known = await checkTemplateSend(trx, services.keyring, workspaceId, target.numberId, body.template!);
    if (known?.category === "MARKETING") await assertMarketingConsent(trx, workspaceId, target.contactId);
    rendered = known?.rendered ?? null;
  }

  let reactionWamid: string | undefined;
  if (body.type === "reaction") {
    const targetMessage = await findMessageWamid(trx, workspaceId, target.conversationId, body.reaction!.messageId);
    if (!targetMessage?.wamid)
      throw refuse("reaction_target_unknown", "The message to react to is not in this conversation or has no WhatsApp id yet.");
    reactionWamid = targetMessage.wamid;
  }

  const dataKeyId = await findContactDataKey(trx, workspaceId, target.contactId);
  const uploadId = uploadOf(body);
  // A Parley upload: the message takes the upload's id (its sealed blob is bound to it) and blob.
  const upload =
    uploadId === undefined
      ? undefined
      : await claimUpload(trx, workspaceId, { uploadId, conversationId: target.conversationId, type: body.type, now });
  const id = upload?.id ?? input.messageId ?? randomUUID();
  const content = withRendered(toGraphContent(body, reactionWamid), rendered);
  const mediaId =
    body.type === "image" || body.type === "video" || body.type === "audio" || body.type === "document" || body.type === "sticker"
      ? (body[body.type]!.id ?? null)
      : null;
  await insertOutboundMessage(trx, services.keyring, {
    workspaceId,
    id,
    target,
    type: body.type,
    content,
    dataKeyId,
    mediaId,
    upload,
    reactionWamid: reactionWamid ?? null,
    userId: input.userId,
    now,
  });
  await touchConversation(trx, workspaceId, target.conversationId, now);
  await enqueueJob(trx, sendMessageJob, {
    workspaceId,
    messageId: id,
    numberId: target.numberId,
    contactId: target.contactId,
    ...(upload ? { upload: true } : {}),
  });
  if (takeover && input.actor) await recordTakeover(trx, input.actor, takeover, id);
  // Published after the caller's transaction commits (inside withRealtime; a no-op elsewhere).
  noteRealtimeEvent({ type: "message.created", data: { conversationId: target.conversationId, messageId: id, direction: "out" } });
  return { id, conversationId: target.conversationId, numberId: target.numberId, type: body.type, status: "queued", createdAt: now };
}
