import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import { childProcessEnv } from "../support/engine.ts";
import { createParleyEnvironment, runParley, type ParleyEnvironment } from "../support/parley-process.ts";

// Issue "identity, access and audit", tried as a new user would, through the real `parley`
// process: setup link → Owner with MFA → invites an Agent → the Agent signs in and reaches only
// what the matrix allows (a sandbox number is connected on the way) → the Owner removes the Agent → the Agent's next request is 401 →
// `parley audit verify` passes, and fails once one entry is edited in SQL.

let run: ParleyEnvironment;
let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  run = await createParleyEnvironment({ PARLEY_PORT: "0" });
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await run.cleanup();
});

async function start(): Promise<{ address: string; setupToken: string }> {
  child = spawn(process.execPath, ["bin/parley.mjs", "start"], { env: { ...childProcessEnv, ...run.env } });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const deadline = Date.now() + 45_000;
  while (!/setup#token=([A-Za-z0-9_-]+)/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`parley did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { address: /Listening on (\S+)/.exec(out)![1]!, setupToken: /setup#token=([A-Za-z0-9_-]+)/.exec(out)![1]! };
}

async function stop(): Promise<void> {
  const exited = new Promise((resolve) => child!.once("exit", resolve));
  child!.kill("SIGTERM");
  await exited;
  child = undefined;
}

type Answer = { status: number; body: Record<string, unknown> };

function client(address: string) {
  return async (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> => {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body ? { "content-type": "application/json" } : {}),
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

describe("a new team, end to end", () => {
  it("sets up an Owner with MFA, invites and removes an Agent, and the audit log proves it", async () => {
    const { address, setupToken } = await start();
    const call = client(address);
    const ownerPassword = "correct horse battery staple owner";

    // 1. The setup link creates the Owner, who must enroll TOTP before anything else.
    const setup = await call("POST", "/api/v1/setup", {
      body: { token: setupToken, email: "owner@acme.test", password: ownerPassword, workspaceName: "Acme" },
    });
    expect(setup.status).toBe(201);
    const workspaceId = setup.body.workspaceId as string;
    let ownerToken = setup.body.accessToken as string;
    expect((await call("GET", `/api/v1/workspaces/${workspaceId}`, { token: ownerToken })).body).toMatchObject({
      error: { code: "MFA_ENROLLMENT_REQUIRED" },
    });
    const enrollment = await call("POST", "/api/v1/me/mfa/totp", { token: ownerToken });
    expect(enrollment.status).toBe(200);
    const secret = decodeBase32(enrollment.body.secret as string);
    const confirmed = await call("POST", "/api/v1/me/mfa/totp/confirm", { token: ownerToken, body: { code: totp(secret, Date.now()) } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    // A fresh sign-in with password + TOTP (the confirmation code's step is used: take the next one).
    const signedIn = await call("POST", "/api/v1/auth/login", {
      body: { email: "owner@acme.test", password: ownerPassword, totp: totp(secret, Date.now() + 30_000) },
    });
    expect(signedIn.status).toBe(200);
    ownerToken = signedIn.body.accessToken as string;
    expect((await call("GET", `/api/v1/workspaces/${workspaceId}`, { token: ownerToken })).status).toBe(200);

    // In sandbox mode (the default) the built-in simulator's number connects in one step.
    const sandbox = await call("POST", `/api/v1/workspaces/${workspaceId}/numbers/sandbox`, { token: ownerToken });
    expect(sandbox.status).toBe(201);
    expect(sandbox.body).toMatchObject({ mode: "sandbox", status: "active", webhookUrl: expect.stringContaining("/webhooks/whatsapp/") });
    expect(JSON.stringify(sandbox.body)).not.toMatch(/"accessToken"|"appSecret"/);

    // 2. The Owner invites an Agent, who accepts and signs in.
    const invitation = await call("POST", `/api/v1/workspaces/${workspaceId}/invitations`, {
      token: ownerToken,
      body: { email: "agent@acme.test", role: "agent" },
    });
    expect(invitation.status).toBe(201);
    const inviteToken = /#token=(.+)$/.exec(invitation.body.link as string)![1]!;
    const agentPassword = "a long and private agent passphrase";
    const accepted = await call("POST", "/api/v1/invitations/accept", { body: { token: inviteToken, password: agentPassword } });
    expect(accepted.body).toMatchObject({ workspaceId, role: "agent", newAccount: true });
    const agentLogin = await call("POST", "/api/v1/auth/login", { body: { email: "agent@acme.test", password: agentPassword } });
    expect(agentLogin.status).toBe(200);
    const agentToken = agentLogin.body.accessToken as string;
    const me = await call("GET", "/api/v1/me", { token: agentToken });
    const agentId = (me.body.user as { id: string }).id;

    // 3. The Agent reaches only what the matrix allows.
    expect((await call("GET", `/api/v1/workspaces/${workspaceId}`, { token: agentToken })).status).toBe(200);
    expect((await call("GET", `/api/v1/workspaces/${workspaceId}/audit`, { token: agentToken })).status).toBe(403);
    expect((await call("GET", `/api/v1/workspaces/${workspaceId}/api-keys`, { token: agentToken })).status).toBe(403);
    expect(
      (
        await call("POST", `/api/v1/workspaces/${workspaceId}/invitations`, {
          token: agentToken,
          body: { email: "x@acme.test", role: "agent" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call("PATCH", `/api/v1/workspaces/${workspaceId}/members/${agentId}`, { token: agentToken, body: { role: "owner" } })).status,
    ).toBe(403);

    // 4. The Owner removes the Agent; the Agent's very next request is refused as unauthenticated.
    expect((await call("DELETE", `/api/v1/workspaces/${workspaceId}/members/${agentId}`, { token: ownerToken })).status).toBe(204);
    expect((await call("GET", `/api/v1/workspaces/${workspaceId}`, { token: agentToken })).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: agentToken })).status).toBe(401);

    // The audit log holds the story, in order.
    const audit = await call("GET", `/api/v1/workspaces/${workspaceId}/audit`, { token: ownerToken });
    const actions = (audit.body.entries as Array<{ action: string }>).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(["setup.completed", "workspace.created", "invitation.created", "invitation.accepted", "member.removed"]),
    );
    await stop();

    // 5. `parley audit verify` passes on the intact log (after signing a checkpoint)…
    expect((await runParley(run.env, "audit", "checkpoint")).code).toBe(0);
    const intact = await runParley(run.env, "audit", "verify");
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/intact/);

    // …and fails, naming the entry, once one entry is edited in SQL as the database owner.
    const db = await openDatabase(loadConfig(run.env).database);
    try {
      await db.owner
        .updateTable("audit_entries")
        .set({ action: "member.role_changed" })
        .where("workspace_id", "=", workspaceId)
        .where("seq", "=", 3)
        .execute();
    } finally {
      await db.close();
    }
    const tampered = await runParley(run.env, "audit", "verify", "--workspace", workspaceId);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/first bad entry seq 3 \(edited\)/);
  }, 180_000);
});
