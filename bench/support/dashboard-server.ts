import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { join } from "node:path";

// The real `parley start --role web` process serving an existing database (seeded beforehand) and
// the dashboard of a snapshot of the checkout (bench/support/dashboard-bundle.ts): run from the
// snapshot's directory, it serves the snapshot's own web/dist. It logs at its default level to a
// file, as bench/support/parley-server.ts's process does.

export type DashboardServer = { pid: number; origin: string; logFile: string; errorLines(): Promise<number>; stop(): Promise<void> };

export type DashboardServerOptions = {
  /** The snapshot's root: a directory laid out like the checkout. */
  root: string;
  /** The database's owner URL (migrations already applied). */
  databaseUrl: string;
  redisUrl: string;
  masterKey: string;
  /** Where the process keeps its data directory and log. */
  workDir: string;
};

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
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`parley start did not answer ${url} within ${timeoutMs} ms`);
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const port = await freePort();
  const logFile = join(options.workDir, "parley.log");
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, ["bin/parley.mjs", "start", "--role", "web"], {
    cwd: options.root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      PARLEY_MASTER_KEY: options.masterKey,
      PARLEY_HOST: "127.0.0.1",
      PARLEY_PORT: String(port),
      PARLEY_DATA_DIR: join(options.workDir, "data"),
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  try {
    await waitUntilServing(`http://127.0.0.1:${port}/healthz`, child, 60_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    pid: child.pid!,
    origin: `http://127.0.0.1:${port}`,
    logFile,
    // pino's levels: 50 error, 60 fatal.
    errorLines: async () => (await readFile(logFile, "utf8")).split("\n").filter((line) => /"level":(50|60)\b/.test(line)).length,
    stop,
  };
}
