import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConfig } from "../../src/config.ts";
import { childProcessEnv, createTestDatabaseConfig, dropTestDatabaseConfig, testEngine, testRedisUrl } from "../support/engine.ts";

// What the container image holds, and nothing more: the build (dist/: server, migrations, dashboard),
// bin/, package.json and package-lock.json, with `npm ci --omit=dev`. Parley must start from it and
// serve without tsx, TypeScript or any other devDependency. On PGlite it runs embedded as a new user
// would; in the PostgreSQL pass it runs as the compose file runs it: PARLEY_ENV=production, the
// owner and runtime roles apart, Redis, the key in the environment, behind a declared proxy.
//
// The server is compiled with --no-typecheck here: types are checked by `npm run typecheck`, and this
// test is about what the build contains. The dashboard bundle is the one test/support/global-setup.ts
// has just rebuilt from the sources.

const execFileAsync = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

type PackageJson = { dependencies: Record<string, string>; devDependencies: Record<string, string> };

let workDir: string;
let appDir: string;
let packageJson: PackageJson;
let database: DatabaseConfig | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "parley-image-"));
  appDir = join(workDir, "app");
  await mkdir(appDir);
  await execFileAsync(process.execPath, [join(ROOT, "scripts/build-server.mjs"), "--out", join(appDir, "dist"), "--no-typecheck"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const entry of ["bin", "package.json", "package-lock.json"]) await cp(join(ROOT, entry), join(appDir, entry), { recursive: true });
  await execFileAsync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: appDir,
    env: childProcessEnv,
    maxBuffer: 16 * 1024 * 1024,
  });
  packageJson = JSON.parse(await readFile(join(appDir, "package.json"), "utf8")) as PackageJson;
}, 240_000);

afterAll(async () => {
  if (database) await dropTestDatabaseConfig(database);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function environment(dataDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { ...childProcessEnv, NODE_ENV: "production", PARLEY_DATA_DIR: dataDir, PARLEY_PORT: "0", PARLEY_LOG_LEVEL: "warn" };
  if (testEngine === "pglite") return env;
  database = await createTestDatabaseConfig();
  if (database.engine !== "postgres") throw new Error("expected a PostgreSQL test database");
  return {
    ...env,
    PARLEY_ENV: "production",
    DATABASE_URL: database.ownerUrl,
    DATABASE_APP_URL: database.appUrl,
    REDIS_URL: testRedisUrl,
    // The suite's PostgreSQL and Redis listen in plaintext on this host's loopback.
    PARLEY_DB_ALLOW_PLAINTEXT_LOOPBACK: "true",
    PARLEY_REDIS_ALLOW_PLAINTEXT_LOOPBACK: "true",
    PARLEY_MASTER_KEY: randomBytes(32).toString("base64"),
    PARLEY_TRUST_PROXY: "127.0.0.1",
    PARLEY_PUBLIC_URL: "https://parley.example.test",
  };
}

async function startBuilt(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; address: string; output: () => string }> {
  const child = spawn(process.execPath, ["bin/parley.mjs", "start"], { cwd: appDir, env });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 45_000;
  while (!/Listening on (\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`parley exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`parley did not start in time:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, address: /Listening on (\S+)/.exec(output)![1]!, output: () => output };
}

describe("the production build", () => {
  it("holds no TypeScript sources and installs no devDependency", async () => {
    expect(existsSync(join(appDir, "src"))).toBe(false);
    expect(existsSync(join(appDir, "dist/src/cli/main.js"))).toBe(true);
    expect(existsSync(join(appDir, "dist/src/db/migrations/0001_foundation.sql"))).toBe(true);
    expect(existsSync(join(appDir, "dist/src/identity/data/common-passwords.txt"))).toBe(true);
    for (const tool of ["tsx", "typescript", "vitest", "vite", "eslint"]) {
      expect(packageJson.devDependencies, `${tool} is a devDependency`).toHaveProperty(tool);
      expect(packageJson.dependencies).not.toHaveProperty(tool);
    }
    // A devDependency that a runtime dependency needs too (the lock file does not mark it dev-only,
    // e.g. ajv under fastify) is rightly installed; one only the tools need must not be.
    const lock = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.keys(packageJson.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev === true);
    expect(devOnly).toEqual(expect.arrayContaining(["tsx", "typescript", "vitest", "vite", "eslint"]));
    const installed = devOnly.filter((name) => existsSync(join(appDir, "node_modules", name)));
    expect(installed).toEqual([]);
    // Runtime dependencies are there.
    for (const name of Object.keys(packageJson.dependencies)) expect(existsSync(join(appDir, "node_modules", name)), name).toBe(true);
  });

  it("starts with `node bin/parley.mjs start`, answers its health routes and serves the dashboard", async () => {
    const dataDir = join(workDir, "data");
    const running = await startBuilt(await environment(dataDir));
    try {
      const health = await fetch(`${running.address}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      const ready = await fetch(`${running.address}/readyz`);
      expect(ready.status, running.output()).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "ok" } });

      const page = await fetch(`${running.address}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await page.text();
      const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      const bundle = await fetch(`${running.address}${script}`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toMatch(/^text\/javascript/);
      // A client route gets the app too (the dashboard's router owns it).
      expect((await fetch(`${running.address}/settings`)).headers.get("content-type")).toMatch(/^text\/html/);
    } finally {
      const exited = new Promise<number | null>((resolve) => running.child.once("exit", (code) => resolve(code)));
      running.child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  }, 90_000);
});
