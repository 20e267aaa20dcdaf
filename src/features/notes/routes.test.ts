import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecryptionError } from "../../crypto/aead.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { realtimeChannel, type RealtimeEvent } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import type { TestDatabase } from "../../../test/support/engine.ts";
import type { TestUser } from "../../../test/support/identity.ts";
import {
  createApiWorld,
  errorCode,
  seedConversation,
  seedNumber,
  type ApiWorld,
  type CallApi,
  type Json,
} from "../../../test/support/workspace-fixtures.ts";
import { eraseContact } from "../contacts/repository.ts";
import { noteRoutes } from "./routes.ts";

// Internal notes against a real database: who may read and write them (Agents only on their own
// conversations, through the API and RLS; Analysts never; other workspaces never), validation, the
// text encrypted under the contact's key (and shredded with it), an audit entry without the text,
// and a realtime event carrying ids only.

let world: ApiWorld<{ agentA: "agent"; agentB: "agent"; analyst: "analyst" }>;
let db: TestDatabase;
let services: Services;
let call: CallApi;
let workspaceId: string;
let owner: TestUser;
let agentA: TestUser;
let agentB: TestUser;
let analyst: TestUser;
let outsider: TestUser;
let outsiderWorkspace: string;
const conversation = { a: "", b: "", erased: "" };
let erasedContactId = "";

const seedCustomer = (numberId: string, waId: string, assignee: string | null) =>
  seedConversation(services, { workspaceId, numberId, waId, profileName: "Customer", assignee });

const notesUrl = (conversationId: string, workspace = workspaceId) =>
  `/api/v1/workspaces/${workspace}/conversations/${conversationId}/notes`;
const texts = (json: Json) => (json.data as Array<{ text: string | null }>).map((note) => note.text);

beforeAll(async () => {
  world = await createApiWorld({ routes: noteRoutes, members: { agentA: "agent", agentB: "agent", analyst: "analyst" } });
  ({ db, services, call, workspaceId, owner, outsider, outsiderWorkspaceId: outsiderWorkspace } = world);
  ({ agentA, agentB, analyst } = world.members);
  const numberId = await seedNumber(services, workspaceId);
  conversation.a = (await seedCustomer(numberId, "4915110000101", agentA.userId)).conversationId;
  conversation.b = (await seedCustomer(numberId, "4915110000102", agentB.userId)).conversationId;
  const erased = await seedCustomer(numberId, "4915110000103", null);
  conversation.erased = erased.conversationId;
  erasedContactId = erased.contactId;
});

afterAll(async () => {
  await world?.close();
});

describe("internal notes", () => {
  it("lets the assigned Agent add a note and read it back, newest first, with the author", async () => {
    const first = await call(agentA, "POST", notesUrl(conversation.a), { text: "Called the customer, waiting for the invoice." });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      conversationId: conversation.a,
      text: "Called the customer, waiting for the invoice.",
      authorUserId: agentA.userId,
    });
    await call(owner, "POST", notesUrl(conversation.a), { text: "  <b>VIP</b> — be quick  " });
    const listed = await call(agentA, "GET", notesUrl(conversation.a));
    expect(listed.status).toBe(200);
    // Trimmed, kept as text (never interpreted), newest first.
    expect(texts(listed.json)).toEqual(["<b>VIP</b> — be quick", "Called the customer, waiting for the invoice."]);
  });

  it("pages with a cursor", async () => {
    for (const n of [1, 2, 3]) await call(owner, "POST", notesUrl(conversation.b), { text: `note ${n}` });
    const page1 = await call(owner, "GET", `${notesUrl(conversation.b)}?limit=2`);
    expect(texts(page1.json)).toEqual(["note 3", "note 2"]);
    const cursor = page1.json.nextCursor as string;
    expect(cursor).toBeTruthy();
    const page2 = await call(owner, "GET", `${notesUrl(conversation.b)}?limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect(texts(page2.json)).toEqual(["note 1"]);
    expect(page2.json.nextCursor).toBeNull();
    expect((await call(owner, "GET", `${notesUrl(conversation.b)}?cursor=not-a-cursor`)).status).toBe(400);
  });

  it("refuses an Agent another Agent's conversation (404, through the API and through RLS)", async () => {
    expect((await call(agentA, "GET", notesUrl(conversation.b))).status).toBe(404);
    expect((await call(agentA, "POST", notesUrl(conversation.b), { text: "sneaky" })).status).toBe(404);
    // Row security alone: as agent A, no note of B's conversation is visible even without a filter.
    const rows = await withWorkspace(db, { workspaceId, userId: agentA.userId, role: "agent" }, (trx) =>
      trx.selectFrom("conversation_notes").select("conversation_id").execute(),
    );
    expect(new Set(rows.map((row) => row.conversation_id))).toEqual(new Set([conversation.a]));
  });

  it("refuses Analysts and members of another workspace", async () => {
    const analystAnswer = await call(analyst, "GET", notesUrl(conversation.a));
    expect(analystAnswer.status).toBe(403);
    expect((await call(analyst, "POST", notesUrl(conversation.a), { text: "x" })).status).toBe(403);
    // Aimed at workspace A: not a member. Aimed at their own workspace with A's conversation id: not found.
    expect((await call(outsider, "GET", notesUrl(conversation.a))).status).toBe(403);
    expect((await call(outsider, "POST", notesUrl(conversation.a), { text: "x" })).status).toBe(403);
    expect((await call(outsider, "GET", notesUrl(conversation.a, outsiderWorkspace))).status).toBe(404);
    expect((await call(outsider, "POST", notesUrl(conversation.a, outsiderWorkspace), { text: "x" })).status).toBe(404);
    expect((await call(null, "GET", notesUrl(conversation.a))).status).toBe(401);
  });

  it("validates the text: required, not blank, at most 4096 characters, no unknown fields", async () => {
    for (const body of [{}, { text: "" }, { text: "   " }, { text: "x".repeat(4097) }, { text: "ok", internal: false }]) {
      const answer = await call(owner, "POST", notesUrl(conversation.a), body);
      expect(answer.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(errorCode(answer.json)).toBe("VALIDATION_FAILED");
    }
    expect((await call(owner, "POST", notesUrl(conversation.a), { text: "x".repeat(4096) })).status).toBe(201);
    expect((await call(owner, "GET", notesUrl(randomUUID()))).status).toBe(404);
  });

  it("stores the text encrypted under the contact's key, audits without it, and publishes ids only", async () => {
    // A marker no id, hash or ciphertext can hold by chance (those are hex or base64url: no spaces).
    const marker = "card ends 4242";
    const secret = `Customer's ${marker} ${randomUUID()}`;
    const received: RealtimeEvent[] = [];
    const unsubscribe = await services.coordination.pubsub.subscribe(realtimeChannel(workspaceId), (message) =>
      received.push(JSON.parse(message) as RealtimeEvent),
    );
    const created = await call(owner, "POST", notesUrl(conversation.a), { text: secret });
    expect(created.status).toBe(201);
    const noteId = created.json.id as string;

    const stored = await db.owner.selectFrom("conversation_notes").selectAll().where("id", "=", noteId).executeTakeFirstOrThrow();
    expect(stored.body_ciphertext).toMatch(/^pv1\./);
    expect(stored.body_ciphertext).not.toContain(marker);
    // Nor encoded: no part of the envelope decodes to the text.
    for (const part of stored.body_ciphertext.split(".")) expect(Buffer.from(part, "base64url").includes(Buffer.from(secret))).toBe(false);
    const audit = await db.owner
      .selectFrom("audit_entries")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("action", "=", "note.created")
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(marker);
    expect(audit.some((entry) => JSON.stringify(entry.metadata).includes(noteId))).toBe(true);

    await expect.poll(() => received.find((event) => event.type === "note.created")).toBeTruthy();
    const event = received.find((item) => item.type === "note.created")!;
    expect(event.data).toEqual({ conversationId: conversation.a, noteId });
    expect(JSON.stringify(event)).not.toContain(marker);
    await unsubscribe();
  });

  it("is erased with the contact: a backed-up copy of the note no longer decrypts", async () => {
    const created = await call(owner, "POST", notesUrl(conversation.erased), { text: "Personal remark about this customer" });
    expect(created.status).toBe(201);
    const backup = await db.owner
      .selectFrom("conversation_notes")
      .selectAll()
      .where("id", "=", created.json.id as string)
      .executeTakeFirstOrThrow();
    await withWorkspace(db, { workspaceId }, (trx) => eraseContact(trx, services.keyring, workspaceId, erasedContactId));
    // The rows went with the contact and its conversation…
    expect((await call(owner, "GET", notesUrl(conversation.erased))).status).toBe(404);
    // …and a copy taken before (a backup, a replica) cannot be read: the data key is gone.
    await expect(
      withWorkspace(db, { workspaceId }, (trx) =>
        services.keyring.decrypt(
          trx,
          { workspaceId, table: "conversation_notes", column: "body", rowId: backup.id },
          backup.body_ciphertext,
        ),
      ),
    ).rejects.toBeInstanceOf(DecryptionError);
  });
});
