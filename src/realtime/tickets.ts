import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { serverSecret } from "../crypto/server-secrets.ts";
import type { Services } from "../services.ts";

// Tickets for the event stream. A browser's EventSource cannot send an Authorization header, and an
// access token in a URL would end up in logs and history; so an authenticated request exchanges its
// credentials for a ticket that is short-lived (60 s), single-use and bound to one user and one
// workspace. Tickets are HMAC-signed (no table); single use is enforced through the coordination
// store, shared by every instance, and refused when that store cannot answer.

export const TICKET_TTL_MS = 60_000;
const TICKET = /^([A-Za-z0-9_-]{20,400})\.([A-Za-z0-9_-]{43})$/;

export type TicketClaims = { workspaceId: string; userId: string; sessionId: string | null; expiresAt: number; nonce: string };

function ticketSecret(services: Services): Promise<Buffer> {
  return serverSecret(services, "realtime_ticket_key");
}

function sign(secret: Buffer, payload: string): string {
  return createHmac("sha256", secret).update(`realtime-ticket.v1|${payload}`, "utf8").digest("base64url");
}

export async function issueTicket(
  services: Services,
  subject: { workspaceId: string; userId: string; sessionId: string | null },
  now = Date.now(),
): Promise<{ ticket: string; expiresAt: Date }> {
  const claims: TicketClaims = {
    workspaceId: subject.workspaceId,
    userId: subject.userId,
    sessionId: subject.sessionId,
    expiresAt: now + TICKET_TTL_MS,
    nonce: randomBytes(16).toString("base64url"),
  };
  const payload = Buffer.from(
    JSON.stringify([claims.workspaceId, claims.userId, claims.sessionId, claims.expiresAt, claims.nonce]),
    "utf8",
  ).toString("base64url");
  return { ticket: `${payload}.${sign(await ticketSecret(services), payload)}`, expiresAt: new Date(claims.expiresAt) };
}

/**
 * The ticket's claims when it is authentic, unexpired, for this workspace and not used before;
 * null otherwise. Using it marks it used (a second presentation, on any instance, gets null).
 * Throws CoordinationUnavailableError when the store that remembers used tickets is unreachable.
 */
export async function redeemTicket(
  services: Services,
  ticket: string,
  workspaceId: string,
  now = Date.now(),
): Promise<TicketClaims | null> {
  const match = TICKET.exec(ticket);
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = Buffer.from(sign(await ticketSecret(services), payload));
  const presented = Buffer.from(signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 5) return null;
  const [ticketWorkspace, userId, sessionId, expiresAt, nonce] = parts as unknown[];
  if (typeof ticketWorkspace !== "string" || typeof userId !== "string" || typeof expiresAt !== "number" || typeof nonce !== "string")
    return null;
  if (sessionId !== null && typeof sessionId !== "string") return null;
  if (ticketWorkspace !== workspaceId || expiresAt <= now) return null;
  const use = await services.coordination.rateLimiter.hit(`realtime:ticket:${nonce}`, { limit: 1, windowMs: TICKET_TTL_MS * 2 });
  if (!use.allowed) return null;
  return { workspaceId: ticketWorkspace, userId, sessionId, expiresAt, nonce };
}
