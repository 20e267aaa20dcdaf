import { z } from "zod";
import { AppError } from "../../../errors.ts";
import { defineRoute } from "../../../http/define-route.ts";
import { MAX_UPLOAD_BYTES, storeUpload, UPLOAD_MIME_TYPES, type StoredUpload } from "./upload.ts";

// POST /api/v1/workspaces/:workspaceId/media?conversationId=…: the file itself is the body, with
// its own Content-Type (one of Meta's media types). The answer's id is a Parley media reference:
// send it as `{ "type": "image", "image": { "upload": "<id>" } }` (or video, audio, document,
// sticker) to the send API in the same conversation. See ./upload.ts for the design.

const uploadResponse = z.object({
  id: z.uuid().describe("The media reference to send (image.upload, document.upload, …)."),
  conversationId: z.uuid(),
  type: z.enum(["image", "video", "audio", "document", "sticker"]).describe("The message type the file is sent as, from its Content-Type."),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.iso.datetime(),
});

function present(upload: StoredUpload): z.input<typeof uploadResponse> {
  return { ...upload, createdAt: upload.createdAt.toISOString() };
}

export const mediaUploadRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/media",
    summary:
      "Upload a file to send in a conversation: the raw bytes as the body, with the file's Content-Type. Meta's types and sizes apply (images 5 MB, video and audio 16 MB, documents 100 MB, stickers 500 KB). Stored encrypted under the contact's key.",
    tags: ["messages"],
    permission: "messages.send",
    caller: true,
    bodyLimit: MAX_UPLOAD_BYTES,
    binaryBody: UPLOAD_MIME_TYPES,
    rateLimit: { limit: 60, windowMs: 60_000, key: "user" },
    errors: ["NOT_FOUND", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "UNPROCESSABLE"],
    schema: {
      params: z.strictObject({ workspaceId: z.uuid() }),
      query: z.strictObject({ conversationId: z.uuid() }),
      response: { 201: uploadResponse },
    },
    handler: async ({ services, caller, query, rawBody, request, reply }) => {
      const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (!UPLOAD_MIME_TYPES.includes(contentType))
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the file's bytes as the body, with its own Content-Type (e.g. image/jpeg).");
      const upload = await storeUpload(services, caller, query.conversationId, contentType, rawBody ?? Buffer.alloc(0));
      reply.code(201);
      return present(upload);
    },
  }),
];
