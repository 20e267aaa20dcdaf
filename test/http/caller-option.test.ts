import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp } from "../../src/http/app.ts";
import { defineRoute, SELF } from "../../src/http/define-route.ts";
import type { AuthContext, Authenticator } from "../../src/identity/auth-context.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// `caller: true` is the one way a workspace route learns who acts: the handler gets the member of
// the workspace in its URL, resolved before it runs; a context for another workspace answers 404.

const WORKSPACE_ID = "6f1c2b1e-8d3a-4c55-9b7e-0a1b2c3d4e5f";
const OTHER_WORKSPACE_ID = "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const USER_ID = "0b7e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";
const API_KEY_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

// Stands in for the authenticator: an API key of WORKSPACE_ID, whatever workspace the URL names.
const authenticate: Authenticator = async (request) => {
  if (request.headers["x-test-caller"] !== "key") return null;
  const auth: AuthContext = {
    kind: "api_key",
    apiKeyId: API_KEY_ID,
    userId: USER_ID,
    workspaceId: WORKSPACE_ID,
    role: "agent",
    permissions: new Set(["contacts.read"]),
  };
  return auth;
};

const callerRoute = defineRoute({
  method: "GET",
  url: "/test/workspaces/:workspaceId/whoami",
  summary: "Answers with the caller (test)",
  permission: "contacts.read",
  caller: true,
  schema: {
    params: z.strictObject({ workspaceId: z.uuid() }),
    response: { 200: z.object({ workspaceId: z.string(), userId: z.string(), actor: z.string(), userAgent: z.string().nullable() }) },
  },
  handler: async ({ caller }) => ({
    workspaceId: caller.workspaceId,
    userId: caller.userId,
    actor: `${caller.audit.type}:${caller.audit.id}`,
    userAgent: caller.userAgent,
  }),
});

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createHttpApp({ services, routes: [callerRoute], authenticate });
});

afterAll(async () => {
  await app?.close();
  await services?.coordination.close();
  await db?.drop();
});

describe("the caller route option", () => {
  it("hands the handler the caller of the workspace in the URL: who, as which actor, from where", async () => {
    const response = await app.inject({
      method: "GET",
      url: `/test/workspaces/${WORKSPACE_ID}/whoami`,
      headers: { "x-test-caller": "key", "user-agent": "probe/1" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ workspaceId: WORKSPACE_ID, userId: USER_ID, actor: `api_key:${API_KEY_ID}`, userAgent: "probe/1" });
  });

  it("answers 404 when the credentials belong to another workspace, and 401 without credentials", async () => {
    const other = await app.inject({
      method: "GET",
      url: `/test/workspaces/${OTHER_WORKSPACE_ID}/whoami`,
      headers: { "x-test-caller": "key" },
    });
    expect(other.statusCode).toBe(404);
    const anonymous = await app.inject({ method: "GET", url: `/test/workspaces/${WORKSPACE_ID}/whoami` });
    expect(anonymous.statusCode).toBe(401);
  });

  it("refuses at definition a caller route that is public, `self`, or names no workspace", () => {
    const base = {
      method: "GET",
      summary: "x",
      caller: true,
      schema: { response: { 200: z.object({}) } },
      handler: async () => ({}),
    } as const;
    expect(() => defineRoute({ ...base, url: "/test/workspaces/:workspaceId/x", public: "because" })).toThrow(/workspace permission/);
    expect(() => defineRoute({ ...base, url: "/test/workspaces/:workspaceId/x", permission: SELF })).toThrow(/workspace permission/);
    expect(() => defineRoute({ ...base, url: "/test/x", permission: "contacts.read" })).toThrow(/:workspaceId/);
  });

  it("is declared by every workspace route of the app", async () => {
    const { routes } = await import("../../src/http/routes.ts");
    const undeclared = routes
      .filter((route) => /\/:workspaceId(?:\/|$)/.test(route.url) && route.access.kind === "permission" && !route.caller)
      .map((route) => `${route.method} ${route.url}`);
    expect(undeclared).toEqual([]);
  });
});
