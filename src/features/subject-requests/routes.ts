import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { buildSecurityHeaders } from "../../http/security-headers.ts";
import { requireRecentReauth } from "../../identity/authenticator.ts";
import {
  createDownloadLinkFor,
  createRequestFor,
  DEADLINE_DAYS,
  downloadExport,
  eraseFromRequestFor,
  EXPORT_RETENTION_DAYS,
  getRequestFor,
  listRequestsFor,
  MAX_BACKDATE_DAYS,
  MAX_NOTES_CHARS,
  startExportFor,
  updateRequestFor,
  type SubjectRequest,
} from "./service.ts";

// Data subjects' requests under /api/v1/workspaces/:workspaceId/privacy: the tracker (list, record,
// read, update), running an export or an erasure from a request, and a signed link to download an
// export. privacy.manage is the Owner's and Admins'. Running an export or an erasure and getting a
// download link are sensitive (DESIGN §6): they need a session that confirmed its password (and
// TOTP) within 5 minutes, never an API key. The download itself is `/privacy-exports/<token>`,
// where the 5-minute token is the credential.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const requestParams = z.strictObject({ workspaceId: z.uuid(), requestId: z.uuid() });
const exportParams = z.strictObject({ workspaceId: z.uuid(), exportId: z.uuid() });

const kind = z.enum(["export", "erasure"]);
const status = z.enum(["received", "in_progress", "completed", "rejected"]);
const day = z.iso.date().describe("A calendar day, YYYY-MM-DD (UTC).");
const notesInput = safeString(MAX_NOTES_CHARS)
  .nullable()
  .describe(
    `How the request arrived and how the requester's identity was checked (at most ${MAX_NOTES_CHARS} characters). Keep personal data to what is needed: the notes are encrypted under the contact's key and go with an erasure.`,
  );

const exportSummary = z.object({
  id: z.uuid(),
  status: z.enum(["pending", "ready", "failed", "expired"]),
  sizeBytes: z.number().int().nullable(),
  fileCount: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().describe(`The bundle is deleted ${EXPORT_RETENTION_DAYS} days after it was requested.`),
});

const requestResponse = z.object({
  id: z.uuid(),
  kind,
  contactId: z.uuid(),
  contactLabel: z.string().nullable().describe("The contact's name (or WhatsApp name, or phone) while it exists; null once erased."),
  contactErased: z.boolean(),
  receivedOn: day,
  dueOn: day.describe(`The legal deadline: the received day + ${DEADLINE_DAYS} days.`),
  daysLeft: z.number().int().describe("Days from today (UTC) to the deadline; negative once it passed."),
  overdue: z.boolean().describe("Open (received or in progress) and past its deadline."),
  status,
  notes: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  exports: z.array(exportSummary).describe("The request's latest exports, newest first (at most 5)."),
});

function presentRequest(request: SubjectRequest): z.input<typeof requestResponse> {
  return {
    ...request,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    completedAt: request.completedAt?.toISOString() ?? null,
    exports: request.exports.map((item) => ({
      ...item,
      createdAt: item.createdAt.toISOString(),
      completedAt: item.completedAt?.toISOString() ?? null,
      expiresAt: item.expiresAt.toISOString(),
    })),
  };
}

export const subjectRequestRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/privacy/requests",
    summary: `Lists data subjects' export and erasure requests: open ones first by deadline (received + ${DEADLINE_DAYS} days, with days left and overdue), then finished ones, newest first; at most 200.`,
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["VALIDATION_FAILED"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({ status: status.optional(), kind: kind.optional() }),
      response: { 200: z.object({ requests: z.array(requestResponse) }) },
    },
    handler: async ({ services, caller, query }) => ({
      requests: (
        await listRequestsFor(services, caller, {
          ...(query.status ? { status: query.status } : {}),
          ...(query.kind ? { kind: query.kind } : {}),
        })
      ).map(presentRequest),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/privacy/requests",
    summary: `Records a data subject's export or erasure request for a contact, received on a day (today or up to ${MAX_BACKDATE_DAYS} days back); its deadline is ${DEADLINE_DAYS} days later. Audited.`,
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["NOT_FOUND", "VALIDATION_FAILED"],
    rateLimit: { limit: 60, windowMs: 60_000, key: "user" },
    schema: {
      params: workspaceParams,
      body: z.strictObject({ kind, contactId: z.uuid(), receivedOn: day, notes: notesInput.optional() }),
      response: { 201: requestResponse },
    },
    handler: async ({ services, caller, body, reply }) => {
      const created = await createRequestFor(services, caller, body);
      reply.code(201);
      return presentRequest(created);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/privacy/requests/:requestId",
    summary: "Reads one request with its latest exports.",
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: requestParams, response: { 200: requestResponse } },
    handler: async ({ services, caller, params }) => presentRequest(await getRequestFor(services, caller, params.requestId)),
  }),
  defineRoute({
    method: "PATCH",
    url: "/api/v1/workspaces/:workspaceId/privacy/requests/:requestId",
    summary:
      "Moves an open request to in progress or rejected (an export request also to completed, once the bundle was handed over) and edits its notes. A completed or rejected request is final (409); an erasure request completes by running the erasure. Audited.",
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["CONFLICT", "NOT_FOUND", "VALIDATION_FAILED"],
    schema: {
      params: requestParams,
      body: z
        .strictObject({ status: status.optional(), notes: notesInput.optional() })
        .refine((body) => body.status !== undefined || body.notes !== undefined, { message: "Give a status, notes or both." }),
      response: { 200: requestResponse },
    },
    handler: async ({ services, caller, params, body }) =>
      presentRequest(
        await updateRequestFor(services, caller, params.requestId, {
          ...(body.status !== undefined ? { status: body.status } : {}),
          ...(body.notes !== undefined ? { notes: body.notes } : {}),
        }),
      ),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/privacy/requests/:requestId/export",
    summary: `Starts the contact's export for an export request: a job builds the bundle (subject.json, README.txt, media/), seals it and keeps it ${EXPORT_RETENTION_DAYS} days; the request completes when it is ready. Needs a recent re-authentication; audited.`,
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["CONFLICT", "NOT_FOUND", "REAUTHENTICATION_REQUIRED"],
    rateLimit: { limit: 10, windowMs: 60_000, key: "user" },
    schema: { params: requestParams, response: { 202: requestResponse } },
    handler: async ({ services, caller, params, auth, reply }) => {
      requireRecentReauth(auth);
      const started = await startExportFor(services, caller, params.requestId);
      reply.code(202);
      return presentRequest(started);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/privacy/requests/:requestId/erase",
    summary:
      "Runs an erasure request: the contact is erased (conversations, messages, notes, media, export bundles; its data key destroyed) and the request completes in the same transaction, keeping ids and dates only. Needs a recent re-authentication; audited.",
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["CONFLICT", "NOT_FOUND", "REAUTHENTICATION_REQUIRED"],
    rateLimit: { limit: 10, windowMs: 60_000, key: "user" },
    schema: { params: requestParams, response: { 200: requestResponse } },
    handler: async ({ services, caller, params, auth }) => {
      requireRecentReauth(auth);
      return presentRequest(await eraseFromRequestFor(services, caller, params.requestId));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/privacy/exports/:exportId/link",
    summary:
      "A signed link (5 minutes) to download a ready export bundle as a zip. Needs a recent re-authentication; the download is audited as the caller's.",
    tags: ["privacy"],
    permission: "privacy.manage",
    caller: true,
    errors: ["CONFLICT", "NOT_FOUND", "REAUTHENTICATION_REQUIRED"],
    rateLimit: { limit: 30, windowMs: 60_000, key: "user" },
    schema: { params: exportParams, response: { 200: z.object({ url: z.string(), expiresAt: z.iso.datetime() }) } },
    handler: async ({ services, caller, params, auth }) => {
      requireRecentReauth(auth);
      const link = await createDownloadLinkFor(services, caller, params.exportId);
      return { url: link.url, expiresAt: link.expiresAt.toISOString() };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/privacy-exports/:token",
    summary: "Downloads an export bundle (application/zip) through a signed link; audited as a download by the member it was issued to.",
    tags: ["privacy"],
    public: "the signed, short-lived token is the credential",
    rateLimit: { limit: 30, windowMs: 60_000, key: "ip" },
    errors: ["FORBIDDEN", "NOT_FOUND"],
    schema: {
      params: z.strictObject({ token: safeString(256).min(1) }),
      response: { 200: z.string().describe("The zip archive (binary, not JSON).") },
    },
    async handler({ services, params: { token }, ip, request, reply, requestId }) {
      const userAgent = request.headers["user-agent"];
      const { filename, zip } = await downloadExport(services, token, { ip, userAgent: typeof userAgent === "string" ? userAgent : null });
      reply.hijack();
      reply.raw.writeHead(200, {
        ...buildSecurityHeaders({ hsts: services.config.http.tls !== undefined || services.config.http.trustProxy !== false }),
        "content-security-policy": "default-src 'none'; sandbox",
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${filename}"`,
        "content-length": String(zip.length),
        "x-request-id": requestId,
      });
      reply.raw.end(zip);
      return "";
    },
  }),
];
