import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { loadConfig } from "../../src/config.ts";
import { createEnvKeyProvider } from "../../src/crypto/key-provider.ts";
import { createKeyring } from "../../src/crypto/keyring.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { insertNumber } from "../../src/features/numbers/repository.ts";
import { percentile } from "../harness.ts";
import { openBenchDatabase } from "./bench-database.ts";
import type { BodyTarget } from "./webhook-bodies.ts";
import { relaxedLimitsEnv } from "../../test/support/engine.ts";

// The real `parley start --role web` process, as an operator runs it, on a fresh PostgreSQL
// database: a workspace with one connected number whose app secret and webhook key the benchmark
// knows (seeded directly, as the number's connect flow would store them: encrypted under the
// workspace key, which is wrapped by the master key given to the process). The process logs as
// configured by default (info, one line per request) to a file, as a service's log collector would
// take it; the worker role does not run, so deliveries are stored and left for it.

export const BENCH_NUMBER = { phoneNumberId: "106540352242922", wabaId: "102290129340398", displayPhoneNumber: "15550783881" } as const;

export type ParleyServer = {
  pid: number;
  url: string;
  target: BodyTarget;
  /** The database's name, to find its backends among PostgreSQL's processes. */
  databaseName: string;
  logFile: string;
  storedEvents(): Promise<number>;
  /**
   * PostgreSQL's own commit latency, without Parley: one-row transactions in a row for `durationMs`
   * (a table of the benchmark's database). A durable 200 cannot come before its commit, so this is
   * the floor under the receiver's latency, stalls of the disk's flush included.
   */
  commitLatency(durationMs: number): Promise<{ commits: number; p50: number; p99: number; max: number }>;
  /** Stops the process (SIGTERM, as a supervisor would) and drops its database; returns the CPU profile (JSON text) when one was asked for. */
  stop(): Promise<string | undefined>;
};

/** `env`: further settings for the process (e.g. PARLEY_LOG_LEVEL, to see what the request log costs). */
export type ParleyServerOptions = { serverUrl: string; redisUrl: string; cpuProfile?: boolean; env?: Record<string, string> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`parley start exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`parley start did not answer ${url} within ${timeoutMs} ms`);
}

export async function startParleyServer(options: ParleyServerOptions): Promise<ParleyServer> {
  const bench = await openBenchDatabase("postgres", options.serverUrl, 2);
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-run-"));
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    await bench.drop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const masterKey = randomBytes(32).toString("base64");
    const config = loadConfig({ PARLEY_MASTER_KEY: masterKey });
    const keyring = createKeyring({ provider: createEnvKeyProvider(masterKey) });
    const workspaceId = randomUUID();
    const appSecret = randomBytes(24).toString("base64url");
    const webhookKey = randomBytes(32).toString("base64url");
    await withWorkspace(bench.db, { workspaceId }, async (trx) => {
      await trx.insertInto("workspaces").values({ id: workspaceId, name: "Bench", region: config.region }).execute();
      await keyring.createWorkspaceKey(trx, workspaceId);
      await insertNumber(trx, keyring, {
        workspaceId,
        id: randomUUID(),
        mode: "live",
        wabaId: BENCH_NUMBER.wabaId,
        phoneNumberId: BENCH_NUMBER.phoneNumberId,
        appId: null,
        displayPhoneNumber: BENCH_NUMBER.displayPhoneNumber,
        accessToken: randomBytes(24).toString("base64url"),
        accessTokenExpiresAt: null,
        appSecret,
        verifyToken: randomBytes(24).toString("base64url"),
        tier: 80,
        webhookKey,
      });
    });
    const port = await freePort();
    const logFile = join(dir, "parley.log");
    const log = openSync(logFile, "a");
    const profileDir = join(dir, "profile");
    const execArgv = options.cpuProfile ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
    child = spawn(process.execPath, [...execArgv, "bin/parley.mjs", "start", "--role", "web"], {
      cwd: join(import.meta.dirname, "..", ".."),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: bench.ownerUrl!,
        REDIS_URL: options.redisUrl,
        PARLEY_MASTER_KEY: masterKey,
        PARLEY_HOST: "127.0.0.1",
        PARLEY_PORT: String(port),
        PARLEY_DATA_DIR: join(dir, "data"),
        // A benchmark is one caller far beyond any real one: the per-caller limits would measure themselves.
        ...relaxedLimitsEnv,
        ...options.env,
      },
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const started = child;
    await waitUntilServing(`http://127.0.0.1:${port}/healthz`, started, 60_000);
    return {
      pid: started.pid!,
      url: `http://127.0.0.1:${port}/webhooks/whatsapp/${webhookKey}`,
      target: { appSecret, ...BENCH_NUMBER },
      databaseName: bench.name!,
      logFile,
      async commitLatency(durationMs) {
        await sql`create table if not exists bench_commit_probe (id bigint generated always as identity primary key, at timestamptz not null default now())`.execute(
          bench.db.owner,
        );
        const latencies: number[] = [];
        const end = performance.now() + durationMs;
        while (performance.now() < end) {
          const startedAt = performance.now();
          await sql`insert into bench_commit_probe default values`.execute(bench.db.owner);
          latencies.push(performance.now() - startedAt);
        }
        const at = (p: number) => percentile(latencies, p);
        return { commits: latencies.length, p50: at(50), p99: at(99), max: at(100) };
      },
      async storedEvents() {
        const row = await withWorkspace(bench.db, { workspaceId }, (trx) =>
          trx
            .selectFrom("inbound_events")
            .select((eb) => eb.fn.countAll<number>().as("count"))
            .where("workspace_id", "=", workspaceId)
            .executeTakeFirstOrThrow(),
        );
        return Number(row.count);
      },
      async stop() {
        if (started.exitCode === null) {
          const exited = new Promise((resolve) => started.once("exit", resolve));
          started.kill("SIGTERM");
          await exited;
        }
        let profile: string | undefined;
        if (options.cpuProfile) {
          // One file per thread (module loader hooks run on one of their own): the main thread's is the largest.
          const files = (await readdir(profileDir).catch(() => [])).filter((file) => file.endsWith(".cpuprofile"));
          const sizes = await Promise.all(files.map(async (file) => ({ file, size: (await stat(join(profileDir, file))).size })));
          const main = sizes.sort((a, b) => b.size - a.size)[0];
          if (main) profile = await readFile(join(profileDir, main.file), "utf8");
        }
        await cleanup();
        return profile;
      },
    };
  } catch (error) {
    child?.kill("SIGKILL");
    await cleanup();
    throw error;
  }
}
