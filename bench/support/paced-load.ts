import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseBodyLine } from "./webhook-bodies.ts";

// The paced load generator: requests at a constant rate, whatever the answers do (open loop), for
// latency at a given load. wrk has no fixed-rate mode, and a per-connection delay() would measure
// from when a request left, so a server stall would hide the requests it held back (coordinated
// omission). Here each request has a scheduled time, start + i / rate; it goes out on an idle
// keep-alive connection, or waits for one, and its latency counts from the scheduled time — the
// waiting and any lateness of this generator included, so its own lag can only make the figures
// worse, never better. It reports that lag (send time − scheduled time) and its CPU time, to show
// it kept up.
//
// Requests are raw HTTP/1.1 bytes prepared before the clock starts, written to plain sockets, and
// answers are parsed only as far as the status line and Content-Length: far less work per request
// than node:http's client, so one process keeps a constant rate of several thousand per second.
// Run in its own process (forked; driven over IPC), one command at a time.

const CHILD_FLAG = "PARLEY_PACED_LOAD_CHILD";

export type PacedCommand = {
  port: number;
  path: string;
  /** A body file from writeBodyFiles (one part). */
  bodiesFile: string;
  ratePerSecond: number;
  durationMs: number;
  connections: number;
};

export type PacedResult = {
  scheduled: number;
  ok: number;
  /** Requests answered with another status than 200, or not at all. */
  failed: number;
  /** Connections the server closed during the round (reopened at once). */
  reconnects: number;
  elapsedMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** How late requests left against their schedule (this generator's lag plus waiting for a free connection). */
  sendLagMs: { p50: number; p99: number; max: number };
  /** This process's CPU time during the round. */
  cpuMs: number;
};

/** A complete HTTP/1.1 answer at the start of `buffer` (status and total length), or undefined while it is incomplete. */
export function parseResponseHead(buffer: Buffer): { status: number; length: number } | undefined {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const head = buffer.toString("latin1", 0, headEnd);
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!statusLine) throw new Error(`not an HTTP response: ${head.slice(0, 80)}`);
  const declared = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (!declared && /\r\ntransfer-encoding:/i.test(head)) throw new Error("chunked answers are not expected here");
  // Without a length, an answer has no body: the servers measured declare one on every answer but
  // the HTTP server's own 408 to a connection that sent nothing within its request timeout.
  const length = headEnd + 4 + (declared ? Number(declared[1]) : 0);
  return buffer.length >= length ? { status: Number(statusLine[1]), length } : undefined;
}

/** Percentile of a sorted array, nearest rank. */
export function nearestRank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

type Connection = { socket: net.Socket; buffer: Buffer; inFlight: number; ready: boolean };

/** Keep-alive connections to one port, and what their answers and closes currently do (the round's handlers). */
type Pool = {
  connections: Connection[];
  onAnswer: (connection: Connection, index: number, status: number) => void;
  onClose: (pool: Pool, connection: Connection) => void;
};

/** Pools by port, kept from one round to the next (a steady sender keeps its connections). */
const pools = new Map<number, Pool>();

function dropFromPool(pool: Pool, connection: Connection): void {
  const at = pool.connections.indexOf(connection);
  if (at >= 0) pool.connections.splice(at, 1);
}

function requestBytes(command: PacedCommand): Buffer[] {
  const lines = readFileSync(command.bodiesFile, "utf8")
    .split("\n")
    .filter((line) => line.length > 0);
  return lines.map((line) => {
    const { signature, body } = parseBodyLine(line);
    return Buffer.from(
      `POST ${command.path} HTTP/1.1\r\nHost: 127.0.0.1:${command.port}\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ${signature}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

export async function runPaced(command: PacedCommand): Promise<PacedResult> {
  const requests = requestBytes(command);
  const total = Math.round((command.ratePerSecond * command.durationMs) / 1000);
  if (requests.length < total) throw new Error(`paced round needs ${total} bodies, the file has ${requests.length}`);
  const intervalMs = 1000 / command.ratePerSecond;
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  let done = 0;
  let ok = 0;
  let failed = 0;
  let next = 0;
  const waiting: number[] = [];
  let waitingHead = 0;
  let start = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  let reconnects = 0;
  const record = (index: number, status: number) => {
    latencies[index] = performance.now() - (start + index * intervalMs);
    if (status === 200) ok += 1;
    else failed += 1;
    done += 1;
    if (done === total) finish();
  };
  const send = (connection: Connection, index: number) => {
    connection.inFlight = index;
    lags[index] = performance.now() - (start + index * intervalMs);
    connection.socket.write(requests[index]!);
  };
  /** A usable connection takes the oldest waiting request, or goes idle. */
  const release = (connection: Connection) => {
    if (waitingHead < waiting.length) send(connection, waiting[waitingHead++]!);
    else idle.push(connection);
  };

  const connect = (pool: Pool, connection?: Connection): Promise<Connection> =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ port: command.port, host: "127.0.0.1", noDelay: true });
      const entry: Connection = connection ?? { socket, buffer: Buffer.alloc(0), inFlight: -1, ready: false };
      entry.socket = socket;
      entry.buffer = Buffer.alloc(0);
      socket.once("connect", () => {
        entry.ready = true;
        resolve(entry);
      });
      // The error is followed by "close", which handles it.
      socket.on("error", (error) => reject(error));
      socket.on("data", (chunk: Buffer) => {
        entry.buffer = entry.buffer.length === 0 ? chunk : Buffer.concat([entry.buffer, chunk]);
        for (;;) {
          const answer = parseResponseHead(entry.buffer);
          if (!answer) break;
          entry.buffer = entry.buffer.subarray(answer.length);
          // An answer to no request (the server's 408 to an idle connection, before it closes it).
          if (entry.inFlight < 0) continue;
          const index = entry.inFlight;
          entry.inFlight = -1;
          pool.onAnswer(entry, index, answer.status);
        }
      });
      socket.once("close", () => {
        if (entry.socket !== socket) return;
        entry.ready = false;
        pool.onClose(pool, entry);
      });
    });

  // Between rounds an answer or a close only updates the pool; each round puts its own handlers in.
  let pool = pools.get(command.port);
  if (!pool) {
    pool = { connections: [], onAnswer: () => undefined, onClose: dropFromPool };
    pools.set(command.port, pool);
  }
  while (pool.connections.length < command.connections) pool.connections.push(await connect(pool));
  const idle: Connection[] = pool.connections.slice(0, command.connections);

  pool.onAnswer = (connection, index, status) => {
    record(index, status);
    if (connection.ready) release(connection);
  };
  pool.onClose = (closedPool, connection) => {
    // A connection the server closed mid-round: its request failed; reconnect and carry on.
    reconnects += 1;
    if (connection.inFlight >= 0) {
      const index = connection.inFlight;
      connection.inFlight = -1;
      record(index, 0);
    }
    const at = idle.indexOf(connection);
    if (at >= 0) idle.splice(at, 1);
    connect(closedPool, connection).then(release, () => dropFromPool(closedPool, connection));
  };

  const cpuBefore = process.cpuUsage();
  start = performance.now();
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
      const connection = idle.pop();
      if (connection) send(connection, next);
      else waiting.push(next);
      next += 1;
    }
    if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
  };
  tick();
  // Answers still missing 30 s after the last request was due count as failures (the run says so).
  const deadline = setTimeout(finish, command.durationMs + 30_000);
  await finished;
  clearTimeout(deadline);
  const unanswered = total - done;
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  pool.onAnswer = () => undefined;
  pool.onClose = dropFromPool;
  if (unanswered > 0) {
    // Their connections are in an unknown state: start the next round on fresh ones.
    for (const connection of pool.connections.filter((entry) => entry.inFlight >= 0)) connection.socket.destroy();
    for (let index = 0; index < total; index += 1) if (latencies[index] === 0) latencies[index] = Number.POSITIVE_INFINITY;
  }

  latencies.sort();
  lags.sort();
  return {
    scheduled: total,
    ok,
    failed: failed + unanswered,
    reconnects,
    elapsedMs,
    requestsPerSecond: (ok / elapsedMs) * 1000,
    latencyMs: {
      p50: nearestRank(latencies, 50),
      p90: nearestRank(latencies, 90),
      p99: nearestRank(latencies, 99),
      p999: nearestRank(latencies, 99.9),
      max: latencies[total - 1] ?? 0,
    },
    sendLagMs: { p50: nearestRank(lags, 50), p99: nearestRank(lags, 99), max: lags[total - 1] ?? 0 },
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

export type PacedGenerator = {
  pid: number;
  run(command: PacedCommand): Promise<PacedResult>;
  close(): void;
};

type Reply = { ok: true; result: PacedResult } | { ok: false; error: string };

/** Starts the generator in its own process, once it listens for commands; one command runs at a time. */
export async function startPacedGenerator(): Promise<PacedGenerator> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, [CHILD_FLAG]: "1" },
    stdio: "inherit",
  });
  // A message sent before the child listens would be lost: it says when it does.
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`paced load generator exited with ${code}`)));
    child.once("message", () => resolve());
  });
  child.removeAllListeners("exit");
  return {
    pid: child.pid!,
    run(command) {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`paced load generator exited with ${code}`));
        // A round that cannot finish (answers that never come) fails the run instead of hanging it.
        const timer = setTimeout(() => {
          child.kill();
          reject(new Error("paced load round did not finish"));
        }, command.durationMs + 90_000);
        child.once("exit", onExit);
        child.once("message", (reply: Reply) => {
          clearTimeout(timer);
          child.off("exit", onExit);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(reply.error));
        });
        child.send(command);
      });
    },
    close() {
      child.kill();
    },
  };
}

// Forked by startPacedGenerator: answer each command with its result.
if (process.send && process.env[CHILD_FLAG] === "1") {
  process.on("message", (command: PacedCommand) => {
    runPaced(command).then(
      (result) => process.send!({ ok: true, result }),
      (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.send({ ready: true });
}
