import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { trashContact } from "../../src/features/contacts/repository.ts";
import { sendMessageBody } from "../../src/features/messages/message-schema.ts";
import { queueMessage } from "../../src/features/messages/service.ts";
import { withRealtime } from "../../src/realtime/events.ts";
import { startSendHarness, type SendHarness } from "./send-support.ts";

// A message queued before its contact went to the trash is never sent: the send worker fails it
// with a reason instead of calling Meta, and the simulator's customer receives nothing.

let h: SendHarness;
beforeAll(async () => {
  h = await startSendHarness();
}, 60_000);
afterAll(async () => h?.close());

describe("a contact moved to the trash after a send was queued", () => {
  it("is not messaged: the queued message fails with a reason and never reaches the customer", async () => {
    const waId = "4915119000001";
    const inbound = await h.customerWrites(waId);
    const contact = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx
        .selectFrom("conversations")
        .select("contact_id")
        .where("workspace_id", "=", h.workspaceId)
        .where("id", "=", inbound.conversationId)
        .executeTakeFirstOrThrow(),
    );
    const body = sendMessageBody.parse({ conversationId: inbound.conversationId, type: "text", text: { body: "Too late" } });
    // Queued and trashed in one transaction, so the worker cannot send before the trash commits.
    const queued = await withRealtime(h.services, h.workspaceId, () =>
      withWorkspace(h.db, { workspaceId: h.workspaceId }, async (trx) => {
        const message = await queueMessage(h.services, trx, {
          workspaceId: h.workspaceId,
          userId: null,
          canStartConversations: true,
          body,
        });
        await trashContact(trx, h.workspaceId, contact.contact_id, new Date(), new Date(Date.now() + 30 * 24 * 60 * 60_000));
        return message;
      }),
    );
    const row = await h.waitForMessage(queued.id, (message) => message.status === "failed");
    expect(row).toMatchObject({ wamid: null, send_error: "The contact was moved to the trash before the message was sent." });
    const received = [...h.sim.state.outbound.values()].filter((message) => JSON.stringify(message).includes("Too late"));
    expect(received).toEqual([]);
  });
});
