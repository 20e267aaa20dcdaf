import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { isPermission, type Permission } from "../../identity/permissions.ts";
import { recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { generateApiKey } from "./format.ts";
import { insertApiKey, listApiKeyRows, lockApiKey, markApiKeyRevoked } from "./repository.ts";

// API key management. A key's scopes must be a subset of its creator's permissions when created;
// at use, identity grants scopes ∩ the creator's current permissions, so a later demotion narrows
// every key the member made. Revocation is a timestamp the authenticator checks on every request.

export const API_KEY_MAX_LIFETIME_DAYS = 365;
export const API_KEY_DEFAULT_LIFETIME_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ApiKeyStatus = "active" | "expired" | "revoked";

export type ApiKeySummary = {
  id: string;
  name: string;
  scopes: Permission[];
  lastFour: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  status: ApiKeyStatus;
};

export type CreatedApiKey = ApiKeySummary & { key: string };

export type CreateApiKeyInput = { name: string; scopes: readonly Permission[]; expiresInDays?: number | undefined };

const AUDIT_STRING_MAX = 256;

/** The scopes for the audit entry, space-separated, split over `scopes.0`, `scopes.1`… to fit audit's string limit. */
function scopeMetadata(scopes: readonly Permission[]): Record<string, string> {
  const chunks: string[] = [];
  for (const scope of scopes) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + scope.length <= AUDIT_STRING_MAX) chunks[chunks.length - 1] = `${last} ${scope}`;
    else chunks.push(scope);
  }
  return Object.fromEntries(chunks.map((chunk, index) => [`scopes.${index}`, chunk]));
}

export async function createApiKey(trx: Tx, caller: Caller, input: CreateApiKeyInput, now = new Date()): Promise<CreatedApiKey> {
  const scopes = [...new Set(input.scopes)].sort();
  const beyond = scopes.filter((scope) => !caller.permissions.has(scope));
  if (beyond.length > 0) {
    throw new AppError("FORBIDDEN", "An API key cannot have permissions its creator lacks.", { details: { scopes: beyond } });
  }
  const days = input.expiresInDays ?? API_KEY_DEFAULT_LIFETIME_DAYS;
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  const generated = generateApiKey(randomUUID());
  await insertApiKey(trx, caller.workspaceId, {
    id: generated.id,
    secretHash: generated.secretHash,
    lastFour: generated.lastFour,
    name: input.name,
    scopes,
    createdBy: caller.userId,
    createdAt: now,
    expiresAt,
  });
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "api_key.created",
      target: { type: "api_key", id: generated.id },
      metadata: { ...scopeMetadata(scopes), expiresInDays: days },
    },
    { now: () => now },
  );
  return {
    id: generated.id,
    name: input.name,
    scopes,
    lastFour: generated.lastFour,
    createdBy: caller.userId,
    createdAt: now,
    expiresAt,
    lastUsedAt: null,
    lastUsedIp: null,
    revokedAt: null,
    status: "active",
    key: generated.key,
  };
}

export async function listApiKeys(trx: Tx, workspaceId: string, now = new Date()): Promise<ApiKeySummary[]> {
  const rows = await listApiKeyRows(trx, workspaceId);
  return rows.map((row) => {
    const expiresAt = row.expires_at ? new Date(row.expires_at) : null;
    const revokedAt = row.revoked_at ? new Date(row.revoked_at) : null;
    return {
      id: row.id,
      name: row.name,
      scopes: row.scopes.filter(isPermission),
      lastFour: row.secret_last_four,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at),
      expiresAt,
      lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
      lastUsedIp: row.last_used_ip,
      revokedAt,
      status: revokedAt ? "revoked" : expiresAt && expiresAt <= now ? "expired" : "active",
    };
  });
}

export async function revokeApiKey(trx: Tx, caller: Caller, apiKeyId: string, now = new Date()): Promise<void> {
  const row = await lockApiKey(trx, caller.workspaceId, apiKeyId);
  if (!row) throw new AppError("NOT_FOUND", "The API key does not exist.");
  if (row.revoked_at) return;
  await markApiKeyRevoked(trx, caller.workspaceId, apiKeyId, now);
  await recordCallerAudit(
    trx,
    caller,
    {
      action: "api_key.revoked",
      target: { type: "api_key", id: apiKeyId },
    },
    { now: () => now },
  );
}
