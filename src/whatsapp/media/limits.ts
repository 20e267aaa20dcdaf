import type { MediaType } from "../inbound/payload.ts";

// Meta's media types and size limits (reference/cloud-api.md §9). Media outside them is refused
// rather than stored: it is either not what WhatsApp delivers or not what the announced type says,
// and the served Content-Type comes from this allow-list only.

const MB = 1024 * 1024;

const AUDIO = ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"] as const;
const DOCUMENT = [
  "text/plain",
  "application/pdf",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
] as const;

export const MEDIA_LIMITS: Record<MediaType, { mimeTypes: readonly string[]; maxBytes: number }> = {
  image: { mimeTypes: ["image/jpeg", "image/png"], maxBytes: 5 * MB },
  // 100 KB static, 500 KB animated: without decoding the WebP, the larger bound applies.
  sticker: { mimeTypes: ["image/webp"], maxBytes: 500 * 1024 },
  audio: { mimeTypes: AUDIO, maxBytes: 16 * MB },
  video: { mimeTypes: ["video/mp4", "video/3gpp"], maxBytes: 16 * MB },
  document: { mimeTypes: DOCUMENT, maxBytes: 100 * MB },
};

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMimeType(value: string): string {
  return (value.split(";")[0] ?? "").trim().toLowerCase();
}

export type MediaVerdict = { allowed: true; mimeType: string; maxBytes: number } | { allowed: false; reason: string };

/** Whether a message of `type` may carry media of `mimeType` (and `size`, when known). */
export function checkMedia(type: string, mimeType: string | null | undefined, size?: number): MediaVerdict {
  const limits = MEDIA_LIMITS[type as MediaType] as (typeof MEDIA_LIMITS)[MediaType] | undefined;
  if (!limits) return { allowed: false, reason: `message type ${safe(type)} carries no media` };
  const base = mimeType ? baseMimeType(mimeType) : "";
  if (!limits.mimeTypes.includes(base))
    return { allowed: false, reason: `media type ${safe(base || "(none)")} is not allowed for ${type} messages` };
  if (size !== undefined && size > limits.maxBytes)
    return { allowed: false, reason: `${type} of ${size} bytes exceeds the ${limits.maxBytes}-byte limit` };
  return { allowed: true, mimeType: base, maxBytes: limits.maxBytes };
}

/** A MIME type from outside, bounded and limited to token characters before it is quoted in a reason. */
function safe(value: string): string {
  return value.replace(/[^A-Za-z0-9!#$&^_.+/-]/g, "?").slice(0, 100);
}
