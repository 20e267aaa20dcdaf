import { fork } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The dashboard benchmark's baseline: a bare node:http server in a process of its own (as Parley
// is) that answers a finished HTML page at `/` and its style sheets at `/assets/…`, read from a
// directory once at start, with the cache headers Parley gives the same kinds of file (the page
// revalidated, hashed assets immutable). No script, no API, no database: what a browser needs to
// paint a page of the inbox's size when nothing has to be computed.

const CHILD_FLAG = "PARLEY_STATIC_PAGE_SERVER_CHILD";

export type StaticPageServer = { pid: number; origin: string; stop(): Promise<void> };

/** Serves `dir`/index.html at `/` and the files listed in `assets` (names under `dir`/assets) at `/assets/<name>`. */
export function startStaticPageServer(dir: string, assets: string[]): Promise<StaticPageServer> {
  const child = fork(fileURLToPath(import.meta.url), [dir, ...assets], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, [CHILD_FLAG]: "1" },
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`static page server exited with ${code}`)));
    child.once("message", (message: { port: number }) => {
      resolve({
        pid: child.pid!,
        origin: `http://127.0.0.1:${message.port}`,
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
  const [dir, ...names] = process.argv.slice(2);
  const page = await readFile(join(dir!, "index.html"));
  const assets = new Map<string, Buffer>();
  for (const name of names) assets.set(`/assets/${name}`, await readFile(join(dir!, "assets", name)));
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!;
    const asset = assets.get(path);
    if (path === "/") {
      response.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": String(page.length),
        "cache-control": "no-cache",
      });
      response.end(page);
    } else if (asset) {
      response.writeHead(200, {
        "content-type": "text/css; charset=utf-8",
        "content-length": String(asset.length),
        "cache-control": "public, max-age=31536000, immutable",
      });
      response.end(asset);
    } else {
      response.writeHead(404, { "content-length": "0" });
      response.end();
    }
  });
  server.keepAliveTimeout = 75_000;
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as AddressInfo).port }));
}
