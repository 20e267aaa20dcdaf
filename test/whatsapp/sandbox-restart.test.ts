import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import { createParleyEnvironment, freePort, startParleyProcess, type ParleyEnvironment } from "../support/parley-process.ts";
import { poll } from "../support/poll.ts";

// The sandbox survives a restart, through the real `parley start`: the built-in simulator keeps
// its state in memory, so a second start must put every connected sandbox number back on it from
// the database. After stopping and starting on the same data directory, a reply to the
// conversation from before (its 24-hour window still open) is delivered and read, and a new
// customer message arrives.

const CUSTOMER = "4915100000077";
/** A real `parley start` in a child process answers more slowly than one in this process. */
const RESTART_PACE = { timeoutMs: 30_000, intervalMs: 200 };
let run: ParleyEnvironment;
let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  run = await createParleyEnvironment({ PARLEY_PORT: String(await freePort()), PARLEY_HOST: "127.0.0.1" });
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await run.cleanup();
});

async function start(): Promise<{ address: string; setupToken: string | undefined }> {
  const started = await startParleyProcess(run.env, 90_000);
  child = started.child;
  return { address: started.address, setupToken: /setup#token=([A-Za-z0-9_-]+)/.exec(started.stdout())?.[1] };
}

async function stop(): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
  child!.kill("SIGTERM");
  const code = await exited;
  child = undefined;
  return code;
}

type Json = Record<string, unknown>;

function client(address: string, token?: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
}

type Message = { id: string; direction: "in" | "out"; text: string | null; status: string };

describe("the sandbox across a restart", () => {
  it("keeps delivering customer messages and statuses to a sandbox number connected before the restart", async () => {
    const first = await start();
    const anonymous = client(first.address);
    const password = "correct horse battery staple sandbox";
    const setup = await anonymous("POST", "/api/v1/setup", {
      token: first.setupToken,
      email: "owner@sandbox.test",
      password,
      workspaceName: "Sandbox Co",
    });
    expect(setup.status).toBe(201);
    const workspaceId = setup.body.workspaceId as string;
    const enrolling = client(first.address, setup.body.accessToken as string);
    const enrollment = await enrolling("POST", "/api/v1/me/mfa/totp");
    const secret = decodeBase32(enrollment.body.secret as string);
    expect((await enrolling("POST", "/api/v1/me/mfa/totp/confirm", { code: totp(secret, Date.now()) })).status).toBe(200);
    const signedIn = await anonymous("POST", "/api/v1/auth/login", {
      email: "owner@sandbox.test",
      password,
      totp: totp(secret, Date.now() + 30_000),
    });
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.accessToken as string;
    let call = client(first.address, token);

    const connected = await call("POST", `/api/v1/workspaces/${workspaceId}/numbers/sandbox`);
    expect(connected.status).toBe(201);
    const numberId = connected.body.id as string;
    const panel = `/api/v1/workspaces/${workspaceId}/numbers/${numberId}/sandbox`;
    expect(
      (await call("POST", `${panel}/messages`, { customerPhone: CUSTOMER, customerName: "Dana", type: "text", text: "Before the restart" }))
        .status,
    ).toBe(201);
    const [conversation] = await poll(
      async () =>
        (await call("GET", `/api/v1/workspaces/${workspaceId}/conversations?view=all`)).body.data as {
          id: string;
          lastMessage: { text: string | null } | null;
        }[],
      (list) => list[0]?.lastMessage?.text === "Before the restart",
      RESTART_PACE,
    );
    const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversation!.id}/messages`;
    expect(await stop()).toBe(0);

    // Second start on the same data directory: the simulator begins empty and is restored.
    const second = await start();
    call = client(second.address, token);

    // A reply from the inbox, in the window the customer opened before the restart: Parley sees
    // it delivered and read (the status webhooks reach it), and the customer's phone shows it.
    const reply = await call("POST", `/api/v1/workspaces/${workspaceId}/messages`, {
      conversationId: conversation!.id,
      type: "text",
      text: { body: "Replying after the restart" },
    });
    expect(reply.status).toBe(202);
    const replied = await poll(
      async () => ((await call("GET", messagesPath)).body.data as Message[]).find((message) => message.id === reply.body.id),
      (message) => message?.status === "read",
      RESTART_PACE,
    );
    expect(replied).toMatchObject({ direction: "out", text: "Replying after the restart", status: "read" });
    const phone = (await call("GET", `${panel}/customers/${CUSTOMER}/messages`)).body.messages as {
      direction: string;
      text: string;
      statuses: { status: string }[];
    }[];
    expect(phone.find((message) => message.text === "Replying after the restart")?.statuses.map((step) => step.status)).toEqual([
      "accepted",
      "sent",
      "delivered",
      "read",
    ]);

    // A new customer message arrives in the same conversation.
    expect((await call("POST", `${panel}/messages`, { customerPhone: CUSTOMER, type: "text", text: "After the restart" })).status).toBe(
      201,
    );
    const messages = await poll(
      async () => (await call("GET", messagesPath)).body.data as Message[],
      (list) => list.some((message) => message.text === "After the restart"),
      RESTART_PACE,
    );
    expect(messages.filter((message) => message.direction === "in").map((message) => message.text)).toEqual([
      "After the restart",
      "Before the restart",
    ]);
    expect(await stop()).toBe(0);
  }, 300_000);
});
