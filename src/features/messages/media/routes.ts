import { z } from "zod";
import { DecryptionError } from "../../../crypto/aead.ts";
import { withWorkspace } from "../../../db/with-workspace.ts";
import { AppError } from "../../../errors.ts";
import { findStoredMedia, findStoredMediaSubject, messageContentField } from "../repository.ts";
import { defineRoute } from "../../../http/define-route.ts";
import { recordCallerAccess } from "../../../identity/caller.ts";
import { buildSecurityHeaders } from "../../../http/security-headers.ts";
import type { Services } from "../../../services.ts";
import { openMedia } from "./cipher.ts";
import { createMediaToken, verifyMediaToken } from "./signed-url.ts";
import { safeString } from "../../../http/safe-string.ts";

// Media for the dashboard and API clients in two steps: an authorized member asks for a signed URL
// (RLS decides whether the message is theirs to see: an Agent only gets their conversations'
// media), then the browser fetches `/media/<token>`, where the short-lived token is the credential.
// The bytes are decrypted on the way out and never cached. Issuing the link is what the access log
// records (media.viewed): the member, the message, its conversation and contact.

const mediaUrlResponse = z.object({ url: z.string(), expiresAt: z.iso.datetime() });

export const mediaRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/messages/:messageId/media-url",
    summary: "Get a short-lived signed URL (5 minutes) for a message's media",
    tags: ["messages"],
    permission: "conversations.read_assigned",
    caller: true,
    rateLimit: { limit: 300, windowMs: 60_000, key: "user" },
    errors: ["NOT_FOUND"],
    schema: { params: z.strictObject({ workspaceId: z.uuid(), messageId: z.uuid() }), response: { 200: mediaUrlResponse } },
    async handler({ services, caller, params: { workspaceId, messageId } }) {
      const subject = await withWorkspace(services.db, { workspaceId, userId: caller.userId, role: caller.role }, (trx) =>
        findStoredMediaSubject(trx, workspaceId, messageId),
      );
      // Another Agent's conversation, another workspace's message and media not stored (yet) look alike.
      if (!subject) throw new AppError("NOT_FOUND", "The message has no stored media, or it does not exist.");
      const { token, expiresAt } = await createMediaToken(services, { workspaceId, messageId });
      // The link is the member's access: /media/<token> itself knows no member, only the grant.
      await recordCallerAccess(services, caller, {
        action: "media.viewed",
        target: { type: "message", id: messageId },
        metadata: { contactId: subject.contactId, conversationId: subject.conversationId, messageId },
      });
      return { url: `/media/${token}`, expiresAt: expiresAt.toISOString() };
    },
  }),

  defineRoute({
    method: "GET",
    url: "/media/:token",
    summary: "Download media through a signed URL (the binary bytes, with their stored Content-Type)",
    tags: ["messages"],
    public: "the signed, short-lived token is the credential",
    rateLimit: { limit: 600, windowMs: 60_000, key: "ip" },
    errors: ["FORBIDDEN", "NOT_FOUND"],
    schema: {
      params: z.strictObject({ token: safeString(256).min(1) }),
      response: { 200: z.string().describe("The media bytes (binary, not JSON).") },
    },
    async handler({ services, params: { token }, reply, requestId }) {
      const grant = await verifyMediaToken(services, token);
      if (!grant) throw new AppError("FORBIDDEN", "The media link is invalid or has expired.");
      const media = await loadMedia(services, grant.workspaceId, grant.messageId);
      const headers: Record<string, string> = {
        ...buildSecurityHeaders({ hsts: services.config.http.tls !== undefined || services.config.http.trustProxy !== false }),
        // Bytes from customers: never sniffed, never run as a page, never cached.
        "content-security-policy": "default-src 'none'; sandbox",
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        "content-type": media.mimeType,
        "content-length": String(media.bytes.length),
        "x-request-id": requestId,
      };
      if (media.type === "document") headers["content-disposition"] = contentDisposition(media.filename);
      // Binary leaves around the JSON serializer: the reply is ours from here (see src/http/app.ts).
      reply.hijack();
      reply.raw.writeHead(200, headers);
      reply.raw.end(media.bytes);
      return "";
    },
  }),
];

async function loadMedia(
  services: Services,
  workspaceId: string,
  messageId: string,
): Promise<{ bytes: Buffer; mimeType: string; type: string; filename: string | null }> {
  const blobs = services.blobs;
  if (!blobs) throw new Error("no blob store is configured (services.blobs)");
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const row = await findStoredMedia(trx, workspaceId, messageId);
    if (!row || row.media_blob_key === null || row.media_mime_type === null) throw new AppError("NOT_FOUND");
    const blob = await blobs.get(row.media_blob_key);
    if (!blob) throw new AppError("NOT_FOUND");
    try {
      const bytes = await openMedia(trx, services.keyring, { workspaceId, messageId, blobKey: row.media_blob_key }, blob);
      let filename: string | null = null;
      if (row.type === "document" && row.content_ciphertext !== null) {
        const content = JSON.parse(
          await services.keyring.decrypt(trx, messageContentField(workspaceId, messageId), row.content_ciphertext),
        ) as { filename?: unknown };
        filename = typeof content.filename === "string" ? content.filename : null;
      }
      return { bytes, mimeType: row.media_mime_type, type: row.type, filename };
    } catch (error) {
      // The contact was erased (its data key shredded): the media is gone with it.
      if (error instanceof DecryptionError) throw new AppError("NOT_FOUND");
      throw error;
    }
  });
}

/** `attachment`, with the customer's file name made header-safe (ASCII fallback plus RFC 5987 UTF-8). */
function contentDisposition(filename: string | null): string {
  if (!filename) return "attachment";
  const trimmed = filename.slice(0, 200);
  const ascii = trimmed.replace(/[^A-Za-z0-9._ -]/g, "_").trim() || "document";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(trimmed).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
