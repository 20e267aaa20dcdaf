import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { defineRoute } from "../http/define-route.ts";
import { buildSecurityHeaders } from "../http/security-headers.ts";
import { findMemberRole } from "../identity/authenticator.ts";
import { onInvalidation, subscribeToInvalidations, type Invalidation } from "../identity/cache.ts";
import { permissionsOf } from "../identity/permissions.ts";
import { findLiveSession } from "../identity/sessions.ts";
import type { MemberRole } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import type { RealtimeEvent } from "./events.ts";
import { realtimeHub, type RealtimeListener, type RealtimeRecipient } from "./hub.ts";
import { issueTicket, redeemTicket } from "./tickets.ts";
import { safeString } from "../http/safe-string.ts";

// The dashboard's event stream (Server-Sent Events). A signed-in member first asks for a ticket
// (POST …/events/tickets, authenticated like any API call), then opens GET …/events?ticket=… from
// the same origin. Events are filtered per recipient by permission; `Last-Event-ID` (or the
// `lastEventId` query, for a client that opens a new stream with a new ticket) resumes.

/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/**
 * Membership, role and session are re-read this often — and at once when any instance announces a
 * change to them (removal, role change, logout, password change): a removed member's stream ends.
 */
export const RECHECK_MS = 20_000;
/** A client that cannot keep up is cut off (it reconnects and resumes or resyncs). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const EVENT_ID = /^\d{13}-[0-9a-f]{12}$/;

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });

/** Same origin only: Origin equal to the public URL's, or Fetch Metadata saying same-origin (browsers omit Origin on same-origin GETs). */
function assertSameOrigin(services: Services, request: FastifyRequest): void {
  const expected = new URL(services.config.http.publicUrl).origin;
  const origin = request.headers.origin;
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") throw new AppError("FORBIDDEN");
  if (origin !== undefined && origin !== expected) throw new AppError("FORBIDDEN");
  if (site !== "same-origin" && origin !== expected) throw new AppError("FORBIDDEN");
}

/** Whether an identity change may concern a stream of this user, workspace and session. */
function concerns(invalidation: Invalidation, stream: { workspaceId: string; userId: string; sessionId: string | null }): boolean {
  switch (invalidation.type) {
    case "membership":
      return invalidation.workspaceId === stream.workspaceId && invalidation.userId === stream.userId;
    case "workspace":
      return invalidation.workspaceId === stream.workspaceId;
    case "user":
      return invalidation.userId === stream.userId;
    case "session":
      return invalidation.sessionId === stream.sessionId;
    case "keys":
      return false;
  }
}

/** What a member's role lets their stream receive. */
function recipientOf(userId: string, role: MemberRole): RealtimeRecipient {
  const permissions = permissionsOf(role);
  return { userId, readsAll: permissions.has("conversations.read_all"), managesBroadcasts: permissions.has("broadcasts.manage") };
}

function formatEvent(event: RealtimeEvent): string {
  // Identifiers and states only (see ./events.ts); the audience stays on the server.
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ id: event.id, type: event.type, data: event.data, at: event.at })}\n\n`;
}

export const realtimeRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/events/tickets",
    summary: "Issues a ticket (60 s, single use) to open the event stream of this workspace.",
    tags: ["realtime"],
    permission: "conversations.read_assigned",
    caller: true,
    rateLimit: { limit: 60, windowMs: 60_000, key: "user" },
    schema: { params: workspaceParams, response: { 201: z.object({ ticket: z.string(), expiresAt: z.iso.datetime() }) } },
    handler: async ({ services, caller, auth, reply }) => {
      const issued = await issueTicket(services, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        sessionId: auth?.sessionId ?? null,
      });
      reply.code(201);
      return { ticket: issued.ticket, expiresAt: issued.expiresAt.toISOString() };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/events",
    summary:
      "The workspace's event stream (text/event-stream): message.created, message.status, conversation.updated, presence, broadcast.progress (to those who manage broadcasts), resync.",
    tags: ["realtime"],
    public:
      "EventSource cannot send credentials in headers; the short-lived, single-use ticket in the query is the credential, and the origin must be ours",
    errors: ["UNAUTHENTICATED", "FORBIDDEN", "COORDINATION_UNAVAILABLE"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({ ticket: safeString(512).min(1), lastEventId: safeString(64).optional() }),
      response: { 200: z.string() },
    },
    handler: async ({ services, params, query, request, reply, requestId }) => {
      const { workspaceId } = params;
      assertSameOrigin(services, request);
      const claims = await redeemTicket(services, query.ticket, workspaceId);
      if (!claims) throw new AppError("UNAUTHENTICATED");
      const role = await findMemberRole(services, workspaceId, claims.userId);
      if (!role || !permissionsOf(role).has("conversations.read_assigned")) throw new AppError("FORBIDDEN");

      const header = request.headers["last-event-id"];
      const presented = typeof header === "string" ? header : query.lastEventId;
      const lastEventId = presented !== undefined && EVENT_ID.test(presented) ? presented : null;

      let open = true;
      // Events that arrive between attaching and the stream's first bytes wait here.
      const waiting: RealtimeEvent[] = [];
      const listener: RealtimeListener = {
        recipient: recipientOf(claims.userId, role),
        deliver: (event) => void waiting.push(event),
      };
      const hub = realtimeHub(services);
      // Changes announced by any instance reach this one (see the recheck below).
      await subscribeToInvalidations(services);
      const resumption = await hub.attach(workspaceId, listener, lastEventId);

      // From here the response is ours: Fastify's hooks do not run, so its headers are set here too.
      reply.hijack();
      const raw = reply.raw;
      const hsts = services.config.http.tls !== undefined || services.config.http.trustProxy !== false;
      raw.writeHead(200, {
        ...buildSecurityHeaders({ hsts }),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-request-id": requestId,
        "x-accel-buffering": "no",
      });
      const log = services.logger.child({ component: "realtime", requestId, workspaceId });
      const seen = new Set<string>();
      const timers: NodeJS.Timeout[] = [];
      let stopListening = (): void => {};
      const close = (reason: string): void => {
        if (!open) return;
        open = false;
        for (const timer of timers) clearInterval(timer);
        stopListening();
        hub.detach(workspaceId, listener);
        log.info({ reason }, "event stream closed");
        if (!raw.destroyed) raw.end();
      };
      const write = (chunk: string): void => {
        if (!open) return;
        raw.write(chunk);
        if (raw.writableLength > MAX_BUFFERED_BYTES) close("client too slow");
      };
      const send = (event: RealtimeEvent): void => {
        if (seen.has(event.id)) return;
        seen.add(event.id);
        if (seen.size > 2_000) seen.delete(seen.values().next().value!);
        write(formatEvent(event));
      };
      listener.deliver = (event) => send(event);
      listener.end = () => close("server closing");

      raw.on("close", () => close("client gone"));
      write(`retry: 3000\n: connected\n\n`);
      if (resumption.kind === "resync") write(`event: resync\ndata: {}\n\n`);
      else for (const event of resumption.events) send(event);
      for (const event of waiting.splice(0)) send(event);
      write(`event: ready\ndata: {}\n\n`);
      log.info({ resumed: lastEventId !== null, resync: resumption.kind === "resync" }, "event stream opened");

      if (!open) return "";
      const heartbeat = setInterval(() => write(`: keep-alive\n\n`), HEARTBEAT_MS);
      const recheckAccess = (): void => {
        void (async () => {
          const current = await findMemberRole(services, workspaceId, claims.userId);
          const session = claims.sessionId ? await findLiveSession(services, claims.sessionId) : true;
          if (!current || !session || !permissionsOf(current).has("conversations.read_assigned")) close("access ended");
          else listener.recipient = recipientOf(claims.userId, current);
        })().catch(() => close("access check failed"));
      };
      const recheck = setInterval(recheckAccess, RECHECK_MS);
      stopListening = onInvalidation(services, (invalidation) => {
        if (concerns(invalidation, { workspaceId, userId: claims.userId, sessionId: claims.sessionId })) recheckAccess();
      });
      heartbeat.unref();
      recheck.unref();
      timers.push(heartbeat, recheck);
      return "";
    },
  }),
];
