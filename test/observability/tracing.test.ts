import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startParley, type Parley } from "../../src/app.ts";
import { withoutWorkspace } from "../../src/db/with-workspace.ts";
import { bindJob, defineJob, enqueueJob } from "../../src/jobs/definition.ts";
import { createWorker } from "../../src/jobs/queue.ts";
import { createTracing } from "../../src/observability/tracing.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log/logger.ts";
import { createTestDatabase, createTestDatabaseConfig, dropTestDatabaseConfig, testEngine, testRedisUrl } from "../support/engine.ts";
import { captureLogs, type LogCapture } from "../support/services.ts";

// OpenTelemetry tracing is opt-in (PARLEY_OTLP_ENDPOINT). Against a local OTLP/HTTP receiver: with
// the setting, the web role's request spans arrive, named by route template (never the URL), a
// caller's traceparent continues its trace, and the request's log lines carry its trace id; without
// it, nothing is exported and log lines carry no trace id.

type Export = { path: string; contentType: string; body: string };

let receiver: Server;
let receiverUrl: string;
const exports: Export[] = [];

type Span = { traceId: string; spanId: string; name: string; attributes: Array<{ key: string; value: Record<string, unknown> }> };

function spansOf(received: readonly Export[]): Span[] {
  return received.flatMap((item) => {
    const document = JSON.parse(item.body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> };
    return document.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
  });
}

/** OTLP/JSON encodes ids as hex strings (the exporter's JSON protocol). */
function hexId(value: string): string {
  return /^[0-9a-f]+$/.test(value) ? value : Buffer.from(value, "base64").toString("hex");
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      exports.push({
        path: request.url ?? "",
        contentType: request.headers["content-type"] ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/v1/traces`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

/** A web role started as `parley start` does, its logger writing trace ids when tracing is on. */
async function startWeb(extra: Record<string, string>): Promise<{ parley: Parley; logs: LogCapture; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "parley-tracing-"));
  const env: Record<string, string> = {
    PARLEY_ENV: "test",
    PARLEY_MASTER_KEY: randomBytes(32).toString("base64"),
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PORT: "0",
    ...extra,
  };
  const database = testEngine === "postgres" ? await createTestDatabaseConfig() : undefined;
  if (database?.engine === "postgres") {
    env.DATABASE_URL = database.ownerUrl;
    env.REDIS_URL = testRedisUrl;
  }
  const config = loadConfig(env);
  const logs = captureLogs();
  const parley = await startParley(
    config,
    createLogger({ level: "info", destination: logs.destination, traceIds: config.tracing !== undefined }),
    "web",
  );
  return {
    parley,
    logs,
    cleanup: async () => {
      await parley.stop();
      if (database) await dropTestDatabaseConfig(database);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe("tracing", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
    exports.length = 0;
  });

  it("exports nothing and writes no trace ids when PARLEY_OTLP_ENDPOINT is unset", async () => {
    const started = await startWeb({});
    cleanup = started.cleanup;
    expect(started.parley.services.tracing).toBeUndefined();
    expect((await fetch(`${started.parley.address}/livez`)).status).toBe(200);
    await started.cleanup();
    cleanup = undefined;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exports).toEqual([]);
    const requestLines = started.logs.records().filter((record) => record.msg === "request");
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of started.logs.records()) expect(line).not.toHaveProperty("traceId");
  }, 60_000);

  it("exports request spans named by route template, continues a caller's trace, and puts trace ids in log lines", async () => {
    const started = await startWeb({ PARLEY_OTLP_ENDPOINT: receiverUrl });
    cleanup = started.cleanup;
    const base = started.parley.address!;
    const callerTrace = randomBytes(16).toString("hex");
    expect(
      (await fetch(`${base}/livez`, { headers: { traceparent: `00-${callerTrace}-${randomBytes(8).toString("hex")}-01` } })).status,
    ).toBe(200);
    const secretPath = `/api/v1/no-such-thing/${randomUUID()}`;
    expect((await fetch(`${base}${secretPath}`)).status).toBe(404);
    // Stopping flushes the batch.
    await started.cleanup();
    cleanup = undefined;

    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((item) => item.path === "/v1/traces" && item.contentType.startsWith("application/json"))).toBe(true);
    const spans = spansOf(exports);
    const live = spans.find((span) => span.name === "GET /livez");
    expect(live).toBeDefined();
    expect(hexId(live!.traceId)).toBe(callerTrace);
    // The dashboard's catch-all route answers it (404 for a server path): its template names the span.
    const missing = spans.find((span) =>
      span.attributes.some((attribute) => attribute.key === "http.response.status_code" && attribute.value.intValue === 404),
    );
    expect(missing?.name).toBe("GET /*");
    // The URL (and the id in it) is in no span.
    expect(exports.some((item) => item.body.includes(secretPath.split("/")[4]!) || item.body.includes("no-such-thing"))).toBe(false);

    const requestLines = started.logs.records().filter((record) => record.msg === "request");
    const liveLine = requestLines.find((record) => record.route === "/livez");
    expect(liveLine?.traceId).toBe(callerTrace);
    expect(liveLine?.spanId).toBe(hexId(live!.spanId));
    expect(requestLines.every((record) => typeof record.traceId === "string" && /^[0-9a-f]{32}$/.test(record.traceId))).toBe(true);
  }, 60_000);

  it("puts each job run in a span, and the job's log lines carry its trace id", async () => {
    const db = await createTestDatabase();
    const logs = captureLogs();
    const logger = createLogger({ level: "info", destination: logs.destination, traceIds: true });
    const tracing = createTracing({ endpoint: receiverUrl, scheduledDelayMs: 50 });
    const job = defineJob({ queue: "test.traced", payload: z.object({}), retry: { maxAttempts: 1 }, createHandler: () => async () => {} });
    let ran = false;
    const worker = createWorker({
      db,
      jobs: [
        bindJob(job, async () => {
          logger.info({ component: "test" }, "inside the job");
          ran = true;
        }),
      ],
      concurrency: 1,
      pollIntervalMs: 10,
      visibilityTimeoutMs: 5_000,
      logger,
      tracing,
    });
    try {
      await withoutWorkspace(db, (trx) => enqueueJob(trx, job, {}));
      worker.start();
      const deadline = Date.now() + 10_000;
      while (!ran && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ran).toBe(true);
    } finally {
      await worker.stop(1_000);
      await tracing.shutdown();
      await db.drop();
    }
    const span = spansOf(exports).find((candidate) => candidate.name === "job test.traced");
    expect(span).toBeDefined();
    expect(span!.attributes).toContainEqual({ key: "parley.job.queue", value: { stringValue: "test.traced" } });
    const inside = logs.records().find((record) => record.msg === "inside the job");
    expect(inside?.traceId).toBe(hexId(span!.traceId));
  }, 60_000);
});
