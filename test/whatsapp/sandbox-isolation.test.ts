import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../sim/index.ts";
import type { Simulator } from "../../sim/index.ts";
import { startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { insertNumber, loadNumberCredentials } from "../../src/features/numbers/repository.ts";
import { createLogger } from "../../src/log/logger.ts";
import { addMember, bearer, createWorkspaceWithOwner, login } from "../support/identity.ts";
import { createParleyEnvironment, freePort, type ParleyEnvironment } from "../support/parley-process.ts";
import { poll } from "../support/poll.ts";
import { captureLogs } from "../support/services.ts";

// The built-in sandbox is private to each workspace: every workspace's sandbox number is its own
// account on the simulator (phone number id, WABA, token, app secret, webhook target). A customer
// message to one number lands in that workspace only, each delivery is signed with that
// workspace's own app secret, and the sandbox customer panel's API reaches only the caller's own
// sandbox number.

const CUSTOMER = "4915100000042";
let env: ParleyEnvironment;
let parley: Parley;
let app: FastifyInstance;
let sim: Simulator;

type Side = {
  workspaceId: string;
  headers: { authorization: string };
  numberId: string;
  phoneNumberId: string;
  appSecret: string;
  webhookKey: string;
};
const sides: Record<"a" | "b", Side> = {} as Record<"a" | "b", Side>;

async function call(method: "GET" | "POST", url: string, headers: Record<string, string>, payload?: unknown) {
  const response = await app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: response.statusCode, json: response.json<Record<string, unknown>>() };
}

type Conversation = { id: string; lastMessage: { text: string | null } | null };
const conversationsOf = async (side: Side) =>
  (await call("GET", `/api/v1/workspaces/${side.workspaceId}/conversations?view=all`, side.headers)).json.data as Conversation[];

beforeAll(async () => {
  const port = await freePort();
  env = await createParleyEnvironment({ PARLEY_PORT: String(port), PARLEY_HOST: "127.0.0.1", PARLEY_WHATSAPP_MODE: "sandbox" });
  parley = await startParley(
    loadConfig({ PARLEY_ENV: "development", ...env.env }),
    createLogger({ level: "warn", destination: captureLogs().destination }),
  );
  app = parley.http!;
  sim = parley.services.sandbox!;
  for (const name of ["a", "b"] as const) {
    const { workspaceId, owner } = await createWorkspaceWithOwner(parley.services, { name: `Workspace ${name}` });
    const headers = bearer(await login(app, owner));
    const connected = await call("POST", `/api/v1/workspaces/${workspaceId}/numbers/sandbox`, headers);
    expect(connected.status).toBe(201);
    const numberId = connected.json.id as string;
    const credentials = await withWorkspace(parley.services.db, { workspaceId }, (trx) =>
      loadNumberCredentials(trx, parley.services.keyring, workspaceId, numberId),
    );
    sides[name] = {
      workspaceId,
      headers,
      numberId,
      phoneNumberId: credentials!.phoneNumberId,
      appSecret: credentials!.appSecret,
      webhookKey: /\/webhooks\/whatsapp\/([A-Za-z0-9_-]+)$/.exec(connected.json.webhookUrl as string)![1]!,
    };
  }
}, 120_000);

afterAll(async () => {
  await parley?.stop();
  await env?.cleanup();
});

describe("the sandbox is private to its workspace", () => {
  it("gives each workspace its own phone number id, WABA, token and app secret", () => {
    const { a, b } = sides;
    expect(a.phoneNumberId).not.toBe(b.phoneNumberId);
    expect(a.appSecret).not.toBe(b.appSecret);
    const accounts = [...sim.state.accounts.values()];
    expect(accounts.map((account) => account.phoneNumberId).sort()).toEqual([a.phoneNumberId, b.phoneNumberId].sort());
    expect(new Set(accounts.map((account) => account.wabaId)).size).toBe(2);
    expect(new Set(accounts.map((account) => account.accessToken)).size).toBe(2);
    expect(accounts.find((account) => account.phoneNumberId === a.phoneNumberId)?.appSecret).toBe(a.appSecret);
  });

  it("delivers a customer's message to each number to its own workspace only, signed with that workspace's secret", async () => {
    const { a, b } = sides;
    // The same customer writes to both numbers through each workspace's sandbox customer panel.
    for (const [side, text] of [
      [a, "Hello workspace A"],
      [b, "Hello workspace B"],
    ] as const) {
      const written = await call("POST", `/api/v1/workspaces/${side.workspaceId}/numbers/${side.numberId}/sandbox/messages`, side.headers, {
        customerPhone: CUSTOMER,
        type: "text",
        text,
      });
      expect(written.status).toBe(201);
    }
    const inA = await poll(
      () => conversationsOf(a),
      (list) => list.length > 0 && list[0]?.lastMessage !== null,
    );
    const inB = await poll(
      () => conversationsOf(b),
      (list) => list.length > 0 && list[0]?.lastMessage !== null,
    );
    await sim.flushWebhooks();
    expect(inA.map((conversation) => conversation.lastMessage?.text)).toEqual(["Hello workspace A"]);
    expect(inB.map((conversation) => conversation.lastMessage?.text)).toEqual(["Hello workspace B"]);

    // Every delivery went to its own number's URL, signed with its own app secret and not the other's.
    const deliveries = sim.listWebhookDeliveries().filter((delivery) => delivery.body.includes(CUSTOMER));
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    for (const delivery of deliveries) {
      const [own, other] = delivery.body.includes(`"phone_number_id":"${a.phoneNumberId}"`) ? [a, b] : [b, a];
      expect(delivery.body).toContain(`"phone_number_id":"${own.phoneNumberId}"`);
      expect(delivery.body).not.toContain(other.phoneNumberId);
      expect(delivery.url.endsWith(`/webhooks/whatsapp/${own.webhookKey}`)).toBe(true);
      expect(verifyWebhookSignature(own.appSecret, Buffer.from(delivery.body), delivery.signature)).toBe(true);
      expect(verifyWebhookSignature(other.appSecret, Buffer.from(delivery.body), delivery.signature)).toBe(false);
    }
  });

  it("shows a workspace's panel only what its own number sent the customer", async () => {
    const { a, b } = sides;
    const [conversation] = await conversationsOf(a);
    const sent = await call("POST", `/api/v1/workspaces/${a.workspaceId}/messages`, a.headers, {
      conversationId: conversation!.id,
      type: "text",
      text: { body: "Only for A's customer" },
    });
    expect(sent.status).toBe(202);
    const threadOf = async (side: Side) =>
      (
        await call(
          "GET",
          `/api/v1/workspaces/${side.workspaceId}/numbers/${side.numberId}/sandbox/customers/${CUSTOMER}/messages`,
          side.headers,
        )
      ).json.messages as {
        direction: string;
        text: string | null;
        status: string | null;
      }[];
    const threadA = await poll(
      () => threadOf(a),
      (messages) => messages.some((message) => message.direction === "business" && message.status === "read"),
    );
    expect(threadA.map((message) => [message.direction, message.text])).toEqual([
      ["customer", "Hello workspace A"],
      ["business", "Only for A's customer"],
    ]);
    expect((await threadOf(b)).map((message) => [message.direction, message.text])).toEqual([["customer", "Hello workspace B"]]);
  });

  it("lets the customer tap a reply button the number sent, and the tap arrives in the conversation", async () => {
    const { a } = sides;
    const [conversation] = await conversationsOf(a);
    const sent = await call("POST", `/api/v1/workspaces/${a.workspaceId}/messages`, a.headers, {
      conversationId: conversation!.id,
      type: "interactive",
      interactive: {
        type: "button",
        body: "Shall we ship today?",
        buttons: [
          { id: "ship-yes", title: "Yes please" },
          { id: "ship-no", title: "Not yet" },
        ],
      },
    });
    expect(sent.status).toBe(202);
    const thread = `/api/v1/workspaces/${a.workspaceId}/numbers/${a.numberId}/sandbox/customers/${CUSTOMER}/messages`;
    type Shown = { direction: string; wamid: string; text: string | null; buttons: { id: string; title: string }[] };
    const shown = await poll(
      async () => (await call("GET", thread, a.headers)).json.messages as Shown[],
      (messages) => messages.some((message) => message.buttons.length > 0),
    );
    const question = shown.find((message) => message.buttons.length > 0)!;
    expect(question).toMatchObject({
      direction: "business",
      text: "Shall we ship today?",
      buttons: [
        { id: "ship-yes", title: "Yes please" },
        { id: "ship-no", title: "Not yet" },
      ],
    });
    const tapped = await call("POST", `/api/v1/workspaces/${a.workspaceId}/numbers/${a.numberId}/sandbox/messages`, a.headers, {
      customerPhone: CUSTOMER,
      type: "button_reply",
      replyTo: question.wamid,
      buttonId: "ship-yes",
      title: "Yes please",
    });
    expect(tapped.status).toBe(201);
    const messages = await poll(
      async () =>
        (await call("GET", `/api/v1/workspaces/${a.workspaceId}/conversations/${conversation!.id}/messages`, a.headers)).json.data as {
          direction: string;
          type: string;
          text: string | null;
        }[],
      (list) => list.some((message) => message.direction === "in" && message.type === "interactive"),
    );
    expect(messages.find((message) => message.direction === "in" && message.type === "interactive")?.text).toBe("Yes please");
  });

  it("keeps the built-in simulator's control API closed to other local processes", async () => {
    for (const path of ["/_sim/credentials", `/_sim/customers/${CUSTOMER}/received`]) {
      const response = await fetch(`${sim.url()}${path}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: "unauthorized" });
    }
    const forged = await fetch(`${sim.url()}/_sim/customers/${CUSTOMER}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer guessed" },
      body: JSON.stringify({ type: "text", text: "forged", phoneNumberId: sides.a.phoneNumberId }),
    });
    expect(forged.status).toBe(401);
    expect(sim.listSent(CUSTOMER).map((message) => message.message.text)).not.toContainEqual({ body: "forged" });
  });

  it("refuses another workspace's number, live numbers and members without numbers.manage", async () => {
    const { a, b } = sides;
    const write = (side: Side, numberId: string, headers = side.headers) =>
      call("POST", `/api/v1/workspaces/${side.workspaceId}/numbers/${numberId}/sandbox/messages`, headers, {
        customerPhone: CUSTOMER,
        type: "text",
        text: "x",
      });
    expect((await write(a, b.numberId)).status).toBe(404);
    expect(
      (await call("GET", `/api/v1/workspaces/${a.workspaceId}/numbers/${b.numberId}/sandbox/customers/${CUSTOMER}/messages`, a.headers))
        .status,
    ).toBe(404);

    const liveId = randomUUID();
    await withWorkspace(parley.services.db, { workspaceId: a.workspaceId }, (trx) =>
      insertNumber(trx, parley.services.keyring, {
        workspaceId: a.workspaceId,
        id: liveId,
        mode: "live",
        wabaId: "900000000000001",
        phoneNumberId: "900000000000002",
        appId: null,
        displayPhoneNumber: null,
        accessToken: "live-token-for-tests",
        accessTokenExpiresAt: null,
        appSecret: "live-secret-for-tests",
        verifyToken: "live-verify-for-tests",
        tier: 80,
        webhookKey: randomUUID().replaceAll("-", ""),
      }),
    );
    const live = await write(a, liveId);
    expect(live.status).toBe(422);
    expect(live.json.error).toMatchObject({ code: "UNPROCESSABLE", details: { reason: "not_sandbox" } });

    const agent = await addMember(parley.services, a.workspaceId, "agent");
    const agentHeaders = bearer(await login(app, agent));
    expect((await write(a, a.numberId, agentHeaders)).status).toBe(403);

    // A button reply must answer a message this number sent this customer.
    const stray = await call("POST", `/api/v1/workspaces/${a.workspaceId}/numbers/${a.numberId}/sandbox/messages`, a.headers, {
      customerPhone: CUSTOMER,
      type: "button_reply",
      replyTo: "wamid.not-sent-by-this-number",
      buttonId: "yes",
      title: "Yes",
    });
    expect(stray.status).toBe(422);
  });
});
