// Writes web/src/lib/api-types.ts from docs/openapi.json. `--check` only compares and exits 1 on drift.
import { readFile, writeFile } from "node:fs/promises";
import { API_TYPES_PATH, renderApiTypes } from "./api-types.ts";

const text = await renderApiTypes();
const current = await readFile(API_TYPES_PATH, "utf8").catch(() => undefined);
if (current !== text) {
  if (process.argv.includes("--check")) {
    console.error(`${API_TYPES_PATH} is out of date; run \`npm run api-types\``);
    process.exit(1);
  }
  await writeFile(API_TYPES_PATH, text);
  console.log(`wrote ${API_TYPES_PATH}`);
}
