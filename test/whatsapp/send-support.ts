import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { Authenticator } from "../../src/identity/auth-context.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { createMemoryGovernor } from "../../src/whatsapp/governor/memory.ts";
import type { Governor } from "../../src/whatsapp/governor/types.ts";
import { sendRoutes } from "../../src/features/messages/routes.ts";
import {
  createReconcileHandler,
  createSendHandler,
  reconcileSendJob,
  sendMessageJob,
  type SendWorkerOptions,
} from "../../src/features/messages/worker.ts";
import { startChannelHarness, type ChannelHarness } from "./support.ts";

// The channel harness (Parley web app + real simulator over HTTP + inbound worker) plus the send
// API and a send worker. Send workers can be stopped and started again, as after a crash.

export type SendHarness = ChannelHarness & {
  sendApp: FastifyInstance;
  governor: Governor;
  sendWorker: Worker;
  startSendWorker(options?: Partial<SendWorkerOptions> & { visibilityTimeoutMs?: number }): Worker;
  send(
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, unknown> }>;
  /** A customer writes in (opens the 24-hour window) and Parley has processed it. */
  customerWrites(waId: string): Promise<{ wamid: string; conversationId: string; messageId: string }>;
  waitForMessage(messageId: string, predicate: (row: MessageRow) => boolean, timeoutMs?: number): Promise<MessageRow>;
  message(messageId: string): Promise<MessageRow>;
};

export type MessageRow = {
  status: string;
  wamid: string | null;
  error_code: number | null;
  send_error: string | null;
  send_attempts: number;
  send_id: string | null;
};

export const FAST_BACKOFF = { baseMs: 20, maxMs: 200, pairBaseMs: 20 };

export async function startSendHarness(options: { worker?: Partial<SendWorkerOptions> } = {}): Promise<SendHarness> {
  const h = await startChannelHarness();
  const authenticate: Authenticator = async (request) => (request.headers.authorization === "Bearer test-owner" ? h.caller : null);
  const sendApp = await createHttpApp({ services: h.services, routes: sendRoutes, authenticate });
  const governor = createMemoryGovernor();
  const workers: Worker[] = [];

  function startSendWorker(overrides: Partial<SendWorkerOptions> & { visibilityTimeoutMs?: number } = {}): Worker {
    const { visibilityTimeoutMs, ...workerOptions } = overrides;
    const settings: SendWorkerOptions = { governor, backoff: FAST_BACKOFF, graphTimeoutMs: 3_000, ...options.worker, ...workerOptions };
    const worker = createWorker({
      db: h.db,
      jobs: [
        bindJob(sendMessageJob, createSendHandler(h.services, settings)),
        bindJob(reconcileSendJob, createReconcileHandler(h.services, settings)),
      ],
      concurrency: 8,
      pollIntervalMs: 10,
      visibilityTimeoutMs: visibilityTimeoutMs ?? 60_000,
      backoff: { baseMs: 10, maxMs: 50 },
      stopTimeoutMs: 2_000,
      logger: h.services.logger,
    });
    worker.start();
    workers.push(worker);
    return worker;
  }

  const harness: SendHarness = Object.assign(h, {
    sendApp,
    governor,
    sendWorker: startSendWorker(),
    startSendWorker,
    async send(body: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await sendApp.inject({
        method: "POST",
        url: `/api/v1/workspaces/${h.workspaceId}/messages`,
        headers: { authorization: "Bearer test-owner", "content-type": "application/json", ...headers },
        payload: JSON.stringify(body),
      });
      return { status: response.statusCode, json: response.json<Record<string, unknown>>(), headers: response.headers };
    },
    async customerWrites(waId: string) {
      const { wamid } = h.sim.sendFromCustomer({ from: waId, type: "text", text: "hello" });
      await h.sim.flushWebhooks();
      const deadline = Date.now() + 15_000;
      for (;;) {
        const row = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
          trx.selectFrom("messages").select(["id", "conversation_id"]).where("wamid", "=", wamid).executeTakeFirst(),
        );
        if (row) return { wamid, conversationId: row.conversation_id, messageId: row.id };
        if (Date.now() > deadline) throw new Error("inbound message not processed in time");
        await delay(20);
      }
    },
    async message(messageId: string) {
      return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
        trx
          .selectFrom("messages")
          .select(["status", "wamid", "error_code", "send_error", "send_attempts", "send_id"])
          .where("id", "=", messageId)
          .executeTakeFirstOrThrow(),
      );
    },
    async waitForMessage(messageId: string, predicate: (row: MessageRow) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await harness.message(messageId);
        if (predicate(row)) return row;
        if (Date.now() > deadline) throw new Error(`message ${messageId} stuck at ${row.status}`);
        await delay(20);
      }
    },
  });
  const close = h.close;
  harness.close = async () => {
    for (const worker of workers) await worker.stop(2_000);
    await sendApp.close();
    await governor.close();
    await close();
  };
  return harness;
}

export async function countJobs(harness: SendHarness, queue: string): Promise<number> {
  const row = await withoutWorkspace(harness.db, (trx) =>
    trx
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("queue", "=", queue)
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}
