import { randomInt, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../sim/index.ts";
import { createLocalBlobStore } from "../../src/blob/local.ts";
import { withoutWorkspace, withWorkspace } from "../../src/db/with-workspace.ts";
import { createApiKey } from "../../src/features/api-keys/service.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { RouteDefinition } from "../../src/http/define-route.ts";
import { buildOpenApiDocument } from "../../src/http/openapi.ts";
import { routes } from "../../src/http/routes.ts";
import { buildSecurityHeaders } from "../../src/http/security-headers.ts";
import { createAuthenticator } from "../../src/identity/authenticator.ts";
import { permissions, permissionsOf } from "../../src/identity/permissions.ts";
import { createSession } from "../../src/identity/sessions.ts";
import { issueAccessToken } from "../../src/identity/tokens.ts";
import { generateTotpSecret, totpSecretAad } from "../../src/identity/totp.ts";
import type { Services } from "../../src/services.ts";
import { startSandbox } from "../../src/whatsapp/sandbox.ts";
import { inputJsonSchema, sampleValue } from "../access/sample-input.ts";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/engine.ts";
import { fuzzSeed } from "../support/fuzz-seed.ts";
import { captureLogs, createTestServices } from "../support/services.ts";
import { seedConversation, seedNumber } from "../support/workspace-fixtures.ts";

// The OpenAPI document, fuzzed: every operation it describes is sent malformed and boundary requests
// derived from its own schemas — wrong JSON types, missing and extra fields, null, huge, negative and
// fractional numbers, long, empty and hostile strings, deep nesting, invalid enums, hostile path values,
// malformed query strings, wrong content types, invalid JSON, bodies where none is taken — mostly as a
// signed-in Owner (so requests reach the handlers), and fewer anonymously and with an API key. Every
// answer must be below 500, carry the security headers, and every error must have exactly the
// documented shape with its request id and never repeat the unique marker the input carried.
// The run is deterministic for a seed (PARLEY_FUZZ_SEED); a failure names it.

const SEED = fuzzSeed;
const OWNER_RUNS = 50;
const OTHER_RUNS = 10;
const REQUEST_TIMEOUT_MS = 10_000;

type JsonSchema = Parameters<typeof sampleValue>[0] & { additionalProperties?: unknown };
type Path = Array<string | number>;
type Caller = "owner" | "anonymous" | "api-key";

type Operation = {
  method: string;
  path: string;
  route: RouteDefinition;
  /** Content types the request body is documented with (none: the operation takes no body). */
  bodyTypes: string[];
  body: JsonSchema | null;
  query: JsonSchema | null;
  params: string[];
};

/** One generated request: everything but the marker-dependent parts is fixed by the seed. */
type FuzzRequest = {
  label: string;
  params: Record<string, string>;
  query: string | null;
  body: Buffer | null;
  contentType: string | null;
  /** Headers added to (or replacing) the caller's. */
  headers?: Record<string, string>;
};

const securityHeaders = buildSecurityHeaders({ hsts: false });
const document = buildOpenApiDocument(routes);
const errorCodes = new Set(
  (document.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } }).properties.error.properties
    .code.enum,
);

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, { requestBody?: { content: Record<string, unknown> } }>).map(([method, operation]) => {
    const url = path.replace(/\{([^}]+)\}/g, ":$1");
    const route = routes.find((candidate) => candidate.method === method.toUpperCase() && candidate.url === url);
    if (!route) throw new Error(`the document describes ${method.toUpperCase()} ${path}, which no route serves`);
    return {
      method: method.toUpperCase(),
      path,
      route,
      bodyTypes: Object.keys(operation.requestBody?.content ?? {}),
      body: route.schema.body ? inputJsonSchema(route.schema.body) : null,
      query: route.schema.query ? inputJsonSchema(route.schema.query) : null,
      params: [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!),
    };
  }),
);

// ——— hostile values ———

const MARK = "QQMARKQQ";
/** Stands for a seeded id of the context the request is sent in (say QQID.conversationId.QQ). */
const idToken = (name: string) => `QQID.${name}.QQ`;
const ID_TOKENS = /QQID\.([A-Za-z]+)\.QQ/g;

/** Strings and values that break naive code; MARK stands for the request's unique marker. */
const hostileStrings: readonly string[] = [
  "",
  " ",
  MARK,
  `${MARK}\u0000`,
  `\u0000${MARK}`,
  `${MARK}\ud800`,
  `\udc00${MARK}`,
  `\u202e${MARK}\u200f`,
  `${MARK}🙂👨‍👩‍👧`,
  `e\u0301\u0301\u0301${MARK}`,
  `\ufeff${MARK}\u2028`,
  `../../${MARK}`,
  `<script>${MARK}</script>`,
  `' OR 1=1 --${MARK}`,
  `%00${MARK}%`,
  `${MARK}`.repeat(400),
  `${"x".repeat(70_000)}${MARK}`,
];

function deep(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = MARK;
  for (let index = 0; index < depth; index += 1) value = kind === "array" ? [value] : { a: value };
  return value;
}

const hostileValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  0.5,
  -0.0001,
  1e308,
  -1e308,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER * 1000,
  [],
  {},
  [MARK],
  { [MARK]: MARK },
  ["", null, 1, {}],
  deep(64, "array"),
  deep(64, "object"),
  Array.from({ length: 2000 }, () => MARK),
  ...hostileStrings,
];

/** JSON texts no schema would write: invalid JSON, odd numbers, prototype keys, duplicate keys. */
const rawBodies: readonly string[] = [
  "",
  "{",
  `{"${MARK}":`,
  `{${MARK}}`,
  "{'a':1}",
  '{"a":1,}',
  "NaN",
  "undefined",
  `"${MARK}"`,
  "123",
  "null",
  "[]",
  `[{"${MARK}":1}]`,
  '{"a":1e400}',
  '{"a":-1e400}',
  '{"a":123456789012345678901234567890}',
  `{"__proto__":{"${MARK}":1}}`,
  `{"constructor":{"prototype":{"${MARK}":1}}}`,
  `\ufeff{}`,
  `${"[".repeat(30_000)}${"]".repeat(30_000)}`,
  `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`,
  `{"a":"\\ud800${MARK}"}`,
  `{"a":"\\u0000${MARK}"}`,
];

const wrongContentTypes: readonly string[] = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "application/json, text/plain",
  "application/jsonx",
  "application/xml",
  `application/${MARK}`,
  "",
];

const hostilePathValues: readonly string[] = [
  "..",
  "%2e%2e",
  "%2E%2E%2F%2E%2E",
  "%00",
  `${MARK}%00`,
  "%2F",
  "%",
  "%zz",
  "%ED%A0%80",
  "%FF%FE",
  "%E2%80%AE%E2%80%8F",
  "%F0%9F%99%82",
  "e%CC%81",
  "-1",
  "0",
  "1.5",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "{00000000-0000-0000-0000-000000000000}",
  "%20",
  MARK,
  `${MARK}`.repeat(200),
  "a".repeat(17_000),
];

/** Headers every route may read: credentials, the session cookies and CSRF token, idempotency, signatures, negotiation. */
const hostileHeaders: ReadonlyArray<Record<string, string>> = [
  { authorization: `Bearer ${MARK}` },
  { authorization: `Basic ${MARK}` },
  { authorization: "Bearer" },
  { authorization: `Bearer pk_${MARK}_${MARK}` },
  { "x-api-key": MARK },
  { "x-api-key": `pk_${MARK}` },
  { cookie: `__Host-parley_refresh=${MARK}; __Host-parley_csrf=${MARK}` },
  { cookie: `${MARK}=${"x".repeat(4000)}` },
  { "x-csrf-token": MARK, origin: `https://${MARK}.example` },
  { origin: "null" },
  { "idempotency-key": MARK },
  { "idempotency-key": `${MARK}${"k".repeat(300)}` },
  { "idempotency-key": "" },
  { "x-hub-signature-256": `sha256=${MARK}` },
  { "x-hub-signature-256": MARK },
  { accept: MARK },
  { accept: "text/event-stream" },
  { "last-event-id": MARK },
  { "x-forwarded-for": `${MARK}, 10.0.0.1` },
  { "accept-encoding": MARK },
  { range: `bytes=${MARK}` },
  { "if-none-match": MARK },
];

const hostileQueryNumbers: readonly string[] = [
  "-1",
  "0",
  "0.5",
  "1e400",
  "99999999999999999999",
  "NaN",
  "Infinity",
  " 1",
  "0x10",
  "",
  "true",
  "[]",
];

// ——— building requests ———

/** Percent-encodes like encodeURIComponent, but keeps a lone surrogate as the (invalid) bytes of its code unit. */
function encodeLoose(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(char);
  }
  return out;
}

function propertyPaths(schema: JsonSchema | undefined, prefix: Path = [], depth = 0): Array<{ path: Path; schema: JsonSchema }> {
  if (!schema || depth > 3) return [];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.flatMap((option) => propertyPaths(option, prefix, depth));
  const found: Array<{ path: Path; schema: JsonSchema }> = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    found.push({ path: [...prefix, key], schema: property });
    found.push(...propertyPaths(property, [...prefix, key], depth + 1));
  }
  // A record's keys are input too: a marker key, holding each hostile value in turn.
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    found.push({ path: [...prefix, MARK], schema: schema.additionalProperties });
  }
  if (schema.items) {
    found.push({ path: [...prefix, 0], schema: schema.items });
    found.push(...propertyPaths(schema.items, [...prefix, 0], depth + 1));
  }
  return found;
}

function setAt(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: Record<string | number, unknown> =
    typeof head === "number"
      ? ((Array.isArray(target) ? [...target] : []) as never)
      : target && typeof target === "object" && !Array.isArray(target)
        ? { ...target }
        : {};
  container[head!] = setAt(container[head!], rest, value);
  return container;
}

function withoutKey(target: unknown, key: string): unknown {
  if (!target || typeof target !== "object" || Array.isArray(target)) return target;
  const copy = { ...(target as Record<string, unknown>) };
  delete copy[key];
  return copy;
}

type Ids = Record<string, string>;

const SEEDED_IDS = ["workspaceId", "numberId", "conversationId", "contactId", "messageId", "userId", "apiKeyId", "customerPhone"] as const;
const idOverrides = Object.fromEntries(SEEDED_IDS.map((name) => [name, idToken(name)]));

function baseParams(operation: Operation): Record<string, string> {
  return Object.fromEntries(
    operation.params.map((name) => [
      name,
      (SEEDED_IDS as readonly string[]).includes(name) ? idToken(name) : encodeURIComponent(randomUUID()),
    ]),
  );
}

function baseQuery(operation: Operation): Record<string, string> {
  const sample = operation.query ? (sampleValue(operation.query) as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, String(value)]));
}

function queryText(query: Record<string, string>): string | null {
  const text = Object.entries(query)
    .map(([key, value]) => `${encodeLoose(key)}=${encodeLoose(value)}`)
    .join("&");
  return text === "" ? null : text;
}

function baseBody(operation: Operation): { body: Buffer | null; contentType: string | null } {
  if (operation.bodyTypes.length === 0) return { body: null, contentType: null };
  if (!operation.bodyTypes.includes("application/json")) return { body: Buffer.from(`fuzz ${MARK}`), contentType: operation.bodyTypes[0]! };
  const fields = sampleFields[`${operation.method} ${operation.path}`] ?? {};
  return {
    body: Buffer.from(
      JSON.stringify({
        ...fields,
        ...(sampleValue(operation.body ?? {}, {
          ...idOverrides,
          code: "123456",
          phone: "+15550001234",
          shortcut: "fuzz",
          accessToken: `EAAG${"a".repeat(60)}`,
          email: `fuzz-${randomUUID()}@example.test`,
          ...fields,
        }) as object),
      }),
    ),
    contentType: "application/json",
  };
}

/** Fields a sample cannot guess (optional fields of which one is needed, formats zod checks by regex), by operation. */
const sampleFields: Record<string, Record<string, unknown>> = {
  "PATCH /api/v1/workspaces/{workspaceId}/contacts/{contactId}": { name: "Ann" },
  "PATCH /api/v1/workspaces/{workspaceId}/quick-replies/{quickReplyId}": { text: "Thanks" },
  "POST /api/v1/workspaces/{workspaceId}/numbers": { wabaId: "1234", phoneNumberId: "5678" },
  "POST /api/v1/workspaces/{workspaceId}/messages": { conversationId: idToken("conversationId"), type: "text", text: { body: "Hello" } },
  "POST /api/v1/workspaces/{workspaceId}/numbers/{numberId}/register": { pin: "123456" },
  "POST /api/v1/workspaces/{workspaceId}/numbers/embedded-signup": {
    code: "fuzz-code-123456",
    wabaId: "1234",
    phoneNumberId: "5678",
    pin: "123456",
  },
  "POST /api/v1/workspaces/{workspaceId}/privacy/requests": {
    kind: "export",
    contactId: idToken("contactId"),
    receivedOn: new Date().toISOString().slice(0, 10),
  },
  "PATCH /api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}": { status: "in_progress" },
  "POST /api/v1/workspaces/{workspaceId}/broadcasts": {
    name: "Fuzz",
    template: { name: "order_update", language: "en_US" },
    audience: { tags: ["vip"] },
    numberIds: [idToken("numberId")],
    timeZone: "Europe/Berlin",
  },
  "POST /api/v1/workspaces/{workspaceId}/broadcasts/estimate": { audience: { tags: ["vip"] }, numberIds: [idToken("numberId")] },
  "POST /api/v1/workspaces/{workspaceId}/broadcasts/audiences": { csv: "phone,name,field:city\r\n+15550001234,Ann,Berlin\r\n" },
};

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value) ?? "null");
}

/** The request as valid as the schemas let a sample be: every run starts with one, so each handler is reached. */
function validRequest(operation: Operation, label = "valid sample"): FuzzRequest {
  const { body, contentType } = baseBody(operation);
  return { label, params: baseParams(operation), query: queryText(baseQuery(operation)), body, contentType };
}

/** Every class of mutation that applies to the operation, each an arbitrary of requests. */
function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const make = (label: string, change: (base: FuzzRequest, sample: unknown) => Partial<FuzzRequest>) =>
    fc.constant(null).map(() => {
      const base = validRequest(operation, label);
      const sample = base.body && base.contentType === "application/json" ? (JSON.parse(base.body.toString()) as unknown) : undefined;
      return { ...base, ...change(base, sample) };
    });
  const choices: Array<fc.Arbitrary<FuzzRequest>> = [make("valid sample", () => ({}))];

  // Path values.
  for (const name of operation.params) {
    choices.push(
      fc
        .constantFrom(...hostilePathValues)
        .chain((value) => make(`path ${name}=${value.slice(0, 40)}`, (base) => ({ params: { ...base.params, [name]: value } }))),
    );
  }

  // Headers.
  choices.push(
    fc.constantFrom(...hostileHeaders).chain((headers) => make(`headers ${Object.keys(headers).join(",")}`, () => ({ headers }))),
  );

  // Query strings.
  const queryKeys = Object.keys(operation.query?.properties ?? {});
  const queryFor = (extra: string) => (base: FuzzRequest) => ({ query: [base.query, extra].filter(Boolean).join("&") });
  choices.push(
    fc
      .constantFrom(
        "a[]=",
        "a[0]=1&a[1]=2",
        "a[b]=c",
        "=",
        "&&&",
        "%",
        "%zz",
        "a=%E0%A4%A",
        `${MARK}=${MARK}`,
        "__proto__[x]=1",
        "constructor[prototype][x]=1",
        "a",
        "a=&a=&a=",
      )
      .chain((extra) => make(`query +${extra.slice(0, 30)}`, queryFor(extra))),
  );
  for (const key of queryKeys) {
    const values = fc.oneof(fc.constantFrom(...hostileQueryNumbers), fc.constantFrom(...hostileStrings.slice(0, 16)).map(encodeLoose));
    choices.push(
      values.chain((value) =>
        make(`query ${key}=${value.slice(0, 30)}`, (base) => ({
          query: [
            base.query
              ?.split("&")
              .filter((part) => !part.startsWith(`${key}=`))
              .join("&"),
            `${key}=${value}`,
          ]
            .filter(Boolean)
            .join("&"),
        })),
      ),
    );
    choices.push(
      fc
        .constantFrom(`${key}=a&${key}=b`, `${key}[]=a`, `${key}[]=`, `${key}=`, key, `${key}[${MARK}]=1`)
        .chain((extra) => make(`query repeated ${key}`, queryFor(extra))),
    );
  }

  // Bodies: every property of the body schema gets every hostile value, loses it, or gains a neighbour.
  const isJson = operation.bodyTypes.includes("application/json");
  if (isJson) {
    const paths = propertyPaths(operation.body ?? undefined);
    if (paths.length > 0) {
      choices.push(
        fc.tuple(fc.constantFrom(...paths), fc.constantFrom(...hostileValues)).chain(([{ path }, value]) =>
          make(`body ${path.join(".")} := ${JSON.stringify(value)?.slice(0, 40)}`, (_, sample) => ({
            body: jsonBody(setAt(sample, path, value)),
          })),
        ),
      );
      const recordKeys = paths.filter(({ path }) => path.at(-1) === MARK);
      if (recordKeys.length > 0) {
        choices.push(
          fc.tuple(fc.constantFrom(...recordKeys), fc.constantFrom(...hostileValues)).chain(([{ path }, value]) =>
            make(`record key ${path.join(".")} := ${JSON.stringify(value)?.slice(0, 40)}`, (_, sample) => ({
              body: jsonBody(setAt(sample, path, value)),
            })),
          ),
        );
      }
      const required = operation.body?.required ?? [];
      if (required.length > 0)
        choices.push(
          fc
            .constantFrom(...required)
            .chain((key) => make(`body without ${key}`, (_, sample) => ({ body: jsonBody(withoutKey(sample, key)) }))),
        );
    }
    choices.push(make("body with an extra field", (_, sample) => ({ body: jsonBody(setAt(sample, [MARK], MARK)) })));
    choices.push(
      fc
        .constantFrom(...hostileValues)
        .chain((value) => make(`body := ${JSON.stringify(value)?.slice(0, 40)}`, () => ({ body: jsonBody(value) }))),
    );
    choices.push(fc.constantFrom(...rawBodies).chain((raw) => make(`raw body ${raw.slice(0, 40)}`, () => ({ body: Buffer.from(raw) }))));
    choices.push(
      make("invalid UTF-8 body", (base) => ({
        body: Buffer.concat([
          Buffer.from('{"a":"'),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from(`${MARK}"}`),
          base.body ?? Buffer.alloc(0),
        ]),
      })),
    );
  }
  if (operation.bodyTypes.length > 0) {
    choices.push(fc.constantFrom(...wrongContentTypes).chain((type) => make(`content-type ${type}`, () => ({ contentType: type }))));
    choices.push(make("body without a content type", () => ({ contentType: null })));
    choices.push(make("empty body", () => ({ body: null })));
    choices.push(make("oversized body", () => ({ body: Buffer.from(`{"a":"${MARK.repeat(2)}${"x".repeat(20 * 1024 * 1024)}"}`) })));
  } else {
    choices.push(
      fc
        .constantFrom(jsonBody({ [MARK]: MARK }), Buffer.from(`{${MARK}`), Buffer.from(MARK))
        .chain((body) => make("a body where none is taken", () => ({ body, contentType: "application/json" }))),
    );
    choices.push(make("a text body where none is taken", () => ({ body: Buffer.from(MARK), contentType: "text/plain" })));
  }
  return fc.oneof(...choices);
}

// ——— the app and its callers ———

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let sandbox: Simulator;
let blobRoot: string;

type Context = { workspaceId: string; ownerToken: string; apiKey: string; ids: Ids; used: Map<string, number> };
let contexts: Context[] = [];

async function signedInUser(workspaceId: string | null): Promise<{ userId: string; token: string }> {
  const userId = randomUUID();
  await withoutWorkspace(db, (trx) =>
    trx
      .insertInto("users")
      .values({
        id: userId,
        email: `fuzz-${userId}@example.test`,
        password_hash: "not-a-hash",
        totp_secret_wrapped: services.keyring.provider.wrap(generateTotpSecret(), totpSecretAad(userId, "active")),
        totp_enabled_at: new Date(),
      })
      .execute(),
  );
  if (workspaceId)
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.insertInto("memberships").values({ workspace_id: workspaceId, user_id: userId, role: "owner" }).execute(),
    );
  const session = await withoutWorkspace(db, (trx) => createSession(trx, userId, new Date()));
  return { userId, token: (await issueAccessToken(services, { userId, sessionId: session.sessionId }, new Date())).token };
}

/** A workspace with a signed-in Owner, an API key with every permission, a number, a customer's conversation and another member. */
async function freshContext(): Promise<Context> {
  const workspaceId = randomUUID();
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await trx
      .insertInto("workspaces")
      .values({ id: workspaceId, name: `Fuzz ${workspaceId.slice(0, 8)}`, region: services.config.region })
      .execute();
    await services.keyring.createWorkspaceKey(trx, workspaceId);
  });
  const owner = await signedInUser(workspaceId);
  const member = await signedInUser(workspaceId);
  const caller = {
    workspaceId,
    userId: owner.userId,
    role: "owner" as const,
    permissions: permissionsOf("owner"),
    audit: { type: "user" as const, id: owner.userId },
    ip: null,
    userAgent: null,
  };
  const apiKey = await withWorkspace(db, { workspaceId }, (trx) => createApiKey(trx, caller, { name: "fuzz", scopes: permissions }));
  const numberId = await seedNumber(services, workspaceId);
  const waId = `1555${randomInt(1_000_000, 9_999_999)}`;
  const conversation = await seedConversation(services, { workspaceId, numberId, waId, texts: ["hello"] });
  const ids: Ids = {
    workspaceId,
    numberId,
    conversationId: conversation.conversationId,
    contactId: conversation.contactId,
    messageId: conversation.messageIds[0]!,
    userId: member.userId,
    apiKeyId: apiKey.id,
    customerPhone: waId,
  };
  return { workspaceId, ownerToken: owner.token, apiKey: apiKey.key, ids, used: new Map() };
}

/** A context whose per-user and per-workspace limits on this route are not yet reached (429s would hide the handler). */
async function contextFor(operation: Operation, caller: Caller): Promise<Context> {
  const key = `${caller} ${operation.method} ${operation.path}`;
  const limit =
    operation.route.rateLimit && operation.route.rateLimit.key !== "ip" ? operation.route.rateLimit.limit : Number.POSITIVE_INFINITY;
  let context = contexts.find((candidate) => (candidate.used.get(key) ?? 0) < limit);
  if (!context) {
    context = await freshContext();
    contexts.push(context);
  }
  context.used.set(key, (context.used.get(key) ?? 0) + 1);
  return context;
}

function randomAddress(): string {
  return `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

type Sent = { response: LightMyRequestResponse; marker: string; url: string };

async function send(operation: Operation, caller: Caller, request: FuzzRequest, markerSeed: number): Promise<Sent> {
  const marker = `zqfuzz${markerSeed.toString(36)}mark`;
  const context = await contextFor(operation, caller);
  const mark = (text: string) => text.replaceAll(MARK, marker).replace(ID_TOKENS, (_, name: string) => context.ids[name] ?? randomUUID());
  let authorization: string | undefined;
  if (caller === "api-key") authorization = `Bearer ${context.apiKey}`;
  else if (caller === "owner") {
    // Routes outside a workspace may end the caller's session or MFA (logout revokes the bearer's
    // session, a password change all of them): each of their requests is sent by a throwaway Owner.
    authorization = `Bearer ${operation.route.url.includes(":workspaceId") ? context.ownerToken : (await signedInUser(context.workspaceId)).token}`;
  }
  const path = operation.route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => mark(request.params[name] ?? ""));
  const url = request.query === null ? path : `${path}?${mark(request.query)}`;
  const body = request.body ? Buffer.from(mark(request.body.toString("latin1")), "latin1") : undefined;
  const headers: Record<string, string> = { "user-agent": `fuzz ${marker}` };
  if (authorization) headers.authorization = authorization;
  if (request.contentType !== null) headers["content-type"] = mark(request.contentType);
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name] = mark(value);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([
      app.inject({ method: operation.method as "GET", url, headers, remoteAddress: randomAddress(), ...(body ? { payload: body } : {}) }),
      hung,
    ]);
    return { response, marker, url };
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with an answer (empty: nothing). */
/**
 * Graph's error body, which the Graph-compatible proxy's routes (tag graph-proxy) answer with
 * instead of Parley's (src/features/graph-proxy/graph-errors.ts): what is wrong with it, if anything.
 */
function graphErrorProblems(parsed: unknown, requestId: unknown): string[] | undefined {
  const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== "object" || typeof error.code !== "number") return undefined;
  const problems: string[] = [];
  const extra = Object.keys(error).filter(
    (key) => !["message", "type", "code", "error_subcode", "error_data", "is_transient", "fbtrace_id"].includes(key),
  );
  if (extra.length > 0) problems.push(`graph error has extra keys ${extra.join()}`);
  if (typeof error.message !== "string" || error.message === "") problems.push("graph error has no message");
  if (error.type !== "OAuthException") problems.push("graph error type is not OAuthException");
  if (error.fbtrace_id !== requestId) problems.push("graph error fbtrace_id differs from x-request-id");
  return problems;
}

export function problemsOf(
  response: Pick<LightMyRequestResponse, "statusCode" | "headers" | "body">,
  marker: string,
  options: { graphShaped?: boolean } = {},
): string[] {
  const problems: string[] = [];
  if (response.statusCode >= 500) problems.push(`answered ${response.statusCode}`);
  for (const [name, value] of Object.entries(securityHeaders)) {
    if (response.headers[name] !== value) problems.push(`header ${name} is ${String(response.headers[name])}`);
  }
  const requestId = response.headers["x-request-id"];
  if (typeof requestId !== "string" || requestId === "") problems.push("no x-request-id");
  if (response.statusCode < 400) return problems;
  if (!String(response.headers["content-type"] ?? "").startsWith("application/json"))
    problems.push(`error content-type ${String(response.headers["content-type"])}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    problems.push("error body is not JSON");
  }
  const outer = parsed as { error?: Record<string, unknown> } | undefined;
  const graphProblems = options.graphShaped ? graphErrorProblems(parsed, requestId) : undefined;
  if (graphProblems) {
    problems.push(...graphProblems);
  } else if (
    !outer ||
    typeof outer !== "object" ||
    Object.keys(outer).join() !== "error" ||
    !outer.error ||
    typeof outer.error !== "object"
  ) {
    problems.push("error body is not { error }");
  } else {
    const error = outer.error;
    const extra = Object.keys(error).filter((key) => !["code", "message", "requestId", "details"].includes(key));
    if (extra.length > 0) problems.push(`error has extra keys ${extra.join()}`);
    if (typeof error.code !== "string" || !errorCodes.has(error.code))
      problems.push(`error code ${String(error.code)} is not in the catalogue`);
    if (typeof error.message !== "string" || error.message === "") problems.push("error has no message");
    if (typeof error.requestId !== "string" || error.requestId !== requestId) problems.push("error requestId differs from x-request-id");
  }
  const lower = marker.toLowerCase();
  if (response.body.toLowerCase().includes(lower)) problems.push("the error repeats the input");
  for (const [name, value] of Object.entries(response.headers)) {
    if (String(value).toLowerCase().includes(lower)) problems.push(`header ${name} repeats the input`);
  }
  return problems;
}

async function fuzz(operation: Operation, caller: Caller, numRuns: number): Promise<void> {
  const arbitrary = fc.tuple(requestArbitrary(operation), fc.integer({ min: 1_000_000, max: 2 ** 31 - 1 }));
  const seed = SEED ^ hash(`${caller} ${operation.method} ${operation.path}`);
  const result = await fc.check(
    fc.asyncProperty(arbitrary, async ([request, markerSeed]) => {
      let sent: Sent;
      try {
        sent = await send(operation, caller, request, markerSeed);
      } catch (error) {
        throw new Error(`${request.label}: ${(error as Error).message}`);
      }
      const seen = answersSeen.get(`${caller} ${operation.method} ${operation.path}`) ?? new Set<string>();
      seen.add(`${sent.response.statusCode} ${errorCodeOf(sent.response.body) ?? ""}`.trim());
      answersSeen.set(`${caller} ${operation.method} ${operation.path}`, seen);
      const problems = problemsOf(sent.response, sent.marker, { graphShaped: operation.route.tags.includes("graph-proxy") });
      if (problems.length > 0) {
        throw new Error(`${request.label} → ${sent.response.statusCode} ${sent.response.body.slice(0, 300)}: ${problems.join("; ")}`);
      }
    }),
    { seed, numRuns, endOnFailure: true, examples: [[[validRequest(operation), 1_000_000]]] },
  );
  if (result.failed) {
    const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    throw new Error(
      `${operation.method} ${operation.path} as ${caller} (PARLEY_FUZZ_SEED=${SEED}, seed ${seed}, path ${result.counterexamplePath}): ${cause}`,
    );
  }
}

/** Status and error code of every answer, by caller and operation: proof the requests got past the access layer. */
const answersSeen = new Map<string, Set<string>>();
const REFUSED_BEFORE_THE_HANDLER = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "MFA_ENROLLMENT_REQUIRED",
  "CSRF_REFUSED",
  "RATE_LIMITED",
  "VALIDATION_FAILED",
  "MALFORMED_BODY",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
]);

function errorCodeOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (Math.imul(value, 31) + char.charCodeAt(0)) | 0;
  return value;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // Wired as the composition root wires a sandbox-mode Parley: the simulator as the Graph transport, a blob store.
  const base = createTestServices({ db, logs: captureLogs() });
  sandbox = await startSandbox();
  blobRoot = await mkdtemp(join(tmpdir(), "parley-fuzz-"));
  services = {
    ...base,
    config: { ...base.config, whatsapp: { ...base.config.whatsapp, graphBaseUrl: sandbox.credentials().baseUrl } },
    blobs: createLocalBlobStore(blobRoot),
    sandbox,
  };
  app = await createHttpApp({ services, routes, authenticate: createAuthenticator(services) });
  contexts = [await freshContext()];
}, 120_000);

afterAll(async () => {
  await app?.close();
  await services?.coordination.close();
  await sandbox?.close();
  await db?.drop();
  if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
});

describe(`OpenAPI fuzzing (${testEngine})`, () => {
  it("covers every operation of the document", () => {
    expect(operations.length).toBe(routes.length);
    expect(operations.length).toBeGreaterThan(60);
  });

  it("the answer check catches a 500, a missing header, a wrong shape and an echo", () => {
    const headers = { ...securityHeaders, "x-request-id": "r1", "content-type": "application/json; charset=utf-8" };
    const good = {
      statusCode: 400,
      headers,
      body: JSON.stringify({ error: { code: "VALIDATION_FAILED", message: "no", requestId: "r1" } }),
    };
    expect(problemsOf(good, "zqfuzzmarker")).toEqual([]);
    expect(problemsOf({ ...good, statusCode: 500 }, "m1")).toContain("answered 500");
    expect(problemsOf({ ...good, headers: { ...headers, "x-frame-options": undefined } }, "m1")).toContain(
      "header x-frame-options is undefined",
    );
    expect(problemsOf({ ...good, body: JSON.stringify({ message: "no" }) }, "m1")).toContain("error body is not { error }");
    expect(problemsOf({ ...good, body: good.body.replace('"no"', '"zqfuzzMARKER"') }, "zqfuzzmarker")).toContain(
      "the error repeats the input",
    );
    const graph = {
      ...good,
      body: JSON.stringify({ error: { message: "(#100) Invalid parameter", type: "OAuthException", code: 100, fbtrace_id: "r1" } }),
    };
    expect(problemsOf(graph, "m1", { graphShaped: true })).toEqual([]);
    expect(problemsOf(graph, "m1")).toContain("error code 100 is not in the catalogue");
    expect(problemsOf({ ...graph, body: graph.body.replace('"r1"', '"r2"') }, "m1", { graphShaped: true })).toContain(
      "graph error fbtrace_id differs from x-request-id",
    );
  });

  const cases = operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const);
  it.each(cases)("%s, as an Owner", async (_, operation) => fuzz(operation, "owner", OWNER_RUNS), 60_000);
  it("the Owner's requests reach every operation's handler (not only its access layer, rate limit or input validation)", () => {
    const turnedAway = operations
      .filter((operation) => operation.route.access.kind !== "public")
      .filter((operation) =>
        [...(answersSeen.get(`owner ${operation.method} ${operation.path}`) ?? [])].every(
          (answer) => Number(answer.split(" ")[0]) >= 400 && REFUSED_BEFORE_THE_HANDLER.has(answer.split(" ")[1] ?? ""),
        ),
      )
      .map(
        (operation) =>
          `${operation.method} ${operation.path}: ${[...(answersSeen.get(`owner ${operation.method} ${operation.path}`) ?? [])].join(", ")}`,
      );
    expect(turnedAway).toEqual([]);
  });
  it.each(cases)("%s, anonymously", async (_, operation) => fuzz(operation, "anonymous", OTHER_RUNS), 60_000);
  it.each(cases)("%s, with an API key", async (_, operation) => fuzz(operation, "api-key", OTHER_RUNS), 60_000);
});
