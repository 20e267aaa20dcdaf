import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCatalogue } from "../../src/errors.ts";
import { renderApiDocsHtml } from "../../src/http/api-docs.ts";
import type { OpenApiDocument } from "../../src/http/openapi.ts";
import { CONTENT_SECURITY_POLICY } from "../../src/http/security-headers.ts";
import { permissions } from "../../src/identity/permissions.ts";
import { startTestHttpApp, type TestHttpApp } from "../support/http-app.ts";

// The documentation page at /docs: served by the app itself, under the same strict CSP as the
// dashboard (no script, no inline style), and complete — every operation of the OpenAPI document,
// every error code and every permission is on it, so it cannot fall behind the API.

const committed = JSON.parse(await readFile(new URL("../../docs/openapi.json", import.meta.url), "utf8")) as OpenApiDocument;

describe("the API documentation page", () => {
  let http: TestHttpApp;
  beforeAll(async () => {
    http = await startTestHttpApp({ authenticate: false });
  });
  afterAll(async () => {
    await http?.close();
  });

  it("is served at /docs as HTML under the strict CSP, with no script and no inline style", async () => {
    const response = await http.app.inject({ method: "GET", url: "/docs" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(response.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(response.body).toContain('<link rel="stylesheet" href="/docs/docs.css">');

    const stylesheet = await http.app.inject({ method: "GET", url: "/docs/docs.css" });
    expect(stylesheet.statusCode).toBe(200);
    expect(stylesheet.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(stylesheet.body).toContain("prefers-color-scheme");
  });

  it("documents every operation of the OpenAPI document, every error code and every permission", async () => {
    const page = (await http.app.inject({ method: "GET", url: "/docs" })).body;
    const operationIds = Object.values(committed.paths).flatMap((byMethod) =>
      Object.values(byMethod).map((operation) => operation.operationId as string),
    );
    expect(operationIds.length).toBeGreaterThan(50);
    for (const id of operationIds) expect(page, id).toContain(`id="${id}"`);
    for (const code of Object.keys(errorCatalogue)) expect(page, code).toContain(`id="error-${code}"`);
    for (const permission of permissions)
      expect(page, permission).toContain(`id="permission-${permission.replace(/[^A-Za-z0-9_-]/g, "-")}"`);
    expect(page).toContain("Authorization: Bearer pk_&lt;id&gt;_&lt;secret&gt;");
    expect(page).toContain('href="/openapi.json"');
  });

  it("answers 405 with Allow for other methods", async () => {
    const response = await http.app.inject({ method: "POST", url: "/docs" });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toContain("GET");
  });

  it("escapes every value taken from the document", () => {
    const hostile = "<script>alert(1)</script>\"'&";
    const page = renderApiDocsHtml({
      openapi: "3.1.0",
      info: { title: hostile, version: hostile, description: "" },
      components: { schemas: {}, securitySchemes: {} },
      paths: {
        [`/x/${hostile}`]: {
          get: {
            operationId: hostile,
            summary: hostile,
            tags: [hostile],
            "x-permission": hostile,
            parameters: [{ name: hostile, in: "query", schema: { type: "string" } }],
            responses: { "200": { description: hostile } },
          },
        },
      },
    });
    expect(page).not.toContain("<script>");
    expect(page).toContain("&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;");
  });
});
