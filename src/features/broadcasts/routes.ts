import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { buildSecurityHeaders } from "../../http/security-headers.ts";
import { requireRecentReauth } from "../../identity/authenticator.ts";
import { MAX_IMPORT_CHARS, MAX_IMPORT_ROWS } from "../contacts/import.ts";
import { getAudienceUpload, uploadAudience } from "./audience-upload.ts";
import { broadcastAudience, broadcastParameter, BROADCAST_STATES, PAUSE_REASONS, SKIP_REASONS } from "./schema.ts";
import {
  cancelBroadcast,
  createBroadcast,
  deleteBroadcast,
  estimateAudience,
  exportOutcomes,
  getBroadcast,
  listBroadcasts,
  pauseBroadcast,
  reportBroadcast,
  resumeBroadcast,
  retryFailedRecipients,
  startBroadcast,
  type BroadcastView,
} from "./service.ts";

// Broadcasts under /api/v1/workspaces/:workspaceId/broadcasts: Owners and Admins only
// (broadcasts.manage); Agents and Analysts see none of it.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const itemParams = z.strictObject({ workspaceId: z.uuid(), broadcastId: z.uuid() });

const numberIds = z.array(z.uuid()).min(1).max(20);

const createBody = z.strictObject({
  name: safeString(200).trim().min(1, "Give the broadcast a name."),
  template: z.strictObject({
    name: safeString(512).regex(/^[a-z0-9_]{1,512}$/, "must be lowercase letters, digits and underscores"),
    language: safeString(6).regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "must be a language code such as en or en_US"),
  }),
  parameters: z.array(broadcastParameter).max(60).default([]),
  audience: broadcastAudience,
  numberIds,
  scheduledAt: safeString(16)
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "a local date and time such as 2026-12-24T09:00")
    .optional(),
  timeZone: safeString(64).min(1).default("UTC"),
});

const counts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  sending: z.number().int(),
  accepted: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

const broadcastResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  template: z.object({ name: z.string(), language: z.string() }),
  parameters: z.array(z.record(z.string(), z.string())),
  audience: z.record(z.string(), z.unknown()),
  numberIds: z.array(z.uuid()),
  scheduledAt: z.iso.datetime().nullable(),
  timeZone: z.string(),
  state: z.enum(BROADCAST_STATES),
  pauseReason: z.enum(PAUSE_REASONS).nullable(),
  statusText: z.string().nullable().describe("Why it is paused, or until when it waits for the messaging limit, in words."),
  waitingUntil: z.iso.datetime().nullable(),
  audienceResolved: z.boolean(),
  counts,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});

function present(view: BroadcastView): z.input<typeof broadcastResponse> {
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return {
    ...view,
    parameters: view.parameters,
    audience: view.audience,
    scheduledAt: iso(view.scheduledAt),
    waitingUntil: iso(view.waitingUntil),
    createdAt: view.createdAt.toISOString(),
    startedAt: iso(view.startedAt),
    finishedAt: iso(view.finishedAt),
    counts: {
      total: view.counts.total,
      pending: view.counts.pending,
      sending: view.counts.sending,
      accepted: view.counts.accepted,
      sent: view.counts.sent,
      delivered: view.counts.delivered,
      read: view.counts.read,
      failed: view.counts.failed,
      skipped: view.counts.skipped,
    },
  };
}

function action(verb: "start" | "pause" | "resume" | "cancel" | "retry", summary: string, run: typeof startBroadcast) {
  return defineRoute({
    method: "POST",
    url: `/api/v1/workspaces/:workspaceId/broadcasts/:broadcastId/${verb}`,
    summary,
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT", "UNPROCESSABLE"],
    schema: { params: itemParams, body: z.strictObject({}).optional(), response: { 200: broadcastResponse } },
    handler: async ({ services, caller, params }) => present(await run(services, caller, params.broadcastId)),
  });
}

const uploadParams = z.strictObject({ workspaceId: z.uuid(), uploadId: z.uuid() });

const uploadSummary = z.object({
  id: z.uuid(),
  rows: z.number().int().describe("Data rows of the file."),
  accepted: z.number().int().describe("Rows matched to or created as a contact; consent is still checked when sending."),
  excluded: z.object({ invalidNumber: z.number().int(), duplicate: z.number().int(), invalidRow: z.number().int() }),
  fieldKeys: z.array(z.string()).describe("The file's field:<name> columns, usable as parameters with source field."),
  createdAt: z.iso.datetime(),
});

const uploadRowReport = z.object({
  row: z.number().int().describe("The row's number in the file (the header is row 1)."),
  status: z.enum(["accepted", "excluded"]),
  reason: z.enum(["invalid_number", "duplicate", "invalid_row"]).nullable(),
  errors: z.array(z.object({ column: z.string().nullable(), message: z.string() })),
});

export const broadcastRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/audiences",
    summary: `Uploads a CSV audience for broadcasts (columns phone, name and field:<key>, whose values fill the template's parameters; at most 5 MB and ${MAX_IMPORT_ROWS.toLocaleString("en")} rows). Each row is validated as the contacts import validates it and reported with its row number; invalid numbers and repeated numbers are excluded. Valid rows match or create contacts (without consent: an upload never grants it); the names and fields are stored encrypted. Use the id as audience.uploadId. Audited with counts.`,
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["UNPROCESSABLE", "VALIDATION_FAILED", "PAYLOAD_TOO_LARGE"],
    // JSON escaping (quotes, line breaks) makes the body larger than the file it carries.
    bodyLimit: 8 * 1024 * 1024,
    rateLimit: { limit: 20, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      body: z.strictObject({
        csv: safeString(MAX_IMPORT_CHARS).min(1).max(MAX_IMPORT_CHARS, "The file is larger than 5 MB; split it into smaller files."),
      }),
      response: { 201: z.object({ upload: uploadSummary, rows: z.array(uploadRowReport) }) },
    },
    handler: async ({ services, caller, body, reply }) => {
      const report = await uploadAudience(services, caller, body);
      reply.code(201);
      return { upload: { id: report.id, ...report.summary, createdAt: report.createdAt.toISOString() }, rows: report.rows };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/audiences/:uploadId",
    summary: "An uploaded audience's counts: rows, accepted, excluded by reason, and its field columns.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: uploadParams, response: { 200: uploadSummary } },
    handler: async ({ services, caller, params }) => {
      const upload = await getAudienceUpload(services, caller, params.uploadId);
      return { ...upload, createdAt: upload.createdAt.toISOString() };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/broadcasts",
    summary: "The workspace's broadcasts, newest first (at most 100), with their recipient counts.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    schema: { params: workspaceParams, response: { 200: z.object({ data: z.array(broadcastResponse) }) } },
    handler: async ({ services, caller }) => ({ data: (await listBroadcasts(services, caller, 100)).map(present) }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/broadcasts",
    summary:
      "Creates a draft broadcast: an audience filter (marketing consent is always required), an approved template with its body parameters mapped from contact fields with fallbacks, one or several numbers, and optionally a local send time in an IANA time zone. Audited.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE", "VALIDATION_FAILED"],
    schema: { params: workspaceParams, body: createBody, response: { 201: broadcastResponse } },
    handler: async ({ services, caller, body, reply }) => {
      const created = await createBroadcast(services, caller, body);
      reply.code(201);
      return present(created);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/estimate",
    summary:
      "Counts an audience before sending: how many contacts match, how many would be sent to, and the exclusions by reason (no consent, opted out, invalid number, duplicate, beyond the portfolio's remaining messaging limit).",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND"],
    rateLimit: { limit: 30, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      body: z.strictObject({ audience: broadcastAudience, numberIds }),
      response: {
        200: z.object({
          matched: z.number().int(),
          eligible: z.number().int(),
          excluded: z.object({
            noConsent: z.number().int(),
            optedOut: z.number().int(),
            invalidNumber: z.number().int(),
            duplicate: z.number().int(),
            invalidRow: z
              .number()
              .int()
              .describe("Rows of an uploaded audience with another problem (a bad name or field, a contact in the trash)."),
            outsideMessagingLimit: z.number().int(),
          }),
          remainingQuota: z.number().int().nullable(),
        }),
      },
    },
    handler: async ({ services, caller, body }) => estimateAudience(services, caller, body),
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/:broadcastId",
    summary: "A broadcast with its state, the reason it is paused or waiting, and its recipient counts.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: itemParams, response: { 200: broadcastResponse } },
    handler: async ({ services, caller, params }) => present(await getBroadcast(services, caller, params.broadcastId)),
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/:broadcastId",
    summary: "Deletes a draft broadcast (one that was started is kept for its report). Audited.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT"],
    schema: { params: itemParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      await deleteBroadcast(services, caller, params.broadcastId);
      reply.code(204);
      return undefined;
    },
  }),
  action("start", "Starts a draft broadcast: now, or at its scheduled time. Audited.", startBroadcast),
  action("pause", "Pauses a running or scheduled broadcast; messages already queued still go out. Audited.", pauseBroadcast),
  action("resume", "Resumes a paused broadcast (after a manual or automatic pause). Audited.", resumeBroadcast),
  action("cancel", "Cancels a broadcast: recipients not yet sent to are skipped. Audited.", cancelBroadcast),
  action(
    "retry",
    "Sends again to failed recipients whose error may pass on another attempt (limits, Meta's transient errors, no answer); never to opt-outs or after 131049. Audited.",
    retryFailedRecipients,
  ),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/:broadcastId/report",
    summary:
      "A broadcast's funnel (targeted, handed over, sent, delivered, read, replied), failures by error code in words, and skips by reason.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: itemParams,
      response: {
        200: z.object({
          counts,
          funnel: z.object({
            targeted: z.number().int(),
            handedOver: z.number().int(),
            sent: z.number().int(),
            delivered: z.number().int(),
            read: z.number().int(),
            replied: z.number().int(),
          }),
          failures: z.array(
            z.object({ code: z.number().int().nullable(), count: z.number().int(), description: z.string(), retryable: z.boolean() }),
          ),
          skips: z.array(z.object({ reason: z.enum(SKIP_REASONS).nullable(), count: z.number().int(), description: z.string() })),
        }),
      },
    },
    handler: async ({ services, caller, params }) => {
      const report = await reportBroadcast(services, caller, params.broadcastId);
      const { total, pending, sending, accepted, sent, delivered, read, failed, skipped } = report.counts;
      return { ...report, counts: { total, pending, sending, accepted, sent, delivered, read, failed, skipped } };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/broadcasts/:broadcastId/outcomes.csv",
    summary:
      "Exports each recipient's outcome (phone, state, reason, error, times) as a CSV attachment; formula cells are neutralized. Needs a recent re-authentication; audited with the count.",
    tags: ["broadcasts"],
    permission: "broadcasts.manage",
    feature: "broadcasts",
    caller: true,
    errors: ["NOT_FOUND", "REAUTHENTICATION_REQUIRED"],
    rateLimit: { limit: 10, windowMs: 60_000, key: "user" },
    schema: {
      params: itemParams,
      response: { 200: z.string().describe("The CSV file (text/csv, UTF-8 with a byte order mark), not JSON.") },
    },
    handler: async ({ services, caller, params, auth, reply, requestId }) => {
      requireRecentReauth(auth);
      const exported = await exportOutcomes(services, caller, params.broadcastId);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...buildSecurityHeaders({ hsts: services.config.http.tls !== undefined || services.config.http.trustProxy !== false }),
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${exported.filename}"`,
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "x-request-id": requestId,
      });
      for (const chunk of ["\uFEFF", ...exported.chunks]) {
        if (raw.destroyed) break;
        if (!raw.write(chunk)) await new Promise<void>((resolve) => raw.once("drain", resolve).once("close", resolve));
      }
      if (!raw.destroyed) raw.end();
      return "";
    },
  }),
];
