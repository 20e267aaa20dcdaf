import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp } from "../../src/http/app.ts";
import { defineRoute } from "../../src/http/define-route.ts";
import { routes } from "../../src/http/routes.ts";
import { safeString } from "../../src/http/safe-string.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";

// The proof that logs hold no PII or secrets (DESIGN §8, security.md §10): the app runs with its
// real logger at trace level, every request carries canaries in the places PII and secrets arrive
// (URL, query, headers, body, keys, error messages), and not one canary may reach the output.

const PHONE = "+4915112345678";
const PHONE_DIGITS = "4915112345678";
const EMAIL = "canary.person@example-canary.org";
const BEARER_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Q2FuYXJ5U2lnbmF0dXJl";
const OPAQUE_TOKEN = "tok7CanaryOpaque9";
const API_KEY = "pk_canary42_S3cretCanaryValueXyZ";
const COOKIE_SECRET = "sessCanaryCookie77";
const MESSAGE_TEXT = "Meet me at the blue door at midnight";

const canaries = [
  PHONE,
  PHONE_DIGITS,
  EMAIL,
  BEARER_TOKEN,
  OPAQUE_TOKEN,
  API_KEY,
  "S3cretCanaryValueXyZ",
  COOKIE_SECRET,
  MESSAGE_TEXT,
  "blue door",
];

const canaryHeaders = {
  authorization: `Bearer ${BEARER_TOKEN}`,
  "x-api-key": API_KEY,
  cookie: `__Host-session=${COOKIE_SECRET}`,
  "user-agent": `CanaryAgent/1.0 (${EMAIL})`,
  "x-forwarded-for": PHONE_DIGITS,
  "x-request-id": PHONE_DIGITS,
};

const canaryRoutes = [
  defineRoute({
    method: "POST",
    url: "/canary/contacts/:contactId/messages",
    summary: "Sends a message (canary test)",
    public: "canary test route",
    bodyLimit: 512,
    schema: {
      params: z.strictObject({ contactId: safeString(64) }),
      body: z.strictObject({ to: safeString(32), text: safeString(200) }),
      response: { 202: z.object({ accepted: z.boolean() }) },
    },
    handler: async ({ body, reply, services }) => {
      // What a careless handler might log: redaction must still hold.
      services.logger.debug({ contact: { phone: body.to, email: EMAIL }, message: { text: body.text } }, "sending message");
      reply.code(202);
      return { accepted: true };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/canary/fail",
    summary: "Fails with PII in the error (canary test)",
    public: "canary test route",
    schema: { response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => {
      throw new Error(
        `lookup failed for ${PHONE} (${PHONE_DIGITS}) <${EMAIL}> with Bearer ${OPAQUE_TOKEN}, key ${API_KEY}, token ${BEARER_TOKEN}`,
      );
    },
  }),
  defineRoute({
    method: "GET",
    url: "/canary/protected",
    summary: "Needs a permission (canary test)",
    permission: "contacts.read",
    schema: { response: { 200: z.object({ ok: z.boolean() }) } },
    handler: async () => ({ ok: true }),
  }),
];

let db: TestDatabase;
let logs: LogCapture;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  logs = captureLogs();
  const services = createTestServices({ db, logs, level: "trace", env: { PARLEY_TRUST_PROXY: "1" } });
  app = await createHttpApp({ services, routes: [...routes, ...canaryRoutes] });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe("logs under canary traffic", () => {
  it("hold no phone number, e-mail, token, key, cookie or message text", async () => {
    const messages = `/canary/contacts/${encodeURIComponent(PHONE)}/messages`;
    const statuses = [
      // A valid request: PII in the path, headers and body.
      await app.inject({ method: "POST", url: messages, headers: canaryHeaders, payload: { to: PHONE, text: MESSAGE_TEXT } }),
      // A phone number as an unknown key (validation error naming it in details).
      await app.inject({
        method: "POST",
        url: messages,
        headers: canaryHeaders,
        payload: { to: PHONE_DIGITS, text: MESSAGE_TEXT, [PHONE]: EMAIL },
      }),
      // PII in the query of a route without one.
      await app.inject({
        method: "GET",
        url: `/healthz?phone=${encodeURIComponent(PHONE)}&email=${encodeURIComponent(EMAIL)}`,
        headers: canaryHeaders,
      }),
      // An unexpected error whose message carries PII and secrets.
      await app.inject({ method: "GET", url: "/canary/fail", headers: canaryHeaders }),
      // Credentials on a permissioned route (401: nobody is authenticated yet).
      await app.inject({ method: "GET", url: "/canary/protected", headers: canaryHeaders }),
      // Unknown route and wrong method, PII in the URL.
      await app.inject({ method: "GET", url: `/contacts/${PHONE_DIGITS}?email=${encodeURIComponent(EMAIL)}`, headers: canaryHeaders }),
      await app.inject({ method: "DELETE", url: `/canary/fail?to=${encodeURIComponent(PHONE)}`, headers: canaryHeaders }),
      // Malformed JSON, a foreign content type and an oversized body, all full of PII.
      await app.inject({
        method: "POST",
        url: messages,
        headers: { ...canaryHeaders, "content-type": "application/json" },
        payload: `{"to":"${PHONE}","text":"${MESSAGE_TEXT}"`,
      }),
      await app.inject({
        method: "POST",
        url: messages,
        headers: { ...canaryHeaders, "content-type": "text/plain" },
        payload: `${PHONE} ${MESSAGE_TEXT}`,
      }),
      await app.inject({
        method: "POST",
        url: messages,
        headers: canaryHeaders,
        payload: { to: PHONE, text: `${MESSAGE_TEXT} ${EMAIL} `.repeat(20) },
      }),
    ].map((response) => response.statusCode);
    expect(statuses).toEqual([202, 400, 400, 500, 401, 404, 405, 400, 415, 413]);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const output = logs.text();
    // The test can fail: the logger did write, one line per request, and the failure at error level.
    const records = logs.records();
    const requestLines = records.filter((record) => record.msg === "request");
    expect(requestLines).toHaveLength(statuses.length);
    // The phone-shaped x-request-id was replaced, so the lines stay correlatable.
    for (const line of requestLines) expect(line.requestId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(records.some((record) => record.level === 50 && record.msg === "request failed")).toBe(true);
    expect(records.some((record) => record.msg === "sending message")).toBe(true);
    for (const canary of canaries) {
      expect(output.includes(canary), `canary ${JSON.stringify(canary)} found in the logs`).toBe(false);
    }
    // Digits of the phone number in any other spelling.
    expect(output.replace(/[^0-9]/g, " ")).not.toMatch(/15112345678/);
  });
});
