import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { relaxedLimitsEnv } from "../../test/support/engine.ts";

// The real `parley start --role worker` process on a benchmark's database, as an operator runs a
// worker: every job of the registry (broadcast runner, send worker, …), the Redis coordination and
// throughput governor, Graph requests over HTTP to `graphBaseUrl`. Its resident memory is read from
// /proc/<pid>/status (VmRSS) while it runs.

export type ParleyWorker = {
  pid: number;
  /** Resident set size now, in bytes (undefined once the process is gone or off Linux). */
  rss(): Promise<number | undefined>;
  /** Samples RSS every `everyMs` until stopped; answers the peak and the samples' count. */
  sampleRss(everyMs: number): { stop(): { peakBytes: number; samples: number; lastBytes: number } };
  /** Bytes the process has logged so far. */
  logBytes(): Promise<number>;
  stop(): Promise<void>;
};

export type ParleyWorkerOptions = {
  databaseUrl: string;
  redisUrl: string;
  masterKey: string;
  graphBaseUrl: string;
  env?: Record<string, string>;
};

export async function readRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

export async function startParleyWorker(options: ParleyWorkerOptions): Promise<ParleyWorker> {
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-worker-"));
  const logFile = join(dir, "parley.log");
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, ["bin/parley.mjs", "start", "--role", "worker"], {
    cwd: join(import.meta.dirname, "..", ".."),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      PARLEY_MASTER_KEY: options.masterKey,
      PARLEY_WHATSAPP_MODE: "live",
      PARLEY_GRAPH_BASE_URL: options.graphBaseUrl,
      PARLEY_DATA_DIR: join(dir, "data"),
      ...relaxedLimitsEnv,
      ...options.env,
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killed = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)]);
      if (!killed) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`parley start --role worker exited with ${child.exitCode}`);
      const text = await readFile(logFile, "utf8").catch(() => "");
      if (text.includes("parley started")) break;
      if (Date.now() > deadline) throw new Error("parley start --role worker did not start within 60 s");
      await delay(100);
    }
  } catch (error) {
    const tail = (await readFile(logFile, "utf8").catch(() => "")).slice(-2_000);
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}; its log ends: ${tail}`);
  }
  const pid = child.pid!;
  return {
    pid,
    rss: () => readRss(pid),
    logBytes: async () => (await readFile(logFile).catch(() => Buffer.alloc(0))).length,
    sampleRss(everyMs) {
      let peakBytes = 0;
      let lastBytes = 0;
      let samples = 0;
      const timer = setInterval(() => {
        void readRss(pid).then((bytes) => {
          if (bytes === undefined) return;
          samples += 1;
          lastBytes = bytes;
          peakBytes = Math.max(peakBytes, bytes);
        });
      }, everyMs);
      return {
        stop() {
          clearInterval(timer);
          return { peakBytes, samples, lastBytes };
        },
      };
    },
    stop,
  };
}
