// Writes docs/permissions.md from the permission matrix (src/identity/permissions.ts).
// `--check` only compares and exits 1 on drift.
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { renderPermissionsMarkdown } from "../src/identity/permissions.ts";

const path = resolve("docs/permissions.md");
const text = renderPermissionsMarkdown();
const current = await readFile(path, "utf8").catch(() => undefined);
if (current !== text) {
  if (process.argv.includes("--check")) {
    console.error(`${path} is out of date; run \`node bin/tsx.mjs scripts/write-permissions-doc.ts\``);
    process.exit(1);
  }
  await writeFile(path, text);
  console.log(`wrote ${path}`);
}
