import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import { childProcessEnv } from "../support/engine.ts";

// A real `parley start` in a child process that a chaos test can SIGKILL: its stdout is parsed
// line by line (pino JSON) so the test can count what the worker did without opening the database
// (PGlite's data directory belongs to the child while it runs).

export type ParleyChild = {
  child: ChildProcessWithoutNullStreams;
  address: string;
  port: number;
  /** Structured log records written so far. */
  records(): Array<Record<string, unknown>>;
  /** SIGKILL: no handler runs, nothing is flushed, sockets are reset by the kernel. */
  kill(): Promise<void>;
  /** SIGTERM: Parley's graceful stop (worker drains, database closes). Resolves with the exit code. */
  stop(): Promise<number | null>;
  output(): string;
};

export async function startParleyChild(env: Record<string, string>, timeoutMs = 45_000): Promise<ParleyChild> {
  const child = spawn(process.execPath, ["bin/parley.mjs", "start"], { env: { ...childProcessEnv, ...env }, cwd: process.cwd() });
  let banner = "";
  let err = "";
  let partial = "";
  const records: Array<Record<string, unknown>> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("{")) {
        try {
          records.push(JSON.parse(line) as Record<string, unknown>);
          continue;
        } catch {
          // not a log record: part of the banner
        }
      }
      banner += `${line}\n`;
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!/Listening on (\S+)/.test(banner)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`parley exited with ${child.exitCode}:\n${err}\n${banner}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`parley did not start in time:\n${err}\n${banner}`);
    }
    await delay(50);
  }
  const address = /Listening on (\S+)/.exec(banner)![1]!;
  return {
    child,
    address,
    port: Number(new URL(address).port),
    records: () => records,
    output: () => `${banner}\n${err}`,
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
