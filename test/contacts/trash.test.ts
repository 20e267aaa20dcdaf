import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { purgeExpiredTrash, purgeWorkspaceTrash } from "../../src/features/contacts/purge.ts";
import { TRASH_DAYS } from "../../src/features/contacts/service.ts";
import { inboundPort } from "../../src/features/messages/inbound.ts";
import { sendMessageBody } from "../../src/features/messages/message-schema.ts";
import { queueMessage, SEND_QUEUE } from "../../src/features/messages/service.ts";
import { withoutRealtime } from "../../src/realtime/events.ts";
import { messageSchema } from "../../src/whatsapp/inbound/payload.ts";
import { seedConversation, seedNumber } from "../support/workspace-fixtures.ts";
import { auditEntries, createContactsWorld, errorCode, type ContactsWorld, type Json } from "./support.ts";

// The trash (issue #17 point 2): deleting a contact hides it from lists, search and the inbox and
// refuses any send to it, restore brings it back, an inbound message restores it, and the purge
// erases it after 30 days — bounded, resumable and idempotent, with a PII-free erasure record and
// an audit entry. Erasure on request stays immediate and leaves the same record.

let world: ContactsWorld;
let numberId: string;
const DAY_MS = 24 * 60 * 60_000;

beforeAll(async () => {
  world = await createContactsWorld();
  numberId = await seedNumber(world.services, world.workspaceA, { phoneNumberId: "300" });
});
afterAll(async () => {
  await world?.close();
});

let nextPhone = 0;
/** A customer who wrote in, so a free-form reply is allowed: contact, open conversation, one message. */
async function customer(name = "Trash Candidate"): Promise<{ contactId: string; conversationId: string; waId: string }> {
  nextPhone += 1;
  const waId = `49151400${String(nextPhone).padStart(5, "0")}`;
  const seeded = await seedConversation(world.services, {
    workspaceId: world.workspaceA,
    numberId,
    waId,
    profileName: name,
    phoneNumberId: "300",
    texts: ["hello"],
  });
  return { contactId: seeded.contactId, conversationId: seeded.conversationId, waId };
}

const ids = (json: Json) => (json.data as Array<{ id: string }>).map((row) => row.id);

async function send(body: Json) {
  return withoutRealtime(() =>
    withWorkspace(world.db, { workspaceId: world.workspaceA }, (trx) =>
      queueMessage(world.services, trx, {
        workspaceId: world.workspaceA,
        userId: world.owner.userId,
        canStartConversations: true,
        body: sendMessageBody.parse(body),
      }),
    ),
  );
}

async function sendJobsFor(contactId: string): Promise<number> {
  const jobs = await withoutWorkspace(world.db, (trx) =>
    trx.selectFrom("jobs").select("payload").where("queue", "=", SEND_QUEUE).execute(),
  );
  return jobs.filter((job) => (job.payload as { contactId?: string }).contactId === contactId).length;
}

describe("moving a contact to the trash", () => {
  it("hides it from the list, reads, search and the inbox, shows it in the trash, and restores it", async () => {
    const { contactId, conversationId, waId } = await customer();
    const before = Date.now();
    const trashed = await world.call(world.admin, "POST", `${world.contacts()}/${contactId}/trash`);
    expect(trashed.status, trashed.text).toBe(200);
    const purgeAfter = Date.parse(trashed.json.purgeAfter as string);
    expect(purgeAfter).toBeGreaterThanOrEqual(before + TRASH_DAYS * DAY_MS - 1_000);
    expect(purgeAfter).toBeLessThanOrEqual(Date.now() + TRASH_DAYS * DAY_MS);

    expect(ids((await world.call(world.owner, "GET", `${world.contacts()}?limit=100`)).json)).not.toContain(contactId);
    expect(ids((await world.call(world.owner, "GET", `${world.contacts()}?phone=%2B${waId}`)).json)).toEqual([]);
    expect((await world.call(world.owner, "GET", `${world.contacts()}/${contactId}`)).status).toBe(404);
    expect((await world.call(world.owner, "PATCH", `${world.contacts()}/${contactId}`, { name: "x" })).status).toBe(404);
    const inbox = await withWorkspace(world.db, { workspaceId: world.workspaceA }, async (trx) => {
      const { listInbox, findInboxConversation } = await import("../../src/features/conversations/repository.ts");
      return {
        list: await listInbox(trx, world.services.keyring, world.workspaceA, { view: "all", userId: world.owner.userId, limit: 100 }),
        one: await findInboxConversation(trx, world.services.keyring, world.workspaceA, conversationId),
      };
    });
    expect(inbox.list.map((row) => row.id)).not.toContain(conversationId);
    expect(inbox.one).toBeUndefined();

    const trash = await world.call(world.owner, "GET", `${world.contacts()}/trash`);
    expect(trash.status).toBe(200);
    const listed = (trash.json.data as Array<Json>).find((row) => row.id === contactId);
    expect(listed).toMatchObject({ id: contactId, phone: `+${waId}`, purgeAfter: trashed.json.purgeAfter });

    // Its number is not free: adding or importing it again says it is in the trash.
    const again = await world.call(world.owner, "POST", world.contacts(), { phone: `+${waId}` });
    expect([again.status, errorCode(again.json), (again.json.error as { message: string }).message]).toEqual([
      409,
      "CONFLICT",
      "A contact with this phone number is in the trash; restore it instead.",
    ]);
    const imported = await world.call(world.owner, "POST", `${world.contacts()}/import`, { csv: `phone,name\n+${waId},Again\n` });
    expect(imported.json.rows).toEqual([
      { row: 2, status: "invalid", errors: [{ column: "phone", message: expect.stringContaining("in the trash") }] },
    ]);

    // Trashing twice changes nothing (the first purge date stands): it is no longer outside the trash.
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(404);

    const restored = await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json).toMatchObject({ id: contactId, conversationCount: 1 });
    expect(ids((await world.call(world.owner, "GET", `${world.contacts()}?phone=%2B${waId}`)).json)).toEqual([contactId]);
    expect(ids((await world.call(world.owner, "GET", `${world.contacts()}/trash`)).json)).not.toContain(contactId);
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/restore`)).status).toBe(404);

    const entries = (await auditEntries(world, world.workspaceA, ["contact.trashed", "contact.restored"])).filter(
      (entry) => entry.target_id === contactId,
    );
    expect(entries.map((entry) => entry.action)).toEqual(["contact.trashed", "contact.restored"]);
    expect(JSON.stringify(entries)).not.toMatch(/Trash Candidate|49151400/);
  });

  it("refuses any send to a contact in the trash, by number or in its conversation, and queues nothing", async () => {
    const { contactId, conversationId, waId } = await customer();
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(200);
    const jobsBefore = await sendJobsFor(contactId);
    for (const body of [
      { conversationId, type: "text", text: { body: "are you there?" } },
      { numberId, to: `+${waId}`, type: "text", text: { body: "are you there?" } },
    ]) {
      await expect(send(body)).rejects.toMatchObject({ code: "CONTACT_IN_TRASH", status: 422 });
    }
    expect(await sendJobsFor(contactId)).toBe(jobsBefore);
    const messages = await world.db.owner.selectFrom("messages").select("direction").where("contact_id", "=", contactId).execute();
    expect(messages.map((message) => message.direction)).toEqual(["in"]);

    // Restored, the same send goes out.
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/restore`)).status).toBe(200);
    await send({ conversationId, type: "text", text: { body: "back again" } });
    expect(await sendJobsFor(contactId)).toBe(jobsBefore + 1);
  });

  it("restores the contact when it writes in, keeping the message, and audits it as the system", async () => {
    const { contactId, conversationId, waId } = await customer();
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(200);
    const message = messageSchema.parse({
      from: waId,
      id: `wamid.back-${randomUUID()}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: "text",
      text: { body: "hi again" },
    });
    const outcome = await withoutRealtime(() =>
      withWorkspace(world.db, { workspaceId: world.workspaceA }, (trx) =>
        inboundPort
          .openDelivery(world.services, trx, world.workspaceA)
          .message({ numberId, phoneNumberId: "300", message, sender: { waId, userId: null, profileName: "Trash Candidate" } }),
      ),
    );
    expect(outcome).toBe("inserted");
    expect((await world.call(world.owner, "GET", `${world.contacts()}/${contactId}`)).status).toBe(200);
    const row = await world.db.owner
      .selectFrom("contacts")
      .select(["deleted_at", "purge_after"])
      .where("id", "=", contactId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ deleted_at: null, purge_after: null });
    expect(await world.db.owner.selectFrom("messages").select("id").where("conversation_id", "=", conversationId).execute()).toHaveLength(
      2,
    );
    const entries = (await auditEntries(world, world.workspaceA, ["contact.restored"])).filter((entry) => entry.target_id === contactId);
    expect(entries).toEqual([{ action: "contact.restored", target_id: contactId, metadata: { reason: "inbound_message" } }]);
  });

  it("is for Owners and Admins, and keeps workspaces apart", async () => {
    const { contactId } = await customer();
    for (const user of [world.agent, world.analyst]) {
      for (const [method, url] of [
        ["POST", `${world.contacts()}/${contactId}/trash`],
        ["POST", `${world.contacts()}/${contactId}/restore`],
        ["GET", `${world.contacts()}/trash`],
      ] as const) {
        const answer = await world.call(user, method, url);
        expect([answer.status, errorCode(answer.json)], `${method} ${url}`).toEqual([403, "FORBIDDEN"]);
      }
    }
    // B's Owner in B's own workspace, naming A's contact: it does not exist there.
    expect((await world.call(world.ownerB, "POST", `${world.contacts(world.workspaceB)}/${contactId}/trash`)).status).toBe(404);
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(200);
    expect((await world.call(world.ownerB, "POST", `${world.contacts(world.workspaceB)}/${contactId}/restore`)).status).toBe(404);
    expect(ids((await world.call(world.ownerB, "GET", `${world.contacts(world.workspaceB)}/trash`)).json)).not.toContain(contactId);
    // And B's purge cannot reach A's trash.
    expect(await purgeWorkspaceTrash(world.services, world.workspaceB, new Date(Date.now() + 60 * DAY_MS))).toBe(0);
    expect(await world.db.owner.selectFrom("contacts").select("id").where("id", "=", contactId).execute()).toHaveLength(1);
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/restore`)).status).toBe(200);
  });
});

describe("the purge", () => {
  it("erases contacts whose 30 days ended, in bounded batches that resume, once, with a PII-free record", async () => {
    const due = [await customer("Purge Me One"), await customer("Purge Me Two"), await customer("Purge Me Three")];
    const young = await customer("Keep Me");
    for (const { contactId } of [...due, young])
      expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(200);
    // The three are past their trash period; the young one has days left.
    await world.db.owner
      .updateTable("contacts")
      .set({ purge_after: new Date(Date.now() - DAY_MS) })
      .where(
        "id",
        "in",
        due.map((item) => item.contactId),
      )
      .execute();
    const dataKeys = await world.db.owner
      .selectFrom("contacts")
      .select("data_key_id")
      .where(
        "id",
        "in",
        due.map((item) => item.contactId),
      )
      .execute();

    // Before the end of the period nothing is due.
    const early = await purgeExpiredTrash(world.services, { now: new Date(Date.now() - 2 * DAY_MS) });
    expect(early.erased).toBe(0);

    // A batch of two stops short (as a crash or the budget would); the next run finishes the rest.
    expect(await purgeWorkspaceTrash(world.services, world.workspaceA, new Date(), 2)).toBe(2);
    const second = await purgeExpiredTrash(world.services, { batchSize: 2 });
    expect(second.erased).toBe(1);
    // Idempotent: nothing is left to do, and nothing is recorded twice.
    expect((await purgeExpiredTrash(world.services)).erased).toBe(0);

    const dueIds = due.map((item) => item.contactId);
    expect(await world.db.owner.selectFrom("contacts").select("id").where("id", "in", dueIds).execute()).toEqual([]);
    expect(await world.db.owner.selectFrom("messages").select("id").where("contact_id", "in", dueIds).execute()).toEqual([]);
    expect(
      await world.db.owner
        .selectFrom("data_keys")
        .select("id")
        .where(
          "id",
          "in",
          dataKeys.map((row) => row.data_key_id),
        )
        .execute(),
    ).toEqual([]);
    expect(await world.db.owner.selectFrom("contacts").select("id").where("id", "=", young.contactId).execute()).toHaveLength(1);

    const records = await world.db.owner.selectFrom("erasures").selectAll().where("contact_id", "in", dueIds).execute();
    expect(records).toHaveLength(3);
    for (const record of records)
      expect(record).toMatchObject({ workspace_id: world.workspaceA, reason: "trash_purge", requested_by_user_id: null });
    expect(JSON.stringify(records)).not.toMatch(/Purge Me|49151400/);
    const entries = (await auditEntries(world, world.workspaceA, ["contact.erased"])).filter((entry) =>
      dueIds.includes(entry.target_id ?? ""),
    );
    expect(entries).toHaveLength(3);
    for (const entry of entries) expect(entry.metadata).toEqual({ reason: "trash_purge" });
  });

  it("leaves an erasure on request immediate, also from the trash, with a record naming who asked", async () => {
    const { contactId } = await customer("Forget Me");
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(200);
    expect((await world.call(world.owner, "DELETE", `${world.contacts()}/${contactId}`)).status).toBe(204);
    expect((await world.call(world.owner, "DELETE", `${world.contacts()}/${contactId}`)).status).toBe(404);
    const records = await world.db.owner
      .selectFrom("erasures")
      .select(["reason", "requested_by_user_id"])
      .where("contact_id", "=", contactId)
      .execute();
    expect(records).toEqual([{ reason: "request", requested_by_user_id: world.owner.userId }]);
    // The erasures ledger is tenant data: B sees none of A's rows.
    const seenByB = await withWorkspace(world.db, { workspaceId: world.workspaceB }, (trx) =>
      trx.selectFrom("erasures").select("id").where("contact_id", "=", contactId).execute(),
    );
    expect(seenByB).toEqual([]);
  });
});
