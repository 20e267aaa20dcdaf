import { execFileSync, fork } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

// The dashboard as it ships, for bench/dashboard.bench.ts. A snapshot of the checkout (the server's
// sources, the simulator, the dashboard's sources, the `parley` command; node_modules linked) goes
// into a temporary directory and the dashboard is built there with the options of
// scripts/build-web.mjs. Building in place would race with anything else that rebuilds web/dist
// (the browser tests do when it is older than its sources), and a rebuild empties the directory the
// server reads its assets from on every request; the snapshot's `parley start` serves the
// snapshot's own web/dist (src/http/static.ts finds it next to the sources), so the bundle that is
// measured is the bundle that is served.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHILD_FLAG = "PARLEY_DASHBOARD_BUILD_CHILD";
/** What a running `parley` needs from the checkout, besides node_modules. */
const SNAPSHOT_ENTRIES = ["package.json", "tsconfig.json", "bin", "src", "sim", "web/index.html", "web/tsconfig.json", "web/src"];

export type DashboardSnapshot = {
  /** A directory laid out like the checkout: run `node bin/parley.mjs start` with it as the working directory. */
  root: string;
  /** The built dashboard (root/web/dist). */
  distDir: string;
  buildSeconds: number;
  /** The commit checked out, and how many of the snapshot's files differed from it (the snapshot takes them as they were). */
  source: { commit: string; uncommittedFiles: number };
  remove(): Promise<void>;
};

function describeSource(): DashboardSnapshot["source"] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  try {
    const changed = git("status", "--porcelain", "--", ...SNAPSHOT_ENTRIES);
    return { commit: git("rev-parse", "HEAD"), uncommittedFiles: changed === "" ? 0 : changed.split("\n").length };
  } catch {
    // Not a git checkout (an unpacked release): nothing to tell.
    return { commit: "unknown", uncommittedFiles: 0 };
  }
}

export type AssetSize = { file: string; bytes: number; gzipBytes: number };
export type AssetGroup = { files: AssetSize[]; bytes: number; gzipBytes: number };

export type BundleSize = {
  /** The entry script and every script index.html modulepreloads: what runs before the first screen. */
  initialJs: AssetGroup;
  /** Scripts loaded on demand (dynamic imports): not needed for the first screen. */
  lazyJs: AssetGroup;
  /** Style sheets index.html links. */
  initialCss: AssetGroup;
  /** Style sheets only a lazy chunk loads. */
  lazyCss: AssetGroup;
};

/** Copies the checkout's sources into a temporary directory and builds the dashboard there. */
export async function buildDashboardSnapshot(): Promise<DashboardSnapshot> {
  const root = await mkdtemp(join(tmpdir(), "parley-bench-dashboard-"));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    const source = describeSource();
    for (const entry of SNAPSHOT_ENTRIES) await cp(join(ROOT, entry), join(root, entry), { recursive: true });
    await symlink(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");
    const started = performance.now();
    await runBuild(join(root, "web"), join(root, "web", "dist"));
    return { root, distDir: join(root, "web", "dist"), buildSeconds: (performance.now() - started) / 1000, source, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Vite in a process of its own: the build needs NODE_ENV=production (React's production build), and
 * Vite would otherwise set it in this process too, for every benchmark that runs after this one.
 */
function runBuild(webRoot: string, outDir: string): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [webRoot, outDir], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, NODE_ENV: "production", [CHILD_FLAG]: "1" },
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the dashboard build exited with ${code}`))));
  });
}

/** The scripts and style sheets index.html loads up front, as paths under the dist directory. */
export function initialAssets(indexHtml: string): { scripts: string[]; styles: string[] } {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  for (const [tag] of indexHtml.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const attribute = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i").exec(tag)?.[1];
    if (/^<script/i.test(tag)) {
      const src = attribute("src");
      if (src && attribute("type") === "module") scripts.add(src.replace(/^\//, ""));
      continue;
    }
    const rel = attribute("rel")?.toLowerCase();
    const href = attribute("href");
    if (!href) continue;
    if (rel === "modulepreload") scripts.add(href.replace(/^\//, ""));
    if (rel === "stylesheet") styles.add(href.replace(/^\//, ""));
  }
  return { scripts: [...scripts], styles: [...styles] };
}

/**
 * gzip at zlib's default level (6), as Vite's build report and most servers and proxies compress;
 * Parley itself answers uncompressed, so the raw bytes are kept alongside.
 */
function sizeOf(file: string, bytes: Buffer): AssetSize {
  return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}

function group(files: AssetSize[]): AssetGroup {
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}

/** Sizes of the built dashboard's scripts and style sheets, split into what the first screen loads and the rest. */
export async function measureBundle(distDir: string): Promise<BundleSize> {
  const initial = initialAssets(await readFile(join(distDir, "index.html"), "utf8"));
  if (initial.scripts.length === 0) throw new Error("index.html loads no module script");
  const assets = (await readdir(join(distDir, "assets"))).map((name) => `assets/${name}`);
  const read = async (file: string) => sizeOf(file, await readFile(join(distDir, file)));
  const scripts = assets.filter((file) => file.endsWith(".js"));
  const styles = assets.filter((file) => file.endsWith(".css"));
  for (const file of [...initial.scripts, ...initial.styles]) {
    if (!assets.includes(file)) throw new Error(`index.html names ${file}, which the build did not write`);
  }
  return {
    initialJs: group(await Promise.all(initial.scripts.map(read))),
    lazyJs: group(await Promise.all(scripts.filter((file) => !initial.scripts.includes(file)).map(read))),
    initialCss: group(await Promise.all(initial.styles.map(read))),
    lazyCss: group(await Promise.all(styles.filter((file) => !initial.styles.includes(file)).map(read))),
  };
}

// The build itself, in the child: scripts/build-web.mjs's Vite options with another root and outDir
// (its type check is left out: it changes nothing in the bundle).
if (process.env[CHILD_FLAG] === "1" && process.argv[2] && process.argv[3]) {
  const [webRoot, outDir] = [process.argv[2], process.argv[3]];
  const { build } = await import("vite");
  const { default: react } = await import("@vitejs/plugin-react");
  await build({
    root: webRoot,
    configFile: false,
    mode: "production",
    logLevel: "warn",
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      assetsDir: "assets",
      modulePreload: { polyfill: false },
      sourcemap: false,
      assetsInlineLimit: 0,
    },
  });
}
