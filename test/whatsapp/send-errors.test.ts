import { createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import type { Worker } from "../../src/jobs/queue.ts";
import type { FetchLike } from "../../src/whatsapp/graph-client.ts";
import type { SendWorkerOptions } from "../../src/features/messages/worker.ts";
import { startSendHarness, type SendHarness } from "./send-support.ts";

// The worker against the simulator's faults: Graph errors handled by code (reference §6), the
// number's token refused (190), and answers lost after Meta accepted — never a second send.

let h: SendHarness;
let seq = 0;
const nextPhone = () => `4917612${String(100_000 + seq++).padStart(6, "0")}`;
let worker: Worker | undefined;

beforeAll(async () => {
  h = await startSendHarness();
  // Each test runs the send worker it needs.
  await h.sendWorker.stop();
}, 60_000);
afterEach(async () => {
  await worker?.stop(500);
  worker = undefined;
});
afterAll(async () => h?.close());

function run(options: Partial<SendWorkerOptions> & { visibilityTimeoutMs?: number } = {}): Worker {
  worker = h.startSendWorker(options);
  return worker;
}

/** A customer who wrote in, and a queued text to them. */
async function queueText(body = "hello there"): Promise<{ waId: string; messageId: string }> {
  const waId = nextPhone();
  const inbound = await h.customerWrites(waId);
  const answer = await h.send({ conversationId: inbound.conversationId, type: "text", text: { body } });
  expect(answer.status).toBe(202);
  return { waId, messageId: String(answer.json.id) };
}

/** A local port nothing listens on: connecting is refused before any byte is written. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 0;
}

const settled = (row: { status: string }) => !["queued", "sending"].includes(row.status);

describe("retryable answers back off and send once", () => {
  it.each([
    [130429, "throughput"],
    [131056, "pair limit"],
    [131000, "unknown error (HTTP 500)"],
    [133004, "server unavailable (HTTP 503)"],
  ])("%i (%s): retried until accepted; the customer gets it once", async (code) => {
    const { waId, messageId } = await queueText();
    // After one 131056 the pair is paced at one per 6.6 s (the burst is spent), so one failure is enough there.
    const failures = code === 131056 ? 1 : 2;
    h.sim.configureFaults({ failNextSends: { count: failures, code, mode: "sync" } });
    run();
    const row = await h.waitForMessage(messageId, settled);
    expect(row.status).toBe("accepted");
    expect(row.send_attempts).toBe(failures + 1);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
  });

  it("131056 holds only that recipient: another customer's message goes out meanwhile", async () => {
    const first = await queueText();
    h.sim.configureFaults({ failNextSends: { count: 1, code: 131056, mode: "sync" } });
    run({ backoff: { baseMs: 20, maxMs: 5_000, pairBaseMs: 1_500 } });
    await h.waitForMessage(first.messageId, (row) => row.send_attempts === 1 && row.status === "queued");
    const other = await queueText();
    const otherRow = await h.waitForMessage(other.messageId, settled);
    expect(otherRow.status).toBe("accepted");
    expect((await h.message(first.messageId)).status).toBe("queued");
    const firstRow = await h.waitForMessage(first.messageId, settled);
    expect(firstRow.status).toBe("accepted");
    expect(h.sim.listReceived(first.waId)).toHaveLength(1);
  });

  it("a connection refused before the request was written is retried; persisting, the message fails without a send", async () => {
    const flaky = await queueText();
    let calls = 0;
    const refusedUrl = `http://127.0.0.1:${await closedPort()}`;
    const refuseOnce: FetchLike = (input, init) => (calls++ === 0 ? fetch(`${refusedUrl}/v25.0/x`, init) : fetch(input, init));
    run({ fetch: refuseOnce });
    const row = await h.waitForMessage(flaky.messageId, settled);
    expect(row.status).toBe("accepted");
    expect(row.send_attempts).toBe(2);
    await worker!.stop();

    const down = await queueText();
    run({ graphBaseUrl: refusedUrl, maxSendAttempts: 2 });
    const failed = await h.waitForMessage(down.messageId, settled);
    expect(failed.status).toBe("failed");
    expect(failed.send_error).toMatch(/Gave up after 2 attempts/);
    expect(h.sim.listReceived(down.waId)).toHaveLength(0);
  });
});

describe("final answers fail the message with a clear reason, never retried", () => {
  it.each([
    [131047, /template/],
    [131026, /undeliverable/i],
    [132001, /template does not exist/],
    [132000, /parameter count/],
    [100, /invalid parameter/],
  ])("%i", async (code, reason) => {
    const { waId, messageId } = await queueText();
    h.sim.configureFaults({ failNextSends: { count: 1, code, mode: "sync" } });
    run();
    const row = await h.waitForMessage(messageId, settled);
    expect(row.status).toBe("failed");
    expect(row.error_code).toBe(code);
    expect(row.send_error).toMatch(reason);
    expect(row.send_attempts).toBe(1);
    expect(h.sim.listReceived(waId)).toHaveLength(0);
  });

  it("131026 reported later in a failed status webhook marks the accepted message failed", async () => {
    const { messageId } = await queueText();
    h.sim.configureFaults({ failNextSends: { count: 1, code: 131026, mode: "async" } });
    run();
    const accepted = await h.waitForMessage(messageId, settled);
    expect(accepted.status).toBe("accepted");
    h.sim.advanceStatuses({ wamid: accepted.wamid! });
    await h.sim.flushWebhooks();
    const failed = await h.waitForMessage(messageId, (row) => row.status === "failed");
    expect(failed.error_code).toBe(131026);
  });
});

describe("lost answers: exactly once", () => {
  it("a timeout after the request was written is an unknown outcome: no resend; the webhook reconciles", async () => {
    const { waId, messageId } = await queueText();
    const slow: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      await delay(10_000, undefined, { signal: init.signal ?? undefined });
      return response;
    };
    run({ fetch: slow, graphTimeoutMs: 300, reconciliationWindowMs: 60_000 });
    await delay(600);
    let row = await h.message(messageId);
    expect(row.status).toBe("sending");
    expect(row.wamid).toBeNull();
    const received = h.sim.listReceived(waId);
    expect(received).toHaveLength(1);
    expect(received[0]!.bizOpaqueCallbackData).toBe(row.send_id);

    h.sim.advanceStatuses({ wamid: received[0]!.wamid, to: "sent" });
    await h.sim.flushWebhooks();
    row = await h.waitForMessage(messageId, (m) => m.status === "sent");
    expect(row.wamid).toBe(received[0]!.wamid);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
  });

  it("a crash after Graph accepted and before Parley recorded it → no second send after restart; the status webhook reconciles", async () => {
    const { waId, messageId } = await queueText();
    // Worker 1 "dies" between Meta's answer and the database update: its handler never returns.
    const dying = run({ afterGraphAnswer: () => new Promise<void>(() => undefined) });
    await h.waitForMessage(messageId, (row) => row.status === "sending");
    await delay(100);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
    await dying.stop(100);
    worker = undefined;

    // A new worker reclaims the dead worker's job once its lock expires, finds the row `sending`, and does not call Graph.
    run({ visibilityTimeoutMs: 300, reconciliationWindowMs: 60_000 });
    await delay(1_500);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
    expect((await h.message(messageId)).status).toBe("sending");

    const [received] = h.sim.listReceived(waId);
    h.sim.advanceStatuses({ wamid: received!.wamid, to: "delivered" });
    await h.sim.flushWebhooks();
    const row = await h.waitForMessage(messageId, (m) => m.status === "delivered");
    expect(row.wamid).toBe(received!.wamid);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
  });

  it("a dropped HTTP response: no resend; after the window the message is `unknown` with an alert; a late webhook still reconciles", async () => {
    const { waId, messageId } = await queueText();
    h.sim.configureFaults({ dropNextResponses: 1 });
    run({ reconciliationWindowMs: 500 });
    const row = await h.waitForMessage(messageId, (m) => m.status === "unknown");
    expect(row.send_error).toMatch(/not sent again/);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
    expect(h.logs.records().some((record) => record.alert === "whatsapp_send_unknown" && record.messageId === messageId)).toBe(true);

    const [received] = h.sim.listReceived(waId);
    h.sim.advanceStatuses({ wamid: received!.wamid, to: "sent" });
    await h.sim.flushWebhooks();
    const late = await h.waitForMessage(messageId, (m) => m.status === "sent");
    expect(late.wamid).toBe(received!.wamid);
    expect(h.sim.listReceived(waId)).toHaveLength(1);
  });
});

describe("190: the number's token is refused", () => {
  it("marks the number credentials_invalid, stops sending from it, alerts without the token", async () => {
    const { waId, messageId } = await queueText();
    h.sim.configureFaults({ failNextSends: { count: 1, code: 190, mode: "sync" } });
    run();
    const row = await h.waitForMessage(messageId, settled);
    expect(row.status).toBe("failed");
    expect(row.error_code).toBe(190);
    expect(row.send_error).toMatch(/access token/);
    expect(h.sim.listReceived(waId)).toHaveLength(0);
    const number = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("numbers").select("status").where("id", "=", h.number.id).executeTakeFirstOrThrow(),
    );
    expect(number.status).toBe("credentials_invalid");
    expect(h.logs.records().some((record) => record.alert === "whatsapp_token_invalid")).toBe(true);
    expect(h.logs.text()).not.toContain(h.sim.credentials().accessToken);

    // New sends are refused up front; messages queued before the refusal fail without a Graph call.
    const inbound = await h.customerWrites(nextPhone());
    const refused = await h.send({ conversationId: inbound.conversationId, type: "text", text: { body: "no" } });
    expect(refused.status).toBe(422);
    expect((refused.json.error as { details: { reason: string } }).details.reason).toBe("number_credentials_invalid");
  });
});
