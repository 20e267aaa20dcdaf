import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readErasureLedger } from "../../src/backup/erasure-ledger.ts";
import { createLocalBlobStore } from "../../src/blob/local.ts";
import { purgeWorkspaceTrash } from "../../src/features/contacts/purge.ts";
import { createContactsWorld, type ContactsWorld } from "./support.ts";

// Erasing a contact through the API appends it to the erasure ledger (src/backup/erasure-ledger.ts)
// that every backup restore replays: ids and a time only, never the contact's data.

let world: ContactsWorld;
let dir: string;

beforeAll(async () => {
  world = await createContactsWorld();
  dir = await mkdtemp(join(tmpdir(), "parley-ledger-"));
  world.services.blobs = createLocalBlobStore(join(dir, "blobs"));
});
afterAll(async () => {
  await world?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the erasure ledger", () => {
  it("gets one PII-free entry per erasure, after it committed; a refused erasure adds none", async () => {
    const created = await world.call(world.owner, "POST", world.contacts(), { phone: "+4915130000090", name: "Ledger Person" });
    expect(created.status, created.text).toBe(201);
    const contactId = (created.json as { id: string }).id;
    const row = await world.db.owner.selectFrom("contacts").select("data_key_id").where("id", "=", contactId).executeTakeFirstOrThrow();

    expect((await world.call(world.agent, "DELETE", `${world.contacts()}/${contactId}`)).status).toBe(403);
    expect(await readErasureLedger(world.services.blobs!)).toEqual([]);

    const before = Date.now();
    expect((await world.call(world.owner, "DELETE", `${world.contacts()}/${contactId}`)).status).toBe(204);
    const ledger = await readErasureLedger(world.services.blobs!);
    expect(ledger).toEqual([{ workspaceId: world.workspaceA, contactId, dataKeyId: row.data_key_id, erasedAt: expect.any(String) }]);
    expect(Date.parse(ledger[0]!.erasedAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(JSON.stringify(ledger)).not.toMatch(/4915130000090|Ledger Person/);

    // Erasing it again finds nothing and records nothing more.
    expect((await world.call(world.owner, "DELETE", `${world.contacts()}/${contactId}`)).status).toBe(404);
    expect(await readErasureLedger(world.services.blobs!)).toHaveLength(1);
  });

  it("gets an entry when the trash purge erases a contact, as for an erasure on request", async () => {
    const created = await world.call(world.owner, "POST", world.contacts(), { phone: "+4915130000091", name: "Purged Person" });
    const contactId = (created.json as { id: string }).id;
    const row = await world.db.owner.selectFrom("contacts").select("data_key_id").where("id", "=", contactId).executeTakeFirstOrThrow();
    expect((await world.call(world.owner, "POST", `${world.contacts()}/${contactId}/trash`)).status).toBe(200);
    const before = (await readErasureLedger(world.services.blobs!)).length;

    const erased = await purgeWorkspaceTrash(world.services, world.workspaceA, new Date(Date.now() + 31 * 24 * 60 * 60_000));
    expect(erased).toBeGreaterThanOrEqual(1);
    const ledger = await readErasureLedger(world.services.blobs!);
    expect(ledger).toHaveLength(before + erased);
    expect(ledger).toContainEqual({ workspaceId: world.workspaceA, contactId, dataKeyId: row.data_key_id, erasedAt: expect.any(String) });
    expect(JSON.stringify(ledger)).not.toMatch(/4915130000091|Purged Person/);
  });
});
