import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { SimContext } from "../context.ts";
import { MEDIA_RETENTION_MS } from "../options.ts";
import { createNumericId } from "../random.ts";
import type { MediaRecord } from "../state.ts";
import { authenticate } from "./auth.ts";
import { GraphError, invalidParameter, missingParameter } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";
import { findPhoneNumber } from "./messages.ts";
import { parseMultipart } from "./multipart.ts";

const MB = 1024 * 1024;

// Supported MIME types and size limits, reference §9.
export const mediaLimits: Record<string, { kind: string; maxBytes: number }> = {
  "audio/aac": { kind: "audio", maxBytes: 16 * MB },
  "audio/amr": { kind: "audio", maxBytes: 16 * MB },
  "audio/mpeg": { kind: "audio", maxBytes: 16 * MB },
  "audio/mp4": { kind: "audio", maxBytes: 16 * MB },
  "audio/ogg": { kind: "audio", maxBytes: 16 * MB },
  "text/plain": { kind: "document", maxBytes: 100 * MB },
  "application/pdf": { kind: "document", maxBytes: 100 * MB },
  "application/vnd.ms-excel": { kind: "document", maxBytes: 100 * MB },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { kind: "document", maxBytes: 100 * MB },
  "application/msword": { kind: "document", maxBytes: 100 * MB },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { kind: "document", maxBytes: 100 * MB },
  "application/vnd.ms-powerpoint": { kind: "document", maxBytes: 100 * MB },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": { kind: "document", maxBytes: 100 * MB },
  "image/jpeg": { kind: "image", maxBytes: 5 * MB },
  "image/png": { kind: "image", maxBytes: 5 * MB },
  // Animated stickers may be 500 KB; static ones 100 KB. Without decoding WebP we allow the larger.
  "image/webp": { kind: "sticker", maxBytes: 500 * 1024 },
  "video/mp4": { kind: "video", maxBytes: 16 * MB },
  "video/3gpp": { kind: "video", maxBytes: 16 * MB },
};

export const MEDIA_UPLOAD_BODY_LIMIT = 101 * MB;

function baseMime(value: string | undefined): string | undefined {
  return value?.split(";")[0]?.trim().toLowerCase();
}

export function storeMedia(ctx: SimContext, phoneNumberId: string, mimeType: string, bytes: Buffer, filename?: string): MediaRecord {
  const record: MediaRecord = {
    id: createNumericId(),
    phoneNumberId,
    mimeType,
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    filename,
    uploadedAt: ctx.clock.now(),
    deleted: false,
  };
  ctx.state.media.set(record.id, record);
  return record;
}

export type UploadRequest = { contentType: string | undefined; body: Buffer; query: Record<string, string | undefined> };

// POST /{phone-number-id}/media. Like every Graph call it takes its parameters from the query
// string or the body, so messaging_product and type may be form fields or query parameters (some
// clients send ?messaging_product=whatsapp). The file's own part must say its MIME type: Meta
// checks the part's Content-Type, and `type`, when both are given, must agree with it.
export function handleUploadMedia(ctx: SimContext, phoneNumberId: string, upload: UploadRequest): GraphResponse {
  findPhoneNumber(ctx, phoneNumberId);
  const isMultipart = upload.contentType?.toLowerCase().startsWith("multipart/form-data") ?? false;
  const parts = isMultipart && upload.contentType ? parseMultipart(upload.contentType, upload.body) : [];
  if (!parts) throw new GraphError(100, "The request body is not valid multipart/form-data.");
  const field = (name: string): string | undefined =>
    parts.find((p) => p.name === name && p.filename === undefined)?.data.toString("utf8") ?? upload.query[name];
  const product = field("messaging_product");
  if (product === undefined) throw missingParameter("messaging_product");
  if (product.toLowerCase() !== "whatsapp") throw invalidParameter(`Param messaging_product must be one of {WHATSAPP} - got "${product}".`);
  const file = parts.find((p) => p.name === "file" && p.filename !== undefined) ?? parts.find((p) => p.name === "file");
  if (!file) throw missingParameter("file");
  const declared = baseMime(field("type"));
  const fileType = baseMime(file.contentType) ?? declared;
  if (!fileType) throw missingParameter("type");
  const limit = mediaLimits[fileType];
  if (!limit) {
    throw invalidParameter(
      `Param file must be a file with one of the following types: ${Object.keys(mediaLimits).join(", ")}. Received file of type '${fileType}'.`,
    );
  }
  if (declared !== undefined && fileType !== declared)
    throw new GraphError(131053, `Param type '${declared}' does not match the file's type '${fileType}'.`);
  if (file.data.length === 0) throw new GraphError(131053, "Param file must not be empty.");
  if (file.data.length > limit.maxBytes) {
    throw new GraphError(131053, `Param file must be at most ${limit.maxBytes} bytes for ${fileType}. Received ${file.data.length} bytes.`);
  }
  const record = storeMedia(ctx, phoneNumberId, fileType, Buffer.from(file.data), file.filename);
  return { status: 200, body: { id: record.id } };
}

export function findLiveMedia(ctx: SimContext, id: string): MediaRecord | undefined {
  const record = ctx.state.media.get(id);
  if (!record || record.deleted || ctx.clock.now() - record.uploadedAt > MEDIA_RETENTION_MS) return undefined;
  return record;
}

function signUrl(ctx: SimContext, mid: string, ext: number): string {
  return createHmac("sha256", ctx.urlSigningKey).update(`${mid}:${ext}`).digest("base64url");
}

// A lookaside-style URL that expires after mediaUrlTtlMs and still needs a bearer token.
export function createMediaUrl(ctx: SimContext, record: MediaRecord, source?: "webhook"): string {
  const ext = Math.floor((ctx.clock.now() + ctx.options.mediaUrlTtlMs) / 1000);
  const params = new URLSearchParams({
    mid: record.id,
    ...(source ? { source } : {}),
    ext: String(ext),
    hash: signUrl(ctx, record.id, ext),
  });
  return `${ctx.publicUrl()}/whatsapp_business/attachments/?${params.toString()}`;
}

export function handleGetMedia(ctx: SimContext, record: MediaRecord): GraphResponse {
  return {
    status: 200,
    body: {
      messaging_product: "whatsapp",
      url: createMediaUrl(ctx, record),
      mime_type: record.mimeType,
      sha256: record.sha256,
      file_size: String(record.bytes.length),
      id: record.id,
    },
  };
}

export function handleDeleteMedia(ctx: SimContext, record: MediaRecord): GraphResponse {
  record.deleted = true;
  return { status: 200, body: { success: true } };
}

export type DownloadResult = { ok: true; mimeType: string; bytes: Buffer } | { ok: false; status: number; body: unknown };

// GET on the URL that GET /{media-id} handed out: it needs the bearer token, like any Graph call,
// and is refused with Graph's token errors without one.
export function handleDownloadMedia(ctx: SimContext, query: Record<string, string | undefined>, token: string | undefined): DownloadResult {
  try {
    authenticate(ctx, token);
  } catch (error) {
    if (error instanceof GraphError) return { ok: false, ...error.response };
    throw error;
  }
  const { mid, ext, hash } = query;
  const extSeconds = Number(ext);
  if (!mid || !hash || !Number.isInteger(extSeconds)) return { ok: false, status: 404, body: "Not Found" };
  const expected = Buffer.from(signUrl(ctx, mid, extSeconds));
  const given = Buffer.from(hash);
  const record = findLiveMedia(ctx, mid);
  if (expected.length !== given.length || !timingSafeEqual(expected, given) || !record || extSeconds * 1000 <= ctx.clock.now()) {
    return { ok: false, status: 404, body: "Not Found" };
  }
  return { ok: true, mimeType: record.mimeType, bytes: record.bytes };
}
