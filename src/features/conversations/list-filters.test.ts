import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../db/with-workspace.ts";
import type { Services } from "../../services.ts";
import type { TestDatabase } from "../../../test/support/engine.ts";
import { createIdentityApp, type TestUser } from "../../../test/support/identity.ts";
import { createApiWorld, seedConversation, seedNumber, type ApiWorld, type CallApi } from "../../../test/support/workspace-fixtures.ts";
import { setConversationStatus } from "./repository.ts";
import { conversationRoutes, createListConversationsRoute } from "./routes.ts";

// The inbox list's filters against a real database, on both engines: number, status, tag, exact
// phone (blind index) and name (a bounded scan of encrypted names), alone and combined, each walked
// page by page with the keyset cursor and compared with a model of the seeded data; what an Agent
// sees with the same filters; where a capped name scan stops and how it continues; validation;
// and thread pages of up to 500 messages.

type Seed = {
  key: string;
  waId: string;
  /** The contact's name; `profile` is the WhatsApp profile name (both are searched). */
  name: string;
  profile: string;
  number: 0 | 1;
  assignee: "agentA" | "agentB" | null;
  status: "open" | "closed";
  tags: string[];
};

const seeds: Seed[] = [
  {
    key: "lovelace",
    waId: "4915110000001",
    name: "Ada Lovelace",
    profile: "Ada Lovelace",
    number: 0,
    assignee: "agentA",
    status: "open",
    tags: ["vip"],
  },
  {
    key: "brown",
    waId: "4915110000002",
    name: "Bob Brown",
    profile: "Bob Brown",
    number: 1,
    assignee: "agentB",
    status: "closed",
    tags: ["vip", "returning"],
  },
  {
    key: "dubois",
    waId: "4915110000003",
    name: "Chloé Dubois",
    profile: "Chloé Dubois",
    number: 0,
    assignee: null,
    status: "open",
    tags: [],
  },
  // Found by "ada" through the profile name only.
  {
    key: "fischer",
    waId: "4915110000004",
    name: "Fischer Co",
    profile: "Adalbert Fischer",
    number: 1,
    assignee: "agentA",
    status: "open",
    tags: ["returning"],
  },
  ...Array.from({ length: 20 }, (_, index): Seed => ({
    key: `filler${index}`,
    waId: `49151200000${String(index).padStart(2, "0")}`,
    name: `Filler ${index}`,
    profile: `Filler ${index}`,
    number: (index % 2) as 0 | 1,
    assignee: index % 3 === 0 ? "agentA" : index % 3 === 1 ? null : "agentB",
    status: index % 4 === 3 ? "closed" : "open",
    tags: index % 2 === 0 ? ["bulk"] : [],
  })),
  {
    key: "byron",
    waId: "4915110000005",
    name: "Ada Byron",
    profile: "Ada Byron",
    number: 0,
    assignee: null,
    status: "open",
    tags: ["vip"],
  },
];

let world: ApiWorld<{ agentA: "agent"; agentB: "agent" }>;
let db: TestDatabase;
let services: Services;
let call: CallApi;
let app: FastifyInstance;
let cappedApp: FastifyInstance;
let workspaceId: string;
let owner: TestUser;
let agentA: TestUser;
let agentB: TestUser;
const numberIds: string[] = [];
const ids = new Map<string, string>();

type ListAnswer = {
  data: Array<{ id: string; contact: { name: string | null } }>;
  nextCursor: string | null;
  nameScan: { scanned: number; capped: boolean } | null;
};

/** Seeds in array order, one second apart: the last seed is the newest conversation. */
async function seedAll(users: Record<"agentA" | "agentB", string>): Promise<void> {
  const start = Date.now() - 3_600_000;
  for (const [index, seed] of seeds.entries()) {
    const at = new Date(start + index * 1_000);
    const numberId = numberIds[seed.number]!;
    const { conversationId, contact } = await seedConversation(services, {
      workspaceId,
      numberId,
      waId: seed.waId,
      profileName: seed.profile,
      assignee: seed.assignee ? users[seed.assignee] : null,
      at,
      texts: [`hello from ${seed.key}`],
      phoneNumberId: String(100 + seed.number),
    });
    await withWorkspace(db, { workspaceId }, async (trx) => {
      if (seed.name !== seed.profile) {
        const name = await services.keyring.encryptForSubject(
          trx,
          { workspaceId, dataKeyId: contact.dataKeyId, table: "contacts", column: "name", rowId: contact.id },
          seed.name,
        );
        await trx
          .updateTable("contacts")
          .set({ name_ciphertext: name })
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", contact.id)
          .execute();
      }
      if (seed.status === "closed") await setConversationStatus(trx, workspaceId, conversationId, "closed");
      if (seed.tags.length > 0)
        await trx
          .insertInto("contact_tags")
          .values(seed.tags.map((tag) => ({ workspace_id: workspaceId, contact_id: contact.id, tag })))
          .execute();
    });
    ids.set(seed.key, conversationId);
  }
}

type Filter = {
  view?: "mine" | "unassigned" | "all";
  numberId?: 0 | 1;
  status?: "open" | "closed";
  tag?: string;
  phone?: string;
  name?: string;
};

function fold(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** What the list must answer for a filter, newest first, computed from the seeds. */
function expected(filter: Filter, as: "owner" | "agentA" = "owner"): string[] {
  return seeds
    .filter((seed) => (as === "agentA" ? seed.assignee === "agentA" : true))
    .filter((seed) => (filter.view === "mine" ? seed.assignee === as : filter.view === "unassigned" ? seed.assignee === null : true))
    .filter((seed) => filter.numberId === undefined || seed.number === filter.numberId)
    .filter((seed) => filter.status === undefined || seed.status === filter.status)
    .filter((seed) => filter.tag === undefined || seed.tags.includes(filter.tag.toLowerCase()))
    .filter((seed) => filter.phone === undefined || `+${seed.waId}` === filter.phone.replace(/[\s-]/g, ""))
    .filter((seed) => filter.name === undefined || [seed.name, seed.profile].some((name) => fold(name).includes(fold(filter.name!))))
    .map((seed) => ids.get(seed.key)!)
    .reverse();
}

function listUrl(filter: Filter, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    query.set(key, key === "numberId" ? numberIds[value as number]! : String(value));
  }
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return `/api/v1/workspaces/${workspaceId}/conversations?${query.toString()}`;
}

const get = (user: TestUser, url: string, on: FastifyInstance = app) => call(user, "GET", url, undefined, { app: on });

/** Every page of a filtered list, following nextCursor; fails on a repeat or an endless walk. */
async function walk(
  user: TestUser,
  filter: Filter,
  limit: number,
  on: FastifyInstance = app,
): Promise<{ ids: string[]; pages: ListAnswer[] }> {
  const seen: string[] = [];
  const pages: ListAnswer[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const answer = await get(user, listUrl(filter, { limit: String(limit), ...(cursor ? { cursor } : {}) }), on);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const body = answer.json as unknown as ListAnswer;
    pages.push(body);
    seen.push(...body.data.map((row) => row.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  expect(new Set(seen).size).toBe(seen.length);
  return { ids: seen, pages };
}

beforeAll(async () => {
  world = await createApiWorld({ routes: conversationRoutes, members: { agentA: "agent", agentB: "agent" } });
  ({ db, services, call, app, workspaceId, owner } = world);
  ({ agentA, agentB } = world.members);
  cappedApp = await createIdentityApp(services, { routes: [createListConversationsRoute({ nameScanCap: 10 })] });
  numberIds.push(
    await seedNumber(services, workspaceId, { phoneNumberId: "100" }),
    await seedNumber(services, workspaceId, { phoneNumberId: "101" }),
  );
  await seedAll({ agentA: agentA.userId, agentB: agentB.userId });
}, 120_000);

afterAll(async () => {
  await cappedApp?.close();
  await world?.close();
});

describe("each filter", () => {
  it("narrows by number and by status", async () => {
    for (const filter of [{ numberId: 0 }, { numberId: 1 }, { status: "open" }, { status: "closed" }] satisfies Filter[]) {
      const answer = await get(owner, listUrl(filter));
      expect(answer.status).toBe(200);
      expect(
        (answer.json as unknown as ListAnswer).data.map((row) => row.id),
        JSON.stringify(filter),
      ).toEqual(expected(filter));
    }
    expect(expected({ status: "closed" })).toContain(ids.get("brown"));
  });

  it("narrows by tag, in any case, and finds nothing for a tag nobody has", async () => {
    const vip = await get(owner, listUrl({ tag: "vip" }));
    expect((vip.json as unknown as ListAnswer).data.map((row) => row.id)).toEqual([
      ids.get("byron"),
      ids.get("brown"),
      ids.get("lovelace"),
    ]);
    expect((await get(owner, listUrl({ tag: "VIP" }))).json.data).toEqual(vip.json.data);
    expect((await get(owner, listUrl({ tag: "nobody-has-this" }))).json.data).toEqual([]);
  });

  it("finds a phone number exactly through the blind index, however it is written", async () => {
    for (const phone of ["+4915110000003", "+49 151 1000 0003", "0049-151-10000003"]) {
      expect((await get(owner, listUrl({ phone }))).json.data, phone).toEqual([expect.objectContaining({ id: ids.get("dubois") })]);
    }
    expect((await get(owner, listUrl({ phone: "+4915199999999" }))).json.data).toEqual([]);
    // A part of a number is not a lookup: the index matches whole numbers only.
    expect((await get(owner, listUrl({ phone: "10000003" }))).status).toBe(400);
  });

  it("finds names by any part, ignoring case and accents, in the contact's name or WhatsApp profile name", async () => {
    const ada = await get(owner, listUrl({ name: "ada" }));
    expect(ada.status).toBe(200);
    expect((ada.json as unknown as ListAnswer).data.map((row) => row.id)).toEqual([
      ids.get("byron"),
      ids.get("fischer"),
      ids.get("lovelace"),
    ]);
    expect(ada.json.nameScan).toEqual({ scanned: seeds.length, capped: false });
    expect(ada.json.nextCursor).toBeNull();
    // Shown under its own name; found through the profile name.
    expect((ada.json as unknown as ListAnswer).data[1]!.contact.name).toBe("Fischer Co");
    for (const name of ["chloe", "DUBOIS", "Chloé D", "  dubois  "]) {
      expect(
        ((await get(owner, listUrl({ name }))).json as unknown as ListAnswer).data.map((row) => row.id),
        name,
      ).toEqual([ids.get("dubois")]);
    }
    expect((await get(owner, listUrl({ name: "zebra" }))).json).toMatchObject({
      data: [],
      nextCursor: null,
      nameScan: { scanned: seeds.length, capped: false },
    });
    expect((await get(owner, listUrl({}))).json.nameScan).toBeNull();
  });
});

describe("combined filters, page by page", () => {
  const combinations: Filter[] = [
    {},
    { view: "unassigned" },
    { numberId: 0, status: "open" },
    { numberId: 1, tag: "returning" },
    { status: "open", tag: "bulk" },
    { view: "unassigned", numberId: 0, status: "open" },
    { numberId: 0, status: "open", tag: "bulk" },
    { tag: "vip", name: "ada" },
    { numberId: 1, name: "fill" },
    { status: "closed", name: "filler" },
    { view: "unassigned", name: "a" },
    { phone: "+4915110000002", status: "closed" },
    { phone: "+4915110000002", status: "open" },
    { phone: "+4915110000001", tag: "vip", name: "love" },
  ];

  it.each(combinations)("answers exactly the matching conversations across pages for %j", async (filter) => {
    const want = expected(filter);
    for (const limit of [1, 3, 50]) {
      const { ids: got, pages } = await walk(owner, filter, limit);
      expect(got, `limit ${limit}`).toEqual(want);
      for (const page of pages.slice(0, -1)) expect(page.data.length).toBe(limit);
    }
  });

  it("keeps an Agent to their own conversations under every filter", async () => {
    const agentFilters: Filter[] = [
      {},
      { tag: "vip" },
      { tag: "returning" },
      { numberId: 0 },
      { status: "closed" },
      { name: "ada" },
      { name: "filler", numberId: 1 },
      { phone: "+4915110000001" },
    ];
    for (const filter of agentFilters) {
      const { ids: got } = await walk(agentA, filter, 2);
      expect(got, JSON.stringify(filter)).toEqual(expected(filter, "agentA"));
      for (const id of got) expect(seeds.find((seed) => ids.get(seed.key) === id)!.assignee).toBe("agentA");
    }
    // Someone else's customer, by phone or by name: nothing.
    expect((await get(agentA, listUrl({ phone: "+4915110000002" }))).json.data).toEqual([]);
    expect((await get(agentA, listUrl({ name: "bob" }))).json.data).toEqual([]);
    expect((await get(agentA, listUrl({ name: "ada" }))).json.nameScan).toEqual({
      scanned: seeds.filter((seed) => seed.assignee === "agentA").length,
      capped: false,
    });
    expect((await get(agentA, listUrl({ view: "unassigned", name: "ada" }))).status).toBe(403);
  });

  it("does not skip conversations whose sort keys differ below the millisecond", async () => {
    // Conversations without messages sort by created_at, which PostgreSQL keeps to the microsecond.
    const [first, second] = [randomUUID(), randomUUID()];
    const contactOf = (key: string) =>
      withWorkspace(db, { workspaceId }, (trx) =>
        trx.selectFrom("conversations").select("contact_id").where("id", "=", ids.get(key)!).executeTakeFirstOrThrow(),
      );
    const contacts = [await contactOf("lovelace"), await contactOf("byron")];
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await trx
        .insertInto("conversations")
        .values([
          {
            workspace_id: workspaceId,
            id: first,
            contact_id: contacts[0]!.contact_id,
            number_id: numberIds[1]!,
            status: "closed",
            created_at: "2020-01-01T00:00:00.123456Z",
          },
          {
            workspace_id: workspaceId,
            id: second,
            contact_id: contacts[1]!.contact_id,
            number_id: numberIds[1]!,
            status: "closed",
            created_at: "2020-01-01T00:00:00.123400Z",
          },
        ])
        .execute();
    });
    try {
      const { ids: got } = await walk(owner, { status: "closed", numberId: 1 }, 1);
      expect(got.slice(-2)).toEqual([first, second]);
    } finally {
      await withWorkspace(db, { workspaceId }, (trx) => trx.deleteFrom("conversations").where("id", "in", [first, second]).execute());
    }
  });
});

describe("a name search that reaches its scan cap", () => {
  it("answers what it found, says the cap stopped it, and continues from where it stopped", async () => {
    // Cap 10: the 25 conversations take three requests; matches are the newest, then the two oldest.
    const first = (await get(owner, listUrl({ name: "ada" }), cappedApp)).json as unknown as ListAnswer;
    expect(first.data.map((row) => row.id)).toEqual([ids.get("byron")]);
    expect(first.nameScan).toEqual({ scanned: 10, capped: true });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(owner, listUrl({ name: "ada" }, { cursor: first.nextCursor! }), cappedApp)).json as unknown as ListAnswer;
    expect(second).toMatchObject({ data: [], nameScan: { scanned: 10, capped: true } });
    const third = (await get(owner, listUrl({ name: "ada" }, { cursor: second.nextCursor! }), cappedApp)).json as unknown as ListAnswer;
    expect(third.data.map((row) => row.id)).toEqual([ids.get("fischer"), ids.get("lovelace")]);
    expect(third).toMatchObject({ nextCursor: null, nameScan: { scanned: 5, capped: false } });
  });

  it("stops as soon as the page is full, and a capped walk still finds every match", async () => {
    // Uncapped, limit 1: the first page ends at the second match (byron, 20 fillers, fischer).
    const { ids: got, pages } = await walk(owner, { name: "ada" }, 1);
    expect(got).toEqual(expected({ name: "ada" }));
    expect(pages[0]!.nameScan).toEqual({ scanned: 22, capped: false });
    // Capped at 10, the same walk takes more requests (some empty, capped) and gives the same answer.
    const capped = await walk(owner, { name: "ada" }, 1, cappedApp);
    expect(capped.ids).toEqual(got);
    expect(capped.pages.map((page) => page.nameScan)).toEqual([
      { scanned: 10, capped: true },
      { scanned: 10, capped: true },
      { scanned: 5, capped: false },
      { scanned: 3, capped: false },
    ]);
  });

  it("narrowed by other filters, looks only at matching conversations", async () => {
    const answer = (await get(owner, listUrl({ name: "ada", tag: "vip" }), cappedApp)).json as unknown as ListAnswer;
    expect(answer.data.map((row) => row.id)).toEqual([ids.get("byron"), ids.get("lovelace")]);
    expect(answer.nameScan).toEqual({ scanned: 3, capped: false });
  });
});

describe("validation", () => {
  it("refuses malformed filters with 400 and says which one", async () => {
    const base = `/api/v1/workspaces/${workspaceId}/conversations`;
    const cases: Array<[string, string]> = [
      [`${base}?status=pending`, "status"],
      [`${base}?numberId=not-a-uuid`, "numberId"],
      [`${base}?tag=${encodeURIComponent("!bad")}`, "tag"],
      [`${base}?tag=${"a".repeat(65)}`, "tag"],
      [`${base}?name=`, "name"],
      [`${base}?name=${encodeURIComponent("   ")}`, "name"],
      [`${base}?name=${"a".repeat(101)}`, "name"],
      [`${base}?phone=not-a-phone`, "phone"],
      [`${base}?limit=0`, "limit"],
      [`${base}?limit=101`, "limit"],
      [`${base}?cursor=bm90LWEtY3Vyc29y`, "cursor"],
      [`${base}?colour=blue`, ""],
    ];
    for (const [url, field] of cases) {
      const answer = await get(owner, url);
      expect(answer.status, url).toBe(400);
      const error = answer.json.error as { code: string; details?: Array<{ path: unknown }> };
      expect(error.code).toBe("VALIDATION_FAILED");
      if (field) expect(JSON.stringify(error.details), url).toContain(`"${field}"`);
    }
  });
});

describe("thread pages", () => {
  it("reads up to 500 messages per page, answers an empty page for a conversation without messages, and 404 to whoever may not see it", async () => {
    const thread = `/api/v1/workspaces/${workspaceId}/conversations/${ids.get("lovelace")}/messages`;
    expect((await get(owner, `${thread}?limit=500`)).json.data).toEqual([expect.objectContaining({ text: "hello from lovelace" })]);
    expect((await get(owner, `${thread}?limit=501`)).status).toBe(400);
    const empty = randomUUID();
    const contact = await withWorkspace(db, { workspaceId }, (trx) =>
      trx.selectFrom("conversations").select("contact_id").where("id", "=", ids.get("dubois")!).executeTakeFirstOrThrow(),
    );
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx
        .insertInto("conversations")
        .values({ workspace_id: workspaceId, id: empty, contact_id: contact.contact_id, number_id: numberIds[1]!, status: "closed" })
        .execute(),
    );
    try {
      const url = `/api/v1/workspaces/${workspaceId}/conversations/${empty}/messages`;
      expect((await get(owner, url)).json).toEqual({ data: [], nextCursor: null });
      // Unassigned: not the Agent's to read, with or without messages.
      expect((await get(agentA, url)).status).toBe(404);
      expect((await get(agentA, `/api/v1/workspaces/${workspaceId}/conversations/${ids.get("dubois")}/messages`)).status).toBe(404);
      expect((await get(agentA, `/api/v1/workspaces/${workspaceId}/conversations/${randomUUID()}/messages`)).status).toBe(404);
    } finally {
      await withWorkspace(db, { workspaceId }, (trx) => trx.deleteFrom("conversations").where("id", "=", empty).execute());
    }
  });
});
