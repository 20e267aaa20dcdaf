import { z } from "zod";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { defineRoute } from "../../http/define-route.ts";
import { renderErrorBody } from "../../http/errors.ts";
import { withRealtime } from "../../realtime/events.ts";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  fingerprintRequest,
  parseIdempotencyKey,
  principalOfCaller,
  releaseIdempotencyKey,
  type IdempotencyScope,
} from "./idempotency.ts";
import { MESSAGE_TYPES, sendMessageBody } from "./message-schema.ts";
import { announceQueuedMessages, queueMessage, type QueuedMessage } from "./service.ts";

// POST /api/v1/workspaces/:workspaceId/messages: queue one WhatsApp message (202). The send itself
// happens in the worker, within Meta's limits; the message's status follows in the conversation.
// With an Idempotency-Key the request can be retried safely (see ./idempotency.ts).

const params = z.strictObject({ workspaceId: z.uuid() });

const queuedResponse = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  numberId: z.uuid(),
  type: z.enum(MESSAGE_TYPES),
  status: z.literal("queued"),
  createdAt: z.iso.datetime(),
});

// A replayed refusal leaves through these, byte for byte what the first request answered.
const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }),
});

function present(message: QueuedMessage): z.input<typeof queuedResponse> {
  return {
    id: message.id,
    conversationId: message.conversationId,
    numberId: message.numberId,
    type: message.type,
    status: message.status,
    createdAt: message.createdAt.toISOString(),
  };
}

export const sendRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/messages",
    summary:
      "Queue a WhatsApp message (text, template, media, interactive, reaction) to a conversation or a phone number. A reply may carry `ifLastMessageId` (the conversation's newest message when it was started): if someone else has sent a message since, it is refused with 409 REPLY_COLLISION (who and when, never the text) unless it carries `takeover: true`. Sending anyway, or in a conversation assigned to another member, is audited as conversation.takeover with the message; the assignment does not change.",
    tags: ["messages"],
    permission: "messages.send",
    caller: true,
    bodyLimit: 64 * 1024,
    errors: ["NOT_FOUND", "UNPROCESSABLE", "CONSENT_REQUIRED", "CONFLICT", "FORBIDDEN", "REPLY_COLLISION"],
    schema: {
      params,
      body: sendMessageBody,
      response: { 202: queuedResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 422: errorResponse },
    },
    async handler({ services, caller, params: { workspaceId }, body, request, reply, requestId }) {
      const input = {
        workspaceId,
        userId: caller.userId,
        canStartConversations: caller.permissions.has("conversations.read_all"),
        body,
        actor: caller,
      };
      const context = { workspaceId, userId: caller.userId, role: caller.role };
      const key = parseIdempotencyKey(request.headers["idempotency-key"]);
      if (key === undefined) {
        const queued = await withRealtime(services, workspaceId, () =>
          withWorkspace(services.db, context, (trx) => queueMessage(services, trx, input)),
        );
        announceQueuedMessages(services);
        reply.code(202);
        return present(queued);
      }

      const scope: IdempotencyScope = { workspaceId, principal: principalOfCaller(caller), key };
      const claim = await claimIdempotencyKey(services.db, scope, fingerprintRequest({ route: "messages.send", workspaceId, body }));
      if (claim.kind === "replay") {
        reply.code(claim.response.status).header("idempotent-replayed", "true");
        return claim.response.body as z.input<typeof queuedResponse>;
      }
      try {
        const response = await withRealtime(services, workspaceId, () =>
          withWorkspace(services.db, context, async (trx) => {
            const queued = present(await queueMessage(services, trx, input));
            await completeIdempotencyKey(trx, scope, { status: 202, body: queued });
            return queued;
          }),
        );
        announceQueuedMessages(services);
        reply.code(202);
        return response;
      } catch (error) {
        if (error instanceof AppError && error.status < 500) {
          // A refusal is a result too: the same request gets the same answer (Stripe semantics).
          await withWorkspace(services.db, { workspaceId }, (trx) =>
            completeIdempotencyKey(trx, scope, { status: error.status, body: renderErrorBody(error, requestId) }),
          );
        } else {
          // Nothing was written (the transaction rolled back): the key is free for a retry.
          await releaseIdempotencyKey(services.db, scope).catch(() => undefined);
        }
        throw error;
      }
    },
  }),
];
