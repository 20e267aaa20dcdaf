import { chmod, unlink } from "node:fs/promises";
import { createConnection, createServer, type Socket } from "node:net";
import type { Logger } from "../log/logger.ts";
import { commandRequestSchema, type CommandRequest } from "./commands.ts";
import type { OutputStream } from "./progress.ts";

// The embedded engine (PGlite) lets one process open a data directory. While `parley start` holds
// it, maintenance commands (`parley doctor`, `audit verify`, `keys rotate`, ...) run inside that
// process on its own connection: it listens on a Unix socket next to the data directory's lock
// file, readable and writable by its owner only (the same user who can read the key file and the
// database files; nobody gains anything by reaching it). One request per connection: a JSON line
// naming the command; answers are JSON lines of output, then the exit code.

/** A request is a command name and a few flags: anything longer is not one. */
const MAX_REQUEST_BYTES = 4096;

type Frame = { out: string } | { exit: number } | { error: string };

export type ControlHandler = (request: CommandRequest, out: OutputStream) => Promise<number>;

export type ControlSocket = { close(): Promise<void> };

/** Listens on `path` (a stale socket left by a crashed owner is replaced: the caller holds the lock). */
export async function openControlSocket(path: string, handle: ControlHandler, logger: Logger): Promise<ControlSocket> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    serve(socket, handle, logger);
  });
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  // The socket file is created owner-only: no moment exists in which others could connect.
  const previousMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } finally {
    process.umask(previousMask);
  }
  await chmod(path, 0o600);
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await unlink(path).catch(() => {});
    },
  };
}

function send(socket: Socket, frame: Frame): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
}

function serve(socket: Socket, handle: ControlHandler, logger: Logger): void {
  let buffered = "";
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const end = buffered.indexOf("\n");
    if (end === -1) {
      if (buffered.length > MAX_REQUEST_BYTES) {
        send(socket, { error: "the request is too long" });
        socket.end();
        socket.off("data", onData);
      }
      return;
    }
    socket.off("data", onData);
    void answer(socket, buffered.slice(0, end), handle, logger);
  };
  socket.on("data", onData);
}

async function answer(socket: Socket, line: string, handle: ControlHandler, logger: Logger): Promise<void> {
  let request: CommandRequest;
  try {
    request = commandRequestSchema.parse(JSON.parse(line));
  } catch {
    send(socket, { error: "not a maintenance command this version of Parley knows" });
    socket.end();
    return;
  }
  const out: OutputStream = { write: (chunk: string) => send(socket, { out: String(chunk) }), isTTY: false };
  try {
    const code = await handle(request, out);
    logger.info({ component: "control", command: request.command, exitCode: code }, "maintenance command run");
    send(socket, { exit: code });
  } catch (error) {
    logger.warn({ component: "control", command: request.command, err: error }, "maintenance command failed");
    send(socket, { error: error instanceof Error ? error.message : String(error) });
  }
  socket.end();
}

/** Nobody listens: no socket file (the owner is still starting, or predates this) or a stale one. */
export class NoControlSocketError extends Error {
  constructor(readonly reason: "missing" | "refused") {
    super(reason === "missing" ? "no control socket" : "the control socket refuses connections");
    this.name = "NoControlSocketError";
  }
}

/** Sends one command to the process listening on `path`; output goes to `out`; returns its exit code. */
export function runThroughControlSocket(path: string, request: CommandRequest, out: OutputStream): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    let settled = false;
    let buffered = "";
    const settle = (result: { code: number } | { error: Error }) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if ("code" in result) resolve(result.code);
      else reject(result.error);
    };
    socket.once("connect", () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let end = buffered.indexOf("\n");
      while (end !== -1) {
        let frame: Frame;
        try {
          frame = JSON.parse(buffered.slice(0, end)) as Frame;
        } catch {
          return settle({ error: new Error("the running instance answered something that is not a command result") });
        }
        buffered = buffered.slice(end + 1);
        if ("out" in frame) out.write(frame.out);
        else if ("exit" in frame) return settle({ code: frame.exit });
        else return settle({ error: new Error(frame.error) });
        end = buffered.indexOf("\n");
      }
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === "ENOENT" || error.code === "ECONNREFUSED")) {
        settle({ error: new NoControlSocketError(error.code === "ENOENT" ? "missing" : "refused") });
      } else settle({ error });
    });
    socket.once("close", () => settle({ error: new Error("the running instance closed the connection before the command finished") }));
  });
}

/** Waits up to `waitMs` for a socket that does not exist yet (its owner may still be starting). */
export async function runThroughControlSocketWhenReady(
  path: string,
  request: CommandRequest,
  out: OutputStream,
  waitMs: number,
): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await runThroughControlSocket(path, request, out);
    } catch (error) {
      if (!(error instanceof NoControlSocketError) || error.reason !== "missing" || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
