import { MEDIA_LIMITS } from "../../../../src/whatsapp/media/limits.ts";

// Shapes the conversation view reads beyond api.ts: internal notes, quick replies, templates and
// media uploads (see src/features/notes, src/features/quick-replies, src/whatsapp/templates and
// src/whatsapp/media/upload-routes.ts for the server side).

export type Note = { id: string; conversationId: string; text: string | null; authorUserId: string | null; createdAt: string };

export type QuickReply = { id: string; shortcut: string; text: string; createdAt: string; updatedAt: string };

export type TemplateHeaderFormat = "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";

export type Template = {
  id: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  parameterFormat: "POSITIONAL" | "NAMED";
  components: {
    header: { format: TemplateHeaderFormat; text: string | null } | null;
    body: { text: string } | null;
    footer: { text: string } | null;
    buttons: Array<{ type: string; text: string; url: string | null }>;
  } | null;
  parameters: {
    header: { kind: "text"; names: string[] } | { kind: "media"; format: "IMAGE" | "VIDEO" | "DOCUMENT" } | null;
    body: string[];
  } | null;
};

export type Upload = {
  id: string;
  conversationId: string;
  type: "image" | "video" | "audio" | "document" | "sticker";
  mimeType: string;
  sizeBytes: number;
};

/** Meta's media types and limits (src/whatsapp/media/limits.ts), checked here too so a person learns before the upload. */
const MEDIA_LABELS: Record<Upload["type"], string> = {
  image: "image",
  sticker: "sticker",
  audio: "audio file",
  video: "video",
  document: "document",
};

/** Meta's types and sizes per kind — the server's own list (src/whatsapp/media/limits.ts), with a word for people. */
export const MEDIA_KINDS: Record<Upload["type"], { mimeTypes: readonly string[]; maxBytes: number; label: string }> = Object.fromEntries(
  Object.entries(MEDIA_LIMITS).map(([kind, limits]) => [kind, { ...limits, label: MEDIA_LABELS[kind as Upload["type"]] }]),
) as Record<Upload["type"], { mimeTypes: readonly string[]; maxBytes: number; label: string }>;

export function mediaKindOf(mimeType: string): Upload["type"] | undefined {
  const base = mimeType.split(";")[0]!.trim().toLowerCase();
  return (Object.keys(MEDIA_KINDS) as Array<Upload["type"]>).find((kind) => MEDIA_KINDS[kind].mimeTypes.includes(base));
}

/** 1.2 MB, 340 KB, 12 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
