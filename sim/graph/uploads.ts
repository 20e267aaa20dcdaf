import { createHash } from "node:crypto";
import { z } from "zod";
import type { SimContext } from "../context.ts";
import { createOpaqueHex } from "../random.ts";
import { GraphError, invalidParameter, missingParameter, unsupportedRequest } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";

// The Resumable Upload API (reference/messaging-and-integrations.md §1.8), which gives the `h`
// handle a media template header's example must carry: POST /{app-id}/uploads opens a session,
// POST /upload:<id> (Authorization: OAuth <token>, file_offset) sends the bytes and answers the
// handle, GET /upload:<id> says how far an interrupted upload got. Handles are opaque; template
// creation accepts only handles made here (a Cloud API media id is refused, as Meta does).

export const UPLOAD_TYPES = ["application/pdf", "image/jpeg", "image/jpg", "image/png", "video/mp4"] as const;
const MB = 1024 * 1024;
export const UPLOAD_MAX_BYTES = 100 * MB;

export type UploadSession = {
  id: string;
  appId: string;
  fileName: string;
  fileLength: number;
  fileType: string;
  received: Buffer;
  handle: string | undefined;
};

const startSchema = z.object({
  file_name: z.string().min(1).max(255),
  file_length: z.coerce.number().int().min(1).max(UPLOAD_MAX_BYTES),
  file_type: z.enum(UPLOAD_TYPES),
});

function knownApp(ctx: SimContext, appId: string): boolean {
  return appId === ctx.state.appId || [...ctx.state.accounts.values()].some((account) => account.appId === appId);
}

export function handleStartUpload(ctx: SimContext, appId: string, query: Record<string, string | undefined>): GraphResponse {
  if (!knownApp(ctx, appId)) throw unsupportedRequest("POST", appId);
  for (const name of ["file_name", "file_length", "file_type"]) if (!query[name]) throw missingParameter(name);
  const parsed = startSchema.safeParse(query);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "file_type");
    throw invalidParameter(
      field === "file_type"
        ? `file_type must be one of ${UPLOAD_TYPES.join(", ")}.`
        : `${field} is not valid (at most ${UPLOAD_MAX_BYTES} bytes).`,
    );
  }
  const id = `upload:${createOpaqueHex(16)}`;
  ctx.uploads.set(id, {
    id,
    appId,
    fileName: parsed.data.file_name,
    fileLength: parsed.data.file_length,
    fileType: parsed.data.file_type,
    received: Buffer.alloc(0),
    handle: undefined,
  });
  return { status: 200, body: { id } };
}

function findSession(ctx: SimContext, id: string, method: string): UploadSession {
  const session = ctx.uploads.get(id);
  if (!session) throw unsupportedRequest(method, id);
  return session;
}

export function handleUploadBytes(ctx: SimContext, id: string, offsetHeader: string | undefined, body: Buffer): GraphResponse {
  const session = findSession(ctx, id, "POST");
  const offset = Number(offsetHeader ?? "0");
  if (!Number.isInteger(offset) || offset !== session.received.length) {
    throw new GraphError(100, `The file_offset must be ${session.received.length}, where the upload stands.`);
  }
  if (session.received.length + body.length > session.fileLength)
    throw invalidParameter("The bytes exceed the file_length of the session.");
  session.received = Buffer.concat([session.received, body]);
  if (session.received.length < session.fileLength)
    return { status: 200, body: { id: session.id, file_offset: String(session.received.length) } };
  const digest = createHash("sha256").update(session.received).digest("base64url");
  session.handle = `4::${Buffer.from(`${session.fileType}:${digest}`).toString("base64url")}`;
  ctx.uploadHandles.set(session.handle, { fileType: session.fileType });
  return { status: 200, body: { h: session.handle } };
}

export function handleUploadStatus(ctx: SimContext, id: string): GraphResponse {
  const session = findSession(ctx, id, "GET");
  return { status: 200, body: { id: session.id, file_offset: String(session.received.length) } };
}

/** The MIME type behind a handle made here, or undefined for anything else. */
export function uploadedFileType(ctx: SimContext, handle: string): string | undefined {
  return ctx.uploadHandles.get(handle)?.fileType;
}
