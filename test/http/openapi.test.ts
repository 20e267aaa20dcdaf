import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineRoute } from "../../src/http/define-route.ts";
import { renderErrorCatalogueMarkdown } from "../../src/http/error-docs.ts";
import { buildOpenApiDocument, renderOpenApiJson } from "../../src/http/openapi.ts";
import { renderPlansMarkdown } from "../../src/http/plans-doc.ts";
import { routes, webhookDocs } from "../../src/http/routes.ts";
import { safeString } from "../../src/http/safe-string.ts";

type Operation = Record<string, unknown> & { responses: Record<string, { content?: unknown; headers?: unknown }> };

describe("generated documents", () => {
  it("docs/openapi.json matches the route contracts", async () => {
    const committed = await readFile(resolve("docs/openapi.json"), "utf8").catch(() => "(missing)");
    expect(
      committed === renderOpenApiJson(routes, webhookDocs),
      "docs/openapi.json is out of date: run `npm run openapi` and commit the result",
    ).toBe(true);
  });

  it("docs/errors.md matches the error catalogue", async () => {
    const committed = await readFile(resolve("docs/errors.md"), "utf8").catch(() => "(missing)");
    expect(committed === renderErrorCatalogueMarkdown(), "docs/errors.md is out of date: run `npm run openapi` and commit the result").toBe(
      true,
    );
  });

  it("docs/plans.md matches the routes' plan features", async () => {
    const committed = await readFile(resolve("docs/plans.md"), "utf8").catch(() => "(missing)");
    expect(committed === renderPlansMarkdown(routes), "docs/plans.md is out of date: run `npm run openapi` and commit the result").toBe(
      true,
    );
  });

  it("marks each gated operation with the plan feature it needs, and its PLAN_REQUIRED answer", () => {
    const document = buildOpenApiDocument(routes) as unknown as { paths: Record<string, Record<string, Operation>> };
    const gated = routes.filter((route) => route.feature !== undefined);
    expect(gated.length).toBeGreaterThan(10);
    for (const route of gated) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const operation = document.paths[path]![route.method.toLowerCase()]!;
      expect(operation["x-parley-feature"], `${route.method} ${route.url}`).toBe(route.feature);
      if (route.access.kind === "permission") expect(JSON.stringify(operation.responses["403"])).toContain("PLAN_REQUIRED");
    }
    const audit = document.paths["/api/v1/workspaces/{workspaceId}/audit"]!.get!;
    expect(audit["x-parley-feature"]).toBe("audit_log");
    const plan = document.paths["/api/v1/workspaces/{workspaceId}/plan"]!.get!;
    expect(plan["x-parley-feature"]).toBeUndefined();
  });

  it("describes every registered route with its access", () => {
    const document = buildOpenApiDocument(routes);
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods)) as Operation[];
    expect(operations).toHaveLength(routes.length);
    for (const operation of operations) {
      expect(operation["x-permission"] !== undefined || operation["x-public"] !== undefined).toBe(true);
      expect(operation.responses["500"]).toBeDefined();
    }
  });
});

describe("buildOpenApiDocument", () => {
  const contactRoutes = [
    defineRoute({
      method: "PATCH",
      url: "/workspaces/:workspaceId/contacts/:contactId",
      summary: "Updates a contact",
      tags: ["contacts"],
      permission: "contacts.write",
      rateLimit: { limit: 10, windowMs: 60_000, key: "user" },
      errors: ["NOT_FOUND"],
      schema: {
        params: z.strictObject({ workspaceId: z.uuid(), contactId: z.uuid() }),
        query: z.strictObject({ dryRun: z.enum(["true", "false"]).optional() }),
        body: z.strictObject({ name: safeString(100) }),
        response: { 200: z.object({ id: z.uuid(), name: z.string() }), 204: z.undefined() },
      },
      handler: async () => ({ id: "x", name: "y" }),
    }),
    defineRoute({
      method: "POST",
      url: "/auth/login",
      summary: "Logs in",
      public: "the caller has no credentials yet",
      schema: { body: z.strictObject({ email: z.email() }), response: { 200: z.object({ ok: z.boolean() }) } },
      handler: async () => ({ ok: true }),
    }),
  ];
  const document = buildOpenApiDocument(contactRoutes);

  it("maps params, query, body and responses from the zod schemas", () => {
    const operation = document.paths["/workspaces/{workspaceId}/contacts/{contactId}"]!.patch as Operation;
    expect(operation.operationId).toBe("patchWorkspacesByWorkspaceIdContactsByContactId");
    expect(operation.parameters).toEqual([
      expect.objectContaining({ name: "workspaceId", in: "path", required: true, schema: expect.objectContaining({ format: "uuid" }) }),
      expect.objectContaining({ name: "contactId", in: "path", required: true }),
      expect.objectContaining({ name: "dryRun", in: "query", required: false }),
    ]);
    expect(operation.requestBody).toMatchObject({
      required: true,
      content: { "application/json": { schema: { type: "object", additionalProperties: false, required: ["name"] } } },
    });
    expect(operation.responses["200"]!.content).toBeDefined();
    expect(operation.responses["204"]!.content).toBeUndefined();
  });

  it("states the permission or the public reason, and the errors each route can answer", () => {
    const patch = document.paths["/workspaces/{workspaceId}/contacts/{contactId}"]!.patch as Operation;
    expect(patch.security).toEqual([{ bearer: [] }]);
    expect(patch["x-permission"]).toBe("contacts.write");
    expect(Object.keys(patch.responses)).toEqual(["200", "204", "400", "401", "403", "404", "413", "415", "429", "500", "503"]);
    expect(patch.responses["429"]!.headers).toHaveProperty("Retry-After");
    expect(patch.responses["401"]!.content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/Error" } } });
    const login = document.paths["/auth/login"]!.post as Operation;
    expect(login.security).toEqual([]);
    expect(login["x-public"]).toBe("the caller has no credentials yet");
    expect(login.responses["401"]).toBeUndefined();
  });

  it("includes the error body schema with every catalogue code", () => {
    const error = document.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } }; required: string[] } };
    };
    expect(error.properties.error.properties.code.enum).toContain("VALIDATION_FAILED");
    expect(error.properties.error.required).toEqual(["code", "message", "requestId"]);
  });
});
