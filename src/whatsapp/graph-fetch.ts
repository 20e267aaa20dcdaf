import http from "node:http";
import https from "node:https";
import type { FetchLike } from "./graph-client.ts";

// The Graph API transport: `fetch`'s contract over node:http(s) with keep-alive connections. At
// Meta's 1,000 messages a second a send's own cost is mostly its HTTP request, and undici's fetch
// (WHATWG streams, a header and a body write per request) spent about twice what node:http does
// for the same small JSON POST (bench/send.bench.ts). Only JSON-sized POSTs go this way: a POST
// with a string body, its answer capped at 5 MB. Everything else — media downloads, which stream
// against their own limit, multipart uploads, GETs — is handed to the global fetch.
//
// It keeps fetch's behaviour where the client relies on it: redirects are refused (`redirect:
// "error"`), the abort signal (the client's timeout) cancels the request, and a connection that
// could not be made fails with the system error's code (ECONNREFUSED …), which the send worker
// reads to know a request never left. Nothing is ever retried here: a request whose answer is
// lost fails, and the caller reconciles.

export type GraphFetchOptions = {
  /** Concurrent connections per origin; default 256. */
  maxSockets?: number;
  /**
   * How long an idle connection is kept when the server announces no keep-alive timeout of its
   * own (Node honours `Keep-Alive: timeout=…` by itself); default 4 s, below common server
   * defaults (Node's 5 s), so a connection is not reused just as the server closes it.
   */
  idleTimeoutMs?: number;
};

const MAX_ANSWER_BYTES = 5 * 1024 * 1024;
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

export function createGraphFetch(options: GraphFetchOptions = {}): FetchLike & { close(): void } {
  // `timeout` expires idle pooled sockets; on a request in flight it only emits an event nobody
  // acts on here (the caller's deadline, through the signal, is what ends a request).
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    timeout: options.idleTimeoutMs ?? 4_000,
    scheduling: "lifo" as const,
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const graphFetch = (input: string, init: RequestInit): Promise<Response> => {
    const body = init.body;
    if (init.method !== "POST" || typeof body !== "string") return fetch(input, init);
    const url = new URL(input);
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") return Promise.reject(new TypeError("only http and https URLs are fetched"));
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    headers["content-length"] = String(Buffer.byteLength(body));

    return new Promise<Response>((resolve, reject) => {
      const request = (secure ? https : http).request(
        {
          agent: secure ? httpsAgent : httpAgent,
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: "POST",
          headers,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400 && init.redirect !== "follow") {
            // fetch with redirect: "error" fails on any redirect; so does this (without following it).
            response.resume();
            fail(new TypeError("redirect refused"));
            return;
          }
          const chunks: Buffer[] = [];
          let received = 0;
          response.on("data", (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_ANSWER_BYTES) fail(new RangeError(`answer exceeds ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(chunk);
          });
          response.once("error", fail);
          response.once("end", () => {
            signal?.removeEventListener("abort", onAbort);
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
              else if (value !== undefined) responseHeaders.set(name, value);
            }
            const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            try {
              resolve(
                new Response(NULL_BODY_STATUSES.has(status) ? null : bytes, {
                  status,
                  statusText: response.statusMessage ?? "",
                  headers: responseHeaders,
                }),
              );
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      function fail(error: unknown): void {
        signal?.removeEventListener("abort", onAbort);
        request.destroy();
        reject(error);
      }
      function onAbort(): void {
        fail(signal!.reason);
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      request.once("error", fail);
      request.end(body);
    });
  };

  return Object.assign(graphFetch, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}
