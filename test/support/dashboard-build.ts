import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// The dashboard bundle the browser tests load (web/dist), rebuilt when older than its sources.

const ROOT = new URL("../../", import.meta.url).pathname;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than the sources, so the browser tests this code. */
export function ensureDashboardBuilt(): void {
  const index = join(ROOT, "web/dist/index.html");
  // The dashboard also bundles the server modules it imports (the permission matrix, the audit
  // actions, the media limits, the contact tag rule).
  const shared = [
    "web/index.html",
    "src/identity/permissions.ts",
    "src/audit/actions.ts",
    "src/whatsapp/media/limits.ts",
    "src/features/contacts/tag-rule.ts",
  ].map((file) => statSync(join(ROOT, file)).mtimeMs);
  const sources = Math.max(newestMtime(join(ROOT, "web/src")), ...shared);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, "scripts/build-web.mjs")], { cwd: ROOT, stdio: "pipe" });
}
