// Writes docs/data-inventory.md from src/privacy/data-inventory.ts, and the JSON Schema of a
// contact export's subject.json (docs/subject-export.schema.json) from its zod schema. `--check`
// only compares and exits 1 on drift.
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DATA_INVENTORY_DOC_PATH, renderDataInventory } from "../src/privacy/data-inventory-doc.ts";
import { renderSubjectExportSchema, SUBJECT_EXPORT_SCHEMA_PATH } from "../src/features/subject-requests/bundle-schema.ts";

for (const [file, text] of [
  [DATA_INVENTORY_DOC_PATH, renderDataInventory()],
  [SUBJECT_EXPORT_SCHEMA_PATH, renderSubjectExportSchema()],
] as const) {
  const path = resolve(file);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === text) continue;
  if (process.argv.includes("--check")) {
    console.error(`${file} is out of date; run \`npm run data-inventory\``);
    process.exit(1);
  }
  await writeFile(path, text);
  console.log(`wrote ${file}`);
}
