import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastRoutes } from "../../src/features/broadcasts/routes.ts";
import { findAudienceUpload } from "../../src/features/broadcasts/repository.ts";
import { createBroadcastRunner, runBroadcastJob } from "../../src/features/broadcasts/runner.ts";
import { createContact } from "../../src/features/contacts/repository.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { Authenticator } from "../../src/identity/auth-context.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import { startSendHarness, type SendHarness } from "../whatsapp/send-support.ts";
import { createWorkspace } from "../whatsapp/support.ts";

// CSV audiences for broadcasts, end to end: the upload route validates each row as the contacts
// import does, the estimate counts what the file excluded, and a broadcast to the upload reaches
// exactly the valid rows whose contacts consented, with the row's own values as parameters. On
// PGlite and PostgreSQL, against the simulator over HTTP.

let h: SendHarness;
let app: FastifyInstance;
let runner: Worker | undefined;
let base: string;

async function call(method: "GET" | "POST", url: string, body?: unknown) {
  const response = await app.inject({
    method,
    url: `${base}${url}`,
    headers: { authorization: "Bearer test-owner", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, json: response.json(), body: response.body };
}

async function seedContact(phone: string, consent: "opted_in" | "opted_out" | "unknown", name: string | null = null) {
  return withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    createContact(trx, h.services.keyring, {
      workspaceId: h.workspaceId,
      phone,
      name,
      tags: [],
      customFields: { city: "Profile city" },
      ...(consent === "unknown" ? {} : { consent: { status: consent, source: "import" as const, at: new Date() } }),
    }),
  );
}

function received(waId: string) {
  return h.sim.listReceived(waId).filter((message) => message.type === "template");
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${JSON.stringify(value)}`);
    await delay(25);
  }
}

beforeAll(async () => {
  h = await startSendHarness({ worker: { graphTimeoutMs: 30_000 } });
  base = `/api/v1/workspaces/${h.workspaceId}`;
  const authenticate: Authenticator = async (request) =>
    request.headers.authorization === "Bearer test-owner" ? { ...h.caller, reauthenticatedAt: new Date() } : null;
  app = await createHttpApp({ services: h.services, routes: broadcastRoutes, authenticate });
  const wabaId = await withWorkspace(
    h.db,
    { workspaceId: h.workspaceId },
    async (trx) => (await trx.selectFrom("numbers").select("waba_id").where("id", "=", h.number.id).executeTakeFirstOrThrow()).waba_id,
  );
  h.sim.state.templates.set("3000000000000002", {
    id: "3000000000000002",
    wabaId,
    name: "promo",
    language: "en_US",
    category: "MARKETING",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, 20% off in {{2}} today." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: h.sim.clock.now(),
  });
  await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
    trx.updateTable("numbers").set({ messaging_limit: "TIER_UNLIMITED", quality_rating: "GREEN" }).where("id", "=", h.number.id).execute(),
  );
}, 120_000);

afterAll(async () => {
  await runner?.stop(2_000);
  await app?.close();
  await h?.close();
});

// Rows 2–9 of the file: two consenting contacts, one opted out, one new number (no consent yet),
// a number that is not one, a repeat of row 2, a missing number and a name that is too long.
const CONSENTING_A = "+4917012340001";
const CONSENTING_B = "+4917012340002";
const OPTED_OUT = "+4917012340003";
const NEW_NUMBER = "+4917012340004";
const FILE = [
  "phone,name,field:city",
  `${CONSENTING_A},Zelda,Lisbon`,
  `${CONSENTING_B},,`,
  `${OPTED_OUT},Otto,Oslo`,
  `${NEW_NUMBER},Nina,Nantes`,
  "12ab,Ivy,Ithaca",
  `${CONSENTING_A.replace("+49", "+49 ")},Zelda again,Lyon`,
  ",Nobody,Nowhere",
  `+4917012340005,${"x".repeat(300)},Paris`,
].join("\r\n");

describe("CSV audiences for broadcasts", () => {
  let uploadId: string;

  it("validates every row as the contacts import does and reports the excluded ones with their row numbers", async () => {
    await seedContact(CONSENTING_A, "opted_in", "Profile name");
    await seedContact(CONSENTING_B, "opted_in", "Bea");
    await seedContact(OPTED_OUT, "opted_out");

    const uploaded = await call("POST", "/broadcasts/audiences", { csv: FILE });
    expect(uploaded.status, uploaded.body).toBe(201);
    uploadId = uploaded.json.upload.id as string;
    expect(uploaded.json.upload).toMatchObject({
      rows: 8,
      accepted: 4,
      excluded: { invalidNumber: 2, duplicate: 1, invalidRow: 1 },
      fieldKeys: ["city"],
    });
    const byRow = new Map(
      (uploaded.json.rows as { row: number; status: string; reason: string | null; errors: unknown[] }[]).map((r) => [r.row, r]),
    );
    expect([...byRow.keys()]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    for (const row of [2, 3, 4, 5]) expect(byRow.get(row)).toMatchObject({ status: "accepted", reason: null, errors: [] });
    expect(byRow.get(6)).toMatchObject({
      status: "excluded",
      reason: "invalid_number",
      errors: [{ column: "phone", message: expect.stringContaining("international") }],
    });
    expect(byRow.get(7)).toMatchObject({
      status: "excluded",
      reason: "duplicate",
      errors: [{ column: "phone", message: expect.stringContaining("row 2") }],
    });
    expect(byRow.get(8)).toMatchObject({
      status: "excluded",
      reason: "invalid_number",
      errors: [{ column: "phone", message: expect.stringContaining("missing") }],
    });
    expect(byRow.get(9)).toMatchObject({ status: "excluded", reason: "invalid_row", errors: [{ column: "name" }] });

    // The new number became a contact, as the import creates one: without marketing consent.
    const created = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("contacts").select(["consent_status"]).execute(),
    );
    expect(created).toHaveLength(4);
    expect(created.filter((contact) => contact.consent_status === "unknown")).toHaveLength(1);

    const audit = await withWorkspace(h.db, { workspaceId: h.workspaceId }, (trx) =>
      trx.selectFrom("audit_entries").select(["action", "metadata"]).where("target_id", "=", uploadId).execute(),
    );
    expect(audit).toEqual([{ action: "broadcast.audience_uploaded", metadata: { rows: 8, accepted: 4, excluded: 4 } }]);
    expect((await call("GET", `/broadcasts/audiences/${uploadId}`)).json).toMatchObject({ id: uploadId, rows: 8, accepted: 4 });
  }, 60_000);

  it("keeps the rows' values encrypted at rest: no phone number or name in the raw columns", async () => {
    const raw = await h.db.owner.selectFrom("broadcast_audience_rows").selectAll().where("upload_id", "=", uploadId).execute();
    expect(raw).toHaveLength(4);
    const text = JSON.stringify(raw);
    for (const secret of ["4917012340001", "4917012340002", "4917012340004", "Zelda", "Nina", "Lisbon", "Nantes"]) {
      expect(text).not.toContain(secret);
    }
    expect(raw.filter((row) => row.values_ciphertext !== null)).toHaveLength(3);
    const uploads = JSON.stringify(await h.db.owner.selectFrom("broadcast_audience_uploads").selectAll().execute());
    expect(uploads).not.toContain("4917012340001");
  });

  it("is the workspace's own: another workspace can neither read its rows nor use it", async () => {
    const other = await createWorkspace(h.services);
    const seen = await withWorkspace(h.db, { workspaceId: other }, async (trx) => ({
      upload: await findAudienceUpload(trx, other, uploadId),
      uploads: await trx.selectFrom("broadcast_audience_uploads").select("id").execute(),
      rows: await trx.selectFrom("broadcast_audience_rows").select("contact_id").execute(),
    }));
    expect(seen).toEqual({ upload: undefined, uploads: [], rows: [] });
  });

  it("estimates the upload with exclusions by reason", async () => {
    const estimate = await call("POST", "/broadcasts/estimate", { audience: { uploadId }, numberIds: [h.number.id] });
    expect(estimate.status, estimate.body).toBe(200);
    expect(estimate.json).toEqual({
      matched: 8,
      eligible: 2,
      excluded: { noConsent: 1, optedOut: 1, invalidNumber: 2, duplicate: 1, invalidRow: 1, outsideMessagingLimit: 0 },
      remainingQuota: null,
    });
  });

  it("sends exactly to the valid consenting rows, with the row's values as parameters", async () => {
    runner = createWorker({
      db: h.db,
      jobs: [bindJob(runBroadcastJob, createBroadcastRunner(h.services, { stepMs: 200 }))],
      concurrency: 2,
      pollIntervalMs: 10,
      visibilityTimeoutMs: 60_000,
      backoff: { baseMs: 10, maxMs: 50 },
      stopTimeoutMs: 2_000,
      logger: h.services.logger,
    });
    runner.start();
    const created = await call("POST", "/broadcasts", {
      name: "Uploaded",
      template: { name: "promo", language: "en_US" },
      parameters: [
        { source: "name", fallback: "there" },
        { source: "field", field: "city", fallback: "your city" },
      ],
      audience: { uploadId },
      numberIds: [h.number.id],
    });
    expect(created.status, created.body).toBe(201);
    const id = created.json.id as string;
    expect((await call("POST", `/broadcasts/${id}/start`, {})).status).toBe(200);
    const done = await waitFor(
      async () => (await call("GET", `/broadcasts/${id}`)).json as { state: string; counts: Record<string, number> },
      (v) => v.state === "completed",
    );
    expect(done.counts).toMatchObject({ total: 4, skipped: 2, pending: 0, sending: 0 });

    expect(received(CONSENTING_A.slice(1))).toHaveLength(1);
    expect(received(CONSENTING_B.slice(1))).toHaveLength(1);
    expect(received(OPTED_OUT.slice(1))).toHaveLength(0);
    expect(received(NEW_NUMBER.slice(1))).toHaveLength(0);
    expect(received("4917012340005")).toHaveLength(0);
    // The row's name and city win over the contact's; a row without them falls back to the contact.
    const first = JSON.stringify(received(CONSENTING_A.slice(1))[0]!.body);
    expect(first).toContain("Zelda");
    expect(first).toContain("Lisbon");
    const second = JSON.stringify(received(CONSENTING_B.slice(1))[0]!.body);
    expect(second).toContain("Bea");
    expect(second).toContain("Profile city");
    await runner.stop(2_000);
    runner = undefined;
  }, 120_000);

  it("refuses a consent column, an upload mixed with filters, an unknown upload and an oversized file", async () => {
    const consent = await call("POST", "/broadcasts/audiences", { csv: `phone,consent\r\n${NEW_NUMBER},opted_in` });
    expect(consent.status).toBe(422);
    expect(consent.json.error.message).toContain("consent");

    const mixed = await call("POST", "/broadcasts/estimate", { audience: { uploadId, tags: ["vip"] }, numberIds: [h.number.id] });
    expect(mixed.status).toBe(400);

    const unknown = await call("POST", "/broadcasts/estimate", {
      audience: { uploadId: "00000000-0000-4000-8000-000000000000" },
      numberIds: [h.number.id],
    });
    expect(unknown.status).toBe(404);

    const tooManyRows = ["phone", ...Array.from({ length: 10_001 }, (_, i) => `+4915${String(100000000 + i)}`)].join("\n");
    const rows = await call("POST", "/broadcasts/audiences", { csv: tooManyRows });
    expect(rows.status).toBe(422);
    expect(rows.json.error.message).toContain("more than 10,000 rows");

    const huge = await call("POST", "/broadcasts/audiences", { csv: `phone,name\r\n${"+4915100000000,x\r\n".repeat(400_000)}` });
    expect([413, 400, 422]).toContain(huge.status);
    expect(huge.body).toMatch(/5 MB|too large|larger/i);
  }, 60_000);
});
