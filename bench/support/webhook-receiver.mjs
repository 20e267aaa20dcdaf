// A webhook receiver in a process of its own, for bench/outbound-webhooks.bench.ts: so that the
// receiving side has its own event loop (a core of its own, on a two-core machine) and the
// benchmark measures the sender. Answers 204 at once, or 200 after SLOW_MS on /slow; counts the
// requests per path and answers the counts to the parent's "counts" message.
import { createServer } from "node:http";

const SLOW_MS = Number(process.env.SLOW_MS ?? 5000);
const counts = {};
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const path = request.url ?? "/";
    if (path === "/slow") {
      setTimeout(() => {
        counts[path] = (counts[path] ?? 0) + 1;
        response.writeHead(200).end();
      }, SLOW_MS);
      return;
    }
    counts[path] = (counts[path] ?? 0) + 1;
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 10_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("message", (message) => {
  if (message === "counts") process.send?.({ counts });
  if (message === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
