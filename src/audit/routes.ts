import { z } from "zod";
import { AppError } from "../errors.ts";
import { defineRoute, type RouteDefinition } from "../http/define-route.ts";
import type { AuthContext } from "../identity/auth-context.ts";
import { asCaller, recordCallerAudit } from "../identity/caller.ts";
import { auditActions, auditActorTypes } from "./actions.ts";
import { checkpointOrigin, exportAuditPublicKeys, exportCheckpoints, verifierKey } from "./checkpoints.ts";
import { decodeCursor, exportAuditCsv, listAuditEntries, MAX_PAGE_SIZE, type AuditEntry, type AuditFilters } from "./service.ts";
import { verifyWorkspaceAuditLog } from "./verify.ts";
import { safeString } from "../http/safe-string.ts";

// The audit log of a workspace over HTTP (DESIGN §7): a filtered, paginated view, the CSV export
// (itself audited), the signed checkpoints with their verifier keys, and the verification of the
// workspace's chain (the checks of `parley audit verify`). Owner and Admin only,
// through the permissions audit.read / audit.export of the matrix.

const REAUTH_WINDOW_MS = 5 * 60 * 1000;

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });

const filterFields = {
  actorId: safeString(128)
    .regex(/^[A-Za-z0-9._:/-]{1,128}$/)
    .optional(),
  action: z.enum(auditActions).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

const listQuery = z.strictObject({
  ...filterFields,
  cursor: safeString(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

const exportBody = z.strictObject(filterFields);

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const entryBody = z.object({
  seq: z.number().int(),
  occurredAt: z.iso.datetime(),
  actor: z.object({ type: z.enum(auditActorTypes as [string, ...string[]]), id: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  metadata: z.record(z.string(), metadataValue),
  leafHash: z.string(),
});

const checkpointBody = z.object({
  treeSize: z.number().int(),
  rootHash: z.string(),
  signedAt: z.iso.datetime(),
  keyId: z.string(),
  signature: z.string(),
  note: z.string(),
});

function toEntryBody(entry: AuditEntry) {
  return { ...entry, occurredAt: entry.occurredAt.toISOString() };
}

function toFilters(input: {
  actorId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): AuditFilters {
  const filters: AuditFilters = {};
  if (input.actorId !== undefined) filters.actorId = input.actorId;
  if (input.action !== undefined) filters.action = input.action;
  if (input.from !== undefined) filters.from = new Date(input.from);
  if (input.to !== undefined) filters.to = new Date(input.to);
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["from"], message: "from must not be after to" }] });
  }
  return filters;
}

/** Exports are sensitive: a session that proved its password within 5 minutes, never an API key. */
export function requireFreshSession(auth: AuthContext | null, now = Date.now()): void {
  if (!auth || auth.kind !== "session" || !auth.reauthenticatedAt || now - auth.reauthenticatedAt.getTime() > REAUTH_WINDOW_MS) {
    throw new AppError("REAUTHENTICATION_REQUIRED");
  }
}

export const auditRoutes: RouteDefinition[] = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/audit",
    summary: "Lists the workspace's audit log, newest first, filtered by actor, action and time range; paginated by cursor.",
    tags: ["audit"],
    permission: "audit.read",
    feature: "audit_log",
    caller: true,
    schema: {
      params: workspaceParams,
      query: listQuery,
      response: { 200: z.object({ entries: z.array(entryBody), nextCursor: z.string().nullable() }) },
    },
    handler: async ({ services, caller, query }) => {
      const filters = toFilters(query);
      let cursor: number | undefined;
      if (query.cursor !== undefined) {
        const decoded = decodeCursor(query.cursor);
        if (decoded === null)
          throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["cursor"], message: "unknown cursor" }] });
        cursor = decoded;
      }
      const page = await asCaller(services, caller, (trx) =>
        listAuditEntries(trx, caller.workspaceId, { ...filters, limit: query.limit, cursor }),
      );
      return { entries: page.entries.map(toEntryBody), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/audit/export",
    summary: "Exports the filtered audit log as CSV (formula cells neutralized). The export is itself audited.",
    tags: ["audit"],
    permission: "audit.export",
    feature: "audit_log",
    caller: true,
    errors: ["REAUTHENTICATION_REQUIRED"],
    rateLimit: { limit: 10, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      body: exportBody,
      response: {
        200: z.object({
          filename: z.string(),
          contentType: z.literal("text/csv; charset=utf-8"),
          rows: z.number().int(),
          truncated: z.boolean(),
          csv: z.string(),
        }),
      },
    },
    handler: async ({ services, caller, auth, body }) => {
      requireFreshSession(auth);
      const filters = toFilters(body);
      const result = await asCaller(services, caller, async (trx) => {
        const exported = await exportAuditCsv(trx, caller.workspaceId, filters);
        await recordCallerAudit(trx, caller, {
          action: "audit.exported",
          metadata: {
            rows: exported.rows,
            truncated: exported.truncated,
            filterActor: body.actorId !== undefined,
            filterAction: body.action ?? null,
            from: body.from ?? null,
            to: body.to ?? null,
          },
        });
        return exported;
      });
      return {
        filename: `audit-${caller.workspaceId}.csv`,
        contentType: "text/csv; charset=utf-8" as const,
        rows: result.rows,
        truncated: result.truncated,
        csv: result.csv,
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/audit/checkpoints",
    summary: "The workspace log's signed checkpoints (C2SP signed notes) and the verifier keys to check them outside Parley.",
    tags: ["audit"],
    permission: "audit.export",
    feature: "audit_log",
    caller: true,
    schema: {
      params: workspaceParams,
      response: {
        200: z.object({
          origin: z.string(),
          keys: z.array(
            z.object({
              keyId: z.string(),
              isActive: z.boolean(),
              publicKey: z.string(),
              publicKeyPem: z.string(),
              verifierKey: z.string(),
            }),
          ),
          checkpoints: z.array(checkpointBody),
        }),
      },
    },
    handler: async ({ services, caller }) => {
      const origin = checkpointOrigin(caller.workspaceId);
      const [checkpoints, keys] = await Promise.all([
        exportCheckpoints(services.db, caller.workspaceId),
        exportAuditPublicKeys(services.db),
      ]);
      return {
        origin,
        keys: keys.map((key) => ({ ...key, verifierKey: verifierKey(origin, Buffer.from(key.publicKey, "base64")) })),
        checkpoints: checkpoints.map((checkpoint) => ({ ...checkpoint, signedAt: checkpoint.signedAt.toISOString() })),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/audit/verification",
    summary:
      "Recomputes the workspace's log against its leaf hashes and signed checkpoints: ok, or the first entry that can no longer be trusted.",
    tags: ["audit"],
    permission: "audit.read",
    feature: "audit_log",
    caller: true,
    rateLimit: { limit: 30, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      response: {
        200: z.object({
          status: z.enum(["ok", "failed"]),
          entries: z.number().int(),
          checkpoints: z.number().int(),
          checkedAt: z.iso.datetime(),
          problem: z
            .object({
              kind: z.enum(["edited", "deleted", "inserted", "reordered", "checkpoint"]),
              seq: z.number().int(),
              checkpointSize: z.number().int().nullable(),
              reason: z.string(),
            })
            .nullable(),
          latestCheckpoint: z
            .object({ treeSize: z.number().int(), rootHash: z.string(), signedAt: z.iso.datetime(), keyId: z.string() })
            .nullable(),
        }),
      },
    },
    handler: async ({ services, caller }) => {
      const result = await verifyWorkspaceAuditLog(services.db, caller.workspaceId, services.keyring.provider);
      return {
        status: result.ok ? ("ok" as const) : ("failed" as const),
        entries: result.entries,
        checkpoints: result.checkpoints,
        checkedAt: new Date().toISOString(),
        problem: result.problem
          ? {
              kind: result.problem.kind,
              seq: result.problem.seq,
              checkpointSize: result.problem.checkpointSize ?? null,
              reason: result.problem.reason,
            }
          : null,
        latestCheckpoint: result.latestCheckpoint
          ? { ...result.latestCheckpoint, signedAt: result.latestCheckpoint.signedAt.toISOString() }
          : null,
      };
    },
  }),
];
