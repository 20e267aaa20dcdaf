import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  createTestDatabaseConfig,
  dropTestDatabaseConfig,
  testEngine,
  type TestDatabase,
} from "../../test/support/engine.ts";
import { createLocalBlobStore } from "../blob/local.ts";
import type { BlobStore } from "../blob/types.ts";
import type { DatabaseConfig } from "../config.ts";
import { DecryptionError } from "../crypto/aead.ts";
import { openKeyProvider, type KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring, type Keyring } from "../crypto/keyring.ts";
import { openDatabase } from "../db/database.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import { createContact, eraseContact, findContactDataKeyId, getContact } from "../features/contacts/repository.ts";
import { BackupRefusedError, createBackup, listBackups, pruneBackups, restoreBackup, verifyBackup } from "./backup.ts";
import { appendErasure, readErasureLedger } from "./erasure-ledger.ts";
import { BackupIntegrityError } from "./format.ts";

// Backups on the test's engine: a backup restores into an empty database with the same rows, every
// kind of tampering is caught by verify, a non-empty target is refused, and — the point of the
// erasure ledger — a contact erased after a backup was taken stays erased when that backup returns.

let db: TestDatabase;
let dir: string;
let provider: KeyProvider;
let keyring: Keyring;
let blobs: BlobStore;
const targets: DatabaseConfig[] = [];

let workspaceId: string;
let ada: { id: string; phoneCiphertext: string; dataKeyId: string; mediaKey: string };
let bobId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-backup-"));
  provider = await openKeyProvider({ kind: "file", path: join(dir, "master.key"), allowedInProduction: false }, { isProduction: false });
  keyring = createKeyring({ provider });
  blobs = createLocalBlobStore(join(dir, "blobs"));
  db = await createTestDatabase();
  workspaceId = randomUUID();
  const seeded = await withWorkspace(db, { workspaceId }, async (trx) => {
    await trx.insertInto("workspaces").values({ id: workspaceId, name: "Backups", region: "local" }).execute();
    await keyring.createWorkspaceKey(trx, workspaceId);
    const adaContact = await createContact(trx, keyring, { workspaceId, phone: "+49 151 2000 0001", name: "Ada Lovelace" });
    const bob = await createContact(trx, keyring, { workspaceId, phone: "+49 151 2000 0002", name: "Bob" });
    const numberId = randomUUID();
    const conversationId = randomUUID();
    await trx
      .insertInto("numbers")
      .values({
        workspace_id: workspaceId,
        id: numberId,
        mode: "sandbox",
        waba_id: "1",
        phone_number_id: "2",
        access_token_ciphertext: "x",
        access_token_last4: "x",
        app_secret_ciphertext: "x",
        app_secret_last4: "x",
        verify_token_ciphertext: "x",
        verify_token_last4: "x",
        webhook_key: randomBytes(24).toString("hex"),
      })
      .execute();
    await trx
      .insertInto("conversations")
      .values({ workspace_id: workspaceId, id: conversationId, contact_id: adaContact.id, number_id: numberId })
      .execute();
    const mediaKey = `media/${workspaceId}/${randomUUID()}`;
    await trx
      .insertInto("messages")
      .values({
        workspace_id: workspaceId,
        id: randomUUID(),
        conversation_id: conversationId,
        contact_id: adaContact.id,
        number_id: numberId,
        phone_number_id: "2",
        direction: "in",
        wamid: `wamid.${randomUUID()}`,
        type: "image",
        content_ciphertext: "c",
        media_blob_key: mediaKey,
        status: "received",
        occurred_at: new Date(),
      })
      .execute();
    return { adaId: adaContact.id, bobId: bob.id, mediaKey };
  });
  await blobs.put(seeded.mediaKey, randomBytes(64));
  const row = await db.owner
    .selectFrom("contacts")
    .select(["phone_ciphertext", "data_key_id"])
    .where("id", "=", seeded.adaId)
    .executeTakeFirstOrThrow();
  ada = { id: seeded.adaId, phoneCiphertext: row.phone_ciphertext!, dataKeyId: row.data_key_id, mediaKey: seeded.mediaKey };
  bobId = seeded.bobId;
});

afterAll(async () => {
  await db?.drop();
  for (const target of targets) await dropTestDatabaseConfig(target);
  await rm(dir, { recursive: true, force: true });
});

/** An empty database to restore into: a new PGlite directory, or a new PostgreSQL database. */
async function emptyTarget(): Promise<DatabaseConfig> {
  const config: DatabaseConfig =
    testEngine === "pglite" ? { engine: "pglite", dataDir: join(dir, `restore-${randomUUID()}`) } : await createTestDatabaseConfig();
  targets.push(config);
  return config;
}

describe(`backups (${testEngine})`, () => {
  let backupId: string;

  it("creates an encrypted backup in chunks, listed with its manifest, that verifies", async () => {
    const progress: number[] = [];
    const manifest = await createBackup({
      db,
      database: db.config,
      blobs,
      provider,
      chunkBytes: 64 * 1024,
      onProgress: (done) => progress.push(done),
    });
    backupId = manifest.id;
    expect(manifest.engine).toBe(testEngine);
    expect(manifest.chunkCount).toBeGreaterThan(1);
    expect(manifest.tables.contacts).toBe(2);
    expect(manifest.tables.messages).toBe(1);
    expect(progress.at(-1)).toBe(manifest.plaintextBytes);
    // No plaintext of the dump is stored: the tables' names (in every dump) appear in no chunk.
    for (const key of await blobs.list(`backups/${backupId}`)) {
      if (key.endsWith("manifest.json")) continue;
      expect((await blobs.get(key))!.includes(Buffer.from("workspace_keys"))).toBe(false);
    }
    const listed = await listBackups(blobs);
    expect(listed).toEqual([
      expect.objectContaining({ id: backupId, complete: true, engine: testEngine, chunkCount: manifest.chunkCount }),
    ]);
    await expect(verifyBackup({ blobs, provider, id: backupId })).resolves.toEqual(manifest);
  });

  it("restore refuses a non-empty target unless forced", async () => {
    if (testEngine === "pglite") {
      const target = await emptyTarget();
      if (target.engine !== "pglite") throw new Error("unreachable");
      await mkdir(target.dataDir, { recursive: true });
      await writeFile(join(target.dataDir, "PG_VERSION"), "17");
      await expect(restoreBackup({ target, blobs, provider, id: backupId })).rejects.toThrow(BackupRefusedError);
      await expect(restoreBackup({ target, blobs, provider, id: backupId, force: true })).resolves.toMatchObject({ sampleDecrypted: true });
      return;
    }
    // The source database itself is not empty.
    await expect(restoreBackup({ target: db.config, blobs, provider, id: backupId })).rejects.toThrow(/not empty/);
    const target = await emptyTarget();
    await restoreBackup({ target, blobs, provider, id: backupId });
    await expect(restoreBackup({ target, blobs, provider, id: backupId })).rejects.toThrow(BackupRefusedError);
    await expect(restoreBackup({ target, blobs, provider, id: backupId, force: true })).resolves.toMatchObject({ sampleDecrypted: true });
  });

  it("an erasure after the backup survives its restore: rows, media and data key gone, old ciphertext unreadable", async () => {
    // Erase as eraseContactFor does: in the transaction, then the ledger entry after commit.
    const dataKeyId = await withWorkspace(db, { workspaceId }, async (trx) => {
      const keyId = await findContactDataKeyId(trx, workspaceId, ada.id);
      expect(await eraseContact(trx, keyring, workspaceId, ada.id)).toBe(true);
      return keyId!;
    });
    await appendErasure(blobs, { workspaceId, contactId: ada.id, dataKeyId, erasedAt: new Date().toISOString() });
    await blobs.delete(ada.mediaKey); // what the enqueued blobs.delete job does (src/blob/deletion.test.ts)
    expect(await readErasureLedger(blobs)).toEqual([expect.objectContaining({ contactId: ada.id, dataKeyId: ada.dataKeyId })]);

    const target = await emptyTarget();
    const result = await restoreBackup({ target, blobs, provider, id: backupId });
    expect(result).toMatchObject({
      tablesChecked: Object.keys(result.manifest.tables).length,
      sampleDecrypted: true,
      replay: { entries: 1, contactsErased: 1 },
    });

    const restored = await openDatabase(target);
    try {
      const ring = createKeyring({ provider });
      const { contacts, messages, dataKeys } = await withWorkspace(restored, { workspaceId }, async (trx) => ({
        contacts: await trx.selectFrom("contacts").select("id").execute(),
        messages: await trx.selectFrom("messages").select("id").where("contact_id", "=", ada.id).execute(),
        dataKeys: await trx.selectFrom("data_keys").select("id").where("id", "=", ada.dataKeyId).execute(),
      }));
      expect(contacts.map((contact) => contact.id)).toEqual([bobId]);
      expect(messages).toEqual([]);
      expect(dataKeys).toEqual([]);
      // The copy of Ada's ciphertext taken before the erasure no longer opens in the restored database.
      await expect(
        withWorkspace(restored, { workspaceId }, (trx) =>
          ring.decrypt(trx, { workspaceId, table: "contacts", column: "phone", rowId: ada.id }, ada.phoneCiphertext),
        ),
      ).rejects.toThrow(DecryptionError);
      // Everyone else reads as before.
      await expect(withWorkspace(restored, { workspaceId }, (trx) => getContact(trx, ring, workspaceId, bobId))).resolves.toMatchObject({
        name: "Bob",
      });
      // The media is gone from the blob store, and the restored database asks for its deletion again.
      expect(await blobs.get(ada.mediaKey)).toBeNull();
      const deletions = await restored.owner.selectFrom("jobs").select("payload").where("queue", "=", "blobs.delete").execute();
      expect(JSON.stringify(deletions)).toContain(ada.mediaKey);
    } finally {
      await restored.close();
    }
  });

  it("verify detects a changed byte, a missing or extra chunk, an edited manifest, and the wrong keys", async () => {
    const manifest = await verifyBackup({ blobs, provider, id: backupId });
    const chunk = (index: number) => `backups/${backupId}/chunk-${String(index).padStart(7, "0")}`;
    const manifestKey = `backups/${backupId}/manifest.json`;
    const original = {
      chunk0: (await blobs.get(chunk(0)))!,
      last: (await blobs.get(chunk(manifest.chunkCount - 1)))!,
      manifest: (await blobs.get(manifestKey))!,
    };
    const expectBroken = async (pattern: RegExp) => {
      const verifying = verifyBackup({ blobs, provider, id: backupId });
      await expect(verifying).rejects.toThrow(BackupIntegrityError);
      await expect(verifying).rejects.toThrow(pattern);
    };

    const flipped = Buffer.from(original.chunk0);
    flipped[flipped.length - 20]! ^= 0x01;
    await blobs.put(chunk(0), flipped);
    await expectBroken(/chunk 0 fails authentication/);
    await blobs.put(chunk(0), original.chunk0);

    await blobs.delete(chunk(manifest.chunkCount - 1));
    await expectBroken(/is missing/);
    await blobs.put(chunk(manifest.chunkCount - 1), original.last);

    // Truncation by moving the last chunk's bytes earlier does not pass as a shorter backup either.
    await blobs.put(chunk(0), original.last);
    await expectBroken(/chunk 0 fails authentication/);
    await blobs.put(chunk(0), original.chunk0);

    await blobs.put(chunk(manifest.chunkCount), original.last);
    await expectBroken(/chunks the manifest does not list/);
    await blobs.delete(chunk(manifest.chunkCount));

    const edited = JSON.parse(original.manifest.toString("utf8")) as { manifest: { tables: Record<string, number>; chunkCount: number } };
    edited.manifest.tables.contacts = 1;
    await blobs.put(manifestKey, Buffer.from(JSON.stringify(edited)));
    await expectBroken(/manifest was altered/);
    edited.manifest.tables.contacts = 2;
    edited.manifest.chunkCount -= 1;
    await blobs.put(manifestKey, Buffer.from(JSON.stringify(edited)));
    await expectBroken(/manifest was altered/);
    await blobs.put(manifestKey, original.manifest);

    const stranger = await openKeyProvider(
      { kind: "file", path: join(dir, "other.key"), allowedInProduction: false },
      { isProduction: false },
    );
    await expect(verifyBackup({ blobs, provider: stranger, id: backupId })).rejects.toThrow(/does not open with this key provider/);
    await expect(verifyBackup({ blobs, provider, id: backupId })).resolves.toEqual(manifest);
  });

  it("prune keeps what the retention policy keeps and removes the rest, interrupted backups included", async () => {
    const day = 86_400_000;
    const base = Date.parse("2026-11-02T03:00:00Z");
    const made: string[] = [];
    for (const offset of [0, 1, 2])
      made.push((await createBackup({ db, database: db.config, blobs, provider, now: new Date(base + offset * day) })).id);
    await blobs.put(`backups/20261001T030000Z-abcdef/chunk-0000000`, randomBytes(10));
    const dry = await pruneBackups({ blobs, policy: { daily: 2, weekly: 0, monthly: 0 }, dryRun: true });
    expect(dry.pruned).toEqual([made[1], made[0], "20261001T030000Z-abcdef"]);
    expect((await listBackups(blobs)).map((backup) => backup.id)).toContain(made[0]);
    const result = await pruneBackups({ blobs, policy: { daily: 2, weekly: 0, monthly: 0 } });
    expect(result.kept).toEqual([backupId, made[2]]);
    const left = (await listBackups(blobs)).map((backup) => backup.id);
    expect(left).toEqual([backupId, made[2]]);
    expect(await blobs.list(`backups/${made[0]}`)).toEqual([]);
  });
});
