import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace, withoutWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/engine.ts";
import { BLOB_DELETE_QUEUE, createBlobDeleteHandler, enqueueBlobDeletion } from "./deletion.ts";
import { createLocalBlobStore } from "./local.ts";

// The deletion job for blobs that outlived what they belonged to (an erased contact's media):
// enqueued in the caller's transaction, confined to the workspace's own keys, idempotent.

let db: TestDatabase;
let root: string;
const workspaceId = randomUUID();
const context = { signal: new AbortController().signal } as Parameters<ReturnType<typeof createBlobDeleteHandler>>[1];

beforeAll(async () => {
  db = await createTestDatabase();
  root = await mkdtemp(join(tmpdir(), "parley-blob-deletion-"));
});
afterAll(async () => {
  await db.drop();
  await rm(root, { recursive: true, force: true });
});

async function queuedPayloads(): Promise<Array<{ workspaceId: string; keys: string[] }>> {
  const rows = await withoutWorkspace(db, (trx) =>
    trx.selectFrom("jobs").select(["payload"]).where("queue", "=", BLOB_DELETE_QUEUE).orderBy("id").execute(),
  );
  return rows.map(
    (row) => (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as { workspaceId: string; keys: string[] },
  );
}

describe("blob deletion", () => {
  it("is enqueued with the caller's transaction, in jobs of at most 80 keys, and rolls back with it", async () => {
    const keys = Array.from({ length: 161 }, () => `media/${workspaceId}/${randomUUID()}`);
    await withWorkspace(db, { workspaceId }, (trx) => enqueueBlobDeletion(trx, workspaceId, [...keys, keys[0]!]));
    const payloads = await queuedPayloads();
    expect(payloads.map((payload) => payload.keys.length)).toEqual([80, 80, 1]);
    expect(payloads.flatMap((payload) => payload.keys)).toEqual(keys);
    await expect(
      withWorkspace(db, { workspaceId }, async (trx) => {
        await enqueueBlobDeletion(trx, workspaceId, [`media/${workspaceId}/${randomUUID()}`]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await queuedPayloads()).toHaveLength(3);
  });

  it("splits long keys by size, so any allowed key fits a job", async () => {
    const long = Array.from(
      { length: 30 },
      (_, i) => `media/${workspaceId}/${String(i).padStart(3, "0")}/${Array.from({ length: 7 }, () => "x".repeat(60)).join("/")}`,
    );
    await withWorkspace(db, { workspaceId }, (trx) => enqueueBlobDeletion(trx, workspaceId, long));
    const payloads = (await queuedPayloads()).slice(3);
    expect(payloads.flatMap((payload) => payload.keys)).toEqual(long);
    expect(payloads.every((payload) => JSON.stringify(payload).length < 8_192)).toBe(true);
    await withoutWorkspace(db, (trx) =>
      trx
        .deleteFrom("jobs")
        .where("queue", "=", BLOB_DELETE_QUEUE)
        .where("id", ">", 0)
        .where(sql`payload->'keys'->0->>0`, "like", "%xxx%")
        .execute(),
    );
  });

  it("refuses keys outside the workspace or malformed, before anything is queued", async () => {
    const other = `media/${randomUUID()}/${randomUUID()}`;
    await expect(withWorkspace(db, { workspaceId }, (trx) => enqueueBlobDeletion(trx, workspaceId, [other]))).rejects.toThrow(
      /outside the workspace/,
    );
    await expect(
      withWorkspace(db, { workspaceId }, (trx) => enqueueBlobDeletion(trx, workspaceId, [`media/${workspaceId}/../x`])),
    ).rejects.toThrow(/invalid blob key/);
    expect(await queuedPayloads()).toHaveLength(3);
  });

  it("the job deletes every key, a missing one included, and never another workspace's", async () => {
    const blobs = createLocalBlobStore(root);
    const mine = [`media/${workspaceId}/${randomUUID()}`, `media/${workspaceId}/${randomUUID()}`];
    const theirs = `media/${randomUUID()}/${randomUUID()}`;
    for (const key of [...mine, theirs]) await blobs.put(key, Buffer.from("sealed bytes"));
    const handler = createBlobDeleteHandler({ blobs } as unknown as Services);
    await handler({ workspaceId, keys: [...mine, `media/${workspaceId}/${randomUUID()}`] }, context);
    for (const key of mine) expect(await blobs.get(key)).toBeNull();
    // A forged payload naming another workspace's key fails and deletes nothing of theirs.
    await expect(handler({ workspaceId, keys: [theirs] }, context)).rejects.toThrow(/outside the workspace/);
    expect(await blobs.get(theirs)).not.toBeNull();
    // Twice is harmless (a retried job).
    await handler({ workspaceId, keys: mine }, context);
  });
});
