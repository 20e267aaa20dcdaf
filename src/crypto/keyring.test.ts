import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../db/with-workspace.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/engine.ts";
import { DecryptionError, type FieldContext } from "./aead.ts";
import { createEnvKeyProvider, openKeyProvider, type KeyProvider } from "./key-provider.ts";
import { createKeyring, type Keyring } from "./keyring.ts";

let db: TestDatabase;
let dir: string;
let keyPath: string;
let provider: KeyProvider;
let keyring: Keyring;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-keyring-"));
  keyPath = join(dir, "master.key");
  provider = await openKeyProvider({ kind: "file", path: keyPath, allowedInProduction: false }, { isProduction: false });
  keyring = createKeyring({ provider });
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function createWorkspace(ring: Keyring = keyring): Promise<string> {
  const id = randomUUID();
  await withWorkspace(db, { workspaceId: id }, async (trx) => {
    await trx.insertInto("workspaces").values({ id, name: "Test", region: "local" }).execute();
    await ring.createWorkspaceKey(trx, id);
  });
  return id;
}

/** A keyring with no cache: every key comes from the database, through RLS. */
const coldKeyring = (from: KeyProvider = provider) => createKeyring({ provider: from, cache: { maxEntries: 0 } });

const secretField = (workspaceId: string, rowId = randomUUID()): FieldContext => ({
  workspaceId,
  table: "whatsapp_apps",
  column: "app_secret",
  rowId,
});

async function snapshotDataRows(): Promise<unknown[]> {
  const contacts = await db.owner.selectFrom("contacts").selectAll().orderBy("id").execute();
  const dataKeys = await db.owner.selectFrom("data_keys").selectAll().orderBy("id").execute();
  return [contacts, dataKeys];
}

describe("keyring", () => {
  it("stores workspace keys wrapped by the primary KEK, never in clear", async () => {
    const workspaceId = await createWorkspace();
    const row = await db.owner.selectFrom("workspace_keys").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 1, kek_version: 1, is_primary: true, rewrapped_at: null });
    expect(row.wrapped_key).toMatch(/^kek1\.1\./);
  });

  it("encrypts a secret under the workspace key and decrypts it, warm or cold", async () => {
    const workspaceId = await createWorkspace();
    const field = secretField(workspaceId);
    const envelope = await withWorkspace(db, { workspaceId }, (trx) => keyring.encryptSecret(trx, field, "s3cr3t-ü-🔑"));
    expect(envelope).toMatch(/^pv1\.w1\./);
    for (const ring of [keyring, coldKeyring()]) {
      await expect(withWorkspace(db, { workspaceId }, (trx) => ring.decrypt(trx, field, envelope))).resolves.toBe("s3cr3t-ü-🔑");
    }
  });

  it("refuses a secret moved to another row, column or workspace", async () => {
    const workspaceA = await createWorkspace();
    const workspaceB = await createWorkspace();
    const field = secretField(workspaceA);
    const envelope = await withWorkspace(db, { workspaceId: workspaceA }, (trx) => keyring.encryptSecret(trx, field, "token"));
    for (const ring of [keyring, coldKeyring()]) {
      const attempts: Array<[string, FieldContext]> = [
        [workspaceA, { ...field, rowId: randomUUID() }],
        [workspaceA, { ...field, column: "access_token" }],
        [workspaceB, { ...field, workspaceId: workspaceB }],
      ];
      for (const [context, moved] of attempts) {
        await expect(withWorkspace(db, { workspaceId: context }, (trx) => ring.decrypt(trx, moved, envelope))).rejects.toThrow(
          DecryptionError,
        );
      }
    }
  });

  it("cannot reach another workspace's keys through RLS", async () => {
    const workspaceA = await createWorkspace();
    const workspaceB = await createWorkspace();
    const field = secretField(workspaceA);
    const envelope = await withWorkspace(db, { workspaceId: workspaceA }, (trx) => keyring.encryptSecret(trx, field, "token"));
    // Even a caller that names workspace A while acting as B gets nothing: A's key row is invisible.
    await expect(withWorkspace(db, { workspaceId: workspaceB }, (trx) => coldKeyring().decrypt(trx, field, envelope))).rejects.toThrow(
      DecryptionError,
    );
  });

  it("encrypts under a data key, and shredding the key makes the data unreadable everywhere", async () => {
    const workspaceId = await createWorkspace();
    const rowId = randomUUID();
    const field: FieldContext = { workspaceId, table: "contacts", column: "name", rowId };
    const { dataKeyId, envelope } = await withWorkspace(db, { workspaceId }, async (trx) => {
      const id = await keyring.createDataKey(trx, workspaceId, "contact");
      return { dataKeyId: id, envelope: await keyring.encryptForSubject(trx, { ...field, dataKeyId: id }, "Ada Lovelace") };
    });
    expect(envelope.startsWith(`pv1.d${dataKeyId}.`)).toBe(true);
    await expect(withWorkspace(db, { workspaceId }, (trx) => coldKeyring().decrypt(trx, field, envelope))).resolves.toBe("Ada Lovelace");

    const shredded = await withWorkspace(db, { workspaceId }, (trx) => keyring.shredDataKey(trx, workspaceId, dataKeyId));
    expect(shredded).toBe(true);
    for (const ring of [keyring, coldKeyring()]) {
      await expect(withWorkspace(db, { workspaceId }, (trx) => ring.decrypt(trx, field, envelope))).rejects.toThrow(DecryptionError);
    }
  });

  it("creates and preloads many data keys in bulk, through RLS, skipping shredded ones", async () => {
    const workspaceId = await createWorkspace();
    const other = await createWorkspace();
    const made = await withWorkspace(db, { workspaceId }, async (trx) => {
      const list: Array<{ dataKeyId: string; field: FieldContext; envelope: string }> = [];
      const dataKeyIds = await keyring.createDataKeys(trx, workspaceId, "contact", 3);
      expect(new Set(dataKeyIds).size).toBe(3);
      for (let index = 0; index < 3; index += 1) {
        const dataKeyId = dataKeyIds[index]!;
        const field: FieldContext = { workspaceId, table: "contacts", column: "name", rowId: randomUUID() };
        list.push({ dataKeyId, field, envelope: await keyring.encryptForSubject(trx, { ...field, dataKeyId }, `Name ${index}`) });
      }
      await keyring.shredDataKey(trx, workspaceId, list[2]!.dataKeyId);
      return list;
    });
    const ids = made.map((entry) => entry.dataKeyId);
    // Each made key opens its data from the database alone (a keyring with no cache).
    for (const entry of made.slice(0, 2)) {
      await expect(withWorkspace(db, { workspaceId }, (trx) => coldKeyring().decrypt(trx, entry.field, entry.envelope))).resolves.toMatch(
        /^Name [01]$/,
      );
    }
    // From another workspace the keys are invisible: nothing is loaded.
    const outsider = createKeyring({ provider });
    await withWorkspace(db, { workspaceId: other }, (trx) => outsider.preloadDataKeys(trx, workspaceId, ids));
    const fresh = createKeyring({ provider });
    await withWorkspace(db, { workspaceId }, (trx) => fresh.preloadDataKeys(trx, workspaceId, [...ids, ...ids]));
    // Proof the keys came from the preload: with the rows gone, only the preloaded keyring decrypts.
    const saved = await db.owner.selectFrom("data_keys").selectAll().where("workspace_id", "=", workspaceId).execute();
    await db.owner.deleteFrom("data_keys").where("workspace_id", "=", workspaceId).execute();
    try {
      for (const entry of made.slice(0, 2)) {
        await expect(withWorkspace(db, { workspaceId }, (trx) => fresh.decrypt(trx, entry.field, entry.envelope))).resolves.toMatch(
          /^Name [01]$/,
        );
        await expect(withWorkspace(db, { workspaceId }, (trx) => outsider.decrypt(trx, entry.field, entry.envelope))).rejects.toThrow(
          DecryptionError,
        );
      }
      await expect(withWorkspace(db, { workspaceId }, (trx) => fresh.decrypt(trx, made[2]!.field, made[2]!.envelope))).rejects.toThrow(
        DecryptionError,
      );
    } finally {
      await db.owner.insertInto("data_keys").values(saved).execute();
    }
  });

  it("derives blind indexes per workspace and column, stable across keyring instances", async () => {
    const workspaceA = await createWorkspace();
    const workspaceB = await createWorkspace();
    const index = (ring: Keyring, workspaceId: string, column: "contacts.phone" | "contacts.email") =>
      withWorkspace(db, { workspaceId }, (trx) => ring.blindIndex(trx, workspaceId, column, "+4915112345678"));
    const a = await index(keyring, workspaceA, "contacts.phone");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await index(coldKeyring(), workspaceA, "contacts.phone")).toBe(a);
    expect(await index(keyring, workspaceB, "contacts.phone")).not.toBe(a);
    expect(await index(keyring, workspaceA, "contacts.email")).not.toBe(a);
  });
});

describe("KEK rotation", () => {
  const fixtures: Array<{
    workspaceId: string;
    field: FieldContext;
    secret: string;
    subjectField: FieldContext;
    envelope: string;
    subjectEnvelope: string;
  }> = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) {
      const workspaceId = await createWorkspace();
      const field = secretField(workspaceId);
      const subjectField: FieldContext = { workspaceId, table: "contacts", column: "name", rowId: randomUUID() };
      const secret = `secret-${i}`;
      const { envelope, subjectEnvelope } = await withWorkspace(db, { workspaceId }, async (trx) => {
        const dataKeyId = await keyring.createDataKey(trx, workspaceId, "contact");
        return {
          envelope: await keyring.encryptSecret(trx, field, secret),
          subjectEnvelope: await keyring.encryptForSubject(trx, { ...subjectField, dataKeyId }, `name-${i}`),
        };
      });
      fixtures.push({ workspaceId, field, secret, subjectField, envelope, subjectEnvelope });
    }
  });

  async function expectAllReadable(from: KeyProvider): Promise<void> {
    const ring = coldKeyring(from);
    for (const [i, fixture] of fixtures.entries()) {
      await withWorkspace(db, { workspaceId: fixture.workspaceId }, async (trx) => {
        expect(await ring.decrypt(trx, fixture.field, fixture.envelope)).toBe(fixture.secret);
        expect(await ring.decrypt(trx, fixture.subjectField, fixture.subjectEnvelope)).toBe(`name-${i}`);
      });
    }
  }

  it("rotates twice: every workspace key is rewrapped, data rows untouched, data still readable", async () => {
    const before = await snapshotDataRows();
    const wrappedBefore = await db.owner.selectFrom("workspace_keys").select(["workspace_id", "wrapped_key"]).execute();
    const progress: Array<[number, number]> = [];

    const first = await keyring.rotateKek(db, { onProgress: (done, total) => progress.push([done, total]), batchSize: 2 });
    const keyCount = wrappedBefore.length;
    expect(first).toEqual({ addedVersion: 2, primary: 2, total: keyCount, rewrapped: keyCount });
    expect(progress[0]).toEqual([0, keyCount]);
    expect(progress.at(-1)).toEqual([keyCount, keyCount]);
    const after = await db.owner.selectFrom("workspace_keys").selectAll().execute();
    for (const row of after) {
      expect(row.kek_version).toBe(2);
      expect(row.wrapped_key).toMatch(/^kek1\.2\./);
      expect(row.rewrapped_at).toBeInstanceOf(Date);
      expect(row.wrapped_key).not.toBe(wrappedBefore.find((old) => old.workspace_id === row.workspace_id)?.wrapped_key);
    }
    expect(await snapshotDataRows()).toEqual(before);
    await expectAllReadable(provider);
    // A process that opens the rotated key file afresh reads everything too.
    await expectAllReadable(await openKeyProvider({ kind: "file", path: keyPath, allowedInProduction: false }, { isProduction: false }));

    const second = await keyring.rotateKek(db);
    expect(second).toMatchObject({ addedVersion: 3, primary: 3, rewrapped: keyCount });
    expect(await snapshotDataRows()).toEqual(before);
    await expectAllReadable(provider);

    const status = await keyring.keyStatus(db);
    expect(status.provider).toMatchObject({ kind: "file", versions: [1, 2, 3], primary: 3 });
    expect(status.workspaceKeys).toEqual({
      total: keyCount,
      byKekVersion: [{ kekVersion: 3, count: keyCount, available: true }],
      pendingRewrap: 0,
    });
    expect(status.workspaces).toBe(keyCount);
  });

  it("resumes an interrupted rewrap where it stopped", async () => {
    await provider.addVersion();
    const keyCount = (await keyring.keyStatus(db)).workspaceKeys.total;
    const interrupted = keyring.rewrapWorkspaceKeys(db, {
      batchSize: 2,
      onProgress: (done) => {
        if (done === 2) throw new Error("power cut");
      },
    });
    await expect(interrupted).rejects.toThrow("power cut");
    const midway = await keyring.keyStatus(db);
    expect(midway.workspaceKeys.pendingRewrap).toBe(keyCount - 2);
    expect(midway.workspaceKeys.byKekVersion).toEqual([
      { kekVersion: 3, count: keyCount - 2, available: true },
      { kekVersion: 4, count: 2, available: true },
    ]);
    await expectAllReadable(provider);

    const resumed = await keyring.rewrapWorkspaceKeys(db);
    expect(resumed).toEqual({ primary: 4, total: keyCount - 2, rewrapped: keyCount - 2 });
    expect((await keyring.keyStatus(db)).workspaceKeys.pendingRewrap).toBe(0);
    await expectAllReadable(provider);
  });

  it("with PARLEY_MASTER_KEY: explains how to add a version, and rewraps once the operator did", async () => {
    const file = JSON.parse(await readFile(keyPath, "utf8")) as { keys: Array<{ version: number; key: string }> };
    const listed = file.keys.map((entry) => `${entry.version}:${entry.key}`).join(",");
    const env = createEnvKeyProvider(listed);
    const envKeyring = createKeyring({ provider: env });
    const before = await snapshotDataRows();

    await expect(envKeyring.rotateKek(db)).rejects.toThrow(/PARLEY_MASTER_KEY cannot be changed by Parley.*"5:<key>"/);

    const extended = createEnvKeyProvider(`${listed},5:${randomBytes(32).toString("base64")}`);
    const result = await createKeyring({ provider: extended }).rotateKek(db);
    expect(result).toMatchObject({ addedVersion: undefined, primary: 5 });
    expect(result.rewrapped).toBe(result.total);
    expect(await snapshotDataRows()).toEqual(before);
    await expectAllReadable(extended);
    const status = await createKeyring({ provider: extended }).keyStatus(db);
    expect(status.provider).toMatchObject({ kind: "env", primary: 5, location: "PARLEY_MASTER_KEY" });
    expect(status.workspaceKeys.byKekVersion.map((row) => row.kekVersion)).toEqual([5]);
  });
});
