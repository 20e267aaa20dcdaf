import { fork, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";
import { loadConfig } from "../src/config.ts";
import { createMemoryCoordination } from "../src/coordination/memory.ts";
import { createEnvKeyProvider } from "../src/crypto/key-provider.ts";
import { createKeyring } from "../src/crypto/keyring.ts";
import { withWorkspace } from "../src/db/with-workspace.ts";
import { recordWebhookEvent } from "../src/features/webhooks/outbox.ts";
import { insertEndpoint, secretField } from "../src/features/webhooks/repository.ts";
import { generateSecret } from "../src/features/webhooks/signing.ts";
import { createDeliveryHandler, deliverWebhookJob } from "../src/features/webhooks/worker.ts";
import { bindJob } from "../src/jobs/definition.ts";
import { createWorker } from "../src/jobs/queue.ts";
import { createLogger } from "../src/log/logger.ts";
import type { Services } from "../src/services.ts";
import { formatNumber, type Benchmark } from "./harness.ts";
import { findBenchPostgres, openBenchDatabase } from "./support/bench-database.ts";

// Outbound webhooks (issue #18): signed deliveries per second from the worker's delivery job to a
// local receiver (a process of its own, bench/support/webhook-receiver.mjs), over the outbox, with
// no endpoint failing; then the same with one more endpoint that answers every delivery after 5 s. The ratio says whether the slow endpoint
// lowers the others' rate (target: it does not, ≥ 0.9), and the first rate is held against the
// 1,000 deliveries/s target.

const FAST_ENDPOINTS = 4;
const EVENTS = 3_000;
/** Alternating rounds (alone, with the slow endpoint); the medians are reported. */
const ROUNDS = 3;
const SLOW_MS = 5_000;

type Run = { deliveriesPerSecond: number; delivered: number; seconds: number; slowAnswered: number };

type Receiver = { child: ChildProcess; url: string; counts(): Promise<Record<string, number>>; stop(): Promise<void> };

async function startReceiver(): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL("./support/webhook-receiver.mjs", import.meta.url)), [], {
    env: { PATH: process.env.PATH ?? "", SLOW_MS: String(SLOW_MS) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const [ready] = (await once(child, "message")) as [{ port: number }];
  return {
    child,
    url: `http://127.0.0.1:${ready.port}`,
    async counts() {
      const answer = once(child, "message") as Promise<[{ counts: Record<string, number> }]>;
      child.send("counts");
      return (await answer)[0].counts;
    },
    async stop() {
      const exited = once(child, "exit");
      child.send("stop");
      await exited;
    },
  };
}

async function runOnce(withSlowEndpoint: boolean): Promise<Run> {
  const serverUrl = await findBenchPostgres();
  const { db, drop, engine } = await openBenchDatabase(serverUrl ? "postgres" : "pglite", serverUrl, 20);
  const config = loadConfig({
    PARLEY_ENV: "test",
    PARLEY_MASTER_KEY: randomBytes(32).toString("base64"),
    PARLEY_WEBHOOKS_ALLOW_PRIVATE: "true",
  });
  const logger = createLogger({ level: "warn", destination: { write: () => undefined } });
  const services: Services = {
    config,
    db,
    coordination: createMemoryCoordination(),
    logger,
    keyring: createKeyring({ provider: createEnvKeyProvider(config.keys.kind === "env" ? config.keys.value : "") }),
  };
  const receiver = await startReceiver();
  try {
    const workspaceId = randomUUID();
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await trx.insertInto("workspaces").values({ id: workspaceId, name: "Bench", region: "local" }).execute();
      await services.keyring.createWorkspaceKey(trx, workspaceId);
      const paths = [...Array.from({ length: FAST_ENDPOINTS }, (_, index) => `/fast-${index}`), ...(withSlowEndpoint ? ["/slow"] : [])];
      for (const path of paths) {
        const id = randomUUID();
        await insertEndpoint(trx, workspaceId, {
          id,
          url: `${receiver.url}${path}`,
          description: "",
          format: "standard",
          eventTypes: ["message.status"],
          enabled: true,
          includePersonalData: false,
          secretCiphertext: await services.keyring.encryptSecret(trx, secretField(workspaceId, id, "secret"), generateSecret()),
        });
      }
    });
    // The outbox, in batches of 100 events per transaction (as a burst of statuses arrives).
    for (let done = 0; done < EVENTS; done += 100) {
      await withWorkspace(db, { workspaceId }, async (trx) => {
        for (let index = 0; index < 100; index += 1) {
          await recordWebhookEvent(trx, workspaceId, {
            type: "message.status",
            data: { workspaceId, conversationId: randomUUID(), messageId: randomUUID(), status: "delivered", at: new Date().toISOString() },
          });
        }
      });
    }
    const target = EVENTS * FAST_ENDPOINTS;
    const fastDelivered = async () =>
      Object.entries(await receiver.counts())
        .filter(([path]) => path.startsWith("/fast"))
        .reduce((sum, [, count]) => sum + count, 0);
    const worker = createWorker({
      db,
      jobs: [bindJob(deliverWebhookJob, createDeliveryHandler(services))],
      concurrency: engine === "postgres" ? 128 : 48,
      pollIntervalMs: 5,
      visibilityTimeoutMs: 120_000,
      logger,
      stopTimeoutMs: 1_000,
    });
    const started = performance.now();
    worker.start();
    let delivered = 0;
    while ((delivered = await fastDelivered()) < target && performance.now() - started < 180_000) await delay(50);
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    return { deliveriesPerSecond: delivered / seconds, delivered, seconds, slowAnswered: (await receiver.counts())["/slow"] ?? 0 };
  } finally {
    await receiver.stop();
    await drop();
  }
}

export const outboundWebhooksBenchmark: Benchmark = {
  name: "outbound-webhooks",
  title: "Outbound webhooks: signed deliveries per second, and one slow endpoint",
  async run() {
    const alones: Run[] = [];
    const withSlows: Run[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      alones.push(await runOnce(false));
      withSlows.push(await runOnce(true));
    }
    const median = (runs: Run[]) => [...runs].sort((a, b) => a.deliveriesPerSecond - b.deliveriesPerSecond)[Math.floor(runs.length / 2)]!;
    const alone = median(alones);
    const withSlow = median(withSlows);
    const ratio = withSlow.deliveriesPerSecond / alone.deliveriesPerSecond;
    return {
      results: {
        alone,
        withSlow,
        roundsPerSecond: {
          alone: alones.map((run) => Math.round(run.deliveriesPerSecond)),
          withSlow: withSlows.map((run) => Math.round(run.deliveriesPerSecond)),
        },
      },
      ratios: { fastRateWithSlowEndpoint: ratio, deliveriesPerSecondVsTarget: alone.deliveriesPerSecond / 1_000 },
      markdown: [
        `Median of ${ROUNDS} alternating rounds. ${formatNumber(EVENTS)} \`message.status\` events written through the outbox, fanned out to ${FAST_ENDPOINTS} endpoints on a local receiver, delivered by the \`webhooks.deliver\` job (signed, SSRF-checked before every attempt, on kept-alive connections pinned to the checked address). The receiver runs in a process of its own.`,
        "",
        "| Case | Deliveries to the fast endpoints | Time | Deliveries/s |",
        "| --- | ---: | ---: | ---: |",
        `| ${FAST_ENDPOINTS} fast endpoints | ${formatNumber(alone.delivered)} | ${alone.seconds.toFixed(1)} s | ${formatNumber(Math.round(alone.deliveriesPerSecond))} |`,
        `| the same + 1 endpoint answering in 5 s | ${formatNumber(withSlow.delivered)} | ${withSlow.seconds.toFixed(1)} s | ${formatNumber(Math.round(withSlow.deliveriesPerSecond))} |`,
        "",
        `The fast endpoints' rate with the slow one present is ${(ratio * 100).toFixed(0)} % of their rate alone (target ≥ 90 %); the rate alone is ${((alone.deliveriesPerSecond / 1_000) * 100).toFixed(0)} % of the 1,000 deliveries/s target.`,
      ].join("\n"),
    };
  },
};
