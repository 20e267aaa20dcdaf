import { randomInt, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { withoutWorkspace } from "../../src/db/with-workspace.ts";
import { importContactsFor } from "../../src/features/contacts/import.ts";
import { defineRoute, RouteDefinitionError, type RouteDefinition } from "../../src/http/define-route.ts";
import { decodeUtf8, parseQueryString } from "../../src/http/raw-input.ts";
import { routes } from "../../src/http/routes.ts";
import { asSafeString, findUncheckedStrings, isSafeText, safeString, UNSAFE_TEXT_MESSAGE } from "../../src/http/safe-string.ts";
import { createSession } from "../../src/identity/sessions.ts";
import { LOGIN_FAILURE_LIMIT } from "../../src/identity/throttle.ts";
import { issueAccessToken } from "../../src/identity/tokens.ts";
import type { Services } from "../../src/services.ts";
import { inputJsonSchema, sampleFor, sampleValue } from "../access/sample-input.ts";
import type { TestDatabase } from "../support/engine.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";
import { createWorkspaceWithOwner, currentTotp, ownerCaller, type TestUser } from "../support/identity.ts";
import type { LogCapture } from "../support/services.ts";

// Hostile strings — a NUL, an unpaired high or low surrogate, bytes that are not UTF-8 — are refused
// at the boundary with 400 VALIDATION_FAILED naming the field, on every route, in every body field,
// query parameter and path parameter: never a 500 (PostgreSQL refuses NUL), never stored altered
// (an unpaired surrogate has no UTF-8 form and would become U+FFFD). The inputs are derived from
// the route registry, so a route added tomorrow is covered without a line here.

type Form = { name: string; json: string | null; bytes: Buffer | null; url: string };
/** Each hostile form as it travels in JSON (an escape), as raw body bytes, and percent-encoded in a URL. */
const forms: readonly Form[] = [
  { name: "NUL", json: "\u0000", bytes: null, url: "%00" },
  { name: "lone high surrogate", json: "\ud800", bytes: Buffer.from([0xed, 0xa0, 0x80]), url: "%ED%A0%80" },
  { name: "lone low surrogate", json: "\udc00", bytes: Buffer.from([0xed, 0xb0, 0x80]), url: "%ED%B0%80" },
  { name: "invalid UTF-8 bytes", json: null, bytes: Buffer.from([0xff, 0xfe, 0xc3]), url: "%FF%FE%C3" },
];
const MARK = "hostile";

type JsonSchema = Parameters<typeof sampleValue>[0] & {
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  prefixItems?: JsonSchema[];
};
type Path = Array<string | number>;
/**
 * A body with one string made hostile (the placeholder MARK stands for it) and where that string
 * sits. `value` makes a new sample each time (a new e-mail for sign-in, so no account is locked).
 */
type Variant = { path: Path; value: () => unknown };

/** Every string leaf of an input schema, each in a sample value otherwise as valid as sampleValue can make it. */
function stringVariants(schema: JsonSchema): Variant[] {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.flatMap((option) => stringVariants(option as JsonSchema));
  if (schema.allOf) return stringVariants(Object.assign({}, ...schema.allOf) as JsonSchema);
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== "null") : schema.type;
  if (type === "string" && schema.const === undefined) return [{ path: [], value: () => MARK }];
  if (type === "array" && schema.items) {
    const rest = () => Array.from({ length: Math.max(0, (schema.minItems ?? 1) - 1) }, () => sampleValue(schema.items!));
    return stringVariants(schema.items as JsonSchema).map((variant) => ({
      path: [0, ...variant.path],
      value: () => [variant.value(), ...rest()],
    }));
  }
  if (type !== "object") return [];
  // A new e-mail each time: refused sign-ins count against the account an e-mail names.
  const base = () => sampleValue(schema, { email: `sweep-${randomUUID()}@example.test` }) as Record<string, unknown>;
  const variants: Variant[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    for (const variant of stringVariants(property))
      variants.push({ path: [key, ...variant.path], value: () => ({ ...base(), [key]: variant.value() }) });
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    const valueSchema = schema.additionalProperties;
    for (const variant of stringVariants(valueSchema))
      variants.push({ path: ["key", ...variant.path], value: () => ({ ...base(), key: variant.value() }) });
    // A hostile key: the detail names the record and the (escaped) key.
    if (schema.propertyNames) variants.push({ path: [], value: () => ({ ...base(), [MARK]: sampleValue(valueSchema) }) });
  }
  return variants;
}

/** The JSON text (or bytes) of a value with MARK replaced by the hostile form. */
function hostileBody(value: unknown, form: Form): Buffer {
  const json = JSON.stringify(value);
  if (form.json !== null) return Buffer.from(json.replaceAll(MARK, JSON.stringify(form.json).slice(1, -1)), "utf8");
  const [before, ...after] = json.split(MARK);
  const parts: Buffer[] = [Buffer.from(before!, "utf8")];
  for (const part of after) parts.push(form.bytes!, Buffer.from(part, "utf8"));
  return Buffer.concat(parts);
}

function fillUrl(url: string, params: Record<string, unknown>, hostile?: { name: string; encoded: string }): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    hostile?.name === name ? hostile.encoded : encodeURIComponent(String(params[name])),
  );
}

let http: TestHttpApp | undefined;
let db: TestDatabase;
let services: Services;
let logs: LogCapture;
let app: FastifyInstance;

type Context = { workspaceId: string; owner: TestUser; token: string };

/** A fresh workspace and a session of its Owner (MFA enrolled), so no per-user or per-workspace limit is reached. */
async function freshContext(): Promise<Context> {
  const { workspaceId, owner } = await createWorkspaceWithOwner(services);
  const session = await withoutWorkspace(db, (trx) => createSession(trx, owner.userId, new Date()));
  const token = (await issueAccessToken(services, { userId: owner.userId, sessionId: session.sessionId }, new Date())).token;
  return { workspaceId, owner, token };
}

function randomAddress(): string {
  return `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** Row counts of every table a request could write to (the owner role sees every workspace). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(
    db.owner,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ count: number | string }>`select count(*) as count from ${sql.table(name)}`.execute(db.owner);
    counts[name] = Number(result.rows[0]!.count);
  }
  return counts;
}

/** Tables the fixture itself writes (fresh workspaces and sessions) or that count refused sign-ins on purpose. */
const WRITTEN_BY_DESIGN = new Set([
  "users",
  "workspaces",
  "memberships",
  "sessions",
  "refresh_tokens",
  "signing_keys",
  "recovery_codes",
  "workspace_keys",
  "audit_entries",
  "audit_heads",
  "login_throttles",
]);

type Answer = { status: number; code: string | undefined; paths: Path[] };

async function send(route: RouteDefinition, context: Context, request: { url: string; body?: Buffer }): Promise<Answer> {
  const response = await app.inject({
    method: route.method,
    url: request.url,
    remoteAddress: randomAddress(),
    headers: { authorization: `Bearer ${context.token}`, ...(request.body ? { "content-type": "application/json" } : {}) },
    ...(request.body ? { payload: request.body } : {}),
  });
  let parsed: { error?: { code?: string; details?: Array<{ path: Path }> } } = {};
  try {
    parsed = JSON.parse(response.body) as typeof parsed;
  } catch {
    parsed = {};
  }
  return {
    status: response.statusCode,
    code: parsed.error?.code,
    paths: Array.isArray(parsed.error?.details) ? parsed.error.details.map((detail) => detail.path) : [],
  };
}

/**
 * The field is named: a detail's path is the field's own path, or (a union, whose error stops where
 * the options part) a prefix of it naming at least the top-level field, or (a hostile record key)
 * the record's path followed by the key.
 */
function namesField(answer: Answer, expected: Path): boolean {
  return answer.paths.some((path) => {
    const shorter = path.length <= expected.length && path.every((segment, index) => segment === expected[index]);
    const longer = path.length === expected.length + 1 && expected.every((segment, index) => segment === path[index]);
    return (shorter && path.length >= Math.min(expected.length, 2)) || longer;
  });
}

beforeAll(async () => {
  http = await startTestHttpApp();
  ({ db, logs, services, app } = http);
});

afterAll(async () => {
  await http?.close();
});

describe("every string input of every route refuses hostile strings", () => {
  it("no route declares an input string without the safe-string check (walks the route registry)", () => {
    const unchecked = routes.flatMap((route) =>
      (["params", "query", "body"] as const).flatMap((part) => {
        const schema = route.schema[part];
        return schema ? findUncheckedStrings(schema).map((path) => `${route.method} ${route.url} ${part}.${path}`) : [];
      }),
    );
    expect(unchecked).toEqual([]);
  });

  it("defineRoute refuses a plain z.string(), an unchecked URL, a record of strings and a loose object in any input", () => {
    const attempt = (part: "params" | "query" | "body", schema: z.ZodType) => () =>
      defineRoute({
        method: "POST",
        url: "/test/:id",
        summary: "test",
        public: "test route",
        schema: { [part]: schema, response: { 200: z.object({}) } },
        handler: async () => ({}),
      });
    expect(attempt("body", z.strictObject({ name: z.string().max(10) }))).toThrow(RouteDefinitionError);
    expect(attempt("body", z.strictObject({ list: z.array(z.string().max(10)).max(3) }))).toThrow(/list\[\]/);
    expect(attempt("body", z.strictObject({ link: z.url() }))).toThrow(/link/);
    expect(attempt("body", z.strictObject({ fields: z.record(safeString(10), z.string().max(10)) }))).toThrow(/fields\{\}/);
    expect(attempt("body", z.looseObject({ name: safeString(10) }))).toThrow(/\{\}/);
    expect(attempt("query", z.strictObject({ q: z.string().max(10).optional() }))).toThrow(/query schema/);
    expect(attempt("params", z.strictObject({ id: z.string().regex(/^\d+$/) }))).toThrow(/params schema/);
    expect(attempt("body", z.strictObject({ anything: z.unknown() }))).toThrow(/anything/);
    // Built from the shared type, or a closed format: accepted.
    expect(
      attempt(
        "body",
        z.strictObject({
          name: safeString(10).trim().min(1),
          id: z.uuid(),
          link: asSafeString(z.url()).optional(),
          tags: z.array(safeString(5)).max(3),
        }),
      ),
    ).not.toThrow();
  });

  const cases = routes.flatMap((route) => {
    const found: Array<{ title: string; route: RouteDefinition; part: "params" | "query" | "body"; path: Path; value?: () => unknown }> =
      [];
    for (const part of ["params", "query"] as const) {
      const schema = route.schema[part];
      if (!schema) continue;
      for (const name of Object.keys(inputJsonSchema(schema).properties ?? {}))
        found.push({ title: `${route.method} ${route.url} ${part}.${name}`, route, part, path: [name] });
    }
    if (route.schema.body) {
      for (const variant of stringVariants(inputJsonSchema(route.schema.body))) {
        found.push({
          title: `${route.method} ${route.url} body.${variant.path.join(".") || "(key)"}`,
          route,
          part: "body",
          path: variant.path,
          value: variant.value,
        });
      }
    }
    return found;
  });

  it("finds string inputs in the registry (the sweep below is not empty)", () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.some((item) => item.title === "POST /api/v1/auth/login body.email")).toBe(true);
    expect(cases.some((item) => item.title.startsWith("GET /api/v1/workspaces/:workspaceId/contacts query."))).toBe(true);
    expect(cases.some((item) => item.title === "GET /media/:token params.token")).toBe(true);
  });

  it("answers every hostile form in every string input with 400 VALIDATION_FAILED naming the field; nothing is stored", async () => {
    const before = await rowCounts();
    const problems: string[] = [];
    let context = await freshContext();
    let sentWithContext = 0;
    for (const item of cases) {
      const { route } = item;
      for (const form of forms) {
        // Per-user and per-workspace limits are counted before validation: a new caller before one is reached.
        const limit = route.rateLimit && route.rateLimit.key !== "ip" ? route.rateLimit.limit : Number.POSITIVE_INFINITY;
        if (sentWithContext >= Math.min(limit - 1, 15)) {
          context = await freshContext();
          sentWithContext = 0;
        }
        sentWithContext += 1;
        const params = (sampleFor(route.schema.params, { workspaceId: context.workspaceId }) ?? {}) as Record<string, unknown>;
        const query = (sampleFor(route.schema.query) ?? {}) as Record<string, unknown>;
        const queryPairs = Object.entries(query).map(
          ([key, value]) =>
            `${encodeURIComponent(key)}=${item.part === "query" && key === item.path[0] ? form.url : encodeURIComponent(String(value))}`,
        );
        if (item.part === "query" && !(String(item.path[0]) in query))
          queryPairs.push(`${encodeURIComponent(String(item.path[0]))}=${form.url}`);
        const url =
          fillUrl(route.url, params, item.part === "params" ? { name: String(item.path[0]), encoded: form.url } : undefined) +
          (queryPairs.length > 0 ? `?${queryPairs.join("&")}` : "");
        const sampleBody = route.schema.body ? sampleFor(route.schema.body) : undefined;
        const body =
          item.part === "body"
            ? hostileBody(item.value!(), form)
            : sampleBody === undefined
              ? undefined
              : Buffer.from(JSON.stringify(sampleBody));
        const answer = await send(route, context, { url, ...(body ? { body } : {}) });
        const expected: Path = [item.part, ...item.path];
        if (answer.status !== 400 || answer.code !== "VALIDATION_FAILED" || !namesField(answer, expected)) {
          problems.push(`${item.title} with ${form.name}: ${answer.status} ${answer.code ?? ""} ${JSON.stringify(answer.paths)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    const after = await rowCounts();
    const changed = Object.keys(after).filter((table) => !WRITTEN_BY_DESIGN.has(table) && after[table] !== before[table]);
    expect(changed, "tables written by refused requests").toEqual([]);
    expect(logs.records().filter((record) => Number(record.level) >= 50)).toEqual([]);
  }, 600_000);
});

describe("sign-in refused for hostile input counts toward the lock-out", () => {
  async function attempt(body: Buffer, ip: string): Promise<{ status: number; code: string | undefined }> {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: ip,
      headers: { "content-type": "application/json" },
      payload: body,
    });
    return { status: response.statusCode, code: response.json<{ error?: { code?: string } }>().error?.code };
  }

  it("locks the address after five refused attempts, whatever the hostile form, as after five wrong passwords", async () => {
    const { owner } = await createWorkspaceWithOwner(services);
    const ip = randomAddress();
    const bodies = [
      hostileBody({ email: `${MARK}@example.test`, password: "x" }, forms[0]!),
      hostileBody({ email: owner.email, password: MARK }, forms[1]!),
      hostileBody({ email: `${MARK}@example.test`, password: "x" }, forms[2]!),
      hostileBody({ email: `${MARK}@example.test`, password: "x" }, forms[3]!),
    ];
    for (const body of bodies) expect(await attempt(body, ip)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
    expect(bodies.length).toBe(LOGIN_FAILURE_LIMIT - 1);
    // The fifth refused attempt locks the address (answered as sign-in answers the attempt that locks).
    expect(await attempt(hostileBody({ email: `${MARK}@example.test`, password: "x" }, forms[0]!), ip)).toEqual({
      status: 429,
      code: "RATE_LIMITED",
    });
    // Now even the right password from that address waits.
    const right = Buffer.from(JSON.stringify({ email: owner.email, password: owner.password, totp: await currentTotp(owner) }));
    expect(await attempt(right, ip)).toEqual({ status: 429, code: "RATE_LIMITED" });
    expect(await attempt(right, randomAddress())).toMatchObject({ status: 200 });
  });

  it("counts refused attempts naming an account against that account, from any address", async () => {
    const { owner } = await createWorkspaceWithOwner(services);
    for (let count = 1; count < LOGIN_FAILURE_LIMIT; count++) {
      expect(await attempt(hostileBody({ email: owner.email, password: MARK }, forms[count % forms.length]!), randomAddress())).toEqual({
        status: 400,
        code: "VALIDATION_FAILED",
      });
    }
    expect(await attempt(hostileBody({ email: owner.email, password: MARK }, forms[0]!), randomAddress())).toEqual({
      status: 429,
      code: "RATE_LIMITED",
    });
    const right = Buffer.from(JSON.stringify({ email: owner.email, password: owner.password, totp: await currentTotp(owner) }));
    expect(await attempt(right, randomAddress())).toEqual({ status: 429, code: "RATE_LIMITED" });
  });

  it("counts a body that is not UTF-8 or not JSON at all", async () => {
    const ip = randomAddress();
    const notJson = Buffer.concat([Buffer.from('{"email": '), Buffer.from([0xff]), Buffer.from("}")]);
    for (let count = 1; count < LOGIN_FAILURE_LIMIT; count++)
      expect(await attempt(notJson, ip)).toEqual({ status: 400, code: "MALFORMED_BODY" });
    expect(await attempt(notJson, ip)).toEqual({ status: 429, code: "RATE_LIMITED" });
  });
});

describe("CSV import cells", () => {
  it("refuses a hostile cell in its row and column, for every caller of the import, and stores nothing", async () => {
    const { workspaceId, owner } = await createWorkspaceWithOwner(services);
    const caller = ownerCaller(workspaceId, owner.userId);
    for (const hostile of ["\u0000", "\ud800", "\udc00", decodeUtf8(Buffer.from([0xff])).text]) {
      const csv = `phone,name,field:note\r\n+14155550100,Ada${hostile},x\r\n+14155550101,Grace,y${hostile}\r\n`;
      const report = await importContactsFor(services, caller, { csv, dryRun: false });
      expect(report.rows).toEqual([
        { row: 2, status: "invalid", errors: [{ column: "name", message: UNSAFE_TEXT_MESSAGE }] },
        { row: 3, status: "invalid", errors: [{ column: "field:note", message: UNSAFE_TEXT_MESSAGE }] },
      ]);
      expect(report.summary).toMatchObject({ created: 0, updated: 0, invalid: 2 });
      await expect(
        importContactsFor(services, caller, { csv: `phone,na${hostile}me\r\n+14155550100,Ada\r\n`, dryRun: true }),
      ).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    }
    const stored = await sql<{
      count: number | string;
    }>`select count(*) as count from contacts where workspace_id = ${workspaceId}`.execute(db.owner);
    expect(Number(stored.rows[0]!.count)).toBe(0);
  });
});

describe("decoding request bytes", () => {
  it("decodes valid UTF-8 exactly as Node does, and marks invalid bytes as unpaired surrogates", () => {
    for (const text of ["", "plain", "grüße", "😀 emoji", "\u{10FFFF}", "中文"]) {
      expect(decodeUtf8(Buffer.from(text, "utf8"))).toEqual({ text, wellFormed: true });
    }
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x61, 0xe2, 0x82]]) {
      const decoded = decodeUtf8(Buffer.from(bytes));
      expect(decoded.wellFormed).toBe(false);
      expect(isSafeText(decoded.text)).toBe(false);
      expect(decoded.text).not.toContain("\ufffd");
    }
  });

  it("parses query strings like URLSearchParams, but keeps invalid UTF-8 visible", () => {
    expect({ ...parseQueryString("a=1&a=2&b&c=x+y&d=%E2%82%AC&e=%zz") }).toEqual({ a: ["1", "2"], b: "", c: "x y", d: "€", e: "%zz" });
    expect(isSafeText(parseQueryString("q=%FF").q as string)).toBe(false);
    expect(isSafeText(parseQueryString("q=%00").q as string)).toBe(false);
    expect(Object.getPrototypeOf(parseQueryString("__proto__=x"))).toBe(null);
  });

  it("the safe-string check refuses exactly NUL and unpaired surrogates", () => {
    for (const value of ["", "text", "😀", "\ud83d\ude00", "tab\tand\nnewline", "\ufffd"])
      expect(isSafeText(value), JSON.stringify(value)).toBe(true);
    for (const value of ["\u0000", "a\u0000b", "\ud800", "\udc00", "x\ud83d", "\ude00x", "\udc00\ud800"])
      expect(isSafeText(value), JSON.stringify(value)).toBe(false);
    const issues = safeString(10).safeParse("a\u0000").error!.issues;
    expect(issues.map((issue) => issue.message)).toEqual([UNSAFE_TEXT_MESSAGE]);
  });
});
