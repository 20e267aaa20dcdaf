import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { API_TYPES_PATH, renderApiTypes } from "../../scripts/api-types.ts";

// The dashboard's API types are generated from the committed OpenAPI document: a route contract
// that changes without `npm run api-types` fails here, before tsc could miss the change.

describe("the dashboard's generated API types", () => {
  it("match docs/openapi.json", async () => {
    const committed = await readFile(API_TYPES_PATH, "utf8");
    expect(committed === (await renderApiTypes()), "web/src/lib/api-types.ts is out of date: run `npm run api-types`").toBe(true);
  });
});
