import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

// The dashboard's request and response types, generated from the committed OpenAPI document
// (docs/openapi.json) with openapi-typescript. scripts/write-api-types.ts writes them;
// test/web/api-types.test.ts fails when the committed copy drifts.

export const API_TYPES_PATH = resolve("web/src/lib/api-types.ts");
const HEADER =
  "// Generated from docs/openapi.json by scripts/write-api-types.ts (`npm run api-types`). Do not edit.\n/* eslint-disable */\n\n";

export async function renderApiTypes(): Promise<string> {
  const document = JSON.parse(await readFile(resolve("docs/openapi.json"), "utf8")) as Parameters<typeof openapiTS>[0];
  const ast = await openapiTS(document, { exportType: true, alphabetize: true });
  return HEADER + astToString(ast);
}
