import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobRegistry } from "../../src/app.ts";
import { createSendHandler, sendMessageJob } from "../../src/features/messages/worker.ts";
import { inboundPort } from "../../src/features/messages/inbound.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { createMetrics, type Metrics } from "../../src/observability/metrics.ts";
import { KNOWN_GRAPH_ERROR_CODES } from "../../src/whatsapp/send/outcomes.ts";
import { createWebhookRoutes } from "../../src/whatsapp/webhook/routes.ts";
import { FAST_BACKOFF, startSendHarness, type SendHarness } from "../whatsapp/send-support.ts";

// What the worker and the webhook receiver record, end to end against the simulator: send
// outcomes by Meta error code, governor decisions, job runs by queue, webhook outcomes.

let h: SendHarness;
let metrics: Metrics;
let worker: Worker;
let seq = 0;
const nextPhone = () => `4917613${String(100_000 + seq++).padStart(6, "0")}`;

/** The value of one sample line, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  h = await startSendHarness();
  await h.sendWorker.stop();
  metrics = createMetrics({ processMetrics: false, queues: jobRegistry.queues, sendErrorCodes: KNOWN_GRAPH_ERROR_CODES });
  const services = { ...h.services, metrics };
  worker = createWorker({
    db: h.db,
    jobs: [bindJob(sendMessageJob, createSendHandler(services, { governor: h.governor, backoff: FAST_BACKOFF, graphTimeoutMs: 3_000 }))],
    concurrency: 4,
    pollIntervalMs: 10,
    visibilityTimeoutMs: 60_000,
    stopTimeoutMs: 2_000,
    logger: h.services.logger,
    metrics,
  });
  worker.start();
}, 60_000);

afterAll(async () => {
  await worker?.stop(1_000);
  metrics?.close();
  await h?.close();
});

describe("recorded metrics", () => {
  it("counts sends by outcome and Meta code, governor grants and job runs by queue", async () => {
    const settled = (row: { status: string }) => !["queued", "sending"].includes(row.status);
    const queueText = async (): Promise<string> => {
      const inbound = await h.customerWrites(nextPhone());
      const answer = await h.send({ conversationId: inbound.conversationId, type: "text", text: { body: "hello there" } });
      expect(answer.status).toBe(202);
      return String(answer.json.id);
    };
    const accepted = await queueText();
    expect((await h.waitForMessage(accepted, settled)).status).toBe("accepted");
    h.sim.configureFaults({ failNextSends: { count: 1, code: 131026, mode: "sync" } });
    const refused = await queueText();
    expect((await h.waitForMessage(refused, settled)).status).toBe("failed");

    // A job's completion is committed after its message's outcome: wait for the second run's.
    let text = await metrics.render();
    for (
      let waited = 0;
      sample(text, 'parley_job_runs_total{queue="whatsapp.send",outcome="succeeded"}') !== 2 && waited < 5_000;
      waited += 20
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = await metrics.render();
    }
    expect(sample(text, 'parley_whatsapp_sends_total{outcome="accepted",code="none"}')).toBe(1);
    expect(sample(text, 'parley_whatsapp_sends_total{outcome="refused",code="131026"}')).toBe(1);
    expect(sample(text, 'parley_governor_decisions_total{result="granted",limited_by="none"}')).toBe(2);
    expect(sample(text, "parley_governor_wait_seconds_count")).toBe(2);
    expect(sample(text, 'parley_job_runs_total{queue="whatsapp.send",outcome="succeeded"}')).toBe(2);
    // Nothing of the recipients or the bodies: only closed-set labels.
    expect(text).not.toMatch(/4917613|hello there/);
  }, 60_000);

  it("counts webhook outcomes, never the webhook key", async () => {
    const webhookApp = await createHttpApp({ services: { ...h.services, metrics }, routes: createWebhookRoutes(inboundPort) });
    try {
      const response = await webhookApp.inject({
        method: "POST",
        url: "/webhooks/whatsapp/no-such-key-123",
        headers: { "content-type": "application/json" },
        payload: "{}",
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await webhookApp.close();
    }
    const text = await metrics.render();
    expect(sample(text, 'parley_webhook_deliveries_total{outcome="unknown_endpoint"}')).toBe(1);
    expect(text).not.toContain("no-such-key-123");
  });
});
