import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { LRUCache } from "lru-cache";

// The SSRF guard of outbound webhooks (SECURITY.md): a URL a workspace member typed must never make
// Parley talk to itself, its network or a cloud metadata service. The host is resolved once, every
// address it resolves to must be global unicast, and the connection is then pinned to the checked
// address (a custom `lookup`), so a DNS answer that changes between check and connect (rebinding)
// is never asked for. Redirects are not followed (node:http never follows them), and the request
// has a hard timeout. The check runs when an endpoint is registered or its URL changes, and again
// before every attempt.
//
// Connections are kept alive between attempts, in pools keyed by the checked address (with the
// scheme, port and host name): a pooled connection was made to that address, so reusing it for an
// attempt pinned to the same address keeps the pin, and an address that changes gets a new pool.

/**
 * Not global unicast: refused (RFC 6890 special-purpose registries; see SECURITY.md). Two lists,
 * because a BlockList compares IPv4 addresses with IPv6 rules through their mapped form, so one
 * list's ::ffff:0:0/96 would refuse every IPv4 address.
 */
const forbiddenV4 = new BlockList();
const forbiddenV6 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  forbiddenV4.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::ffff:0:0", 96], // IPv4-mapped: refused whole, whatever IPv4 address it wraps
  ["::", 96], // IPv4-compatible (deprecated)
  ["64:ff9b::", 96], // NAT64
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments, Teredo (2001::/32)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4
  ["fc00::", 7], // unique local (incl. AWS IMDSv6 fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  forbiddenV6.addSubnet(network, prefix, "ipv6");
}

/** Whether an address is refused as a webhook destination (anything that is not an IP address is). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return forbiddenV4.check(address, "ipv4");
  if (family === 6) return forbiddenV6.check(address, "ipv6");
  return true;
}

export type EgressPolicy = {
  /** Tests deliver to 127.0.0.1 (PARLEY_WEBHOOKS_ALLOW_PRIVATE, refused in production by config). */
  allowPrivate: boolean;
  /** PARLEY_ENV=production: only https:// URLs. */
  requireHttps: boolean;
};

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A destination checked and pinned: connect to `address`, present `url.hostname` (Host, SNI). */
export type PinnedTarget = { url: URL; address: string; family: 4 | 6 };

/** Why a URL is refused; the reason is safe to show to the member who typed the URL. */
export class EgressRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "EgressRefusedError";
  }
}

const RESOLVE_TIMEOUT_MS = 5_000;

/** Parses, resolves once and checks a webhook URL; throws EgressRefusedError. */
export async function resolveTarget(rawUrl: string, policy: EgressPolicy, resolve: Resolver = systemResolver): Promise<PinnedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new EgressRefusedError("The URL is not valid.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new EgressRefusedError("Only http and https URLs are accepted.");
  if (policy.requireHttps && url.protocol !== "https:") throw new EgressRefusedError("Webhook URLs must use https.");
  if (url.username !== "" || url.password !== "")
    throw new EgressRefusedError("Credentials in the URL are not accepted; authenticate the signature instead.");
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    let timer: NodeJS.Timeout | undefined;
    try {
      addresses = await Promise.race([
        resolve(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timeout")), RESOLVE_TIMEOUT_MS);
        }),
      ]);
    } catch {
      throw new EgressRefusedError("The host name does not resolve.");
    } finally {
      clearTimeout(timer);
    }
  }
  if (addresses.length === 0) throw new EgressRefusedError("The host name does not resolve.");
  // Every answer must be allowed: an attacker controlling the zone could otherwise mix one public
  // and one private address and win whichever the connection would have picked.
  if (!policy.allowPrivate && addresses.some((entry) => isForbiddenAddress(entry.address))) {
    throw new EgressRefusedError("The URL points to a private, loopback, link-local or otherwise reserved address.");
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** `retryAfter` is the receiver's Retry-After header as sent (seconds or an HTTP date), when it sent one. */
export type EgressResponse = { status: number; excerpt: string; latencyMs: number; retryAfter: string | null };

export const RESPONSE_EXCERPT_BYTES = 1024;

/**
 * POSTs `body` to a pinned target: the socket connects to the checked address only, redirects are
 * answered as they are (a 3xx is a failure to the caller), at most 1 KB of the answer is read, and
 * the whole exchange is cut after `timeoutMs`. Rejects on network errors and timeouts.
 */
export function postPinned(
  target: PinnedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<EgressResponse> {
  return postOnce(target, headers, body, timeoutMs).catch((error: unknown) => {
    // A kept-alive connection the receiver closed just as it was reused: the request never reached
    // it, so it is sent again once, on a new connection.
    if (error instanceof StaleConnectionError) return postOnce(target, headers, body, timeoutMs, false);
    throw error;
  });
}

/** Idle pooled connections close after this long (receivers commonly close theirs after 5 s). */
const IDLE_CONNECTION_MS = 4_000;
/** Connections per pool: above the per-endpoint concurrency of the delivery worker. */
const MAX_CONNECTIONS_PER_POOL = 16;

const pools = new LRUCache<string, http.Agent>({ max: 512, dispose: (agent) => agent.destroy() });

function poolFor(target: PinnedTarget): http.Agent {
  const key = `${target.url.protocol}|${target.address}|${target.url.port}|${target.url.hostname}`;
  let agent = pools.get(key);
  if (!agent) {
    const options = {
      keepAlive: true,
      maxSockets: MAX_CONNECTIONS_PER_POOL,
      maxFreeSockets: MAX_CONNECTIONS_PER_POOL,
      timeout: IDLE_CONNECTION_MS,
    };
    agent = target.url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    pools.set(key, agent);
  }
  return agent;
}

class StaleConnectionError extends Error {
  constructor() {
    super("a kept-alive connection was closed by the receiver");
    this.name = "StaleConnectionError";
  }
}

function postOnce(
  target: PinnedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  pooled = true,
): Promise<EgressResponse> {
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const transport = target.url.protocol === "https:" ? https : http;
    const request = transport.request(
      target.url,
      {
        method: "POST",
        lookup: pinnedLookup,
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Parley-Webhooks/1",
          ...headers,
        },
        signal: AbortSignal.timeout(timeoutMs),
        agent: pooled ? poolFor(target) : false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        const finish = () => {
          resolvePromise({
            status: response.statusCode ?? 0,
            excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString("utf8"),
            latencyMs: Math.round(performance.now() - started),
            retryAfter: typeof response.headers["retry-after"] === "string" ? response.headers["retry-after"].slice(0, 64) : null,
          });
        };
        response.on("data", (chunk: Buffer) => {
          if (length < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
          length += chunk.length;
          // Enough read: the rest of a large answer is not ours to wait for.
          if (length >= RESPONSE_EXCERPT_BYTES) {
            finish();
            response.destroy();
          }
        });
        response.on("end", finish);
        response.on("error", reject);
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE");
      reject(stale ? new StaleConnectionError() : error);
    });
    request.end(body);
  });
}
