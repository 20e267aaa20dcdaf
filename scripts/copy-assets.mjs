#!/usr/bin/env node
// Copies the files the compiled program reads at run time next to it, at the same relative paths
// as in the sources: SQL migrations, the password blocklist, and the built dashboard (src/http/static.ts
// looks for it two levels above itself, so dist/src/http → dist/web/dist).
// Usage: node scripts/copy-assets.mjs [outDir]   (default: dist)
import { cpSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export const ASSETS = [
  { from: "src/db/migrations", to: "src/db/migrations" },
  { from: "src/identity/data", to: "src/identity/data" },
  { from: "web/dist", to: "web/dist" },
];

export function copyAssets(outDir) {
  for (const { from, to } of ASSETS) {
    const source = resolve(root, from);
    if (!existsSync(source))
      throw new Error(`${from} is missing${from === "web/dist" ? " (build the dashboard first: node scripts/build-web.mjs)" : ""}`);
    cpSync(source, resolve(outDir, to), { recursive: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  copyAssets(resolve(process.argv[2] ?? resolve(root, "dist")));
}
