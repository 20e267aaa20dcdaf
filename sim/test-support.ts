// Helpers for the simulator's own tests: a webhook receiver that keeps the exact bytes it got,
// and a small Graph client.
import { createServer } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { createSimulator } from "./simulator.ts";
import type { Simulator } from "./simulator.ts";
import type { SimulatorOptions } from "./options.ts";

export type ReceivedWebhook = { headers: IncomingHttpHeaders; raw: Buffer; json: WebhookEnvelope };

export type WebhookEnvelope = {
  object: string;
  entry: { id: string; time?: number; changes: { field: string; value: Record<string, unknown> }[] }[];
};

export type WebhookReceiver = {
  url: string;
  received: ReceivedWebhook[];
  // Status codes to answer with, in order; 200 once exhausted.
  respondWith(statuses: number[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  waitUntil(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let planned: number[] = [];
  const server = createServer((request, response) => {
    if (request.method === "GET") {
      // Verification handshake: echo hub.challenge when the verify token matches.
      const query = new URL(request.url ?? "/", "http://localhost").searchParams;
      const ok = query.get("hub.mode") === "subscribe" && query.get("hub.verify_token") === "sandbox-verify-token";
      response.statusCode = ok ? 200 : 403;
      response.end(ok ? (query.get("hub.challenge") ?? "") : "");
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const status = planned.shift() ?? 200;
      if (status === 200) received.push({ headers: request.headers, raw, json: JSON.parse(raw.toString("utf8")) as WebhookEnvelope });
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    respondWith(statuses) {
      planned = [...statuses];
    },
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return received;
    },
    async waitUntil(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`condition not met after ${received.length} webhooks`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Harness = {
  sim: Simulator;
  receiver: WebhookReceiver;
  baseUrl: string;
  token: string;
  phoneNumberId: string;
  graph(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; json: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
};

export const HOUR_MS = 60 * 60 * 1000;

/**
 * A harness on a manual clock for the hourly limits, with template reviews set far out, so that
 * moving the clock through an hour sends no review webhooks.
 */
export function startHourlyLimitHarness(options: SimulatorOptions = {}): Promise<Harness> {
  return startHarness({ clock: { manualStartMs: Date.UTC(2026, 4, 1) }, templateReviewDelayMs: 1_000 * HOUR_MS, ...options });
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const receiver = await startWebhookReceiver();
  const sim = createSimulator({ webhookUrl: receiver.url, ...options });
  const baseUrl = await sim.listen(0);
  const { accessToken: token, phoneNumbers } = sim.credentials();
  return {
    sim,
    receiver,
    baseUrl,
    token,
    phoneNumberId: phoneNumbers[0]?.id ?? "",
    async graph(method, path, body, tokenOverride) {
      const headers: Record<string, string> = {};
      const bearer = tokenOverride === undefined ? token : tokenOverride;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, text, json: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}

export function changesOf(webhooks: ReceivedWebhook[]): { field: string; value: Record<string, unknown> }[] {
  return webhooks.flatMap((w) => w.json.entry.flatMap((e) => e.changes));
}

export function statusesOf(webhooks: ReceivedWebhook[]): { id: string; status: string; [key: string]: unknown }[] {
  return changesOf(webhooks).flatMap((c) => (c.value.statuses as { id: string; status: string }[] | undefined) ?? []);
}

/**
 * The error body the simulator must answer with, in Graph's shape (reference/cloud-api.md): the
 * message, `OAuthException`, the code, the subcode when there is one, the details, any trace id.
 */
export function graphErrorBody(error: { message: string; code: number; subcode?: number; details: string }) {
  return {
    error: {
      message: error.message,
      type: "OAuthException",
      code: error.code,
      ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
      error_data: { messaging_product: "whatsapp", details: error.details },
      fbtrace_id: expect.any(String) as unknown,
    },
  };
}

/**
 * One of Graph's own errors (a parameter, a token, an object, a path): the message is the whole
 * explanation, with no error_data, e.g. "(#100) The parameter to is required.".
 */
export function graphPlatformErrorBody(error: {
  message: string;
  code: number;
  subcode?: number;
  type?: "OAuthException" | "GraphMethodException";
}) {
  return {
    error: {
      message: error.message,
      type: error.type ?? "OAuthException",
      code: error.code,
      ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
      fbtrace_id: expect.any(String) as unknown,
    },
  };
}
