import { z } from "zod";

// The base of every call to Meta's Graph API (or the simulator, which speaks the same contract).
// The access token travels only in the Authorization header, is never part of a URL we build, and
// never appears in an error or a log line. Every call has a timeout.

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type GraphClientOptions = {
  /** e.g. https://graph.facebook.com (no version, no trailing slash needed). */
  baseUrl: string;
  /** e.g. v25.0 */
  apiVersion: string;
  fetch?: FetchLike;
  /** Per request; default 10 s. */
  timeoutMs?: number;
};

/** A Graph error body (reference/cloud-api.md §5), or a transport failure (httpStatus 0). */
export class GraphError extends Error {
  readonly httpStatus: number;
  readonly code: number;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly details: string | undefined;
  readonly fbtraceId: string | undefined;

  constructor(fields: {
    httpStatus: number;
    code: number;
    subcode?: number | undefined;
    type?: string | undefined;
    message: string;
    details?: string | undefined;
    fbtraceId?: string | undefined;
  }) {
    super(fields.message);
    this.name = "GraphError";
    this.httpStatus = fields.httpStatus;
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.details = fields.details;
    this.fbtraceId = fields.fbtraceId;
  }
}

/** Codes that mean the token is unusable (expired, revoked, unparseable). */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([0, 190]);

/**
 * Codes of the API-call rate limits (reference §6: 4, the app's Graph limit; 80007, the WABA's — the
 * Business Management API budget of §7 among them): the request was fine, call again later.
 * Messaging limits (130429 throughput, 131056 pair) are the sender's business, not listed here.
 */
export const API_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 80007]);

const graphErrorBody = z.looseObject({
  error: z.looseObject({
    message: z.string().max(10_000).optional(),
    type: z.string().max(200).optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    error_data: z.looseObject({ details: z.string().max(10_000).optional() }).optional(),
    fbtrace_id: z.string().max(200).optional(),
  }),
});

export const debugTokenSchema = z.looseObject({
  data: z.looseObject({
    app_id: z.string().max(64).optional(),
    type: z.string().max(64).optional(),
    is_valid: z.boolean(),
    expires_at: z.number().int().optional(),
    scopes: z.array(z.string().max(200)).max(200).optional(),
    granular_scopes: z
      .array(z.looseObject({ scope: z.string().max(200), target_ids: z.array(z.string().max(64)).max(10_000).optional() }))
      .max(200)
      .optional(),
  }),
});
export type DebugTokenResult = z.infer<typeof debugTokenSchema>["data"];

export const mediaInfoSchema = z.looseObject({
  url: z.string().max(4096),
  mime_type: z.string().max(255),
  sha256: z.string().max(128).optional(),
  file_size: z.union([z.string().max(20), z.number()]).optional(),
  id: z.string().max(64),
});
export type MediaInfo = { url: string; mimeType: string; sha256: string | undefined; fileSize: number | undefined; id: string };

export type GraphRequest = {
  method: "GET" | "POST" | "DELETE";
  /** Path after the version, e.g. `/123/messages`. */
  path: string;
  token: string;
  query?: Record<string, string>;
  body?: unknown;
};

export type GraphClient = {
  readonly baseUrl: string;
  readonly apiVersion: string;
  /** Any Graph call; answers the parsed JSON body, throws GraphError on a non-2xx answer or a transport failure. */
  request(request: GraphRequest): Promise<unknown>;
  /** Inspects a token. `appToken` (`<app id>|<app secret>`) authenticates the call; by default the token inspects itself. */
  debugToken(token: string, options?: { appToken?: string }): Promise<DebugTokenResult>;
  getMedia(mediaId: string, token: string): Promise<MediaInfo>;
  /** Downloads a media URL (Bearer needed); refuses bodies over maxBytes without reading them whole. */
  downloadMedia(url: string, token: string, options: { maxBytes: number }): Promise<{ bytes: Buffer; contentType: string | undefined }>;
  /** Uploads media for a number (POST /{phone-number-id}/media, multipart, §9); answers Meta's media id. */
  uploadMedia(phoneNumberId: string, token: string, file: { bytes: Buffer; mimeType: string; filename: string }): Promise<{ id: string }>;
  /**
   * Uploads a file through the Resumable Upload API (reference/messaging-and-integrations.md §1.8):
   * a session on the app, then the bytes with `Authorization: OAuth`; answers the `h` handle a
   * media template header's example carries.
   */
  uploadResumable(appId: string, token: string, file: { bytes: Buffer; mimeType: string; filename: string }): Promise<{ handle: string }>;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_JSON_BYTES = 5 * 1024 * 1024;

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const { apiVersion } = options;
  if (!/^v\d{1,2}\.0$/.test(apiVersion)) throw new RangeError("apiVersion must look like v25.0");
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const origin = new URL(baseUrl).origin;

  /**
   * One HTTP exchange under the timeout: `read` consumes the answer while the deadline still runs
   * (a body that stalls is cut off too). A controller and a plain timer rather than
   * AbortSignal.timeout: the same deadline without a transferable signal and a GC-tracked timer per
   * request, which showed at 1,000 sends a second.
   */
  async function send<T>(url: string, init: RequestInit, read: (response: Response) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`Graph request timed out after ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    try {
      let response: Response;
      try {
        response = await fetchImpl(url, { ...init, redirect: "error", signal: controller.signal });
      } catch (error) {
        const isTimeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        // The cause is dropped on purpose: transport errors can quote the URL or headers.
        throw new GraphError({
          httpStatus: 0,
          code: -1,
          message: isTimeout ? `Graph request timed out after ${timeoutMs} ms` : "Graph request failed (network)",
        });
      }
      return await read(response);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One exchange whose answer is read whole (up to `maxBytes`) as JSON: undefined when it is not JSON. */
  function sendForJson(url: string, init: RequestInit, maxBytes: number): Promise<{ response: Response; json: unknown }> {
    return send(url, init, async (response) => ({ response, json: parseJson(await readText(response, maxBytes)) }));
  }

  async function request(req: GraphRequest): Promise<unknown> {
    if (!/^\/[A-Za-z0-9_./-]*$/.test(req.path) || req.path.includes("..")) throw new RangeError("invalid Graph path");
    const url = new URL(`${baseUrl}/${apiVersion}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { authorization: `Bearer ${req.token}`, accept: "application/json" };
    if (req.body !== undefined) headers["content-type"] = "application/json";
    const { response, json } = await sendForJson(
      url.toString(),
      { method: req.method, headers, ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }) },
      MAX_JSON_BYTES,
    );
    if (!response.ok) throw toGraphError(response, json);
    if (json === undefined)
      throw new GraphError({ httpStatus: response.status, code: -1, message: "Graph answered with a body that is not JSON" });
    return json;
  }

  return {
    baseUrl,
    apiVersion,
    request,

    async debugToken(token, debugOptions = {}) {
      // Meta takes the inspected token as input_token; the caller's credential stays in the header.
      const body = await request({
        method: "GET",
        path: "/debug_token",
        token: debugOptions.appToken ?? token,
        query: { input_token: token },
      });
      const parsed = debugTokenSchema.safeParse(body);
      if (!parsed.success) throw new GraphError({ httpStatus: 200, code: -1, message: "debug_token answered in an unexpected shape" });
      return parsed.data.data;
    },

    async getMedia(mediaId, token) {
      if (!/^[0-9A-Za-z_-]{1,64}$/.test(mediaId)) throw new RangeError("invalid media id");
      const parsed = mediaInfoSchema.safeParse(await request({ method: "GET", path: `/${mediaId}`, token }));
      if (!parsed.success) throw new GraphError({ httpStatus: 200, code: -1, message: "media lookup answered in an unexpected shape" });
      const size = parsed.data.file_size === undefined ? undefined : Number(parsed.data.file_size);
      return {
        url: parsed.data.url,
        mimeType: parsed.data.mime_type,
        sha256: parsed.data.sha256,
        fileSize: Number.isFinite(size) ? size : undefined,
        id: parsed.data.id,
      };
    },

    async downloadMedia(url, token, { maxBytes }) {
      const target = new URL(url);
      // The token is sent only to https URLs, or to the configured Graph origin (the simulator).
      if (target.protocol !== "https:" && target.origin !== origin) throw new RangeError("media URL must be https");
      return send(target.toString(), { method: "GET", headers: { authorization: `Bearer ${token}` } }, async (response) => {
        if (!response.ok) {
          throw toGraphError(response, parseJson(await readText(response, 64 * 1024).catch(() => "")));
        }
        const declared = Number(response.headers.get("content-length") ?? Number.NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await response.body?.cancel();
          throw new GraphError({ httpStatus: response.status, code: -1, message: `media exceeds ${maxBytes} bytes` });
        }
        const bytes = await readBytes(response, maxBytes);
        return { bytes, contentType: response.headers.get("content-type") ?? undefined };
      });
    },

    async uploadMedia(phoneNumberId, token, file) {
      if (!/^\d{1,32}$/.test(phoneNumberId)) throw new RangeError("invalid phone number id");
      const form = new FormData();
      form.set("messaging_product", "whatsapp");
      form.set("type", file.mimeType);
      form.set("file", new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.filename);
      const { response, json } = await sendForJson(
        `${baseUrl}/${apiVersion}/${phoneNumberId}/media`,
        { method: "POST", headers: { authorization: `Bearer ${token}`, accept: "application/json" }, body: form },
        64 * 1024,
      );
      if (!response.ok) throw toGraphError(response, json);
      const parsed = z.looseObject({ id: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/) }).safeParse(json);
      if (!parsed.success)
        throw new GraphError({ httpStatus: response.status, code: -1, message: "media upload answered in an unexpected shape" });
      return { id: parsed.data.id };
    },

    async uploadResumable(appId, token, file) {
      if (!/^\d{1,32}$/.test(appId)) throw new RangeError("invalid app id");
      const session = z.looseObject({ id: z.string().regex(/^upload:[A-Za-z0-9_=-]{1,512}$/) }).safeParse(
        await request({
          method: "POST",
          path: `/${appId}/uploads`,
          token,
          query: { file_name: file.filename, file_length: String(file.bytes.length), file_type: file.mimeType },
        }),
      );
      if (!session.success) throw new GraphError({ httpStatus: 200, code: -1, message: "upload session answered in an unexpected shape" });
      const { response, json } = await sendForJson(
        `${baseUrl}/${apiVersion}/${encodeURIComponent(session.data.id).replace("%3A", ":")}`,
        {
          method: "POST",
          // Meta's upload endpoint takes OAuth, not Bearer (§1.8).
          headers: {
            authorization: `OAuth ${token}`,
            file_offset: "0",
            "content-type": "application/octet-stream",
            accept: "application/json",
          },
          body: new Uint8Array(file.bytes),
        },
        64 * 1024,
      );
      if (!response.ok) throw toGraphError(response, json);
      const parsed = z.looseObject({ h: z.string().min(1).max(4096) }).safeParse(json);
      if (!parsed.success)
        throw new GraphError({ httpStatus: response.status, code: -1, message: "upload answered in an unexpected shape" });
      return { handle: parsed.data.h };
    },
  };
}

/** An answer's body as JSON: an empty body is `{}`, a body that is not JSON is undefined. */
function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toGraphError(response: Response, json: unknown): GraphError {
  const parsed = graphErrorBody.safeParse(json);
  if (!parsed.success) {
    return new GraphError({ httpStatus: response.status, code: -1, message: `Graph answered HTTP ${response.status}` });
  }
  const error = parsed.data.error;
  return new GraphError({
    httpStatus: response.status,
    code: error.code ?? -1,
    subcode: error.error_subcode,
    type: error.type,
    message: error.message ?? `Graph answered HTTP ${response.status}`,
    details: error.error_data?.details,
    fbtraceId: error.fbtrace_id,
  });
}

async function readBytes(response: Response, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new GraphError({ httpStatus: response.status, code: -1, message: `response exceeds ${maxBytes} bytes` });
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

async function readText(response: Response, maxBytes: number): Promise<string> {
  return (await readBytes(response, maxBytes)).toString("utf8");
}
