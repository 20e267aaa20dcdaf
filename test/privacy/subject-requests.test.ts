import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalBlobStore } from "../../src/blob/local.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { contactRoutes } from "../../src/features/contacts/routes.ts";
import { sealMedia } from "../../src/features/messages/media/cipher.ts";
import { mediaBlobKey } from "../../src/features/messages/media/fetch.ts";
import { markMediaStored } from "../../src/features/messages/media/repository.ts";
import { storeUpload } from "../../src/features/messages/media/upload.ts";
import { insertInboundMessage } from "../../src/features/messages/repository.ts";
import { addNoteFor } from "../../src/features/notes/service.ts";
import { openBundle } from "../../src/features/subject-requests/bundle-cipher.ts";
import {
  SUBJECT_EXPORT_SCHEMA_PATH,
  renderSubjectExportSchema,
  subjectBundleSchema,
} from "../../src/features/subject-requests/bundle-schema.ts";
import { exportableTables } from "../../src/features/subject-requests/bundle.ts";
import { createExportToken, verifyExportToken } from "../../src/features/subject-requests/download-link.ts";
import { subjectRequestRoutes } from "../../src/features/subject-requests/routes.ts";
import { expireSubjectExportsNow, runSubjectExport } from "../../src/features/subject-requests/runner.ts";
import { readZip } from "../../src/features/subject-requests/zip.ts";
import { withoutRealtime } from "../../src/realtime/events.ts";
import { bearer, createIdentityApp, currentTotp, login, ownerCaller } from "../support/identity.ts";
import { createApiWorld, errorCode, seedConversation, seedNumber, type ApiWorld, type Json } from "../support/workspace-fixtures.ts";

// Data subjects' requests end to end on a real database and blob store: the tracker and its
// deadlines, a contact's export bundle checked against the data inventory and its JSON Schema, its
// media decrypted, the sealed blob at rest, signed links (expiry, tampering), re-authentication,
// the audit trail without personal data, erasure from a request, and the bundles' expiry.

const run = promisify(execFile);

type World = ApiWorld<{ admin: "admin"; agent: "agent" }>;
type RequestJson = {
  id: string;
  kind: string;
  status: string;
  contactId: string;
  contactLabel: string | null;
  contactErased: boolean;
  receivedOn: string;
  dueOn: string;
  daysLeft: number;
  overdue: boolean;
  notes: string | null;
  exports: Array<{ id: string; status: string; sizeBytes: number | null; fileCount: number | null; expiresAt: string }>;
};

const PHONE = "4915130000777";
const NAME = "Dora Datensubjekt";
const TEXT = "please send me everything you hold about me";
const NOTE = "called on Tuesday, prefers e-mail";
const IMAGE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("a small jpeg for the export test")]);
const PDF = Buffer.from("%PDF-1.4 an upload for the export test");

let world: World;
let dir: string;
let numberId: string;
let contactId: string;
let conversationId: string;
let imageMessageId: string;

const base = () => `/api/v1/workspaces/${world.workspaceId}/privacy`;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60_000).toISOString().slice(0, 10);

async function createRequest(body: Json): Promise<RequestJson> {
  const answer = await world.call(world.owner, "POST", `${base()}/requests`, body);
  expect(answer.status, answer.text).toBe(201);
  return answer.json as RequestJson;
}

/** Records an export request, starts it through the route, runs its job; answers the export id. */
async function readyExport(): Promise<{ requestId: string; exportId: string }> {
  const request = await createRequest({ kind: "export", contactId, receivedOn: today() });
  const started = await world.call(world.owner, "POST", `${base()}/requests/${request.id}/export`);
  expect(started.status, started.text).toBe(202);
  const exportId = (started.json as RequestJson).exports[0]!.id;
  expect(await runSubjectExport(world.services, { workspaceId: world.workspaceId, exportId })).toBe("ready");
  return { requestId: request.id, exportId };
}

async function download(exportId: string): Promise<Buffer> {
  const link = await world.call(world.members.admin, "POST", `${base()}/exports/${exportId}/link`);
  expect(link.status, link.text).toBe(200);
  const url = (link.json as { url: string }).url;
  const response = await world.app.inject({ method: "GET", url });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers["content-type"]).toBe("application/zip");
  expect(response.headers["cache-control"]).toBe("private, no-store");
  return response.rawPayload;
}

async function auditOf(actions: string[]) {
  return world.db.owner
    .selectFrom("audit_entries")
    .select(["action", "metadata", "target_id", "actor_id"])
    .where("workspace_id", "=", world.workspaceId)
    .where("action", "in", actions)
    .orderBy("seq")
    .execute();
}

beforeAll(async () => {
  world = await createApiWorld({
    routes: [...subjectRequestRoutes, ...contactRoutes],
    members: { admin: "admin", agent: "agent" },
    workspaceName: "Privacy A",
    outsiderWorkspaceName: "Privacy B",
  });
  dir = await mkdtemp(join(tmpdir(), "parley-dsar-"));
  world.services.blobs = createLocalBlobStore(join(dir, "blobs"));
  const services = world.services;
  const workspaceId = world.workspaceId;
  numberId = await seedNumber(services, workspaceId);
  const seeded = await seedConversation(services, { workspaceId, numberId, waId: PHONE, profileName: NAME, texts: [TEXT] });
  contactId = seeded.contactId;
  conversationId = seeded.conversationId;
  // An inbound image, stored sealed under the contact's key as the media fetch would.
  imageMessageId = await withoutRealtime(() =>
    withWorkspace(services.db, { workspaceId }, async (trx) => {
      const id = await insertInboundMessage(trx, services.keyring, {
        workspaceId,
        conversationId,
        contact: seeded.contact,
        numberId,
        phoneNumberId: "100",
        wamid: `wamid.test.${randomUUID()}`,
        type: "image",
        content: { caption: "my photo" },
        occurredAt: new Date(),
        contextWamid: null,
        reactionToWamid: null,
        media: { id: "media-1", mimeType: "image/jpeg", sha256: null },
      });
      const blobKey = mediaBlobKey(workspaceId, id!);
      const sealed = await sealMedia(
        trx,
        services.keyring,
        { workspaceId, messageId: id!, blobKey, dataKeyId: seeded.contact.dataKeyId },
        IMAGE,
      );
      await services.blobs!.put(blobKey, sealed);
      await markMediaStored(trx, workspaceId, id!, { blobKey, size: IMAGE.length, mimeType: "image/jpeg", fetchedAt: new Date() });
      return id!;
    }),
  );
  const caller = ownerCaller(workspaceId, world.owner.userId);
  await storeUpload(services, caller, conversationId, "application/pdf", PDF);
  await withoutRealtime(() => addNoteFor(services, caller, conversationId, NOTE));
  const tagged = await world.call(world.owner, "PATCH", `/api/v1/workspaces/${workspaceId}/contacts/${contactId}`, { tags: ["vip"] });
  expect(tagged.status, tagged.text).toBe(200);
  const wamid = await world.db.owner
    .selectFrom("messages")
    .select("wamid")
    .where("id", "=", seeded.messageIds[0]!)
    .executeTakeFirstOrThrow();
  await world.db.owner
    .insertInto("message_statuses")
    .values({ workspace_id: workspaceId, phone_number_id: "100", wamid: wamid.wamid!, status: "read", occurred_at: new Date() })
    .execute();
});

afterAll(async () => {
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the requests tracker", () => {
  it("computes the legal deadline from the received day, back-dated, with days left and overdue", async () => {
    const fresh = await createRequest({ kind: "export", contactId, receivedOn: today() });
    expect(fresh.dueOn).toBe(new Date(Date.parse(`${today()}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10));
    expect([fresh.daysLeft, fresh.overdue, fresh.status]).toEqual([30, false, "received"]);

    const late = await createRequest({ kind: "erasure", contactId, receivedOn: daysAgo(40), notes: "arrived by letter" });
    expect([late.daysLeft, late.overdue]).toEqual([-10, true]);
    expect(late.notes).toBe("arrived by letter");
    expect(late.contactLabel).toBe(NAME);

    // A finished request is never overdue.
    const rejected = await world.call(world.owner, "PATCH", `${base()}/requests/${late.id}`, { status: "rejected" });
    expect(rejected.status, rejected.text).toBe(200);
    expect((rejected.json as RequestJson).overdue).toBe(false);
    const again = await world.call(world.owner, "PATCH", `${base()}/requests/${late.id}`, { status: "in_progress" });
    expect([again.status, errorCode(again.json)]).toEqual([409, "CONFLICT"]);

    const listed = await world.call(world.members.admin, "GET", `${base()}/requests`);
    expect(listed.status, listed.text).toBe(200);
    const requests = (listed.json as { requests: RequestJson[] }).requests;
    expect(requests.map((request) => request.id)).toContain(fresh.id);
    // Open requests come first, by deadline.
    const open = requests.filter((request) => request.status === "received" || request.status === "in_progress");
    expect(requests.slice(0, open.length)).toEqual(open);
  });

  it("refuses a received day in the future, too far back or not a day, an unknown contact and unknown fields", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const body of [
      { kind: "export", contactId, receivedOn: tomorrow },
      { kind: "export", contactId, receivedOn: daysAgo(400) },
      { kind: "export", contactId, receivedOn: "2026-02-30" },
      { kind: "export", contactId, receivedOn: "yesterday" },
      { kind: "copy", contactId, receivedOn: today() },
      { kind: "export", contactId, receivedOn: today(), role: "owner" },
      { kind: "export", contactId, receivedOn: today(), notes: "x".repeat(2001) },
    ]) {
      const answer = await world.call(world.owner, "POST", `${base()}/requests`, body);
      expect([answer.status, errorCode(answer.json)], JSON.stringify(body)).toEqual([400, "VALIDATION_FAILED"]);
    }
    const unknown = await world.call(world.owner, "POST", `${base()}/requests`, {
      kind: "export",
      contactId: randomUUID(),
      receivedOn: today(),
    });
    expect([unknown.status, errorCode(unknown.json)]).toEqual([404, "NOT_FOUND"]);
  });

  it("is for Owners and Admins only, and another workspace's Owner cannot see a request", async () => {
    const request = await createRequest({ kind: "export", contactId, receivedOn: today() });
    for (const [method, url] of [
      ["GET", `${base()}/requests`],
      ["GET", `${base()}/requests/${request.id}`],
      ["POST", `${base()}/requests/${request.id}/export`],
      ["POST", `${base()}/requests/${request.id}/erase`],
    ] as const) {
      expect((await world.call(world.members.agent, method, url)).status, `${method} ${url}`).toBe(403);
    }
    expect(
      (await world.call(world.members.agent, "POST", `${base()}/requests`, { kind: "export", contactId, receivedOn: today() })).status,
    ).toBe(403);
    const outsider = await world.call(world.outsider, "GET", `${base()}/requests/${request.id}`);
    expect([403, 404]).toContain(outsider.status);
    const inB = await world.call(world.outsider, "GET", `/api/v1/workspaces/${world.outsiderWorkspaceId}/privacy/requests/${request.id}`);
    expect(inB.status).toBe(404);
  });
});

describe("a contact's export bundle", () => {
  let zip: Buffer;
  let exportId: string;

  beforeAll(async () => {
    ({ exportId } = await readyExport());
    zip = await download(exportId);
  });

  it("has one section per table the inventory marks exportable, each contributing rows", async () => {
    const entries = readZip(zip);
    const names = entries.map((entry) => entry.name);
    expect(names.slice(0, 2)).toEqual(["subject.json", "README.txt"]);
    const bundle = JSON.parse(entries[0]!.bytes.toString("utf8")) as { sections: Record<string, { description: string; rows: unknown[] }> };
    const exportable = exportableTables();
    expect(Object.keys(bundle.sections).sort()).toEqual(exportable.map(([table]) => table).sort());
    for (const [table, declaration] of exportable) {
      expect(bundle.sections[table]!.description, table).toBe(declaration.export);
      expect(bundle.sections[table]!.rows.length, `${table} contributes rows`).toBeGreaterThan(0);
    }
    const text = entries[0]!.bytes.toString("utf8");
    for (const value of [`+${PHONE}`, NAME, TEXT, NOTE, "my photo", "vip"]) expect(text).toContain(value);
    // The tracker's own table joins through the inventory, read column by column, notes decrypted.
    const requestRows = bundle.sections.subject_requests!.rows as Array<Record<string, unknown>>;
    expect(requestRows.some((row) => row.kind === "export")).toBe(true);
    expect(requestRows.some((row) => row.notes === "arrived by letter")).toBe(true);
    expect(Object.keys(requestRows[0]!)).not.toContain("created_by_user_id");
    const readme = entries[1]!.bytes.toString("utf8");
    expect(readme).toContain("subject.json");
    expect(readme).toContain(SUBJECT_EXPORT_SCHEMA_PATH);
  });

  it("validates against the committed JSON Schema, which matches its zod source", async () => {
    const committed = await readFile(SUBJECT_EXPORT_SCHEMA_PATH, "utf8");
    expect(committed).toBe(renderSubjectExportSchema());
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(committed) as object);
    const bundle = JSON.parse(readZip(zip)[0]!.bytes.toString("utf8")) as unknown;
    expect(validate(bundle), JSON.stringify(validate.errors)).toBe(true);
    expect(subjectBundleSchema.safeParse(bundle).success).toBe(true);
    // And it refuses a bundle that strays from it.
    expect(validate({ ...(bundle as object), version: 2 })).toBe(false);
  });

  it("holds the media files, decrypted, listed with their digests, and is a zip other tools read", async () => {
    const entries = readZip(zip);
    const bundle = JSON.parse(entries[0]!.bytes.toString("utf8")) as {
      files: Array<{ path: string; sha256: string; source: string; rowId: string }>;
    };
    const image = entries.find((entry) => entry.name === `media/${imageMessageId}.jpg`);
    expect(image?.bytes.equals(IMAGE)).toBe(true);
    const pdf = entries.find((entry) => entry.name.endsWith(".pdf"));
    expect(pdf?.bytes.equals(PDF)).toBe(true);
    for (const file of bundle.files) {
      const entry = entries.find((candidate) => candidate.name === file.path)!;
      expect(createHash("sha256").update(entry.bytes).digest("hex")).toBe(file.sha256);
    }
    expect(bundle.files.map((file) => file.source).sort()).toEqual(["media_uploads", "messages"]);
    const path = join(dir, "bundle.zip");
    await writeFile(path, zip);
    const tested = await run("unzip", ["-t", path]);
    expect(tested.stdout).toContain("No errors detected");
  });

  it("is sealed at rest: the stored blob holds no plaintext and opens only in its own place", async () => {
    const row = await world.db.owner
      .selectFrom("subject_exports")
      .select(["blob_key", "wrapped_key", "size_bytes", "file_count", "status"])
      .where("id", "=", exportId)
      .executeTakeFirstOrThrow();
    expect([row.status, Number(row.size_bytes), row.file_count]).toEqual(["ready", zip.length, 2]);
    const blob = (await world.services.blobs!.get(row.blob_key!))!;
    for (const plain of [PHONE, NAME, TEXT, NOTE, "subject.json", "README.txt"]) expect(blob.includes(Buffer.from(plain))).toBe(false);
    expect(blob.includes(IMAGE)).toBe(false);
    expect(blob.subarray(4, 8).equals(Buffer.from("PK\x03\x04", "latin1"))).toBe(false);
    await withWorkspace(world.db, { workspaceId: world.workspaceId }, async (trx) => {
      const context = { workspaceId: world.workspaceId, exportId, blobKey: row.blob_key! };
      expect((await openBundle(trx, world.services.keyring, context, row.wrapped_key!, blob)).equals(zip)).toBe(true);
      await expect(
        openBundle(trx, world.services.keyring, { ...context, exportId: randomUUID() }, row.wrapped_key!, blob),
      ).rejects.toThrow();
      const flipped = Buffer.from(blob);
      flipped[flipped.length - 1]! ^= 1;
      await expect(openBundle(trx, world.services.keyring, context, row.wrapped_key!, flipped)).rejects.toThrow();
    });
  });

  it("audits request, completion and each download with ids and counts, never personal data", async () => {
    const entries = await auditOf([
      "subject_request.created",
      "subject_request.updated",
      "subject_export.requested",
      "subject_export.completed",
      "subject_export.downloaded",
    ]);
    const actions = new Set(entries.map((entry) => entry.action));
    expect([...actions].sort()).toEqual([
      "subject_export.completed",
      "subject_export.downloaded",
      "subject_export.requested",
      "subject_request.created",
      "subject_request.updated",
    ]);
    const downloaded = entries.filter((entry) => entry.action === "subject_export.downloaded" && entry.target_id === exportId);
    expect(downloaded).toHaveLength(1);
    expect(downloaded[0]!.actor_id).toBe(world.members.admin.userId);
    const text = JSON.stringify(entries);
    for (const value of [PHONE, NAME, TEXT, NOTE, "arrived by letter", "Datensubjekt"]) expect(text).not.toContain(value);
    expect(world.logs.text()).not.toContain(PHONE);
    expect(world.logs.text()).not.toContain(NAME);
  });
});

describe("signed download links", () => {
  it("refuse a tampered, expired or too long-lived token, and a member who lost the permission", async () => {
    const { exportId } = await readyExport();
    const { token } = await createExportToken(world.services, { workspaceId: world.workspaceId, exportId, userId: world.owner.userId });
    const tampered = `${token.slice(0, 40)}${token[40] === "A" ? "B" : "A"}${token.slice(41)}`;
    for (const bad of [tampered, `${token}A`, token.slice(1), "x"]) {
      const answer = await world.app.inject({ method: "GET", url: `/privacy-exports/${bad}` });
      expect([answer.statusCode, answer.json<{ error: { code: string } }>().error.code]).toEqual([403, "FORBIDDEN"]);
    }
    expect(await verifyExportToken(world.services, token)).toMatchObject({ exportId, workspaceId: world.workspaceId });
    expect(await verifyExportToken(world.services, token, new Date(Date.now() + 6 * 60_000))).toBeUndefined();
    const old = await createExportToken(world.services, {
      workspaceId: world.workspaceId,
      exportId,
      userId: world.owner.userId,
      now: new Date(Date.now() - 6 * 60_000),
    });
    const expired = await world.app.inject({ method: "GET", url: `/privacy-exports/${old.token}` });
    expect(expired.statusCode).toBe(403);
    // Issued to an Agent (never through the API): refused.
    const agents = await createExportToken(world.services, {
      workspaceId: world.workspaceId,
      exportId,
      userId: world.members.agent.userId,
    });
    expect((await world.app.inject({ method: "GET", url: `/privacy-exports/${agents.token}` })).statusCode).toBe(403);
    expect((await world.app.inject({ method: "GET", url: `/privacy-exports/${token}` })).statusCode).toBe(200);
  });

  it("needs a recent re-authentication to run an export or an erasure or to get a link", async () => {
    const { exportId, requestId } = await readyExport();
    const erasure = await createRequest({ kind: "erasure", contactId, receivedOn: today() });
    let clock: number | null = Date.now() - 10 * 60_000;
    const app = await createIdentityApp(world.services, { routes: subjectRequestRoutes, now: () => new Date(clock ?? Date.now()) });
    try {
      const session = await login(app, world.members.admin, { now: new Date(clock) });
      clock = null;
      for (const url of [
        `${base()}/requests/${requestId}/export`,
        `${base()}/requests/${erasure.id}/erase`,
        `${base()}/exports/${exportId}/link`,
      ]) {
        const stale = await app.inject({ method: "POST", url, headers: bearer(session) });
        expect([stale.statusCode, stale.json<{ error: { code: string } }>().error.code], url).toEqual([403, "REAUTHENTICATION_REQUIRED"]);
      }
      const confirmed = await app.inject({
        method: "POST",
        url: "/api/v1/auth/reauthenticate",
        headers: bearer(session),
        payload: { password: world.members.admin.password, totp: await currentTotp(world.members.admin) },
      });
      expect(confirmed.statusCode, confirmed.body).toBe(204);
      const fresh = await app.inject({ method: "POST", url: `${base()}/exports/${exportId}/link`, headers: bearer(session) });
      expect(fresh.statusCode, fresh.body).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe("erasure from a request and the bundles' expiry", () => {
  it("erases the contact, completes the request in the same step and keeps the row PII-free; its bundles go", async () => {
    const other = await seedConversation(world.services, {
      workspaceId: world.workspaceId,
      numberId,
      waId: "4915130000778",
      profileName: "Erwin Erased",
      texts: ["erase me"],
    });
    const exportRequest = await createRequest({ kind: "export", contactId: other.contactId, receivedOn: today() });
    const started = await world.call(world.owner, "POST", `${base()}/requests/${exportRequest.id}/export`);
    const exportId = (started.json as RequestJson).exports[0]!.id;
    await runSubjectExport(world.services, { workspaceId: world.workspaceId, exportId });
    const blobKey = (
      await world.db.owner.selectFrom("subject_exports").select("blob_key").where("id", "=", exportId).executeTakeFirstOrThrow()
    ).blob_key!;

    const request = await createRequest({
      kind: "erasure",
      contactId: other.contactId,
      receivedOn: daysAgo(3),
      notes: "Erwin asked by phone",
    });
    // An export request cannot erase, an erasure request cannot export.
    expect((await world.call(world.owner, "POST", `${base()}/requests/${exportRequest.id}/erase`)).status).toBe(409);
    expect((await world.call(world.owner, "POST", `${base()}/requests/${request.id}/export`)).status).toBe(409);

    const erased = await world.call(world.owner, "POST", `${base()}/requests/${request.id}/erase`);
    expect(erased.status, erased.text).toBe(200);
    const body = erased.json as RequestJson;
    expect([body.status, body.contactErased, body.contactLabel, body.notes]).toEqual(["completed", true, null, null]);

    expect(await world.db.owner.selectFrom("contacts").select("id").where("id", "=", other.contactId).executeTakeFirst()).toBeUndefined();
    const rows = await world.db.owner.selectFrom("subject_requests").selectAll().where("contact_id", "=", other.contactId).execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.notes_ciphertext).toBeNull();
    const bundle = await world.db.owner.selectFrom("subject_exports").selectAll().where("id", "=", exportId).executeTakeFirstOrThrow();
    expect([bundle.status, bundle.blob_key, bundle.wrapped_key]).toEqual(["expired", null, null]);
    const deletion = await world.db.owner.selectFrom("jobs").select("payload").where("queue", "=", "blobs.delete").execute();
    expect(deletion.some((job) => (job.payload.keys as string[]).includes(blobKey))).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/Erwin|4915130000778/);

    // Running it again: final.
    expect((await world.call(world.owner, "POST", `${base()}/requests/${request.id}/erase`)).status).toBe(409);
  });

  it("completes an erasure request whose contact was erased already, and a later export finds nothing", async () => {
    const other = await seedConversation(world.services, {
      workspaceId: world.workspaceId,
      numberId,
      waId: "4915130000779",
      texts: ["bye"],
    });
    const request = await createRequest({ kind: "erasure", contactId: other.contactId, receivedOn: today() });
    const exportRequest = await createRequest({ kind: "export", contactId: other.contactId, receivedOn: today() });
    const started = await world.call(world.owner, "POST", `${base()}/requests/${exportRequest.id}/export`);
    const exportId = (started.json as RequestJson).exports[0]!.id;
    expect((await world.call(world.owner, "DELETE", `/api/v1/workspaces/${world.workspaceId}/contacts/${other.contactId}`)).status).toBe(
      204,
    );
    // The job finds the contact gone: the export fails for that reason, audited.
    expect(await runSubjectExport(world.services, { workspaceId: world.workspaceId, exportId })).toBe("skipped");
    const erased = await world.call(world.owner, "POST", `${base()}/requests/${request.id}/erase`);
    expect([erased.status, (erased.json as RequestJson).status]).toEqual([200, "completed"]);
    const again = await world.call(world.owner, "POST", `${base()}/requests/${exportRequest.id}/export`);
    expect([again.status, errorCode(again.json)]).toEqual([409, "CONFLICT"]);
  });

  it("deletes a bundle when its days are up, audited with a count; its link then finds nothing", async () => {
    const { exportId } = await readyExport();
    const blobKey = (
      await world.db.owner.selectFrom("subject_exports").select("blob_key").where("id", "=", exportId).executeTakeFirstOrThrow()
    ).blob_key!;
    expect((await expireSubjectExportsNow(world.services)).expired).toBe(0);
    const result = await expireSubjectExportsNow(world.services, { now: new Date(Date.now() + 8 * 24 * 60 * 60_000) });
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const row = await world.db.owner
      .selectFrom("subject_exports")
      .select(["status", "blob_key"])
      .where("id", "=", exportId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "expired", blob_key: null });
    const deletion = await world.db.owner.selectFrom("jobs").select("payload").where("queue", "=", "blobs.delete").execute();
    expect(deletion.some((job) => (job.payload.keys as string[]).includes(blobKey))).toBe(true);
    const audit = await auditOf(["subject_export.expired"]);
    expect(audit.at(-1)!.metadata).toEqual({ count: result.expired });
    const link = await world.call(world.owner, "POST", `${base()}/exports/${exportId}/link`);
    expect([link.status, errorCode(link.json)]).toEqual([409, "CONFLICT"]);
    const { token } = await createExportToken(world.services, { workspaceId: world.workspaceId, exportId, userId: world.owner.userId });
    expect((await world.app.inject({ method: "GET", url: `/privacy-exports/${token}` })).statusCode).toBe(404);
  });
});
