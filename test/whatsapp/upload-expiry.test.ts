import { randomBytes, randomUUID } from "node:crypto";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOB_DELETE_QUEUE, blobDeleteJob, createBlobDeleteHandler } from "../../src/blob/deletion.ts";
import { loadConfig } from "../../src/config.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { createContact } from "../../src/features/contacts/repository.ts";
import { connectNumber, sandboxNumberInput } from "../../src/features/numbers/service.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { createLogger } from "../../src/log/logger.ts";
import { sweepExpiredUploads, sweepWorkspaceUploads } from "../../src/features/messages/media/upload-expiry.ts";
import { testEngine } from "../support/engine.ts";
import { seedConversationRows, withNonSuperuserOwner } from "../support/owner-database.ts";
import { captureLogs } from "../support/services.ts";
import { startViewHarness, type ViewHarness } from "./conversation-support.ts";

// Uploads that were never sent expire: after PARLEY_UPLOAD_RETENTION_DAYS (30 by default) the
// sweep deletes the row and, through a blobs.delete job enqueued in the same transaction, the
// sealed file. Recent uploads and sent ones stay. Real uploads through the API, a real local blob
// store, a worker for blobs.delete; uploads are aged by moving their created_at back.

const DAY_MS = 24 * 60 * 60 * 1000;

let h: ViewHarness;
let base: string;
let otherBase: string;
let conversation: string;
let otherConversation: string;
let blobWorker: Worker;

function png(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(256)]);
}

beforeAll(async () => {
  h = await startViewHarness();
  base = `/api/v1/workspaces/${h.workspaceId}`;
  otherBase = `/api/v1/workspaces/${h.otherWorkspaceId}`;
  ({ conversationId: conversation } = await h.customerWrites("4915400000001"));

  // The other workspace connects the same sandbox number and has a conversation of its own.
  const otherNumber = await connectNumber(h.services, h.otherWorkspaceId, sandboxNumberInput(h.sim.credentials()), {
    actor: { type: "system", id: null },
  });
  otherConversation = randomUUID();
  await withWorkspace(h.db, { workspaceId: h.otherWorkspaceId }, async (trx) => {
    const contact = await createContact(trx, h.services.keyring, { workspaceId: h.otherWorkspaceId, phone: "+4915400000009" });
    await sql`insert into conversations (workspace_id, id, contact_id, number_id) values (${h.otherWorkspaceId}, ${otherConversation}, ${contact.id}, ${otherNumber.id})`.execute(
      trx,
    );
  });

  blobWorker = createWorker({
    db: h.db,
    jobs: [bindJob(blobDeleteJob, createBlobDeleteHandler(h.services))],
    concurrency: 2,
    pollIntervalMs: 10,
    visibilityTimeoutMs: 60_000,
    backoff: { baseMs: 10, maxMs: 50 },
    logger: h.services.logger,
  });
  blobWorker.start();
}, 60_000);

afterAll(async () => {
  await blobWorker?.stop(2_000);
  await h?.close();
});

type Upload = { id: string; workspaceId: string; key: string; file: string };

async function upload(workspace: "mine" | "other" = "mine"): Promise<Upload> {
  const [caller, path, workspaceId] =
    workspace === "mine"
      ? (["owner", `${base}/media?conversationId=${conversation}`, h.workspaceId] as const)
      : (["outsider", `${otherBase}/media?conversationId=${otherConversation}`, h.otherWorkspaceId] as const);
  const answer = await h.request(caller, "POST", path, { raw: { bytes: png(), contentType: "image/png" } });
  expect(answer.status).toBe(201);
  const id = answer.json.id as string;
  return { id, workspaceId, key: `media/${workspaceId}/${id}`, file: join(h.blobRoot, "blobs", "media", workspaceId, id) };
}

/** Moves an upload's creation back in time, as if it had been made `days` ago. */
async function age(item: Upload, days: number): Promise<void> {
  const createdAt = new Date(Date.now() - days * DAY_MS).toISOString();
  await withWorkspace(h.db, { workspaceId: item.workspaceId }, (trx) =>
    sql`update media_uploads set created_at = ${createdAt}::timestamptz where workspace_id = ${item.workspaceId} and id = ${item.id}`.execute(
      trx,
    ),
  );
}

async function rowExists(item: Upload): Promise<boolean> {
  const row = await withWorkspace(h.db, { workspaceId: item.workspaceId }, (trx) =>
    trx.selectFrom("media_uploads").select("id").where("id", "=", item.id).executeTakeFirst(),
  );
  return row !== undefined;
}

async function fileExists(item: Upload): Promise<boolean> {
  return access(item.file).then(
    () => true,
    () => false,
  );
}

async function deletionJobs(): Promise<Array<{ workspaceId: string; keys: string[] }>> {
  const rows = await withoutWorkspace(h.db, (trx) =>
    trx.selectFrom("jobs").select(["payload"]).where("queue", "=", BLOB_DELETE_QUEUE).orderBy("id").execute(),
  );
  return rows.map(
    (row) => (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as { workspaceId: string; keys: string[] },
  );
}

/** Sweeps what is still expired in both workspaces, so each test starts from none. */
async function sweepAll(): Promise<void> {
  while ((await sweepExpiredUploads(h.services)).deleted > 0);
  await h.waitForJobs();
}

describe("expiry of uploads never sent", () => {
  it("deletes an unsent upload past the retention period — row and file — and keeps recent and sent ones", async () => {
    expect(h.services.config.media.uploadRetentionDays).toBe(30);
    const expired = await upload();
    const inside = await upload();
    const recent = await upload();
    const sent = await upload();
    const queued = await h.request("owner", "POST", `${base}/messages`, {
      body: { conversationId: conversation, type: "image", image: { upload: sent.id } },
    });
    expect(queued.status).toBe(202);
    await h.waitForMessage(sent.id, (row) => row.wamid !== null);
    await age(expired, 31);
    await age(inside, 29);
    await age(sent, 31);
    for (const item of [expired, inside, recent, sent]) expect(await fileExists(item)).toBe(true);
    const jobsBefore = (await deletionJobs()).length;

    expect(await sweepExpiredUploads(h.services)).toEqual({ workspaces: 1, deleted: 1 });
    await h.waitForJobs();
    expect(await rowExists(expired)).toBe(false);
    expect(await fileExists(expired)).toBe(false);
    expect(await h.services.blobs!.get(expired.key)).toBeNull();
    const jobs = (await deletionJobs()).slice(jobsBefore);
    expect(jobs).toEqual([{ workspaceId: h.workspaceId, keys: [expired.key] }]);

    for (const item of [inside, recent, sent]) {
      expect(await rowExists(item)).toBe(true);
      expect(await fileExists(item)).toBe(true);
    }
    // The sent upload's file is its message's media and is still served.
    const signed = await h.request("owner", "GET", `${base}/messages/${sent.id}/media-url`);
    expect(signed.status).toBe(200);
    expect((await h.viewApp.inject({ method: "GET", url: signed.json.url as string })).statusCode).toBe(200);

    // The expired upload can no longer be sent.
    const late = await h.request("owner", "POST", `${base}/messages`, {
      body: { conversationId: conversation, type: "image", image: { upload: expired.id } },
    });
    expect(late.status).toBe(422);
    expect(late.json.error).toMatchObject({ details: { reason: "upload_unknown" } });

    // Idempotent: a second run finds nothing and enqueues nothing.
    expect(await sweepExpiredUploads(h.services)).toEqual({ workspaces: 0, deleted: 0 });
    expect((await deletionJobs()).length).toBe(jobsBefore + 1);

    // The log says how many went, never which.
    const logged = h.logs.records().filter((record) => record.msg === "expired unsent uploads deleted");
    expect(logged.at(-1)).toMatchObject({ component: "media", workspaces: 1, deleted: 1 });
    expect(h.logs.text()).not.toContain(expired.id);
  });

  it("sweeps each workspace in its own transaction, with jobs confined to that workspace's keys", async () => {
    await sweepAll();
    const mine = [await upload(), await upload()];
    const theirs = await upload("other");
    for (const item of [...mine, theirs]) await age(item, 40);
    const jobsBefore = (await deletionJobs()).length;

    // One workspace's sweep never reaches another's uploads.
    expect(await sweepWorkspaceUploads(h.services, h.otherWorkspaceId, new Date(Date.now() - 30 * DAY_MS))).toBe(1);
    await h.waitForJobs();
    expect(await rowExists(theirs)).toBe(false);
    expect(await fileExists(theirs)).toBe(false);
    for (const item of mine) {
      expect(await rowExists(item)).toBe(true);
      expect(await fileExists(item)).toBe(true);
    }

    expect(await sweepExpiredUploads(h.services)).toEqual({ workspaces: 1, deleted: 2 });
    await h.waitForJobs();
    for (const item of mine) expect(await fileExists(item)).toBe(false);
    const jobs = (await deletionJobs()).slice(jobsBefore);
    expect(jobs).toEqual([
      { workspaceId: h.otherWorkspaceId, keys: [theirs.key] },
      { workspaceId: h.workspaceId, keys: expect.arrayContaining(mine.map((item) => item.key)) },
    ]);
  });

  it("is bounded: a run takes at most the batch per workspace and the workspace limit, oldest first; the next run goes on", async () => {
    await sweepAll();
    const mine = [await upload(), await upload(), await upload()];
    const theirs = await upload("other");
    await age(mine[0]!, 50);
    await age(mine[1]!, 45);
    await age(mine[2]!, 44);
    await age(theirs, 60);

    // One workspace per run: the one whose expired upload is oldest (the other workspace) first.
    expect(await sweepExpiredUploads(h.services, { maxWorkspaces: 1, batchSize: 2 })).toEqual({ workspaces: 1, deleted: 1 });
    expect(await rowExists(theirs)).toBe(false);
    expect(await sweepExpiredUploads(h.services, { maxWorkspaces: 1, batchSize: 2 })).toEqual({ workspaces: 1, deleted: 2 });
    expect(await rowExists(mine[0]!)).toBe(false);
    expect(await rowExists(mine[1]!)).toBe(false);
    expect(await rowExists(mine[2]!)).toBe(true);
    expect(await sweepExpiredUploads(h.services, { maxWorkspaces: 1, batchSize: 2 })).toEqual({ workspaces: 1, deleted: 1 });
    expect(await sweepExpiredUploads(h.services, { maxWorkspaces: 1, batchSize: 2 })).toEqual({ workspaces: 0, deleted: 0 });
    await h.waitForJobs();
    for (const item of [...mine, theirs]) expect(await fileExists(item)).toBe(false);
  });

  it("takes the retention period from PARLEY_UPLOAD_RETENTION_DAYS", async () => {
    await sweepAll();
    const item = await upload();
    const kept = await upload();
    await age(item, 8);
    await age(kept, 6);
    const config = loadConfig({ PARLEY_UPLOAD_RETENTION_DAYS: "7" });
    expect(config.media.uploadRetentionDays).toBe(7);
    expect(await sweepExpiredUploads(h.services)).toEqual({ workspaces: 0, deleted: 0 });
    // Under 7 days, the 29-day-old upload of the first test goes too.
    expect(await sweepExpiredUploads({ ...h.services, config })).toEqual({ workspaces: 1, deleted: 2 });
    await h.waitForJobs();
    expect(await rowExists(item)).toBe(false);
    expect(await fileExists(item)).toBe(false);
    expect(await rowExists(kept)).toBe(true);
    expect(await fileExists(kept)).toBe(true);
  });
});

// Production-shaped PostgreSQL: the owner that ran the migrations is not a superuser, so forced RLS
// applies to it too, and so to the SECURITY DEFINER function that finds the workspaces to sweep.
// It must still find them (the test suite's own owner is a superuser, and PGlite's always is).
describe.runIf(testEngine === "postgres")("expiry with an owner that is not a superuser", () => {
  it("finds and deletes the expired uploads of every workspace", { timeout: 60_000 }, async () => {
    await withNonSuperuserOwner(async (db) => {
      const seed = async (workspaceId: string, ageDays: number) => {
        const uploadId = randomUUID();
        await withWorkspace(db, { workspaceId }, async (trx) => {
          const { conversationId, contactId: contact } = await seedConversationRows(trx, workspaceId);
          await sql`insert into media_uploads (workspace_id, id, conversation_id, contact_id, media_type, mime_type, size_bytes, sha256, blob_key, created_at)
                    values (${workspaceId}, ${uploadId}, ${conversationId}, ${contact}, 'image', 'image/png', 10, ${"0".repeat(64)}, ${`media/${workspaceId}/${uploadId}`}, now() - make_interval(days => ${ageDays}))`.execute(
            trx,
          );
        });
        return { workspaceId, uploadId };
      };
      const expired = [await seed(randomUUID(), 31), await seed(randomUUID(), 40)];
      const recent = await seed(randomUUID(), 1);
      const logs = captureLogs();
      const services = {
        db,
        config: loadConfig({ PARLEY_ENV: "test" }),
        logger: createLogger({ level: "info", destination: logs.destination }),
      };
      expect(await sweepExpiredUploads(services)).toEqual({ workspaces: 2, deleted: 2 });
      const left = async (item: { workspaceId: string; uploadId: string }) =>
        (
          await withWorkspace(db, { workspaceId: item.workspaceId }, (trx) =>
            trx.selectFrom("media_uploads").select("id").where("id", "=", item.uploadId).execute(),
          )
        ).length;
      for (const item of expired) expect(await left(item)).toBe(0);
      expect(await left(recent)).toBe(1);
      const jobs = await withoutWorkspace(db, (trx) =>
        trx.selectFrom("jobs").select(["payload"]).where("queue", "=", BLOB_DELETE_QUEUE).execute(),
      );
      expect(
        jobs
          .map((job) => (typeof job.payload === "string" ? JSON.parse(job.payload) : job.payload) as { workspaceId: string })
          .map((payload) => payload.workspaceId)
          .sort(),
      ).toEqual(expired.map((item) => item.workspaceId).sort());
    });
  });
});
