import { fork } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

// The baseline: a bare node:http server that reads the whole body, as a receiver must, and answers
// what Parley answers — nothing verified, nothing stored. In a process of its own, as Parley is, so
// its CPU time can be read from /proc and neither shares an event loop with the benchmark.

const CHILD_FLAG = "PARLEY_BARE_SERVER_CHILD";

export type BareServer = { pid: number; port: number; url: string; stop(): Promise<void> };

export function startBareServer(): Promise<BareServer> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, [CHILD_FLAG]: "1" },
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
    child.once("message", (message: { port: number }) => {
      resolve({
        pid: child.pid!,
        port: message.port,
        url: `http://127.0.0.1:${message.port}/webhooks/whatsapp/bare`,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill();
          }),
      });
    });
  });
}

if (process.send && process.env[CHILD_FLAG] === "1") {
  const body = '{"received":true}';
  const server = http.createServer((request, response) => {
    request.on("data", () => undefined);
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 75_000;
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as AddressInfo).port }));
}
