import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecryptionError } from "../../crypto/aead.ts";
import { openKeyProvider, type KeyProvider } from "../../crypto/key-provider.ts";
import { createKeyring, type Keyring } from "../../crypto/keyring.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/support/engine.ts";
import { createContact, eraseContact, findContactByPhone, getContact } from "./repository.ts";

let db: TestDatabase;
let dir: string;
let provider: KeyProvider;
let keyring: Keyring;
let workspaceA: string;
let workspaceB: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-contacts-"));
  provider = await openKeyProvider({ kind: "file", path: join(dir, "master.key"), allowedInProduction: false }, { isProduction: false });
  keyring = createKeyring({ provider });
  db = await createTestDatabase();
  workspaceA = await createWorkspace();
  workspaceB = await createWorkspace();
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function createWorkspace(): Promise<string> {
  const id = randomUUID();
  await withWorkspace(db, { workspaceId: id }, async (trx) => {
    await trx.insertInto("workspaces").values({ id, name: "Contacts test", region: "local" }).execute();
    await keyring.createWorkspaceKey(trx, id);
  });
  return id;
}

const inWorkspace = <T>(workspaceId: string, fn: Parameters<typeof withWorkspace<T>>[2]) => withWorkspace(db, { workspaceId }, fn);
const coldKeyring = () => createKeyring({ provider, cache: { maxEntries: 0 } });

describe("contacts repository", () => {
  it("creates a contact with encrypted phone and name, and reads it back", async () => {
    const created = await inWorkspace(workspaceA, (trx) =>
      createContact(trx, keyring, { workspaceId: workspaceA, phone: "+49 151 2000 0001", name: "Ada Lovelace" }),
    );
    expect(created).toMatchObject({ workspaceId: workspaceA, phone: "+4915120000001", name: "Ada Lovelace" });

    const row = await db.owner.selectFrom("contacts").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row.phone_ciphertext).toMatch(new RegExp(`^pv1\\.d${row.data_key_id}\\.`));
    expect(row.name_ciphertext).toMatch(/^pv1\.d/);
    expect(JSON.stringify(row)).not.toMatch(/4915120000001|Ada|Lovelace/);
    expect(row.phone_index).toMatch(/^[0-9a-f]{16}$/);

    for (const ring of [keyring, coldKeyring()]) {
      await expect(inWorkspace(workspaceA, (trx) => getContact(trx, ring, workspaceA, created.id))).resolves.toEqual(created);
    }
  });

  it("gives each contact its own data key", async () => {
    const [one, two] = await inWorkspace(workspaceA, async (trx) => [
      await createContact(trx, keyring, { workspaceId: workspaceA, phone: "+4915120000002" }),
      await createContact(trx, keyring, { workspaceId: workspaceA, phone: "+4915120000003" }),
    ]);
    const rows = await db.owner.selectFrom("contacts").select(["id", "data_key_id"]).where("id", "in", [one.id, two.id]).execute();
    expect(new Set(rows.map((row) => row.data_key_id)).size).toBe(2);
    expect(one.name).toBeNull();
  });

  it("finds a contact by phone in any accepted spelling, only in its own workspace", async () => {
    const created = await inWorkspace(workspaceA, (trx) =>
      createContact(trx, keyring, { workspaceId: workspaceA, phone: "+44 20 7946 0001", name: "Grace" }),
    );
    for (const spelling of ["+442079460001", "0044 (20) 7946-0001", " +44.20.7946.0001 "]) {
      await expect(inWorkspace(workspaceA, (trx) => findContactByPhone(trx, coldKeyring(), workspaceA, spelling))).resolves.toEqual(
        created,
      );
    }
    await expect(inWorkspace(workspaceB, (trx) => findContactByPhone(trx, keyring, workspaceB, "+442079460001"))).resolves.toBeUndefined();
    await expect(inWorkspace(workspaceB, (trx) => getContact(trx, keyring, workspaceB, created.id))).resolves.toBeUndefined();
    // A caller acting as B that names A still sees nothing: RLS hides A's rows.
    await expect(inWorkspace(workspaceB, (trx) => getContact(trx, coldKeyring(), workspaceA, created.id))).resolves.toBeUndefined();
  });

  it("allows the same phone in two workspaces, refuses a duplicate within one", async () => {
    const phone = "+14155550100";
    await inWorkspace(workspaceA, (trx) => createContact(trx, keyring, { workspaceId: workspaceA, phone }));
    await inWorkspace(workspaceB, (trx) => createContact(trx, keyring, { workspaceId: workspaceB, phone }));
    const indexes = await db.owner
      .selectFrom("contacts")
      .select(["workspace_id", "phone_index"])
      .where("workspace_id", "in", [workspaceA, workspaceB])
      .execute();
    const [a, b] = [workspaceA, workspaceB].map((id) => indexes.filter((row) => row.workspace_id === id).map((row) => row.phone_index));
    expect(a!.some((index) => b!.includes(index))).toBe(false);

    const dataKeysBefore = await db.owner.selectFrom("data_keys").select("id").execute();
    const duplicate = inWorkspace(workspaceA, (trx) => createContact(trx, keyring, { workspaceId: workspaceA, phone: "+1 415 555 0100" }));
    await expect(duplicate).rejects.toSatisfy((error: unknown) => error instanceof AppError && error.code === "CONFLICT");
    // The rolled-back transaction left no orphan data key behind.
    expect(await db.owner.selectFrom("data_keys").select("id").execute()).toHaveLength(dataKeysBefore.length);
  });

  it("refuses an invalid phone number", async () => {
    await expect(
      inWorkspace(workspaceA, (trx) => createContact(trx, keyring, { workspaceId: workspaceA, phone: "0151 1234567" })),
    ).rejects.toSatisfy((error: unknown) => error instanceof AppError && error.code === "VALIDATION_FAILED");
  });

  it("refuses a ciphertext moved to another contact or column", async () => {
    const [one, two] = await inWorkspace(workspaceA, async (trx) => [
      await createContact(trx, keyring, { workspaceId: workspaceA, phone: "+4915120000010", name: "One" }),
      await createContact(trx, keyring, { workspaceId: workspaceA, phone: "+4915120000011", name: "Two" }),
    ]);
    const rowOf = (id: string) => db.owner.selectFrom("contacts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const rowOne = await rowOf(one.id);
    const rowTwo = await rowOf(two.id);

    // Another row (even sharing the data key, so only the AAD stands in the way).
    await db.owner
      .updateTable("contacts")
      .set({ data_key_id: rowOne.data_key_id, phone_ciphertext: rowOne.phone_ciphertext })
      .where("id", "=", two.id)
      .execute();
    await expect(inWorkspace(workspaceA, (trx) => getContact(trx, coldKeyring(), workspaceA, two.id))).rejects.toThrow(DecryptionError);
    // Another column of the same row.
    await db.owner
      .updateTable("contacts")
      .set({ data_key_id: rowTwo.data_key_id, phone_ciphertext: rowTwo.name_ciphertext!, name_ciphertext: rowTwo.name_ciphertext })
      .where("id", "=", two.id)
      .execute();
    await expect(inWorkspace(workspaceA, (trx) => getContact(trx, coldKeyring(), workspaceA, two.id))).rejects.toThrow(DecryptionError);
    await db.owner.updateTable("contacts").set({ phone_ciphertext: rowTwo.phone_ciphertext }).where("id", "=", two.id).execute();
    await expect(inWorkspace(workspaceA, (trx) => getContact(trx, coldKeyring(), workspaceA, two.id))).resolves.toMatchObject({
      name: "Two",
    });
  });

  it("erases a contact by crypto-shredding: a backed-up copy of its row can no longer be read", async () => {
    const created = await inWorkspace(workspaceA, (trx) =>
      createContact(trx, keyring, { workspaceId: workspaceA, phone: "+4915120000020", name: "Erase Me" }),
    );
    const backup = await db.owner.selectFrom("contacts").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();

    await expect(inWorkspace(workspaceA, (trx) => eraseContact(trx, keyring, workspaceA, created.id))).resolves.toBe(true);
    await expect(inWorkspace(workspaceA, (trx) => getContact(trx, keyring, workspaceA, created.id))).resolves.toBeUndefined();
    await expect(inWorkspace(workspaceA, (trx) => findContactByPhone(trx, keyring, workspaceA, "+4915120000020"))).resolves.toBeUndefined();
    expect(await db.owner.selectFrom("data_keys").select("id").where("id", "=", backup.data_key_id).execute()).toEqual([]);

    // The warm keyring that created the contact, and a fresh one (another instance, a restore), both fail.
    const field = (column: string) => ({ workspaceId: workspaceA, table: "contacts", column, rowId: backup.id });
    for (const ring of [keyring, coldKeyring()]) {
      await expect(inWorkspace(workspaceA, (trx) => ring.decrypt(trx, field("phone"), backup.phone_ciphertext!))).rejects.toThrow(
        DecryptionError,
      );
      await expect(inWorkspace(workspaceA, (trx) => ring.decrypt(trx, field("name"), backup.name_ciphertext!))).rejects.toThrow(
        DecryptionError,
      );
    }
    await expect(inWorkspace(workspaceA, (trx) => eraseContact(trx, keyring, workspaceA, created.id))).resolves.toBe(false);
  });

  it("cannot erase another workspace's contact", async () => {
    const created = await inWorkspace(workspaceA, (trx) =>
      createContact(trx, keyring, { workspaceId: workspaceA, phone: "+4915120000030" }),
    );
    await expect(inWorkspace(workspaceB, (trx) => eraseContact(trx, keyring, workspaceA, created.id))).resolves.toBe(false);
    await expect(inWorkspace(workspaceA, (trx) => getContact(trx, keyring, workspaceA, created.id))).resolves.toEqual(created);
  });
});
