import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { withWorkspace, withoutWorkspace } from "../src/db/with-workspace.ts";
import { createApiKey } from "../src/features/api-keys/service.ts";
import { createGraphProxyRoutes, graphPathRewrite } from "../src/features/graph-proxy/routes.ts";
import { createReconcileHandler, createSendHandler, reconcileSendJob, sendMessageJob } from "../src/features/messages/worker.ts";
import { createHttpApp } from "../src/http/app.ts";
import { createAuthenticator } from "../src/identity/authenticator.ts";
import { permissionsOf } from "../src/identity/permissions.ts";
import { bindJob } from "../src/jobs/definition.ts";
import { createWorker } from "../src/jobs/queue.ts";
import { testEngine } from "../test/support/engine.ts";
import { startSendHarness } from "../test/whatsapp/send-support.ts";
import { formatNumber, percentile, type Benchmark } from "./harness.ts";

// The Graph-compatible proxy's added latency (issue #18): a template send answered with its wamid,
// through Parley (API key, limits, plan, the outbox, the send worker, the governor, Meta's answer
// recorded, the waiting caller woken) against the same send posted straight to the simulator, in
// alternation, in the same run. The worker runs as `parley start` runs it: the default 100 ms poll,
// woken by the send's announcement. Target: the added p50 ≤ 2 ms.
//
// Engine: PGlite in memory by default; PARLEY_TEST_ENGINE=postgres runs it on PostgreSQL + Redis.

const WARM_UP = 100;
const SENDS = 600;
const GRAPH_VERSION = "v25.0";

async function post(url: string, token: string, body: unknown): Promise<{ status: number; ms: number; json: unknown }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json();
  return { status: response.status, ms: performance.now() - started, json };
}

export const graphProxyBenchmark: Benchmark = {
  name: "graph-proxy",
  title: "Graph-compatible proxy: added latency of a send against the simulator directly",
  async run() {
    const h = await startSendHarness();
    let proxy: FastifyInstance | undefined;
    try {
      // The worker as `parley start` runs it (src/app.ts): default poll, woken by announcements.
      await h.sendWorker.stop(2_000);
      const settings = { governor: h.governor };
      const worker = createWorker({
        db: h.db,
        jobs: [
          bindJob(sendMessageJob, createSendHandler(h.services, settings)),
          bindJob(reconcileSendJob, createReconcileHandler(h.services, {})),
        ],
        concurrency: 64,
        pollIntervalMs: h.services.config.worker.pollIntervalMs,
        visibilityTimeoutMs: 60_000,
        wakeUps: h.services.coordination.pubsub,
        logger: h.services.logger,
      });
      worker.start();
      proxy = await createHttpApp({
        services: h.services,
        routes: createGraphProxyRoutes(),
        authenticate: createAuthenticator(h.services),
        rewriteUrl: graphPathRewrite,
      });
      await proxy.listen({ host: "127.0.0.1", port: 0 });
      const address = proxy.server.address();
      const proxyUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

      const userId = randomUUID();
      await withoutWorkspace(h.db, (trx) =>
        trx
          .insertInto("users")
          .values({ id: userId, email: `bench-${userId}@example.test`, password_hash: "not-a-hash" })
          .execute(),
      );
      await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx.insertInto("memberships").values({ workspace_id: h.workspaceId, user_id: userId, role: "owner" }).execute(),
      );
      const caller = {
        workspaceId: h.workspaceId,
        userId,
        role: "owner" as const,
        permissions: permissionsOf("owner"),
        audit: { type: "user" as const, id: userId },
        ip: null,
        userAgent: null,
      };
      const { key } = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        createApiKey(trx, caller, { name: "bench", scopes: ["messages.send", "conversations.read_all"] }),
      );

      // A utility template to a new recipient each time: no service window or consent is needed,
      // and neither Meta's pair limit nor Parley's governor spaces sends to one recipient.
      h.sim.state.templates.set("9301", {
        id: "9301",
        wabaId: h.sim.credentials().wabaId,
        name: "order_update",
        language: "en_US",
        category: "UTILITY",
        parameterFormat: "POSITIONAL",
        components: [{ type: "BODY", text: "Your order {{1}} shipped." }],
        status: "APPROVED",
        rejectedReason: undefined,
        createdAt: Date.now(),
      });
      const phoneNumberId = h.number.phoneNumberId;
      const simToken = h.sim.credentials().accessToken;
      const direct = `${h.sim.credentials().baseUrl}/${GRAPH_VERSION}/${phoneNumberId}/messages`;
      const proxied = `${proxyUrl}/${GRAPH_VERSION}/${phoneNumberId}/messages`;
      const body = (index: number, path: "direct" | "proxy") => ({
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: `+4915113${path === "direct" ? "1" : "2"}${String(100_000 + index)}`,
        type: "template",
        template: {
          name: "order_update",
          language: { code: "en_US" },
          components: [{ type: "body", parameters: [{ type: "text", text: `#${index}` }] }],
        },
      });

      const directMs: number[] = [];
      const proxyMs: number[] = [];
      let failures = 0;
      for (let index = 0; index < WARM_UP + SENDS; index += 1) {
        // Alternating, so both see the same machine; each waits for the answer, as an SDK call does.
        const viaSim = await post(direct, simToken, body(index, "direct"));
        const viaProxy = await post(proxied, key, body(index, "proxy"));
        if (viaSim.status !== 200 || viaProxy.status !== 200) failures += 1;
        if (index < WARM_UP) continue;
        directMs.push(viaSim.ms);
        proxyMs.push(viaProxy.ms);
      }
      await worker.stop(2_000);

      const p = (values: number[], at: number) => Math.round(percentile(values, at) * 100) / 100;
      const added = { p50: p(proxyMs, 50) - p(directMs, 50), p95: p(proxyMs, 95) - p(directMs, 95) };
      return {
        results: {
          run: { engine: testEngine, sends: SENDS, failures },
          directMs: { p50: p(directMs, 50), p95: p(directMs, 95), p99: p(directMs, 99) },
          proxyMs: { p50: p(proxyMs, 50), p95: p(proxyMs, 95), p99: p(proxyMs, 99) },
          addedMs: { p50: Math.round(added.p50 * 100) / 100, p95: Math.round(added.p95 * 100) / 100 },
        },
        ratios: { proxyP50OverDirectP50: percentile(proxyMs, 50) / percentile(directMs, 50), addedP50OverTarget: added.p50 / 2 },
        markdown: [
          `${formatNumber(SENDS)} utility-template sends, each to a new recipient (after ${WARM_UP} unmeasured), one at a time, alternating: straight to the simulator, then through the proxy (${testEngine === "postgres" ? "PostgreSQL + Redis" : "PGlite in memory, in-process coordination"}; the worker at the default 100 ms poll, woken by the send's announcement). ${failures === 0 ? "Every send was answered 200 with its wamid." : `${failures} sends were not answered 200.`}`,
          "",
          "| Path | p50 | p95 | p99 |",
          "| --- | ---: | ---: | ---: |",
          `| straight to the simulator | ${p(directMs, 50)} ms | ${p(directMs, 95)} ms | ${p(directMs, 99)} ms |`,
          `| through Parley's proxy | ${p(proxyMs, 50)} ms | ${p(proxyMs, 95)} ms | ${p(proxyMs, 99)} ms |`,
          "",
          `Added latency: **${added.p50.toFixed(2)} ms at the median** (target ≤ 2 ms), ${added.p95.toFixed(2)} ms at p95.`,
        ].join("\n"),
      };
    } finally {
      await proxy?.close();
      await h.close();
    }
  },
};
