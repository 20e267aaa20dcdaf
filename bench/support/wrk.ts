import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { parseStatTicks, TICKS_PER_SECOND } from "./proc-cpu.ts";

// wrk (https://github.com/wg/wrk, the Debian package) as the maximum-rate load generator: C, one
// event loop per thread, far cheaper per request than any Node client, so on this machine it is not
// what limits the rate. The Lua script below has each thread read a body file of its own
// (webhook-bodies.ts) before its clock starts, so the requests of one run are all distinct; the
// request() hook hands them out in turn. done() prints wrk's summary and wrk's own CPU time as
// JSON lines that runWrk() parses.

export const WRK_PATH = process.env.PARLEY_BENCH_WRK ?? "/usr/bin/wrk";

export const WRK_SCRIPT = `-- Written by bench/support/wrk.ts.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local bodies
local position = 1
wrapped = 0

-- Reading the file whole is quick; the requests are cut from it as they go, so a thread's start is
-- not held up by building them (wrk starts each thread as soon as its init() returned).
function init(args)
  local file = assert(io.open(os.getenv("PARLEY_WRK_BODIES") .. "." .. index, "r"))
  bodies = file:read("*a")
  file:close()
  assert(#bodies > 0, "no bodies for this thread")
end

function request()
  local eol = bodies:find("\\n", position, true)
  if eol == nil then
    position = 1
    wrapped = wrapped + 1
    eol = bodies:find("\\n", position, true)
  end
  local space = bodies:find(" ", position, true)
  local signature = bodies:sub(position, space - 1)
  local body = bodies:sub(space + 1, eol - 1)
  position = eol + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signature }, body)
end

function done(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do wraps = wraps + (thread:get("wrapped") or 0) end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeoutErrors":%d,"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d},"wraps":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, wraps))
  local stat = io.open("/proc/self/stat", "r")
  io.write("WRK_STAT " .. stat:read("*l") .. "\\n")
  stat:close()
end
`;

export type WrkResult = {
  requests: number;
  /** Requests answered 2xx/3xx (wrk counts any other status as an error). */
  ok: number;
  errors: number;
  durationMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Times a thread ran out of distinct bodies and started over (0: every request was distinct). */
  wraps: number;
  /** wrk's own CPU time over the run (all its threads). */
  wrkCpuMs: number;
};

export function parseWrkOutput(stdout: string): WrkResult {
  const json = /^WRK_JSON (.*)$/m.exec(stdout);
  const stat = /^WRK_STAT (.*)$/m.exec(stdout);
  if (!json || !stat) throw new Error(`wrk printed no summary:\n${stdout.slice(-2000)}`);
  const raw = JSON.parse(json[1]!) as {
    requests: number;
    durationUs: number;
    connectErrors: number;
    readErrors: number;
    writeErrors: number;
    statusErrors: number;
    timeoutErrors: number;
    latencyUs: { p50: number; p90: number; p99: number; max: number };
    wraps: number;
  };
  const errors = raw.connectErrors + raw.readErrors + raw.writeErrors + raw.statusErrors + raw.timeoutErrors;
  const ok = raw.requests - raw.statusErrors;
  const durationMs = raw.durationUs / 1000;
  const ms = (us: number) => us / 1000;
  return {
    requests: raw.requests,
    ok,
    errors,
    durationMs,
    requestsPerSecond: (ok / durationMs) * 1000,
    latencyMs: { p50: ms(raw.latencyUs.p50), p90: ms(raw.latencyUs.p90), p99: ms(raw.latencyUs.p99), max: ms(raw.latencyUs.max) },
    wraps: raw.wraps,
    wrkCpuMs: (parseStatTicks(stat[1]!) * 1000) / TICKS_PER_SECOND,
  };
}

/** `bodiesFile`: the path given to writeBodyFiles, with as many parts as `threads`. */
export type WrkRun = { url: string; bodiesFile: string; scriptFile: string; connections: number; threads: number; durationS: number };

export function assertWrkInstalled(): void {
  if (!existsSync(WRK_PATH))
    throw new Error(`the webhook-ingest benchmark needs wrk at ${WRK_PATH} (Debian/Ubuntu: apt-get install wrk; or set PARLEY_BENCH_WRK)`);
}

export async function writeWrkScript(path: string): Promise<void> {
  await writeFile(path, WRK_SCRIPT);
}

export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = [
    "-t",
    String(run.threads),
    "-c",
    String(run.connections),
    "-d",
    `${run.durationS}s`,
    "--timeout",
    "10s",
    "-s",
    run.scriptFile,
    run.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(WRK_PATH, args, {
      env: { PATH: process.env.PATH ?? "", PARLEY_WRK_BODIES: run.bodiesFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}: ${stderr}${stdout}`.slice(0, 4000)));
      else {
        try {
          resolve(parseWrkOutput(stdout));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
  });
}
