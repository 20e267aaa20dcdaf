import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecryptionError } from "../../src/crypto/aead.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { upsertOpenConversation } from "../../src/features/conversations/repository.ts";
import { seedConversation, seedNumber } from "../support/workspace-fixtures.ts";
import { auditEntries, createContactsWorld, errorCode, type ContactsWorld, type Json } from "./support.ts";

// The contacts API against a real database: create, read, list (phone search through the blind
// index, tag and consent filters, keyset pages), edit with bounded tags and custom fields, consent
// records (audited without personal data), erasure by crypto-shredding, who may do what, and
// workspace isolation.

let world: ContactsWorld;

beforeAll(async () => {
  world = await createContactsWorld();
});
afterAll(async () => {
  await world?.close();
});

type Contact = Json & { id: string; tags: string[]; consent: Json; customFields: Record<string, string> };

async function create(body: Json, workspaceId?: string): Promise<Contact> {
  const answer = await world.call(workspaceId ? world.ownerB : world.owner, "POST", world.contacts(workspaceId), body);
  expect(answer.status, answer.text).toBe(201);
  return answer.json as Contact;
}

const ids = (json: Json) => (json.data as Array<{ id: string }>).map((row) => row.id);

describe("creating and reading contacts", () => {
  it("creates a contact with name, normalized tags, custom fields and consent, and reads it back", async () => {
    const created = await create({
      phone: "+49 151 3000 0001",
      name: "Ada Lovelace",
      tags: ["VIP", " Newsletter ", "vip"],
      customFields: { city: "London", plan: "gold" },
      consent: { status: "opted_in", source: "web_form" },
    });
    expect(created).toMatchObject({
      phone: "+4915130000001",
      name: "Ada Lovelace",
      whatsappName: null,
      tags: ["newsletter", "vip"],
      customFields: { city: "London", plan: "gold" },
      consent: { status: "opted_in", source: "web_form" },
      conversationCount: 0,
    });
    expect(Date.parse(created.consent.updatedAt as string)).toBeGreaterThan(Date.now() - 60_000);

    const read = await world.call(world.agent, "GET", `${world.contacts()}/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created);

    // Stored encrypted: the plaintext appears nowhere in the row; tags are plain labels by design.
    const row = await world.db.owner.selectFrom("contacts").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toMatch(/Ada|Lovelace|London|gold|4915130000001/);
    expect(row.custom_fields_ciphertext).toMatch(/^pv1\.d/);
  });

  it("refuses a duplicate phone number in any spelling, and invalid input with plain reasons", async () => {
    await create({ phone: "+4915130000002" });
    const duplicate = await world.call(world.owner, "POST", world.contacts(), { phone: "0049 151 3000 0002" });
    expect([duplicate.status, errorCode(duplicate.json)]).toEqual([409, "CONFLICT"]);

    const cases: Array<[Json, string]> = [
      [{ phone: "0151 1234567" }, "phone"],
      [{ phone: "+4915130000003", tags: ["bad tag!"] }, "tags"],
      [{ phone: "+4915130000003", tags: ["-leading"] }, "tags"],
      [{ phone: "+4915130000003", tags: ["a".repeat(65)] }, "tags"],
      [{ phone: "+4915130000003", tags: Array.from({ length: 51 }, (_, index) => `t${index}`) }, "tags"],
      [{ phone: "+4915130000003", customFields: { City: "x" } }, "customFields"],
      [{ phone: "+4915130000003", customFields: { ["k".repeat(65)]: "x" } }, "customFields"],
      [{ phone: "+4915130000003", customFields: { note: "x".repeat(1001) } }, "customFields"],
      [{ phone: "+4915130000003", customFields: { note: "" } }, "customFields"],
      [
        { phone: "+4915130000003", customFields: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`f${index}`, "x"])) },
        "customFields",
      ],
      [{ phone: "+4915130000003", name: "two\nlines" }, "name"],
      [{ phone: "+4915130000003", name: "n".repeat(201) }, "name"],
      [{ phone: "+4915130000003", consent: { status: "maybe", source: "agent" } }, "consent"],
      [{ phone: "+4915130000003", extra: true }, ""],
    ];
    for (const [body, field] of cases) {
      const answer = await world.call(world.owner, "POST", world.contacts(), body);
      expect([answer.status, errorCode(answer.json)], JSON.stringify(body).slice(0, 80)).toEqual([400, "VALIDATION_FAILED"]);
      expect(JSON.stringify(answer.json.error)).toContain(field);
    }
    // Nothing was created by the refused requests.
    const search = await world.call(world.owner, "GET", `${world.contacts()}?phone=%2B4915130000003`);
    expect(search.json.data).toEqual([]);
  });
});

describe("listing contacts", () => {
  const seeded: Record<string, string> = {};

  beforeAll(async () => {
    for (const [key, body] of Object.entries({
      one: { phone: "+14155550101", name: "One", tags: ["lead"], consent: { status: "opted_in", source: "agent" } },
      two: { phone: "+14155550102", name: "Two", tags: ["lead", "vip"] },
      three: { phone: "+14155550103", name: "Three", consent: { status: "opted_out", source: "whatsapp" } },
      four: { phone: "+14155550104", name: "Four", tags: ["Partner"] },
    })) {
      seeded[key] = (await create(body)).id;
    }
  });

  it("finds a contact by exact phone number in any spelling, and refuses a number without its country code", async () => {
    for (const spelling of ["+14155550102", "+1 (415) 555-0102", "001 415 555 0102"]) {
      const answer = await world.call(world.agent, "GET", `${world.contacts()}?phone=${encodeURIComponent(spelling)}`);
      expect(answer.status).toBe(200);
      expect(ids(answer.json)).toEqual([seeded.two]);
    }
    expect(ids((await world.call(world.owner, "GET", `${world.contacts()}?phone=${encodeURIComponent("+14155550199")}`)).json)).toEqual([]);
    const bad = await world.call(world.owner, "GET", `${world.contacts()}?phone=4155550102`);
    expect([bad.status, errorCode(bad.json)]).toEqual([400, "VALIDATION_FAILED"]);
    expect(bad.text).not.toContain("4155550102");
  });

  it("filters by tag (any case) and by consent status, and both at once", async () => {
    const list = async (query: string) => ids((await world.call(world.owner, "GET", `${world.contacts()}?limit=100&${query}`)).json);
    expect(await list("tag=lead")).toEqual([seeded.two, seeded.one]);
    expect(await list("tag=LEAD")).toEqual([seeded.two, seeded.one]);
    expect(await list("tag=partner")).toEqual([seeded.four]);
    expect(await list("consent=opted_out")).toEqual([seeded.three]);
    expect(await list("tag=lead&consent=opted_in")).toEqual([seeded.one]);
    expect(await list("tag=nobody")).toEqual([]);
    expect((await world.call(world.owner, "GET", `${world.contacts()}?tag=${encodeURIComponent("no way!")}`)).status).toBe(400);
    expect((await world.call(world.owner, "GET", `${world.contacts()}?consent=yes`)).status).toBe(400);
  });

  it("pages newest first with an opaque cursor, without gaps or repeats", async () => {
    const all = ids((await world.call(world.owner, "GET", `${world.contacts()}?limit=100`)).json);
    expect(all.slice(0, 4)).toEqual([seeded.four, seeded.three, seeded.two, seeded.one]);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await world.call(world.owner, "GET", `${world.contacts()}?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(answer.status).toBe(200);
      paged.push(...ids(answer.json));
      cursor = answer.json.nextCursor as string | null;
    } while (cursor);
    expect(paged).toEqual(all);
    const bad = await world.call(world.owner, "GET", `${world.contacts()}?cursor=bm90LWEtY3Vyc29y`);
    expect([bad.status, errorCode(bad.json)]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("pages correctly through contacts created within the same millisecond", async () => {
    // Microseconds apart within one millisecond (a cursor rounded to milliseconds would skip some),
    // and two at the very same microsecond (only the id breaks the tie).
    const made: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const contact = await create({ phone: `+4420794600${10 + index}`, tags: ["same-ms"] });
      made.push(contact.id);
      const at = `2020-01-01T00:00:00.12345${Math.min(index, 3)}Z`;
      await world.db.owner
        .updateTable("contacts")
        .set({ created_at: at } as never)
        .where("id", "=", contact.id)
        .execute();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await world.call(world.owner, "GET", `${world.contacts()}?tag=same-ms&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...ids(answer.json));
      cursor = answer.json.nextCursor as string | null;
    } while (cursor);
    expect([...seen].sort()).toEqual([...made].sort());
    expect(new Set(seen).size).toBe(5);
  });
});

describe("editing contacts", () => {
  it("replaces the name, the tag set and the custom fields; keeps what is not given", async () => {
    const contact = await create({ phone: "+4915130000010", name: "Old", tags: ["a", "b"], customFields: { one: "1", two: "2" } });
    const url = `${world.contacts()}/${contact.id}`;
    const renamed = await world.call(world.agent, "PATCH", url, { name: "  New Name  " });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: "New Name", tags: ["a", "b"], customFields: { one: "1", two: "2" } });

    const retagged = await world.call(world.owner, "PATCH", url, { tags: ["B", "c"], customFields: { two: "zwei", three: "3" } });
    expect(retagged.json).toMatchObject({ name: "New Name", tags: ["b", "c"], customFields: { two: "zwei", three: "3" } });
    const tagRows = await world.db.owner
      .selectFrom("contact_tags")
      .select("tag")
      .where("contact_id", "=", contact.id)
      .orderBy("tag")
      .execute();
    expect(tagRows.map((row) => row.tag)).toEqual(["b", "c"]);

    const cleared = await world.call(world.owner, "PATCH", url, { name: null, tags: [], customFields: {} });
    expect(cleared.json).toMatchObject({ name: null, tags: [], customFields: {} });

    for (const body of [{}, { tags: ["x y z!"] }, { customFields: { "9lives": "x" } }, { phone: "+4915130000011" }]) {
      const refused = await world.call(world.owner, "PATCH", url, body);
      expect([refused.status, errorCode(refused.json)]).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect((await world.call(world.owner, "PATCH", `${world.contacts()}/${randomUUID()}`, { name: "x" })).status).toBe(404);
  });

  it("records consent with its source and time, audited without personal data", async () => {
    const contact = await create({ phone: "+4915130000020", name: "Consent Person" });
    expect(contact.consent).toEqual({ status: "unknown", source: null, updatedAt: null });
    const url = `${world.contacts()}/${contact.id}/consent`;
    const before = Date.now();
    const opted = await world.call(world.agent, "POST", url, { status: "opted_in", source: "whatsapp" });
    expect(opted.status).toBe(200);
    expect(opted.json.consent).toMatchObject({ status: "opted_in", source: "whatsapp" });
    expect(Date.parse((opted.json.consent as Json).updatedAt as string)).toBeGreaterThanOrEqual(before - 1_000);
    const out = await world.call(world.owner, "POST", url, { status: "opted_out", source: "agent" });
    expect(out.json.consent).toMatchObject({ status: "opted_out", source: "agent" });
    expect((await world.call(world.owner, "POST", url, { status: "opted_in", source: "telepathy" })).status).toBe(400);

    const entries = (await auditEntries(world, world.workspaceA, ["contact.consent_changed"])).filter(
      (entry) => entry.target_id === contact.id,
    );
    expect(entries.map((entry) => entry.metadata)).toEqual([
      { scope: "marketing", status: "opted_in", previousStatus: "unknown", source: "whatsapp", method: "recorded" },
      { scope: "marketing", status: "opted_out", previousStatus: "opted_in", source: "agent", method: "recorded" },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/Consent Person|4915130000020/);
  });
});

describe("erasing contacts", () => {
  it("deletes the contact with its tags and conversations and destroys its data key; audited without personal data", async () => {
    const contact = await create({ phone: "+4915130000030", name: "Erase Me", tags: ["gone"], customFields: { secret: "value" } });
    // A conversation for the contact, so the count and the cascade can be seen.
    const numberId = await seedNumber(world.services, world.workspaceA, { phoneNumberId: "200" });
    await withWorkspace(world.db, { workspaceId: world.workspaceA }, (trx) =>
      upsertOpenConversation(trx, { workspaceId: world.workspaceA, contactId: contact.id, numberId, inboundAt: new Date() }),
    );
    expect((await world.call(world.owner, "GET", `${world.contacts()}/${contact.id}`)).json.conversationCount).toBe(1);
    // An Agent counts only the conversations assigned to them (the conversation policy).
    expect((await world.call(world.agent, "GET", `${world.contacts()}/${contact.id}`)).json.conversationCount).toBe(0);

    const backup = await world.db.owner.selectFrom("contacts").selectAll().where("id", "=", contact.id).executeTakeFirstOrThrow();
    // Erasure removes conversations other members work in: Owners and Admins only.
    const refused = await world.call(world.agent, "DELETE", `${world.contacts()}/${contact.id}`);
    expect([refused.status, errorCode(refused.json)]).toEqual([403, "FORBIDDEN"]);
    const erased = await world.call(world.owner, "DELETE", `${world.contacts()}/${contact.id}`);
    expect(erased.status).toBe(204);

    expect((await world.call(world.owner, "GET", `${world.contacts()}/${contact.id}`)).status).toBe(404);
    expect((await world.call(world.owner, "DELETE", `${world.contacts()}/${contact.id}`)).status).toBe(404);
    expect(await world.db.owner.selectFrom("contact_tags").select("tag").where("contact_id", "=", contact.id).execute()).toEqual([]);
    expect(await world.db.owner.selectFrom("conversations").select("id").where("contact_id", "=", contact.id).execute()).toEqual([]);
    expect(await world.db.owner.selectFrom("data_keys").select("id").where("id", "=", backup.data_key_id).execute()).toEqual([]);
    // A copy of the row (a backup) no longer decrypts.
    await expect(
      withWorkspace(world.db, { workspaceId: world.workspaceA }, (trx) =>
        world.services.keyring.decrypt(
          trx,
          { workspaceId: world.workspaceA, table: "contacts", column: "custom_fields", rowId: contact.id },
          backup.custom_fields_ciphertext!,
        ),
      ),
    ).rejects.toThrow(DecryptionError);

    const entries = (await auditEntries(world, world.workspaceA, ["contact.erased"])).filter((entry) => entry.target_id === contact.id);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toMatch(/Erase Me|4915130000030|value/);
  });

  it("refuses an API key: erasure needs a person who recently confirmed their password", async () => {
    const contact = await create({ phone: "+4915130000031" });
    const { createApiKey } = await import("../../src/features/api-keys/service.ts");
    const { permissionsOf } = await import("../../src/identity/permissions.ts");
    const key = await withWorkspace(world.db, { workspaceId: world.workspaceA }, (trx) =>
      createApiKey(
        trx,
        {
          workspaceId: world.workspaceA,
          userId: world.owner.userId,
          role: "owner",
          permissions: permissionsOf("owner"),
          audit: { type: "user", id: world.owner.userId },
          ip: null,
          userAgent: null,
        },
        { name: "integration", scopes: ["contacts.read", "contacts.write", "contacts.erase"] },
      ),
    );
    const response = await world.app.inject({
      method: "DELETE",
      url: `${world.contacts()}/${contact.id}`,
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect([response.statusCode, response.json<Json & { error: { code: string } }>().error.code]).toEqual([
      403,
      "REAUTHENTICATION_REQUIRED",
    ]);
    // The key can still read and edit.
    const read = await world.app.inject({
      method: "GET",
      url: `${world.contacts()}/${contact.id}`,
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(read.statusCode).toBe(200);
  });
});

describe("who may do what", () => {
  it("lets Agents read and write every contact of the workspace, and refuses Analysts everything", async () => {
    const contact = await create({ phone: "+4915130000040", name: "Shared" });
    // Assigned to nobody: Agents still see the contact (contacts are not narrowed to their conversations).
    expect((await world.call(world.agent, "GET", world.contacts())).status).toBe(200);
    expect((await world.call(world.agent, "GET", `${world.contacts()}/${contact.id}`)).status).toBe(200);
    for (const [method, url, body] of [
      ["GET", world.contacts(), undefined],
      ["GET", `${world.contacts()}/${contact.id}`, undefined],
      ["POST", world.contacts(), { phone: "+4915130000041" }],
      ["PATCH", `${world.contacts()}/${contact.id}`, { name: "x" }],
      ["POST", `${world.contacts()}/${contact.id}/consent`, { status: "opted_in", source: "agent" }],
      ["DELETE", `${world.contacts()}/${contact.id}`, undefined],
      ["POST", `${world.contacts()}/import`, { csv: "phone\n+4915130000042\n" }],
      ["GET", `${world.contacts()}/export.csv`, undefined],
    ] as const) {
      const answer = await world.call(world.analyst, method, url, body);
      expect([answer.status, errorCode(answer.json)], `${method} ${url}`).toEqual([403, "FORBIDDEN"]);
    }
    for (const [method, url, body] of [
      ["POST", `${world.contacts()}/import`, { csv: "phone\n+4915130000042\n" }],
      ["GET", `${world.contacts()}/export.csv`, undefined],
    ] as const) {
      const answer = await world.call(world.agent, method, url, body);
      expect([answer.status, errorCode(answer.json)], `${method} ${url}`).toEqual([403, "FORBIDDEN"]);
    }
  });

  it("keeps workspaces apart: B cannot read, list, update, record consent for or erase A's contacts", async () => {
    const contact = await create({ phone: "+4915130000050", name: "Only In A", tags: ["a-only"] });
    const inA = (path = "") => `${world.contacts()}${path}`;
    const inB = (path = "") => `${world.contacts(world.workspaceB)}${path}`;
    // B's Owner aimed at A's URLs: not a member there.
    for (const [method, url, body] of [
      ["GET", inA(), undefined],
      ["GET", inA(`/${contact.id}`), undefined],
      ["PATCH", inA(`/${contact.id}`), { name: "Hijacked" }],
      ["POST", inA(`/${contact.id}/consent`), { status: "opted_out", source: "agent" }],
      ["DELETE", inA(`/${contact.id}`), undefined],
    ] as const) {
      const answer = await world.call(world.ownerB, method, url, body);
      expect([403, 404], `${method} ${url}`).toContain(answer.status);
    }
    // B's Owner in B's own workspace, naming A's contact: it does not exist there.
    expect((await world.call(world.ownerB, "GET", inB(`/${contact.id}`))).status).toBe(404);
    expect((await world.call(world.ownerB, "PATCH", inB(`/${contact.id}`), { name: "Hijacked" })).status).toBe(404);
    expect((await world.call(world.ownerB, "POST", inB(`/${contact.id}/consent`), { status: "opted_out", source: "agent" })).status).toBe(
      404,
    );
    expect((await world.call(world.ownerB, "DELETE", inB(`/${contact.id}`))).status).toBe(404);
    expect(ids((await world.call(world.ownerB, "GET", inB("?tag=a-only"))).json)).toEqual([]);
    expect(ids((await world.call(world.ownerB, "GET", inB(`?phone=${encodeURIComponent("+4915130000050")}`))).json)).toEqual([]);
    // The same number may exist in B independently.
    const inBToo = await create({ phone: "+4915130000050", name: "B's own" }, world.workspaceB);
    expect(inBToo.id).not.toBe(contact.id);
    // A's contact is untouched.
    expect((await world.call(world.owner, "GET", inA(`/${contact.id}`))).json).toMatchObject({
      name: "Only In A",
      consent: { status: "unknown" },
    });
  });
});

describe("an Agent's conversation count", () => {
  it("counts the conversations assigned to them", async () => {
    const numberId = await seedNumber(world.services, world.workspaceA, { phoneNumberId: "300" });
    const { contactId } = await seedConversation(world.services, {
      workspaceId: world.workspaceA,
      numberId,
      waId: "4915130000060",
      profileName: "Wa Name",
      assignee: world.agent.userId,
    });
    const detail = await world.call(world.agent, "GET", `${world.contacts()}/${contactId}`);
    expect(detail.json).toMatchObject({ whatsappName: "Wa Name", conversationCount: 1 });
  });
});

describe("logs", () => {
  it("never hold a phone number, a name or a custom field value", () => {
    const text = world.logs.text();
    expect(text.length).toBeGreaterThan(0);
    for (const canary of ["4915130000001", "Ada Lovelace", "London", "Consent Person", "Erase Me", "4155550102", "Only In A", "Hijacked"]) {
      expect(text).not.toContain(canary);
    }
  });
});
