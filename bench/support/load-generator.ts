import { createHmac } from "node:crypto";
import http from "node:http";
import { performance } from "node:perf_hooks";

// An HTTP load generator for webhook benchmarks, run in its own process (forked, driven over IPC)
// so it never shares an event loop with the server it measures. It pre-builds distinct signed
// webhook bodies (one inbound text message each, unique wamid) before the clock starts, and runs
// either closed-loop (fixed concurrency, as fast as answers come: the maximum rate) or open-loop
// (requests started on a fixed schedule whatever the answers do; latency is measured from the
// scheduled start, so a slow server cannot hide its queueing — no coordinated omission).
//
// Two things keep the generator's own pauses out of what it measures, for both servers alike:
//  - the bodies of a round are built, then moved out of the young generation by a full collection
//    (the process runs with --expose-gc), before the clock starts: otherwise each scavenge during
//    the round copies the tens of thousands of still-unsent bodies, a pause of 10–20 ms that
//    every request in flight counts as latency;
//  - open-loop rounds against the same URL reuse their keep-alive connections, as a sender that
//    delivers continuously does: otherwise every round starts by opening its connections again,
//    and a burst of connects at the first hiccup is counted as the server's latency.

export type LoadTarget = { url: string; appSecret: string; phoneNumberId: string; idPrefix: string };

export type LoadCommand =
  | { kind: "closed"; target: LoadTarget; concurrency: number; durationMs: number; maxRequests: number }
  | { kind: "open"; target: LoadTarget; ratePerSecond: number; durationMs: number; maxSockets: number };

export type LoadResult = {
  requests: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
};

type Body = { payload: Buffer; signature: string };

declare const gc: (() => void) | undefined;

/** Before the clock starts: the round's bodies go to the old generation now, not mid-round. */
function settleHeap(): void {
  if (typeof gc === "function") gc();
}

/** Open-loop connections, kept from one round to the next against the same URL. */
const openLoopAgents = new Map<string, http.Agent>();

function openLoopAgent(url: string, maxSockets: number): http.Agent {
  const key = `${maxSockets} ${url}`;
  let agent = openLoopAgents.get(key);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets });
    openLoopAgents.set(key, agent);
  }
  return agent;
}

let sequence = 0;

function buildBodies(target: LoadTarget, count: number): Body[] {
  const bodies: Body[] = [];
  const timestamp = String(Math.floor(Date.now() / 1000));
  for (let i = 0; i < count; i += 1) {
    sequence += 1;
    const from = `49151${String(sequence % 100_000).padStart(8, "0")}`;
    const envelope = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: target.phoneNumberId },
                contacts: [{ profile: { name: "Bench" }, wa_id: from }],
                messages: [{ from, id: `wamid.${target.idPrefix}${sequence}`, timestamp, type: "text", text: { body: `benchmark message ${sequence}` } }],
              },
              field: "messages",
            },
          ],
        },
      ],
    };
    const payload = Buffer.from(JSON.stringify(envelope).replaceAll("/", "\\/"));
    bodies.push({ payload, signature: `sha256=${createHmac("sha256", target.appSecret).update(payload).digest("hex")}` });
  }
  return bodies;
}

function post(agent: http.Agent, url: URL, body: Body): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": body.payload.length, "x-hub-signature-256": body.signature },
      },
      (response) => {
        response.resume();
        response.once("end", () => resolve(response.statusCode ?? 0));
        response.once("error", () => resolve(0));
      },
    );
    request.once("error", () => resolve(0));
    request.end(body.payload);
  });
}

function summarise(latencies: number[], ok: number, failed: number, elapsedMs: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
  return {
    requests: ok + failed,
    ok,
    failed,
    elapsedMs,
    requestsPerSecond: (ok / elapsedMs) * 1000,
    latencyMs: { p50: at(50), p90: at(90), p99: at(99), max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]! },
  };
}

export async function runClosedLoop(command: Extract<LoadCommand, { kind: "closed" }>): Promise<LoadResult> {
  const bodies = buildBodies(command.target, command.maxRequests);
  const url = new URL(command.target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: command.concurrency });
  const latencies: number[] = [];
  settleHeap();
  let next = 0;
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + command.durationMs;
  const clients = Array.from({ length: command.concurrency }, async () => {
    while (next < bodies.length && performance.now() < end) {
      const body = bodies[next++]!;
      const sentAt = performance.now();
      const status = await post(agent, url, body);
      latencies.push(performance.now() - sentAt);
      if (status === 200) ok += 1;
      else failed += 1;
    }
  });
  await Promise.all(clients);
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return summarise(latencies, ok, failed, elapsedMs);
}

export async function runOpenLoop(command: Extract<LoadCommand, { kind: "open" }>): Promise<LoadResult> {
  const total = Math.max(1, Math.round((command.ratePerSecond * command.durationMs) / 1000));
  const bodies = buildBodies(command.target, total);
  const url = new URL(command.target.url);
  const agent = openLoopAgent(command.target.url, command.maxSockets);
  const intervalMs = 1000 / command.ratePerSecond;
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  settleHeap();
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const scheduledAt = start + i * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // From the scheduled start when the request left late (queueing counts), from the real start
    // when a timer let it leave a little early (never a negative latency).
    const origin = Math.min(scheduledAt, performance.now());
    pending.push(
      post(agent, url, bodies[i]!).then((status) => {
        latencies.push(performance.now() - origin);
        if (status === 200) ok += 1;
        else failed += 1;
      }),
    );
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - start;
  return summarise(latencies, ok, failed, elapsedMs);
}

// Forked: answer each command from the parent with its result.
if (process.send) {
  process.on("message", (command: LoadCommand) => {
    const running = command.kind === "closed" ? runClosedLoop(command) : runOpenLoop(command);
    running.then(
      (result) => process.send!({ ok: true, result }),
      (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
