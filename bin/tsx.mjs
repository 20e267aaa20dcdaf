#!/usr/bin/env node
// Runs a TypeScript entry point through tsx's loader, so `npm start` needs no build step.
import { register } from "tsx/esm/api";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

register();
const entry = process.argv[2];
if (!entry) {
  console.error("usage: tsx.mjs <entry.ts> [args…]");
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(resolve(entry)).href);
