import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { findAssignee, findNewestReplyByOthers, findThreadPosition } from "./repository.ts";

// Reply collisions in the team inbox. A reply may name the conversation's newest message when it
// was started (`ifLastMessageId`); if someone else has sent a message since, the reply is refused
// with REPLY_COLLISION (who and when, never the text) until the sender confirms with `takeover`.
// Sending anyway, and sending in a conversation assigned to another member (Owners and Admins
// may; Agents cannot see such conversations), is audited as conversation.takeover in the same
// transaction as the queued message. Sending never changes the assignment: an Owner or Admin
// stepping in must not pull the conversation out of the assignee's list while they work on it;
// reassigning stays the explicit, separately audited assign action.

export type ReplyGuard = { ifLastMessageId?: string | null | undefined; takeover?: boolean | undefined };

/** What a send takes over, to be audited once the message exists. */
export type Takeover = { conversationId: string; assigneeId: string | null; answeredByUserId: string | null; collision: boolean };

/**
 * Checks a reply in `conversationId` by `caller` against what they had seen, in the send's
 * transaction. The conversation row is locked first, so two concurrent replies in one
 * conversation are checked one after the other and the second sees the first.
 * Returns what the send takes over (null when nothing), or throws REPLY_COLLISION.
 */
export async function guardReply(
  trx: Tx,
  caller: Pick<Caller, "workspaceId" | "userId">,
  conversationId: string,
  guard: ReplyGuard,
): Promise<Takeover | null> {
  const { workspaceId, userId } = caller;
  const conversation = await findAssignee(trx, workspaceId, conversationId);
  if (!conversation) throw new AppError("NOT_FOUND", "The conversation does not exist.");

  let answer: { id: string; sent_by_user_id: string | null; occurred_at: Date } | undefined;
  if (guard.ifLastMessageId !== undefined) {
    let seen: { id: string; occurred_at: Date } | undefined;
    if (guard.ifLastMessageId !== null) {
      seen = await findThreadPosition(trx, workspaceId, conversationId, guard.ifLastMessageId);
      if (!seen) {
        throw new AppError("UNPROCESSABLE", "ifLastMessageId is not a message of this conversation.", {
          details: { reason: "last_message_unknown" },
        });
      }
    }
    // The inbox's order (newest first by time, then id): what comes after the message the sender saw last.
    answer = await findNewestReplyByOthers(trx, workspaceId, conversationId, userId, seen);
  }
  if (answer && !guard.takeover) {
    throw new AppError("REPLY_COLLISION", undefined, {
      details: { answeredByUserId: answer.sent_by_user_id, answeredAt: new Date(answer.occurred_at).toISOString(), messageId: answer.id },
    });
  }
  const assigneeId = conversation.assignedUserId;
  const assignedElsewhere = assigneeId !== null && assigneeId !== userId;
  if (!answer && !assignedElsewhere) return null;
  return { conversationId, assigneeId, answeredByUserId: answer?.sent_by_user_id ?? null, collision: answer !== undefined };
}

/** Audits a takeover with identifiers only (never the text), in the transaction that queued `messageId`. */
export async function recordTakeover(trx: Tx, caller: Caller, takeover: Takeover, messageId: string): Promise<void> {
  await recordCallerAudit(trx, caller, {
    action: "conversation.takeover",
    target: { type: "conversation", id: takeover.conversationId },
    metadata: { messageId, assigneeId: takeover.assigneeId, collision: takeover.collision, answeredByUserId: takeover.answeredByUserId },
  });
}
