import type { paths } from "./api-types.ts";
import type { Role } from "./permissions.ts";

// The dashboard's API client. The access token lives in memory only, one per tab; the refresh
// token is the httpOnly __Host- cookie the browser keeps (the script never sees it). The CSRF token
// that goes with it comes in the sign-in answer and in a readable __Host- cookie: a tab keeps the
// one it signed in or refreshed with in sessionStorage (so it only ever acts for that session), and
// a tab opened later takes it from the cookie, so every tab of the browser shares the one session.
// Signing out in one tab signs out all of them (BroadcastChannel, and the cookies are cleared).

export type ApiErrorBody = { error: { code: string; message: string; requestId?: string; details?: unknown } };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type TokenAnswer = { accessToken: string; expiresAt: string; csrfToken: string };

const CSRF_KEY = "parley.csrf";
const CSRF_COOKIE = "__Host-parley_csrf";
const SESSION_CHANNEL = "parley-session";
const REFRESH_LOCK = "parley-refresh";
const NETWORK_MESSAGE = "Parley cannot be reached. Check your connection and try again.";
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;

type SessionEvent = { type: "signed-out" };
const channel: BroadcastChannel | null = typeof BroadcastChannel === "function" ? new BroadcastChannel(SESSION_CHANNEL) : null;

export function setSession(answer: TokenAnswer): void {
  accessToken = answer.accessToken;
  sessionStorage.setItem(CSRF_KEY, answer.csrfToken);
}

/** Forgets the session in this tab only (memory and sessionStorage). */
function forgetInTab(): void {
  accessToken = null;
  sessionStorage.removeItem(CSRF_KEY);
}

function readCsrfCookie(): string | null {
  for (const part of document.cookie.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === CSRF_COOKIE) return part.slice(index + 1).trim() || null;
  }
  return null;
}

/** This tab's CSRF token, or — in a tab that has none yet — the browser's session's, from the cookie. */
function csrfToken(): string | null {
  return sessionStorage.getItem(CSRF_KEY) ?? readCsrfCookie();
}

/**
 * Signs out every tab of this browser: forgets the session here, removes the CSRF cookie (so no tab,
 * new or reloaded, can refresh with it, even when the server could not end the session) and tells
 * the other tabs.
 */
export function clearSession(): void {
  forgetInTab();
  document.cookie = `${CSRF_COOKIE}=; Path=/; Max-Age=0; Secure; SameSite=Strict`;
  channel?.postMessage({ type: "signed-out" } satisfies SessionEvent);
}

/** Calls `listener` when another tab of this browser signs out, after this tab has forgotten the session. Answers the unsubscribe. */
export function onSignedOutElsewhere(listener: () => void): () => void {
  if (!channel) return () => undefined;
  const onMessage = (event: MessageEvent<SessionEvent>) => {
    if (event.data?.type !== "signed-out") return;
    forgetInTab();
    listener();
  };
  channel.addEventListener("message", onMessage);
  return () => channel.removeEventListener("message", onMessage);
}

/**
 * Runs a refresh while holding a lock shared by the browser's tabs. Every tab presents the same
 * refresh cookie and each use rotates it: two sent together would look like a stolen token used
 * again, and the server would end the session. One at a time, each tab sends the cookie the
 * previous one received.
 */
async function oneTabAtATime<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "object" ? navigator.locks : undefined;
  if (!locks) return run();
  return await locks.request(REFRESH_LOCK, run);
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

/**
 * Trades the refresh cookie for a new access token; false when there is no live session (refused
 * as unknown, expired or not this tab's). A failure that says nothing about the session (no
 * network, rate limited, the server failing) throws, so the screen says it and the session stays.
 */
export async function refreshSession(): Promise<boolean> {
  const csrf = csrfToken();
  if (!csrf) return false;
  refreshing ??= oneTabAtATime(async () => {
    try {
      let response: Response;
      let text: string;
      try {
        response = await fetch("/api/v1/auth/refresh", { method: "POST", headers: { "x-csrf-token": csrf }, credentials: "same-origin" });
        text = await response.text();
      } catch {
        throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
      }
      if (response.status === 401 || response.status === 403) {
        forgetInTab();
        return false;
      }
      if (!response.ok) throw toApiError(response.status, parseBody(text));
      setSession(JSON.parse(text) as TokenAnswer);
      return true;
    } finally {
      refreshing = null;
    }
  });
  return refreshing;
}

/** `keepalive`: the request may outlive the page (a last word sent while the tab closes). */
type RequestOptions = { body?: unknown; headers?: Record<string, string>; retry?: boolean; keepalive?: boolean };

/**
 * Only an access token the server no longer accepts (expired, revoked: UNAUTHENTICATED) is worth a
 * refresh and a second try. A refused password or code (INVALID_CREDENTIALS, MFA_CODE_REQUIRED) is
 * also a 401, but sending it again would only spend another attempt against the lock-out.
 */
function isExpiredAccess(status: number, body: Partial<ApiErrorBody> | undefined): boolean {
  return status === 401 && body?.error?.code === "UNAUTHENTICATED";
}

function parseBody(text: string): Partial<ApiErrorBody> | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, body: Partial<ApiErrorBody> | undefined): ApiError {
  return new ApiError(
    status,
    body?.error?.code ?? "UNKNOWN",
    body?.error?.message ?? "Something went wrong. Please try again.",
    body?.error?.details,
  );
}

// ——— The typed client ———
// A call names the route as docs/openapi.json does (`/api/v1/workspaces/{workspaceId}/members`)
// and passes its path parameters, query and body; their shapes and the answer's come from the
// generated api-types.ts, so `tsc -p web/tsconfig.json` checks every call against the API.

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Route = keyof paths;
/** The routes that answer `method`. */
export type RouteFor<M extends Method> = { [R in Route]: paths[R][Lowercase<M>] extends undefined ? never : R }[Route];
type Operation<M extends Method, R extends RouteFor<M>> = NonNullable<paths[R][Lowercase<M>]>;
type JsonOf<T> = T extends { content: { "application/json": infer Body } } ? Body : undefined;
type Answer<O> = O extends { responses: infer Responses }
  ? 200 extends keyof Responses
    ? JsonOf<Responses[200]>
    : 201 extends keyof Responses
      ? JsonOf<Responses[201]>
      : 202 extends keyof Responses
        ? JsonOf<Responses[202]>
        : undefined
  : never;
type PathParams<O> = O extends { parameters: { path: infer Params } } ? Params : undefined;
type QueryParams<O> = O extends { parameters: { query?: infer Query } } ? Query : undefined;
type BodyOf<O> = O extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : undefined;
type Params<O> = (PathParams<O> extends undefined ? { path?: never } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [undefined] ? { query?: never } : { query?: QueryParams<O> }) &
  ([BodyOf<O>] extends [undefined] ? { body?: never } : undefined extends BodyOf<O> ? { body?: BodyOf<O> } : { body: BodyOf<O> });
export type ApiOptions<M extends Method, R extends RouteFor<M>> = Params<Operation<M, R>> & Omit<RequestOptions, "body">;
export type ApiAnswer<M extends Method, R extends RouteFor<M>> = Answer<Operation<M, R>>;

type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** The route with its path parameters filled in (each encoded), and its query string. */
export function fillRoute(route: string, path: Record<string, string> | undefined, query: Record<string, QueryValue> | undefined): string {
  const filled = route.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const value = path?.[name];
    if (value === undefined) throw new ApiError(0, "CLIENT", `The dashboard left out ${name}.`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

export async function api<M extends Method, R extends RouteFor<M>>(
  method: M,
  route: R,
  ...rest: object extends ApiOptions<M, R> ? [options?: ApiOptions<M, R>] : [options: ApiOptions<M, R>]
): Promise<ApiAnswer<M, R>> {
  const options = (rest[0] ?? {}) as { path?: Record<string, string>; query?: Record<string, QueryValue> } & RequestOptions;
  return request<ApiAnswer<M, R>>(method, fillRoute(route, options.path, options.query), options);
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(options.keepalive ? { keepalive: true } : {}),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    text = await response.text();
  } catch {
    throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
  }
  if (!response.ok) {
    const body = parseBody(text);
    if (isExpiredAccess(response.status, body) && options.retry !== false && accessToken && (await refreshSession())) {
      return request<T>(method, path, { ...options, retry: false });
    }
    throw toApiError(response.status, body);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Ends the session on the server. The refresh cookie goes with every same-origin request, so the
 * server ends the session it names, which needs this tab's CSRF token like a refresh does.
 */
export async function endSession(): Promise<void> {
  const csrf = csrfToken();
  await api("POST", "/api/v1/auth/logout", { headers: csrf ? { "x-csrf-token": csrf } : {}, retry: false });
}

/** A file download (e.g. a CSV export) with the bearer token: the body as a Blob, and the file name the server suggests. */
export async function apiDownload(path: string, retry = true): Promise<{ blob: Blob; filename: string | null }> {
  const headers: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
  }
  if (!response.ok) {
    const body = parseBody(await response.text().catch(() => ""));
    if (isExpiredAccess(response.status, body) && retry && accessToken && (await refreshSession())) return apiDownload(path, false);
    throw toApiError(response.status, body);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  return { blob: await response.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
}

/** Sends a file as the raw request body (media uploads), with its own Content-Type; answers like `api`. */
export async function apiUpload<T>(path: string, file: Blob, contentType: string, retry = true): Promise<T> {
  const headers: Record<string, string> = {
    "content-type": contentType,
    ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  };
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, { method: "POST", headers, body: file, credentials: "same-origin" });
    text = await response.text();
  } catch {
    throw new ApiError(0, "NETWORK", NETWORK_MESSAGE);
  }
  if (!response.ok) {
    const body = parseBody(text);
    if (isExpiredAccess(response.status, body) && retry && accessToken && (await refreshSession()))
      return apiUpload<T>(path, file, contentType, false);
    throw toApiError(response.status, body);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A message for people: the server's catalogue messages are already plain words. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong. Please try again.";
}

// ——— Shapes the dashboard reads ———

export type { Role };

export type Me = {
  user: { id: string; email: string; mfaEnrolled: boolean; mfaRequired: boolean };
  memberships: Array<{ workspaceId: string; workspaceName: string | null; role: Role }>;
};
export type Workspace = { id: string; name: string };
export type Member = { userId: string; email: string; role: Role };
export type NumberView = { id: string; mode: "sandbox" | "live"; displayPhoneLast4: string | null; status: string };
export type MessagePreview = { id: string; direction: "in" | "out"; type: string; text: string | null; status: string; occurredAt: string };
export type Conversation = {
  id: string;
  contact: { id: string; name: string | null; phone: string | null };
  numberId: string;
  status: "open" | "closed";
  assignedUserId: string | null;
  window: { open: boolean; expiresAt: string | null };
  lastActivityAt: string;
  lastMessage: MessagePreview | null;
};
export type Message = {
  id: string;
  conversationId: string;
  direction: "in" | "out";
  type: string;
  text: string | null;
  media: {
    mimeType: string | null;
    available: boolean;
    status?: "pending" | "stored" | "refused" | "failed" | null;
    error?: string | null;
    sizeBytes?: number | null;
    filename?: string | null;
  } | null;
  status: string;
  errorCode: number | null;
  sentByUserId: string | null;
  occurredAt: string;
};
export type Page<T> = { data: T[]; nextCursor: string | null };
