import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { openKeyProvider } from "../../src/crypto/key-provider.ts";
import { createKeyring } from "../../src/crypto/keyring.ts";
import { openDatabase } from "../../src/db/database.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createContact, findContactByPhone } from "../../src/features/contacts/repository.ts";
import { createParleyEnvironment, startParleyProcess, type ParleyEnvironment, type StartedParley } from "../support/parley-process.ts";

// A new user's first minutes, through the real `parley` command: `npm start` with no
// configuration prints where it listens and a one-time setup link, /healthz answers, and after a
// stop and a second start the data is still there.

let run: ParleyEnvironment;

type Running = StartedParley;

async function startParley(): Promise<Running> {
  return startParleyProcess(run.env, 45_000);
}

async function stopParley(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once("exit", (code) => resolve(code)));
  running.child.kill("SIGTERM");
  return exited;
}

beforeAll(async () => {
  run = await createParleyEnvironment({ PARLEY_PORT: "0" });
});
afterAll(async () => {
  await run.cleanup();
});

describe("first start", () => {
  it("prints the address and a one-time setup link, answers /healthz, and keeps its data across restarts", async () => {
    const first = await startParley();
    expect(first.setupUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup#token=[A-Za-z0-9_-]{43}$/);
    const health = await fetch(`${first.address}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(`${first.address}/readyz`)).status).toBe(200);
    expect(await stopParley(first)).toBe(0);

    // The key file was created private to its owner.
    const keyFile = join(run.dataDir, "master.key");
    expect((await stat(keyFile)).mode & 0o077).toBe(0);
    const keyFileBefore = await readFile(keyFile, "utf8");

    // Write data while Parley is stopped, through the same adapters it uses.
    const config = loadConfig(run.env);
    const workspaceId = crypto.randomUUID();
    {
      const db = await openDatabase(config.database);
      const keyring = createKeyring({ provider: await openKeyProvider(config.keys, { isProduction: false }) });
      await withWorkspace(db, { workspaceId }, async (trx) => {
        await trx.insertInto("workspaces").values({ id: workspaceId, name: "Acme", region: config.region }).execute();
        await keyring.createWorkspaceKey(trx, workspaceId);
        await createContact(trx, keyring, { workspaceId, phone: "+4915112345678", name: "Ada" });
      });
      await db.close();
    }

    const second = await startParley();
    expect(second.setupUrl).toBeDefined();
    expect(second.setupUrl).not.toBe(first.setupUrl);
    expect((await fetch(`${second.address}/healthz`)).status).toBe(200);
    expect(await stopParley(second)).toBe(0);

    expect(await readFile(keyFile, "utf8")).toBe(keyFileBefore);
    const db = await openDatabase(config.database);
    const keyring = createKeyring({ provider: await openKeyProvider(config.keys, { isProduction: false }) });
    const contact = await withWorkspace(db, { workspaceId }, (trx) => findContactByPhone(trx, keyring, workspaceId, "+49 151 12345678"));
    await db.close();
    expect(contact?.name).toBe("Ada");
  }, 120_000);
});
