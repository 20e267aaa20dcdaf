#!/usr/bin/env node
// Builds the dashboard (web/) into web/dist with Vite: typecheck first, then bundle. Hashed asset
// names let the server cache them for a year; no inline script is emitted (the CSP forbids it).
// `--if-missing`: do nothing when web/dist/index.html exists (used by `npm start`).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const webRoot = `${root}web`;
if (process.argv.includes("--if-missing") && existsSync(`${webRoot}/dist/index.html`)) process.exit(0);

execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${webRoot}/tsconfig.json`], { stdio: "inherit" });
// Always a production bundle, whatever the caller's NODE_ENV (vitest sets "test", which would
// otherwise give React's development build).
process.env.NODE_ENV = "production";
const { build } = await import("vite");
const { default: react } = await import("@vitejs/plugin-react");
await build({
  root: webRoot,
  configFile: false,
  mode: "production",
  logLevel: "warn",
  plugins: [react()],
  build: {
    outDir: `${webRoot}/dist`,
    emptyOutDir: true,
    assetsDir: "assets",
    // No modulepreload polyfill: it would be inlined into index.html, which the CSP refuses.
    modulePreload: { polyfill: false },
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
console.log("built web/dist");
