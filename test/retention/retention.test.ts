import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOB_DELETE_QUEUE } from "../../src/blob/deletion.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { retentionRoutes } from "../../src/features/retention/routes.ts";
import { applyRetentionPolicies, applyWorkspaceRetention } from "../../src/features/retention/service.ts";
import { createApiWorld, errorCode, seedConversation, seedNumber, type ApiWorld, type Json } from "../support/workspace-fixtures.ts";

// Retention policies (issue #17 point 3): off by default; a preview counts exactly what applying
// would delete; applying deletes exactly the rows older than each kind's days (messages with their
// media files, closed conversations with everything in them, notes, unsent uploads) and keeps the
// rest, in bounded batches that resume, with one audit entry of counts per run; saving is the
// Owner's, re-authenticated and audited; workspaces stay apart; the audit log is never touched.

let world: ApiWorld<{ admin: "admin"; agent: "agent" }>;
const DAY_MS = 24 * 60 * 60_000;
const url = (workspaceId = world.workspaceId) => `/api/v1/workspaces/${workspaceId}/settings/retention`;

beforeAll(async () => {
  world = await createApiWorld({ routes: retentionRoutes, members: { admin: "admin", agent: "agent" } });
});
afterAll(async () => {
  await world?.close();
});

let nextPhone = 0;
/** A conversation whose `count` inbound messages were written `daysAgo` days ago. */
async function conversation(workspaceId: string, numberId: string, daysAgo: number, count: number) {
  nextPhone += 1;
  return seedConversation(world.services, {
    workspaceId,
    numberId,
    waId: `49151500${String(nextPhone).padStart(5, "0")}`,
    at: new Date(Date.now() - daysAgo * DAY_MS),
    texts: Array.from({ length: count }, (_, index) => `text ${index}`),
  });
}

async function addNote(workspaceId: string, conversationId: string, contactId: string, daysAgo: number): Promise<void> {
  await world.db.owner
    .insertInto("conversation_notes")
    .values({
      workspace_id: workspaceId,
      id: randomUUID(),
      conversation_id: conversationId,
      contact_id: contactId,
      body_ciphertext: "c",
      created_at: new Date(Date.now() - daysAgo * DAY_MS),
    })
    .execute();
}

async function addUpload(workspaceId: string, conversationId: string, contactId: string, daysAgo: number): Promise<string> {
  const blobKey = `uploads/${workspaceId}/${randomUUID()}`;
  await world.db.owner
    .insertInto("media_uploads")
    .values({
      workspace_id: workspaceId,
      id: randomUUID(),
      conversation_id: conversationId,
      contact_id: contactId,
      media_type: "image",
      mime_type: "image/png",
      size_bytes: 1,
      sha256: "0".repeat(64),
      blob_key: blobKey,
      created_at: new Date(Date.now() - daysAgo * DAY_MS),
    })
    .execute();
  return blobKey;
}

async function close(conversationId: string, daysAgo: number): Promise<void> {
  await world.db.owner
    .updateTable("conversations")
    .set({ status: "closed", closed_at: new Date(Date.now() - daysAgo * DAY_MS) })
    .where("id", "=", conversationId)
    .execute();
}

async function rows(table: "messages" | "conversations" | "conversation_notes" | "media_uploads", workspaceId: string): Promise<number> {
  const found = await world.db.owner.selectFrom(table).select("id").where("workspace_id", "=", workspaceId).execute();
  return found.length;
}

async function blobJobKeys(workspaceId: string): Promise<string[]> {
  const jobs = await withoutWorkspace(world.db, (trx) =>
    trx.selectFrom("jobs").select("payload").where("queue", "=", BLOB_DELETE_QUEUE).execute(),
  );
  return jobs.flatMap((job) => {
    const payload = job.payload as { workspaceId: string; keys: string[] };
    return payload.workspaceId === workspaceId ? payload.keys : [];
  });
}

const policy = { messagesDays: 90, closedConversationsDays: 30, notesDays: 60, uploadsDays: 7 };

describe("retention policies", () => {
  it("are off by default, preview exactly what applying deletes, and delete only rows past their days", async () => {
    const workspaceId = world.workspaceId;
    const initial = await world.call(world.owner, "GET", url());
    expect(initial.status, initial.text).toBe(200);
    expect(initial.json).toEqual({
      messagesDays: null,
      closedConversationsDays: null,
      notesDays: null,
      uploadsDays: null,
      updatedAt: null,
      auditLog: "kept",
    });

    const numberId = await seedNumber(world.services, workspaceId, { phoneNumberId: "100" });
    // Open, 100 days old: its 3 messages are past 90 days; the conversation stays (it is open).
    const old = await conversation(workspaceId, numberId, 100, 3);
    // Open, recent: kept whole.
    const recent = await conversation(workspaceId, numberId, 5, 2);
    // Closed 40 days ago with 2 messages from 45 days ago: the conversation goes with its messages.
    const closed = await conversation(workspaceId, numberId, 45, 2);
    await close(closed.conversationId, 40);
    // Closed 10 days ago: kept.
    const closedRecently = await conversation(workspaceId, numberId, 12, 1);
    await close(closedRecently.conversationId, 10);
    // A media message 100 days old, with its file.
    const mediaKey = `media/${workspaceId}/${randomUUID()}`;
    await world.db.owner.updateTable("messages").set({ media_blob_key: mediaKey }).where("id", "=", old.messageIds[0]!).execute();
    await addNote(workspaceId, recent.conversationId, recent.contactId, 70); // past 60 days
    await addNote(workspaceId, recent.conversationId, recent.contactId, 1);
    await addNote(workspaceId, closed.conversationId, closed.contactId, 1); // goes with its conversation
    const oldUpload = await addUpload(workspaceId, recent.conversationId, recent.contactId, 8); // past 7 days
    await addUpload(workspaceId, recent.conversationId, recent.contactId, 1);

    const preview = await world.call(world.owner, "POST", `${url()}/preview`, policy);
    expect(preview.status, preview.text).toBe(200);
    // 3 messages past 90 days; the closed conversation's are 45 days old and go with it.
    expect(preview.json).toEqual({ messages: 3, closedConversations: 1, notes: 1, uploads: 1 });
    // A preview deletes nothing.
    expect(await rows("messages", workspaceId)).toBe(8);
    // Off by default: a run with no policy deletes nothing.
    expect((await applyRetentionPolicies(world.services)).counts).toEqual({ messages: 0, closedConversations: 0, notes: 0, uploads: 0 });

    const saved = await world.call(world.owner, "PUT", url(), policy);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json).toMatchObject({ ...policy, auditLog: "kept" });
    expect((await world.call(world.owner, "GET", url())).json).toMatchObject(policy);
    const auditBefore = await world.db.owner.selectFrom("audit_entries").select("seq").where("workspace_id", "=", workspaceId).execute();

    const run = await applyRetentionPolicies(world.services);
    expect(run.counts).toEqual({ messages: 3, closedConversations: 1, notes: 1, uploads: 1 });
    expect(await rows("messages", workspaceId)).toBe(3);
    expect(await world.db.owner.selectFrom("messages").select("conversation_id").where("workspace_id", "=", workspaceId).execute()).toEqual(
      expect.arrayContaining([{ conversation_id: recent.conversationId }, { conversation_id: closedRecently.conversationId }]),
    );
    expect(await rows("conversations", workspaceId)).toBe(3);
    expect(await rows("conversation_notes", workspaceId)).toBe(1);
    expect(await rows("media_uploads", workspaceId)).toBe(1);
    expect(await blobJobKeys(workspaceId)).toEqual(expect.arrayContaining([mediaKey, oldUpload]));
    // Nothing is left past its days: the preview of the saved policy now counts nothing.
    expect((await world.call(world.owner, "POST", `${url()}/preview`, policy)).json).toEqual({
      messages: 0,
      closedConversations: 0,
      notes: 0,
      uploads: 0,
    });

    // The audit log is untouched by retention, and gained one entry with the counts.
    const auditAfter = await world.db.owner
      .selectFrom("audit_entries")
      .select(["seq", "action", "metadata"])
      .where("workspace_id", "=", workspaceId)
      .orderBy("seq")
      .execute();
    expect(auditAfter.slice(0, auditBefore.length).map((entry) => entry.seq)).toEqual(auditBefore.map((entry) => entry.seq));
    const applied = auditAfter.filter((entry) => entry.action === "retention.applied");
    expect(applied).toHaveLength(1);
    expect(applied[0]!.metadata).toMatchObject({ messages: 3, closedConversations: 1, notes: 1, uploads: 1, complete: true, ...policy });
    const changed = auditAfter.filter((entry) => entry.action === "retention.changed");
    expect(changed.map((entry) => entry.metadata)).toEqual([
      { ...policy, previousMessagesDays: null, previousClosedConversationsDays: null, previousNotesDays: null, previousUploadsDays: null },
    ]);
  });

  it("deletes in bounded batches that the next run continues, and never reaches another workspace", async () => {
    const workspaceId = world.outsiderWorkspaceId;
    const numberId = await seedNumber(world.services, workspaceId, { phoneNumberId: "100" });
    await conversation(workspaceId, numberId, 400, 5);
    const kept = await conversation(workspaceId, numberId, 1, 1);
    await world.db.owner.insertInto("retention_policies").values({ workspace_id: workspaceId, messages_days: 365 }).execute();
    const workspaceABefore = await rows("messages", world.workspaceId);

    const first = await applyWorkspaceRetention(world.services, workspaceId, {
      now: new Date(),
      deadline: Date.now() + 60_000,
      batchSizes: { messages: 2 },
      maxBatches: 2,
    });
    expect(first).toEqual({ counts: { messages: 4, closedConversations: 0, notes: 0, uploads: 0 }, batches: 2, isComplete: false });
    const second = await applyWorkspaceRetention(world.services, workspaceId, {
      now: new Date(),
      deadline: Date.now() + 60_000,
      batchSizes: { messages: 2 },
    });
    expect(second.counts.messages).toBe(1);
    expect(second.isComplete).toBe(true);
    expect(await world.db.owner.selectFrom("messages").select("conversation_id").where("workspace_id", "=", workspaceId).execute()).toEqual(
      [{ conversation_id: kept.conversationId }],
    );
    // A budget already spent deletes nothing and says so.
    expect((await applyWorkspaceRetention(world.services, workspaceId, { now: new Date(), deadline: Date.now() - 1 })).isComplete).toBe(
      false,
    );
    expect(await rows("messages", world.workspaceId)).toBe(workspaceABefore);
    const entries = await world.db.owner
      .selectFrom("audit_entries")
      .select("metadata")
      .where("workspace_id", "=", workspaceId)
      .where("action", "=", "retention.applied")
      .orderBy("seq")
      .execute();
    expect(entries.map((entry) => [entry.metadata.messages, entry.metadata.complete])).toEqual([
      [4, false],
      [1, true],
    ]);
    // RLS: A's transaction sees none of B's policy.
    expect(
      await withWorkspace(world.db, { workspaceId: world.workspaceId }, (trx) =>
        trx.selectFrom("retention_policies").select("workspace_id").where("workspace_id", "=", workspaceId).execute(),
      ),
    ).toEqual([]);
  });

  it("are the Owner's, validated within their bounds, and refused to other workspaces", async () => {
    for (const user of [world.members.admin, world.members.agent]) {
      for (const [method, path, body] of [
        ["GET", url(), undefined],
        ["POST", `${url()}/preview`, policy],
        ["PUT", url(), policy],
      ] as const) {
        const answer = await world.call(user, method, path, body);
        expect([answer.status, errorCode(answer.json)], `${method} ${path}`).toEqual([403, "FORBIDDEN"]);
      }
    }
    for (const bad of [
      { ...policy, messagesDays: 0 },
      { ...policy, notesDays: 36_501 },
      { ...policy, uploadsDays: 1.5 },
      { messagesDays: 30 },
      { ...policy, auditDays: 30 },
    ] as Json[]) {
      const answer = await world.call(world.owner, "PUT", url(), bad);
      expect([answer.status, errorCode(answer.json)], JSON.stringify(bad)).toEqual([400, "VALIDATION_FAILED"]);
    }
    const foreign = await world.call(world.outsider, "PUT", url(), policy);
    expect([403, 404]).toContain(foreign.status);
  });
});
