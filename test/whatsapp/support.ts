import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { createSimulator, type Simulator } from "../../sim/index.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { numbersRoutes } from "../../src/features/numbers/routes.ts";
import { connectSandboxNumber } from "../../src/features/numbers/service.ts";
import type { NumberView } from "../../src/features/numbers/repository.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { AuthContext, Authenticator } from "../../src/identity/auth-context.ts";
import { rolePermissions } from "../../src/identity/permissions.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import type { Services } from "../../src/services.ts";
import { createInboundHandler, inboundJob } from "../../src/whatsapp/inbound/process.ts";
import { inboundPort } from "../../src/features/messages/inbound.ts";
import { createDeliveryHandler, deliverWebhookJob } from "../../src/features/webhooks/worker.ts";
import { createWebhookRoutes } from "../../src/whatsapp/webhook/routes.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";

// One Parley web app (numbers + webhook routes) on 127.0.0.1:0, a real simulator on another port
// posting signed webhooks to it, and a worker processing what arrives.

export type ChannelHarness = {
  db: TestDatabase;
  services: Services;
  logs: LogCapture;
  app: FastifyInstance;
  baseUrl: string;
  sim: Simulator;
  worker: Worker;
  workspaceId: string;
  number: NumberView;
  /** The caller every permissioned request is made as (an Owner of `workspaceId`). */
  caller: AuthContext;
  webhookUrl: string;
  waitForJobs(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export async function createWorkspace(services: Services, workspaceId = randomUUID()): Promise<string> {
  await withWorkspace(services.db, { workspaceId }, async (trx) => {
    await trx.insertInto("workspaces").values({ id: workspaceId, name: "Test workspace", region: "local" }).execute();
    await services.keyring.createWorkspaceKey(trx, workspaceId);
  });
  return workspaceId;
}

/** `outboundWebhooks`: the worker also delivers outbound webhooks, to receivers on 127.0.0.1. */
export async function startChannelHarness(
  options: { simulator?: Parameters<typeof createSimulator>[0]; outboundWebhooks?: boolean } = {},
): Promise<ChannelHarness> {
  const db = await createTestDatabase();
  const logs = captureLogs();
  const services = createTestServices({ db, logs });
  const workspaceId = await createWorkspace(services);
  const caller: AuthContext = {
    kind: "session",
    userId: randomUUID(),
    workspaceId,
    role: "owner",
    permissions: new Set(rolePermissions.owner),
  };
  const agent: AuthContext = {
    kind: "session",
    userId: randomUUID(),
    workspaceId,
    role: "agent",
    permissions: new Set(rolePermissions.agent),
  };
  const authenticate: Authenticator = async (request) =>
    request.headers.authorization === "Bearer test-owner" ? caller : request.headers.authorization === "Bearer test-agent" ? agent : null;
  const app = await createHttpApp({ services, routes: [...createWebhookRoutes(inboundPort), ...numbersRoutes], authenticate });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  services.config.http.publicUrl = baseUrl;

  const sim = createSimulator({ statusTiming: { sentMs: null, deliveredMs: null, readMs: null }, ...options.simulator });
  await sim.listen(0);
  // Sandbox wiring: the deployment's Graph transport is the in-process simulator.
  services.config.whatsapp.graphBaseUrl = sim.credentials().baseUrl;
  const number = await connectSandboxNumber(services, workspaceId, sim);
  const webhookUrl = `${baseUrl}/webhooks/whatsapp/${number.webhookKey}`;

  if (options.outboundWebhooks) services.config.outboundWebhooks.allowPrivate = true;
  const worker = createWorker({
    db,
    jobs: [
      bindJob(inboundJob, createInboundHandler(services, inboundPort)),
      ...(options.outboundWebhooks ? [bindJob(deliverWebhookJob, createDeliveryHandler(services))] : []),
    ],
    concurrency: 4,
    pollIntervalMs: 20,
    visibilityTimeoutMs: 60_000,
    backoff: { baseMs: 10, maxMs: 100 },
    logger: services.logger,
  });
  worker.start();

  return {
    db,
    services,
    logs,
    app,
    baseUrl,
    sim,
    worker,
    workspaceId,
    number,
    caller,
    webhookUrl,
    async waitForJobs(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = await withoutWorkspace(db, (trx) =>
          trx
            .selectFrom("jobs")
            .select((eb) => eb.fn.countAll<number>().as("count"))
            .where("status", "in", ["pending", "running"])
            .executeTakeFirstOrThrow(),
        );
        if (Number(open.count) === 0) return;
        if (Date.now() > deadline) throw new Error(`jobs still open after ${timeoutMs} ms`);
        await delay(20);
      }
    },
    async close() {
      await worker.stop(5_000);
      await sim.close();
      await app.close();
      await services.coordination.close();
      await db.drop();
    },
  };
}

export async function countRows(
  harness: ChannelHarness,
  table: "inbound_events" | "messages" | "conversations" | "contacts" | "message_statuses",
): Promise<number> {
  const row = await withWorkspace(harness.db, { workspaceId: harness.workspaceId }, (trx) =>
    trx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}
