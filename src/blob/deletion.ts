import { z } from "zod";
import type { Tx } from "../db/database.ts";
import { defineJob, enqueueJobs, type JobHandler } from "../jobs/definition.ts";
import type { JobDependencies } from "../services.ts";
import type { Services } from "../services.ts";
import { assertBlobKey } from "./types.ts";

// Blobs outlive nothing they belong to. Erasing a contact destroys its data key, which already
// makes its media unreadable everywhere (crypto-erasure); the files themselves are then deleted
// too, by a job enqueued in the erasing transaction (outbox): it exists exactly when the erasure
// committed, and it is retried until the store has let go of every key. Keys are random ids under
// the workspace, never personal data, so the job's payload may name them.

export const BLOB_DELETE_QUEUE = "blobs.delete";
// Job payloads hold identifiers and stay under the queue's 8 KB.
const KEYS_PER_JOB = 80;
const PAYLOAD_KEY_BYTES = 7_000;

const jobPayload = z.strictObject({ workspaceId: z.uuid(), keys: z.array(z.string().max(512)).min(1).max(KEYS_PER_JOB) });

/** Only keys under the workspace's own prefix: a deletion never reaches another tenant's files. */
function assertWorkspaceBlobKey(key: string, workspaceId: string): void {
  assertBlobKey(key);
  if (!key.split("/").includes(workspaceId)) throw new RangeError("blob key outside the workspace");
}

/** Enqueues the deletion of `keys` (all of `workspaceId`) in the caller's transaction. */
export async function enqueueBlobDeletion(trx: Tx, workspaceId: string, keys: readonly string[]): Promise<void> {
  const unique = [...new Set(keys)];
  for (const key of unique) assertWorkspaceBlobKey(key, workspaceId);
  // Chunks by count and by size, so even keys of the longest allowed length fit a job's payload.
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let bytes = 0;
  for (const key of unique) {
    if (chunk.length === KEYS_PER_JOB || bytes + key.length + 3 > PAYLOAD_KEY_BYTES) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(key);
    bytes += key.length + 3;
  }
  if (chunk.length > 0) chunks.push(chunk);
  await enqueueJobs(
    trx,
    blobDeleteJob,
    chunks.map((keys) => ({ workspaceId, keys })),
  );
}

/** Handler for `blobs.delete`: removes each key (a missing one is already done). */
export function createBlobDeleteHandler(services: Services): JobHandler<z.infer<typeof jobPayload>> {
  return async (job) => {
    const blobs = services.blobs;
    if (!blobs) throw new Error("no blob store configured");
    for (const key of job.keys) {
      assertWorkspaceBlobKey(key, job.workspaceId);
      await blobs.delete(key);
    }
  };
}

export const blobDeleteJob = defineJob({
  queue: BLOB_DELETE_QUEUE,
  payload: jobPayload,
  retry: { maxAttempts: 20 },
  createHandler: ({ services }: JobDependencies) => createBlobDeleteHandler(services),
});
