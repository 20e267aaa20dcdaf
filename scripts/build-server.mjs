#!/usr/bin/env node
// Compiles the server (src/, sim/) to JavaScript with tsc and tsconfig.build.json (relative `.ts`
// imports are rewritten to `.js`), then copies the run-time assets beside it (scripts/copy-assets.mjs).
// The output is emptied first, so a file deleted from the sources does not live on in a build.
// Usage: node scripts/build-server.mjs [--out <dir>] [--no-typecheck]
//   --out           where to write (default: dist)
//   --no-typecheck  emit without checking types (tsc --noCheck); for callers that typecheck apart
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { copyAssets } from "./copy-assets.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const outDir = resolve(outIndex === -1 ? resolve(root, "dist") : (args[outIndex + 1] ?? ""));
if (outIndex !== -1 && !args[outIndex + 1]) {
  console.error("usage: build-server.mjs [--out <dir>] [--no-typecheck]");
  process.exit(2);
}

rmSync(outDir, { recursive: true, force: true });
const tsc = [resolve(root, "node_modules/typescript/bin/tsc"), "-p", resolve(root, "tsconfig.build.json"), "--outDir", outDir];
if (args.includes("--no-typecheck")) tsc.push("--noCheck");
execFileSync(process.execPath, tsc, { stdio: "inherit", cwd: root });
copyAssets(outDir);
console.log(`built ${outDir === resolve(root, "dist") ? "dist" : outDir}`);
