// Writes the generated API documents: docs/openapi.json (from the route contracts), docs/errors.md
// (from the error catalogue) and docs/plans.md (the features routes need). `--check` only compares and exits 1 on drift.
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { renderErrorCatalogueMarkdown } from "../src/http/error-docs.ts";
import { renderOpenApiJson } from "../src/http/openapi.ts";
import { renderPlansMarkdown } from "../src/http/plans-doc.ts";
import { routes, webhookDocs } from "../src/http/routes.ts";

const documents = [
  { path: resolve("docs/openapi.json"), text: renderOpenApiJson(routes, webhookDocs) },
  { path: resolve("docs/errors.md"), text: renderErrorCatalogueMarkdown() },
  { path: resolve("docs/plans.md"), text: renderPlansMarkdown(routes) },
];

const isCheck = process.argv.includes("--check");
let drifted = 0;
for (const document of documents) {
  const current = await readFile(document.path, "utf8").catch(() => undefined);
  if (current === document.text) continue;
  if (isCheck) {
    console.error(`${document.path} is out of date; run \`npm run openapi\``);
    drifted += 1;
  } else {
    await writeFile(document.path, document.text);
    console.log(`wrote ${document.path}`);
  }
}
if (drifted > 0) process.exit(1);
