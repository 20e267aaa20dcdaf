import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvKeyProvider, openKeyProvider, type KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring } from "../crypto/keyring.ts";
import { withAuditLog } from "../audit/scope.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/engine.ts";
import { runKeysRotate, runKeysStatus } from "./keys.ts";

let db: TestDatabase;
let dir: string;
let keyPath: string;
let provider: KeyProvider;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-cli-keys-"));
  keyPath = join(dir, "master.key");
  provider = await openKeyProvider({ kind: "file", path: keyPath, allowedInProduction: false }, { isProduction: false });
  db = await createTestDatabase();
  const keyring = createKeyring({ provider });
  for (let i = 0; i < 3; i += 1) {
    const id = randomUUID();
    await withWorkspace(db, { workspaceId: id }, async (trx) => {
      await trx
        .insertInto("workspaces")
        .values({ id, name: `W${i}`, region: "local" })
        .execute();
      await keyring.createWorkspaceKey(trx, id);
    });
  }
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

function output() {
  const chunks: string[] = [];
  return { text: () => chunks.join(""), out: { isTTY: false, write: (chunk: string) => chunks.push(chunk) } };
}

describe("parley keys", () => {
  it("status reports provider, versions and workspace keys per KEK version, as text and JSON", async () => {
    const text = output();
    // Either the provider or a keyring (as the CLI passes it) will do.
    await runKeysStatus({ db, keyring: createKeyring({ provider }), out: text.out });
    expect(text.text()).toContain(`Key provider:    file (${keyPath})`);
    expect(text.text()).toContain("KEK versions:    1 (primary 1)");
    expect(text.text()).toContain("KEK v1: 3 (primary)");

    const json = output();
    const status = await runKeysStatus({ db, provider, out: json.out, json: true });
    expect(JSON.parse(json.text())).toEqual(status);
    expect(status.workspaceKeys).toEqual({ total: 3, byKekVersion: [{ kekVersion: 1, count: 3, available: true }], pendingRewrap: 0 });
  });

  it("rotate adds a version, shows progress and prints no key material", async () => {
    const run = output();
    const result = await runKeysRotate({ db, provider, out: run.out, batchSize: 1 });
    expect(result).toMatchObject({ addedVersion: 2, primary: 2, rewrapped: 3 });
    const text = run.text();
    expect(text).toContain("Rewrapping workspace keys [------------------------------] 0/3 0%");
    expect(text).toContain("Rewrapping workspace keys [##############################] 3/3 100%");
    expect(text).toContain("Added KEK version 2; it is now the primary version.");
    expect(text).toContain("Rewrapped 3 workspace keys under KEK version 2. Data rows were not touched.");
    expect(text).toContain(`Back up ${keyPath} now`);
    const file = JSON.parse(await readFile(keyPath, "utf8")) as { keys: Array<{ key: string }> };
    for (const entry of file.keys) expect(text).not.toContain(entry.key);
    const audited = await withAuditLog(db, null, (trx) =>
      trx.selectFrom("audit_entries").select(["action", "metadata"]).where("action", "=", "keys.rotated").execute(),
    );
    expect(audited).toEqual([{ action: "keys.rotated", metadata: { kekVersion: 2, rewrapped: 3, resumed: false } }]);
  });

  it("status flags an unfinished rotation and a missing KEK version; --resume finishes it", async () => {
    await provider.addVersion();
    const partial = output();
    await runKeysStatus({ db, provider, out: partial.out });
    expect(partial.text()).toContain("3 workspace key(s) are not yet under the primary version: run `parley keys rotate --resume`.");

    const stranger = createEnvKeyProvider(randomBytes(32).toString("base64"));
    const missing = output();
    await runKeysStatus({ db, provider: stranger, out: missing.out });
    expect(missing.text()).toContain("KEK v2: 3 (MISSING from the key provider)");

    const resumed = output();
    const result = await runKeysRotate({ db, provider, out: resumed.out, resume: true });
    expect(result).toEqual({ addedVersion: undefined, primary: 3, total: 3, rewrapped: 3 });
    expect(resumed.text()).not.toContain("Added KEK version");
  });

  it("rotate with PARLEY_MASTER_KEY and no new version explains what to do", async () => {
    const file = JSON.parse(await readFile(keyPath, "utf8")) as { keys: Array<{ version: number; key: string }> };
    const env = createEnvKeyProvider(file.keys.map((entry) => `${entry.version}:${entry.key}`).join(","));
    await expect(runKeysRotate({ db, provider: env, out: output().out })).rejects.toThrow(/add it as a new entry "4:<key>"/);
  });
});
