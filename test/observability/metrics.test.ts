import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobRegistry, startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createRedisCoordination } from "../../src/coordination/redis.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { routes } from "../../src/http/routes.ts";
import { jobQueueStats } from "../../src/jobs/queue.ts";
import { withoutWorkspace } from "../../src/db/with-workspace.ts";
import { createLogger } from "../../src/log/logger.ts";
import { createLabelSet, createMetrics, OTHER_LABEL, statusClass, type Metrics } from "../../src/observability/metrics.ts";
import { startMetricsServer, type MetricsServer } from "../../src/observability/metrics-server.ts";
import { KNOWN_GRAPH_ERROR_CODES } from "../../src/whatsapp/send/outcomes.ts";
import type { Services } from "../../src/services.ts";
import {
  createTestDatabase,
  createTestDatabaseConfig,
  dropTestDatabaseConfig,
  testEngine,
  testRedisUrl,
  type TestDatabase,
} from "../support/engine.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";

// Prometheus metrics and the observability listener (src/observability): the scrape's content and
// its guard, label cardinality that no request can grow, the probes on the listener, and readiness
// that a coordination outage degrades without taking the instance out of rotation.

const TOKEN = "metrics-token-0123456789abcdef0123456789";

let db: TestDatabase;
let logs: LogCapture;
let services: Services;
let metrics: Metrics;
let app: FastifyInstance;
let listener: MetricsServer;

/** Series (sample lines) of one metric in a scrape. */
function seriesOf(text: string, name: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

beforeAll(async () => {
  db = await createTestDatabase();
  logs = captureLogs();
  const base = createTestServices({ db, logs });
  metrics = createMetrics({
    routes: routes.map((route) => route.url),
    queues: jobRegistry.queues,
    sendErrorCodes: KNOWN_GRAPH_ERROR_CODES,
    poolUsage: db.poolUsage,
    queueStats: () => jobQueueStats(db),
    logger: base.logger,
  });
  services = { ...base, metrics };
  app = await createHttpApp({ services, routes });
  listener = await startMetricsServer({ host: "127.0.0.1", port: 0, token: TOKEN, metrics, services, logger: services.logger });
}, 60_000);

afterAll(async () => {
  await listener?.close();
  await app?.close();
  metrics?.close();
  await services?.coordination.close();
  await db?.drop();
});

describe("the metrics listener", () => {
  it("refuses /metrics without the bearer token, or with a wrong one", async () => {
    const missing = await fetch(`${listener.address}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await missing.text()).not.toContain("parley_");
    const wrong = await fetch(`${listener.address}/metrics`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${listener.address}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` },
    });
    expect(basic.status).toBe(401);
  });

  it("serves the Prometheus text format with the token", async () => {
    await app.inject({ method: "GET", url: "/livez" });
    const jobId = await withoutWorkspace(db, async (trx) =>
      jobRegistry.enqueue(trx, "jobs.prune", {}, { runAt: new Date(Date.now() - 5_000) }),
    );
    const response = await fetch(`${listener.address}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('parley_http_request_duration_seconds_count{route="/livez",method="GET",status_class="2xx"} 1');
    expect(seriesOf(text, "parley_db_pool_connections").map((line) => line.split(" ")[0])).toEqual([
      'parley_db_pool_connections{state="total"}',
      'parley_db_pool_connections{state="idle"}',
      'parley_db_pool_connections{state="waiting"}',
    ]);
    expect(text).toMatch(new RegExp(`parley_db_pool_max_connections ${testEngine === "pglite" ? 1 : 5}\\n`));
    expect(text).toContain('parley_jobs{queue="jobs.prune",state="pending"} 1');
    const age = /parley_jobs_oldest_due_age_seconds\{queue="jobs.prune"\} ([\d.]+)/.exec(text);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(4);
    // Process defaults, event-loop lag from perf_hooks.monitorEventLoopDelay among them.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    await withoutWorkspace(db, (trx) => trx.deleteFrom("jobs").where("id", "=", jobId).execute());
  });

  it("names every series by Prometheus conventions", async () => {
    const text = await metrics.render();
    const ours = [
      ...new Set(
        text
          .split("\n")
          .filter((line) => line.startsWith("# TYPE parley_"))
          .map((line) => line.split(" ").slice(2).join(" ")),
      ),
    ];
    expect(ours.length).toBeGreaterThanOrEqual(9);
    for (const entry of ours) {
      const [name, type] = entry.split(" ") as [string, string];
      expect(name).toMatch(/^parley_[a-z_]+$/);
      if (type === "counter") expect(name).toMatch(/_total$/);
      if (type === "histogram") expect(name).toMatch(/_seconds$/);
    }
  });

  it("answers the probes without the token, and nothing else", async () => {
    expect(await (await fetch(`${listener.address}/livez`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${listener.address}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${listener.address}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "ok" } });
    expect((await fetch(`${listener.address}/api/v1/me`)).status).toBe(404);
    expect((await fetch(`${listener.address}/metrics`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      405,
    );
  });

  it("is not served on the API's port", async () => {
    const response = await app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(404);
  });
});

describe("label cardinality", () => {
  it("does not grow with distinct URLs or ids: unknown routes are one label, routes their template", async () => {
    await app.inject({ method: "GET", url: `/nothing-here/${randomUUID()}` });
    await app.inject({ method: "GET", url: `/api/v1/workspaces/${randomUUID()}/contacts` });
    const before = seriesOf(await metrics.render(), "parley_http_request_duration_seconds_count");
    for (let i = 0; i < 1_000; i += 1) {
      await app.inject({ method: "GET", url: `/nothing-here/${randomUUID()}?q=${i}` });
      await app.inject({ method: "GET", url: `/api/v1/workspaces/${randomUUID()}/contacts` });
    }
    const text = await metrics.render();
    const after = seriesOf(text, "parley_http_request_duration_seconds_count");
    expect(after.map((line) => line.split(" ")[0])).toEqual(before.map((line) => line.split(" ")[0]));
    expect(text).toContain('route="unmatched",method="GET",status_class="4xx"');
    expect(text).toContain('route="/api/v1/workspaces/:workspaceId/contacts",method="GET",status_class="4xx"');
    expect(text).not.toMatch(/nothing-here|[0-9a-f]{8}-[0-9a-f]{4}-/);
  }, 120_000);

  it("maps odd methods, unknown Meta codes and unknown queues to one label each", () => {
    const local = createMetrics({ processMetrics: false, routes: ["/a"], queues: ["q.known"], sendErrorCodes: [131056] });
    for (let i = 0; i < 1_000; i += 1) {
      local.observeHttp(`/route-${i}`, `M${i}`, 200 + (i % 400), 0.001);
      local.countSend("refused", 200_000 + i);
      local.countJobRun(`queue-${i}`, "failed");
    }
    local.countSend("refused", 131056);
    local.countSend("accepted", null);
    return local.render().then((text) => {
      // 16 spare route labels, then `other`; one method label; status classes 2xx–5xx.
      expect(seriesOf(text, "parley_http_request_duration_seconds_count").length).toBeLessThanOrEqual((1 + 16 + 1) * 4);
      expect(
        seriesOf(text, "parley_whatsapp_sends_total")
          .map((line) => line.split(" ")[0])
          .sort(),
      ).toEqual([
        'parley_whatsapp_sends_total{outcome="accepted",code="none"}',
        'parley_whatsapp_sends_total{outcome="refused",code="131056"}',
        `parley_whatsapp_sends_total{outcome="refused",code="${OTHER_LABEL}"}`,
      ]);
      expect(seriesOf(text, "parley_job_runs_total")).toEqual([`parley_job_runs_total{queue="${OTHER_LABEL}",outcome="failed"} 1000`]);
      local.close();
    });
  });

  it("keeps a label set closed once its spare room is used", () => {
    const label = createLabelSet(["a"], 2);
    expect(["a", "b", "c", "d", "b", "e"].map(label)).toEqual(["a", "b", "c", OTHER_LABEL, "b", OTHER_LABEL]);
    expect([100, 204, 302, 404, 503, 99, 600].map(statusClass)).toEqual(["1xx", "2xx", "3xx", "4xx", "5xx", OTHER_LABEL, OTHER_LABEL]);
  });
});

describe("readiness", () => {
  it("stays ready when the coordination store is down, and reports it degraded", async () => {
    const unreachable = createRedisCoordination("redis://127.0.0.1:1", { logger: services.logger, commandTimeoutMs: 200 });
    const degraded = await createHttpApp({ services: { ...services, coordination: unreachable }, routes });
    const side = await startMetricsServer({
      host: "127.0.0.1",
      port: 0,
      token: undefined,
      metrics,
      services: { db, coordination: unreachable },
      logger: services.logger,
    });
    try {
      const response = await degraded.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "degraded" } });
      const probe = await fetch(`${side.address}/readyz`);
      expect(probe.status).toBe(200);
      expect(await probe.json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "degraded" } });
      // Rate-limited routes refuse on their own meanwhile (fail closed).
      const limited = await degraded.inject({ method: "GET", url: "/webhooks/whatsapp/some-key?hub.mode=subscribe" });
      expect(limited.statusCode).toBe(503);
    } finally {
      await side.close();
      await degraded.close();
      await unreachable.close();
    }
  });
});

describe("the worker-only role", () => {
  let dataDir: string;
  let parley: Parley | undefined;
  let databaseConfig: Awaited<ReturnType<typeof createTestDatabaseConfig>> | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "parley-metrics-"));
    const env: Record<string, string> = {
      PARLEY_ENV: "test",
      PARLEY_MASTER_KEY: randomBytes(32).toString("base64"),
      PARLEY_DATA_DIR: dataDir,
      PARLEY_METRICS_PORT: "0",
      PARLEY_METRICS_TOKEN: TOKEN,
    };
    if (testEngine === "postgres") {
      databaseConfig = await createTestDatabaseConfig();
      if (databaseConfig.engine === "postgres") env.DATABASE_URL = databaseConfig.ownerUrl;
      env.REDIS_URL = testRedisUrl;
    }
    const config = loadConfig(env);
    parley = await startParley(config, createLogger({ level: "warn", destination: captureLogs().destination }), "worker");
  }, 60_000);

  afterAll(async () => {
    await parley?.stop();
    if (databaseConfig) await dropTestDatabaseConfig(databaseConfig);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("has no API port but answers the probes and the scrape on its metrics port", async () => {
    expect(parley!.address).toBeUndefined();
    const base = parley!.metricsAddress!;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready", checks: { database: "ok", coordination: "ok" } });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toContain("# TYPE parley_jobs gauge");
    expect(text).toContain("# TYPE parley_job_runs_total counter");
    expect(text).toMatch(/^parley_db_pool_connections\{state="total"\} \d+/m);
    // The worker records no HTTP traffic: it serves none.
    expect(seriesOf(text, "parley_http_request_duration_seconds_count")).toEqual([]);
  });
});
