import { z } from "zod";
import { AppError } from "../errors.ts";
import { defineRoute, type RouteDefinition } from "../http/define-route.ts";
import { safeString } from "../http/safe-string.ts";
import { asCaller, recordCallerAccess } from "../identity/caller.ts";
import { exportAccessCsv, listAccessEntries, type AccessFilters } from "./access-log.ts";
import { accessActions, auditActorTypes } from "./actions.ts";
import { requireFreshSession } from "./routes.ts";
import { decodeCursor, MAX_PAGE_SIZE, type AuditEntry } from "./service.ts";

// The access log over HTTP: "who accessed this contact's data" (contactId) and "what did this
// member open" (actorId), filtered by kind and time, paginated by cursor, and exported as CSV (a
// fresh session; the export is itself an access entry). Owner and Admin only, through the audit
// log's permissions: the access log is part of it.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });

const filterFields = {
  contactId: z.uuid().optional().describe("Entries naming this contact (views, messages, media) and bulk contact exports."),
  actorId: safeString(128)
    .regex(/^[A-Za-z0-9._:/-]{1,128}$/)
    .optional()
    .describe("Entries of this member (user id) or API key (key id)."),
  action: z.enum(accessActions).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

const listQuery = z.strictObject({
  ...filterFields,
  cursor: safeString(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

const exportBody = z.strictObject(filterFields);

const accessEntryBody = z.object({
  seq: z.number().int(),
  occurredAt: z.iso.datetime(),
  actor: z.object({ type: z.enum(auditActorTypes as [string, ...string[]]), id: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  contactId: z.string().nullable(),
  conversationId: z.string().nullable(),
  messageId: z.string().nullable(),
  network: z.string().nullable().describe("The caller's address reduced to its /24 (IPv4) or /48 (IPv6)."),
  userAgentFamily: z.string().nullable(),
  leafHash: z.string(),
});

function idOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function toAccessEntryBody(entry: AuditEntry) {
  return {
    seq: entry.seq,
    occurredAt: entry.occurredAt.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    contactId: idOrNull(entry.metadata["contactId"]),
    conversationId: idOrNull(entry.metadata["conversationId"]),
    messageId: idOrNull(entry.metadata["messageId"]),
    network: entry.ip,
    userAgentFamily: entry.userAgent,
    leafHash: entry.leafHash,
  };
}

function toFilters(input: z.infer<typeof exportBody>): AccessFilters {
  const filters: AccessFilters = {};
  if (input.contactId !== undefined) filters.contactId = input.contactId;
  if (input.actorId !== undefined) filters.actorId = input.actorId;
  if (input.action !== undefined) filters.action = input.action;
  if (input.from !== undefined) filters.from = new Date(input.from);
  if (input.to !== undefined) filters.to = new Date(input.to);
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new AppError("VALIDATION_FAILED", undefined, { details: [{ path: ["from"], message: "from must not be after to" }] });
  }
  return filters;
}

export const accessLogRoutes: RouteDefinition[] = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/access-log",
    summary:
      "Lists who read customer data (conversations, messages, contacts, media, searches, exports), newest first: by contact, by member or API key, by kind and time range; paginated by cursor. Ids only, never content.",
    tags: ["audit"],
    permission: "audit.read",
    caller: true,
    errors: ["VALIDATION_FAILED"],
    schema: {
      params: workspaceParams,
      query: listQuery,
      response: { 200: z.object({ entries: z.array(accessEntryBody), nextCursor: z.string().nullable() }) },
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
      // Reads this process answered a moment ago are in the answer.
      await services.accessLog?.drain();
      const page = await asCaller(services, caller, (trx) =>
        listAccessEntries(trx, caller.workspaceId, { ...filters, limit: query.limit, cursor }),
      );
      return { entries: page.entries.map(toAccessEntryBody), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/access-log/export",
    summary: "Exports the filtered access log as CSV (formula cells neutralized). The export is itself recorded in the access log.",
    tags: ["audit"],
    permission: "audit.export",
    caller: true,
    errors: ["REAUTHENTICATION_REQUIRED", "VALIDATION_FAILED"],
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
      await services.accessLog?.drain();
      const exported = await asCaller(services, caller, (trx) => exportAccessCsv(trx, caller.workspaceId, filters));
      // Recorded before the first byte leaves, like every export.
      await recordCallerAccess(services, caller, {
        action: "access_log.exported",
        target: { type: "workspace", id: caller.workspaceId },
        metadata: {
          rows: exported.rows,
          truncated: exported.truncated,
          filterContact: body.contactId !== undefined,
          filterActor: body.actorId !== undefined,
          filterAction: body.action ?? null,
          from: body.from ?? null,
          to: body.to ?? null,
        },
      });
      await services.accessLog?.drain();
      return {
        filename: `access-log-${caller.workspaceId}.csv`,
        contentType: "text/csv; charset=utf-8" as const,
        rows: exported.rows,
        truncated: exported.truncated,
        csv: exported.csv,
      };
    },
  }),
];
