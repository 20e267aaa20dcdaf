import { createHash } from "node:crypto";
import { z } from "zod";
import type { BlobStore } from "../../../blob/types.ts";
import type { Tx } from "../../../db/database.ts";
import { withWorkspace } from "../../../db/with-workspace.ts";
import { loadNumberCredentials } from "../../numbers/repository.ts";
import { graphClientFor } from "../../numbers/service.ts";
import { defineJob, enqueueJob, type JobHandler } from "../../../jobs/definition.ts";
import type { JobDependencies } from "../../../services.ts";
import { scrubText } from "../../../log/scrub.ts";
import { publishRealtimeEvents } from "../../../realtime/events.ts";
import type { Services } from "../../../services.ts";
import { GraphError, type GraphClient, type MediaInfo } from "../../../whatsapp/graph-client.ts";
import { sealMedia } from "./cipher.ts";
import {
  findMediaToFetch,
  findMessageConversationId,
  lockMediaBlobKey,
  markMediaPending,
  markMediaProblem,
  markMediaStored,
} from "./repository.ts";
import { checkMedia, type MediaVerdict } from "../../../whatsapp/media/limits.ts";

// Inbound media (reference/cloud-api.md §9): the webhook carries only a media id. A job, enqueued
// in the transaction that inserted the message, looks the media up with the number's token,
// enforces Meta's type and size limits, downloads it with the bearer token (at most the limit),
// verifies the sha256 Meta announced, encrypts it under the contact's data key and stores it.
// The blob key is derived from the message id, so a retry after a crash overwrites its own
// half-finished work instead of adding a second blob. Logs carry ids and sizes only: never the
// media URL (it embeds an access hash), the token or the content.

export const MEDIA_FETCH_QUEUE = "whatsapp.media.fetch";
export const MEDIA_FETCH_MAX_ATTEMPTS = 5;

const jobPayload = z.strictObject({ workspaceId: z.uuid(), messageId: z.uuid() });

export type MediaFetchOutcome = "stored" | "already-stored" | "refused" | "gone";

/** Where a message's media lives in the blob store. */
export function mediaBlobKey(workspaceId: string, messageId: string): string {
  return `media/${workspaceId}/${messageId}`;
}

/** Marks the message's media pending and enqueues its fetch, inside the caller's transaction (outbox). */
export async function enqueueMediaFetch(trx: Tx, workspaceId: string, messageId: string): Promise<void> {
  await markMediaPending(trx, workspaceId, messageId);
  await enqueueJob(trx, mediaFetchJob, { workspaceId, messageId });
}

export function createMediaFetchHandler(services: Services): JobHandler<z.infer<typeof jobPayload>> {
  return async ({ workspaceId, messageId }, context) => {
    const log = services.logger.child({ component: "whatsapp.media", workspaceId, messageId });
    try {
      const outcome = await fetchInboundMedia(services, workspaceId, messageId);
      log.info({ outcome }, "inbound media fetched");
      if (outcome === "stored" || outcome === "refused") await announceMediaChange(services, workspaceId, messageId);
    } catch (error) {
      const reason = describeFailure(error);
      const isFinal = context.attempt >= MEDIA_FETCH_MAX_ATTEMPTS;
      await recordMediaProblem(services, workspaceId, messageId, isFinal ? "failed" : "pending", reason).catch(() => undefined);
      if (isFinal) await announceMediaChange(services, workspaceId, messageId);
      throw error;
    }
  };
}

export const mediaFetchJob = defineJob({
  queue: MEDIA_FETCH_QUEUE,
  payload: jobPayload,
  retry: { maxAttempts: MEDIA_FETCH_MAX_ATTEMPTS },
  createHandler: ({ services }: JobDependencies) => createMediaFetchHandler(services),
});

/** A refusal that retrying cannot change: recorded on the message, the job succeeds. */
class MediaRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "MediaRefusal";
  }
}

type MediaRow = {
  type: string;
  mediaId: string;
  mimeType: string | null;
  sha256: string | null;
  numberId: string;
  dataKeyId: string;
};

/**
 * Fetches, verifies, encrypts and stores one message's media. Idempotent: stored media is not
 * fetched again, and refused media stays refused. `graph` defaults to the deployment's transport.
 */
export async function fetchInboundMedia(
  services: Services,
  workspaceId: string,
  messageId: string,
  options: { graph?: GraphClient } = {},
): Promise<MediaFetchOutcome> {
  const blobs = requireBlobStore(services);
  const loaded = await withWorkspace(services.db, { workspaceId }, async (trx) => {
    const row = await findMediaToFetch(trx, workspaceId, messageId);
    if (!row || row.media_id === null) return { state: "gone" as const };
    if (row.media_blob_key !== null) return { state: "already-stored" as const };
    if (row.media_status === "refused") return { state: "refused" as const };
    const credentials = await loadNumberCredentials(trx, services.keyring, workspaceId, row.number_id);
    if (!credentials) return { state: "gone" as const };
    const media: MediaRow = {
      type: row.type,
      mediaId: row.media_id,
      mimeType: row.media_mime_type,
      sha256: row.media_sha256,
      numberId: row.number_id,
      dataKeyId: row.data_key_id,
    };
    return { state: "fetch" as const, media, token: credentials.accessToken };
  });
  if (loaded.state !== "fetch") return loaded.state;
  const { media, token } = loaded;

  let verified: { bytes: Buffer; mimeType: string };
  try {
    verified = await downloadVerified(options.graph ?? graphClientFor(services), media, token);
  } catch (error) {
    if (!(error instanceof MediaRefusal)) throw error;
    await recordMediaProblem(services, workspaceId, messageId, "refused", error.reason);
    services.logger.warn({ component: "whatsapp.media", workspaceId, messageId, reason: error.reason }, "inbound media refused");
    return "refused";
  }

  const blobKey = mediaBlobKey(workspaceId, messageId);
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const current = await lockMediaBlobKey(trx, workspaceId, messageId);
    if (!current) return "gone";
    if (current.media_blob_key !== null) return "already-stored";
    const blob = await sealMedia(trx, services.keyring, { workspaceId, messageId, blobKey, dataKeyId: media.dataKeyId }, verified.bytes);
    // Written before the row says so: a crash in between leaves a blob under this message's own
    // key, which the retry overwrites; the row never points at a blob that is not there.
    await blobs.put(blobKey, blob);
    await markMediaStored(trx, workspaceId, messageId, {
      blobKey,
      size: verified.bytes.length,
      mimeType: verified.mimeType,
      fetchedAt: new Date(),
    });
    return "stored";
  });
}

async function downloadVerified(graph: GraphClient, media: MediaRow, token: string): Promise<{ bytes: Buffer; mimeType: string }> {
  refuseUnless(checkMedia(media.type, media.mimeType));
  const lookUp = async (): Promise<{ info: MediaInfo; verdict: Extract<MediaVerdict, { allowed: true }> }> => {
    const info = await graph.getMedia(media.mediaId, token);
    return { info, verdict: refuseUnless(checkMedia(media.type, info.mimeType, info.fileSize)) };
  };
  let { info, verdict } = await lookUp();
  let bytes: Buffer;
  try {
    bytes = await download(graph, info.url, token, verdict.maxBytes);
  } catch (error) {
    // Media URLs live 5 minutes; a 404 means a stale URL: look it up once more for a fresh one.
    if (!(error instanceof GraphError) || error.httpStatus !== 404) throw error;
    ({ info, verdict } = await lookUp());
    bytes = await download(graph, info.url, token, verdict.maxBytes);
  }
  if (info.fileSize !== undefined && info.fileSize !== bytes.length)
    throw new MediaRefusal(`downloaded ${bytes.length} bytes where ${info.fileSize} were announced`);
  const digest = createHash("sha256").update(bytes).digest();
  for (const announced of [media.sha256, info.sha256]) {
    if (announced && !matchesDigest(announced, digest)) throw new MediaRefusal("the media's sha256 does not match the hash Meta announced");
  }
  if (!media.sha256 && !info.sha256) throw new MediaRefusal("Meta announced no sha256 for the media; it cannot be verified");
  return { bytes, mimeType: verdict.mimeType };
}

async function download(graph: GraphClient, url: string, token: string, maxBytes: number): Promise<Buffer> {
  try {
    return (await graph.downloadMedia(url, token, { maxBytes })).bytes;
  } catch (error) {
    if (error instanceof GraphError && error.code === -1 && /exceeds \d+ bytes/.test(error.message)) {
      throw new MediaRefusal(`media exceeds the ${maxBytes}-byte limit for its type`);
    }
    throw error;
  }
}

function refuseUnless(verdict: MediaVerdict): Extract<MediaVerdict, { allowed: true }> {
  if (!verdict.allowed) throw new MediaRefusal(verdict.reason);
  return verdict;
}

/** Meta's hash is hex in some answers and base64 in others (reference §3.3): either encoding of the same digest matches. */
export function matchesDigest(announced: string, digest: Buffer): boolean {
  const value = announced.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase() === digest.toString("hex");
  return (
    value.replace(/=+$/, "") === digest.toString("base64").replace(/=+$/, "") || value.replace(/=+$/, "") === digest.toString("base64url")
  );
}

async function recordMediaProblem(
  services: Services,
  workspaceId: string,
  messageId: string,
  status: "pending" | "refused" | "failed",
  reason: string,
): Promise<void> {
  await withWorkspace(services.db, { workspaceId }, (trx) => markMediaProblem(trx, workspaceId, messageId, status, reason));
}

/** A PII-free reason: Graph errors by status and code (their messages may quote request data), others scrubbed. */
function describeFailure(error: unknown): string {
  if (error instanceof GraphError) return `media fetch failed: Graph answered HTTP ${error.httpStatus} (code ${error.code})`;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : "unknown failure";
  return scrubText(`media fetch failed: ${text}`.slice(0, 2_000)).slice(0, 500);
}

function requireBlobStore(services: Services): BlobStore {
  if (!services.blobs) throw new Error("no blob store is configured (services.blobs)");
  return services.blobs;
}

/** Tells dashboards showing the conversation that the media's state moved (ids only); never throws. */
async function announceMediaChange(services: Services, workspaceId: string, messageId: string): Promise<void> {
  try {
    const conversationId = await withWorkspace(services.db, { workspaceId }, (trx) =>
      findMessageConversationId(trx, workspaceId, messageId),
    );
    if (conversationId !== undefined)
      await publishRealtimeEvents(services, workspaceId, [
        { type: "message.updated", data: { conversationId, messageId, change: "media" } },
      ]);
  } catch (error) {
    services.logger.warn({ err: error, component: "whatsapp.media", workspaceId, messageId }, "could not announce the media change");
  }
}
