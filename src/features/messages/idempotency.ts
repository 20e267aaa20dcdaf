import { createHash } from "node:crypto";
import type { Database, Tx } from "../../db/database.ts";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { Caller } from "../../identity/caller.ts";
import { defineJob } from "../../jobs/definition.ts";
import type { JobDependencies } from "../../services.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import {
  deleteUnfinishedIdempotencyRecord,
  insertIdempotencyClaim,
  lockIdempotencyRecord,
  pruneExpiredIdempotencyRecords,
  storeIdempotencyResult,
  takeOverIdempotencyRecord,
} from "./idempotency-repository.ts";

// Idempotency-Key for POST requests (reference/security.md §3.2; IETF draft
// httpapi-idempotency-key-header). Records are scoped per (workspace, caller, key), so one
// tenant's or caller's key never meets another's. The first request's fingerprint is kept:
//   same key + same request, finished   → the stored status code and body, replayed;
//   same key + different request        → 422;
//   same key while the first still runs → 409 (nothing stored; retry later).
// The result is stored in the same transaction as the work it describes, so "done" exists exactly
// when the message and its send job do. Records expire 24 h after creation (published policy).

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this with no result belongs to a request that died; it may be taken over. */
export const IDEMPOTENCY_LOCK_MS = 60_000;
export const IDEMPOTENCY_KEY_MAX = 255;

export type IdempotencyScope = { workspaceId: string; principal: string; key: string };
export type StoredResponse = { status: number; body: unknown };
export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; response: StoredResponse };

/** Header value rules: 1–255 visible ASCII characters. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) || value.length === 0 || value.length > IDEMPOTENCY_KEY_MAX || !/^[\x21-\x7e]+$/.test(value)) {
    throw new AppError("VALIDATION_FAILED", "The Idempotency-Key header must be 1 to 255 visible ASCII characters.", {
      details: [{ path: ["headers", "idempotency-key"], message: "must be 1 to 255 visible ASCII characters" }],
    });
  }
  return value;
}

/** The caller part of the scope: the user, or the API key acting for them. */
export function principalOf(auth: { kind: "session" | "api_key"; userId: string; apiKeyId?: string }): string {
  return auth.kind === "api_key" && auth.apiKeyId ? `api_key:${auth.apiKeyId}` : `user:${auth.userId}`;
}

/** The same principal for a route's caller, whose audit actor is the API key or the user acting. */
export function principalOfCaller(caller: Pick<Caller, "audit">): string {
  return caller.audit.type === "api_key" ? `api_key:${caller.audit.id}` : `user:${caller.audit.id}`;
}

/** SHA-256 over a canonical JSON (sorted keys) of what identifies the request. */
export function fingerprintRequest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
}

/** Claims the key for this request, or answers how the request must be treated instead. */
export async function claimIdempotencyKey(
  db: Database,
  scope: IdempotencyScope,
  requestHash: string,
  now: Date = new Date(),
): Promise<IdempotencyClaim> {
  return withWorkspace(db, { workspaceId: scope.workspaceId }, async (trx) => {
    const claim = {
      request_hash: requestHash,
      state: "in_progress" as const,
      response_status: null,
      response_body: null,
      locked_until: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS),
      expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    };
    if (await insertIdempotencyClaim(trx, scope, claim)) return { kind: "claimed" };

    const row = await lockIdempotencyRecord(trx, scope);
    const takeOver = async () => {
      await takeOverIdempotencyRecord(trx, scope, row.expires_at <= now ? claim : { locked_until: claim.locked_until });
      return { kind: "claimed" as const };
    };
    // An expired record is as good as pruned: the key starts a new request.
    if (row.expires_at <= now) return takeOver();
    if (row.request_hash !== requestHash) {
      throw new AppError("UNPROCESSABLE", "This Idempotency-Key was already used for a different request.", {
        details: { reason: "idempotency_key_reused" },
      });
    }
    if (row.state === "done" && row.response_status !== null && row.response_body !== null) {
      return { kind: "replay", response: { status: row.response_status, body: JSON.parse(row.response_body) as unknown } };
    }
    if (row.locked_until > now) {
      throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed; retry later.", {
        details: { reason: "idempotency_key_in_progress" },
        headers: { "retry-after": "1" },
      });
    }
    return takeOver();
  });
}

/** Stores the result inside the transaction that did the work (or a new one for a refusal). */
export async function completeIdempotencyKey(trx: Tx, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await storeIdempotencyResult(trx, scope, response);
}

/** Gives the key back after an unexpected failure that changed nothing: the client may retry with it. */
export async function releaseIdempotencyKey(db: Database, scope: IdempotencyScope): Promise<void> {
  await withWorkspace(db, { workspaceId: scope.workspaceId }, (trx) => deleteUnfinishedIdempotencyRecord(trx, scope));
}

/** Deletes expired records of every workspace (a scheduled job calls this). */
export async function pruneIdempotencyKeys(db: Database): Promise<number> {
  return withoutWorkspace(db, (trx) => pruneExpiredIdempotencyRecords(trx));
}

export const pruneIdempotencyKeysJob = defineJob({
  queue: "whatsapp.send.idempotency.prune",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await pruneIdempotencyKeys(services.db);
    },
});

export const pruneIdempotencyKeysSchedule = defineSchedule({
  name: "whatsapp.send.idempotency.prune",
  every: 10 * 60_000,
  job: pruneIdempotencyKeysJob,
  payload: {},
});
