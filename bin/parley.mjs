#!/usr/bin/env node
// The `parley` command. A development checkout (TypeScript sources and tsx both installed) runs the
// sources through tsx, so no build step is needed and an old dist/ never shadows the code being
// edited. An installed build (`npm run build`, then `npm ci --omit=dev`: no sources, no tsx) runs
// the compiled JavaScript in dist/.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
const built = new URL("../dist/src/cli/main.js", import.meta.url);

function canRunSource() {
  if (!existsSync(source)) return false;
  try {
    import.meta.resolve("tsx/esm/api");
    return true;
  } catch {
    return false;
  }
}

if (canRunSource()) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write(
    "parley: no build in dist/ and no TypeScript loader; run `npm install` (development) or `npm run build` (production)\n",
  );
  process.exit(1);
}
