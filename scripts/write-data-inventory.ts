// Writes docs/data-inventory.md from src/privacy/data-inventory.ts. `--check` only compares and
// exits 1 on drift.
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DATA_INVENTORY_DOC_PATH, renderDataInventory } from "../src/privacy/data-inventory-doc.ts";

const path = resolve(DATA_INVENTORY_DOC_PATH);
const text = renderDataInventory();
const current = await readFile(path, "utf8").catch(() => undefined);
if (current !== text) {
  if (process.argv.includes("--check")) {
    console.error(`${DATA_INVENTORY_DOC_PATH} is out of date; run \`npm run data-inventory\``);
    process.exit(1);
  }
  await writeFile(path, text);
  console.log(`wrote ${DATA_INVENTORY_DOC_PATH}`);
}
