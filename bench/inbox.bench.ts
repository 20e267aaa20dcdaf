import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { sql } from "kysely";
import { loadConfig } from "../src/config.ts";
import { createMemoryCoordination } from "../src/coordination/memory.ts";
import { createEnvKeyProvider } from "../src/crypto/key-provider.ts";
import { createKeyring } from "../src/crypto/keyring.ts";
import type { Database } from "../src/db/database.ts";
import { encodeCursor } from "../src/features/conversations/service.ts";
import { createHttpApp } from "../src/http/app.ts";
import { routes } from "../src/http/routes.ts";
import { createAuthenticator } from "../src/identity/authenticator.ts";
import { createLogger } from "../src/log/logger.ts";
import type { Services } from "../src/services.ts";
import { createUser, login } from "../test/support/identity.ts";
import { formatNumber, percentile, type Benchmark } from "./harness.ts";
import { DEFAULT_BENCH_POSTGRES_URL, findBenchPostgres, openBenchDatabase } from "./support/bench-database.ts";
import { seedInbox, type InboxSeed } from "./support/inbox-seed.ts";
import { relaxedLimitsEnv } from "../test/support/engine.ts";

// The inbox at scale, on PostgreSQL: one workspace with 50,000 conversations and 1,000,000
// messages (bench/support/inbox-seed.ts: real keyring, every message encrypted on its own), served
// by the real HTTP app with every route on a listening socket on 127.0.0.1, called over keep-alive
// HTTP as a signed-in Owner. Measured, in interleaved rounds so load hits every case alike:
//   - the conversation list (view=all, 50 rows): the first page; a page 25,000 rows deep; and
//     later pages each requested once (their contacts' data keys not yet cached: the cold path);
//   - opening a conversation of 600 messages as the dashboard does (the conversation, its newest 100
//     messages and its internal notes, in parallel); with its newest 500 messages (one page of
//     500); and reading 500 in pages of 100 one after the other (no target: five requests);
//   - without targets: exact-phone search (blind index), a tag filter and name searches (a page
//     found quickly; no match at all, which decrypts the scan cap's 2,000 names).
// Baseline in the same run: GET /api/v1/me (authentication and a membership read) and GET /healthz.
// Targets (the issue): list p95 < 50 ms; opening a 500-message thread p95 < 100 ms.

const CONVERSATIONS = 50_000;
const MESSAGES = 1_000_000;
const LIST_TARGET_MS = 50;
const THREAD_TARGET_MS = 100;
const ROUNDS = 10;
const DEEP_ROW = 25_000;

type Latency = { samples: number; p50: number; p95: number; p99: number; mean: number; max: number };
type CaseName =
  | "healthz"
  | "me"
  | "listFirstPage"
  | "listDeepPage"
  | "listColdPages"
  | "threadOpenAsDashboard"
  | "thread500Messages"
  | "thread500In5Pages"
  | "phoneSearch"
  | "tagFilter"
  | "nameSearchPage"
  | "nameSearchNoMatch";

const LABELS: Record<CaseName, string> = {
  healthz: "GET /healthz (no database)",
  me: "GET /api/v1/me — **baseline** (authentication + membership read)",
  listFirstPage: "List, first page (view=all, 50 rows)",
  listDeepPage: `List, a page ${DEEP_ROW.toLocaleString("en-US")} rows deep (cursor)`,
  listColdPages: "List, later pages each requested once (data keys not cached)",
  threadOpenAsDashboard: "Open a thread as the dashboard does (conversation + newest 100 messages + internal notes, in parallel)",
  thread500Messages: "Open a thread with its 500 newest messages (conversation + one page of 500, in parallel)",
  thread500In5Pages: "Read 500 messages in pages of 100 (conversation, then 5 pages in sequence)",
  phoneSearch: "Exact phone search (blind index)",
  tagFilter: "Tag filter, first page",
  nameSearchPage: 'Name search filling a page (a common fragment, "an")',
  nameSearchNoMatch: "Name search without a match (decrypts the 2,000-name scan cap)",
};

/** Samples per case per round: the costly name scan fewer. */
const PER_ROUND: Record<CaseName, number> = {
  healthz: 20,
  me: 20,
  listFirstPage: 20,
  listDeepPage: 20,
  listColdPages: 20,
  threadOpenAsDashboard: 20,
  thread500Messages: 20,
  thread500In5Pages: 10,
  phoneSearch: 20,
  tagFilter: 20,
  nameSearchPage: 10,
  nameSearchNoMatch: 4,
};

function summarize(values: number[]): Latency {
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    max: Math.max(...values),
  };
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

/** Cursors after every `step`-th row of the inbox's order, from `from` on, made as the API makes them. */
async function cursorsAt(db: Database, workspaceId: string, positions: number[]): Promise<string[]> {
  const rows = await sql<{ id: string; at: string }>`
    select id, to_char(coalesce(last_message_at, created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
      from conversations where workspace_id = ${workspaceId}
     order by coalesce(last_message_at, created_at) desc, id desc`.execute(db.owner);
  return positions.map((position) => {
    const row = rows.rows[position - 1]!;
    return encodeCursor(row.at, row.id);
  });
}

export type InboxMeasurement = {
  latencies: Record<CaseName, Latency>;
  loadAverage: { start: number; end: number };
};

/** Serves `db` (already seeded) with the real app and measures every case. */
export async function measureInbox(db: Database, seed: InboxSeed, masterKey: string): Promise<InboxMeasurement> {
  const loadStart = loadavg()[0]!;
  const config = loadConfig({ PARLEY_ENV: "test", PARLEY_MASTER_KEY: masterKey, PARLEY_LOG_LEVEL: "warn", ...relaxedLimitsEnv });
  // A fresh keyring: nothing the seeding unwrapped is cached in the server.
  const services: Services = {
    config,
    db,
    coordination: createMemoryCoordination(),
    logger: createLogger({ level: "warn", destination: { write: () => undefined } }),
    keyring: createKeyring({ provider: createEnvKeyProvider(masterKey) }),
  };
  const app = await createHttpApp({ services, routes, authenticate: createAuthenticator(services) });
  await app.listen({ host: "127.0.0.1", port: 0 });
  try {
    const { port } = app.server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    const owner = await createUser(services, { workspaceId: seed.workspaceId, role: "owner" });
    const { accessToken } = await login(app, owner);
    const headers = { authorization: `Bearer ${accessToken}` };
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${origin}${path}`, { headers });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const base = `/api/v1/workspaces/${seed.workspaceId}`;
    const thread = `${base}/conversations/${seed.bigConversationId}`;

    // Positions never requested twice for the cold case (warm-up takes the first ones).
    const coldCount = 20 + ROUNDS * PER_ROUND.listColdPages;
    const coldPositions = Array.from({ length: coldCount }, (_, index) => 1_100 + index * 200);
    const [deepCursor, ...coldCursors] = await cursorsAt(db, seed.workspaceId, [DEEP_ROW, ...coldPositions]);
    const phones = Array.from({ length: 64 }, (_, index) => `+49170${String((index * 7_919) % seed.conversations).padStart(7, "0")}`);
    let coldNext = 0;
    let phoneNext = 0;

    const cases: Record<CaseName, () => Promise<unknown>> = {
      healthz: () => get("/healthz"),
      me: () => get("/api/v1/me"),
      listFirstPage: () => get(`${base}/conversations?view=all&limit=50`),
      listDeepPage: () => get(`${base}/conversations?view=all&limit=50&cursor=${deepCursor}`),
      listColdPages: () => get(`${base}/conversations?view=all&limit=50&cursor=${coldCursors[coldNext++]!}`),
      threadOpenAsDashboard: () => Promise.all([get(thread), get(`${thread}/messages?limit=100`), get(`${thread}/notes?limit=100`)]),
      thread500Messages: async () => {
        const [, page] = await Promise.all([get(thread), get<{ data: unknown[] }>(`${thread}/messages?limit=500`)]);
        if (page.data.length !== 500) throw new Error(`read ${page.data.length} messages, expected 500`);
      },
      thread500In5Pages: async () => {
        await get(thread);
        let cursor: string | null = null;
        let read = 0;
        for (let page = 0; page < 5; page += 1) {
          const answer: { data: unknown[]; nextCursor: string | null } = await get(
            `${thread}/messages?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
          );
          read += answer.data.length;
          cursor = answer.nextCursor;
        }
        if (read !== 500) throw new Error(`read ${read} messages, expected 500`);
      },
      phoneSearch: () => get(`${base}/conversations?view=all&phone=${encodeURIComponent(phones[phoneNext++ % phones.length]!)}`),
      tagFilter: () => get(`${base}/conversations?view=all&limit=50&tag=vip`),
      nameSearchPage: () => get(`${base}/conversations?view=all&limit=50&name=an`),
      nameSearchNoMatch: () => get(`${base}/conversations?view=all&limit=50&name=${encodeURIComponent("no such person")}`),
    };
    const names = Object.keys(cases) as CaseName[];

    // Sanity: the answers are what the cases claim.
    const first = await get<{ data: unknown[]; nextCursor: string | null }>(`${base}/conversations?view=all&limit=50`);
    if (first.data.length !== 50 || !first.nextCursor) throw new Error("the first page is not a full page");
    const found = await get<{ data: Array<{ contact: { phone: string } }> }>(
      `${base}/conversations?view=all&phone=${encodeURIComponent(phones[1]!)}`,
    );
    if (found.data[0]?.contact.phone !== phones[1]) throw new Error("the phone search did not find its contact");
    const none = await get<{ data: unknown[]; nameScan: { scanned: number; capped: boolean } }>(
      `${base}/conversations?view=all&name=${encodeURIComponent("no such person")}`,
    );
    if (none.data.length !== 0 || !none.nameScan.capped) throw new Error("the unmatched name search did not stop at its cap");

    for (const name of names) for (let i = 0; i < (name === "nameSearchNoMatch" ? 3 : 20); i += 1) await cases[name]();
    const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<CaseName, number[]>;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of names) {
        for (let i = 0; i < PER_ROUND[name]; i += 1) {
          const start = performance.now();
          await cases[name]();
          samples[name].push(performance.now() - start);
        }
      }
    }
    return {
      latencies: Object.fromEntries(names.map((name) => [name, summarize(samples[name])])) as Record<CaseName, Latency>,
      loadAverage: { start: loadStart, end: loadavg()[0]! },
    };
  } finally {
    await app.close();
    await services.coordination.close();
  }
}

function skipped(reason: string) {
  return {
    results: { skipped: { reason } },
    ratios: {},
    markdown: `**Skipped**: ${reason} Run it with a PostgreSQL server on 127.0.0.1:5432 (database \`test\`) or PARLEY_BENCH_DATABASE_URL.`,
  };
}

export const inboxBenchmark: Benchmark = {
  name: "inbox",
  title: "Inbox at 50,000 conversations and 1,000,000 messages (PostgreSQL)",
  async run() {
    const serverUrl = await findBenchPostgres();
    if (!serverUrl) {
      const reason = `no PostgreSQL server answers at ${process.env.PARLEY_BENCH_DATABASE_URL ? "PARLEY_BENCH_DATABASE_URL" : DEFAULT_BENCH_POSTGRES_URL}.`;
      process.stderr.write(`bench inbox: skipped — ${reason}\n`);
      return skipped(reason);
    }
    const bench = await openBenchDatabase("postgres", serverUrl);
    try {
      const masterKey = randomBytes(32).toString("base64");
      const seed = await seedInbox(bench.db, createKeyring({ provider: createEnvKeyProvider(masterKey) }), {
        conversations: CONVERSATIONS,
        messages: MESSAGES,
      });
      const measured = await measureInbox(bench.db, seed, masterKey);
      return report(seed, measured);
    } finally {
      await bench.drop();
    }
  },
};

export function report(seed: InboxSeed, measured: InboxMeasurement) {
  const l = measured.latencies;
  const targets = {
    listFirstPage: { targetMs: LIST_TARGET_MS, p95: l.listFirstPage.p95, met: l.listFirstPage.p95 < LIST_TARGET_MS },
    listDeepPage: { targetMs: LIST_TARGET_MS, p95: l.listDeepPage.p95, met: l.listDeepPage.p95 < LIST_TARGET_MS },
    listColdPages: { targetMs: LIST_TARGET_MS, p95: l.listColdPages.p95, met: l.listColdPages.p95 < LIST_TARGET_MS },
    threadOpenAsDashboard: {
      targetMs: THREAD_TARGET_MS,
      p95: l.threadOpenAsDashboard.p95,
      met: l.threadOpenAsDashboard.p95 < THREAD_TARGET_MS,
    },
    thread500Messages: { targetMs: THREAD_TARGET_MS, p95: l.thread500Messages.p95, met: l.thread500Messages.p95 < THREAD_TARGET_MS },
  };
  const ratios = {
    listFirstPageP95VsMe: l.listFirstPage.p95 / l.me.p95,
    listDeepPageP95VsMe: l.listDeepPage.p95 / l.me.p95,
    listColdPagesP95VsMe: l.listColdPages.p95 / l.me.p95,
    threadOpenP95VsMe: l.threadOpenAsDashboard.p95 / l.me.p95,
    thread500P95VsMe: l.thread500Messages.p95 / l.me.p95,
  };
  const verdict = (target: { targetMs: number; p95: number; met: boolean }) =>
    `${target.met ? "**met**" : "**not met**"} (${ms(target.p95)} < ${target.targetMs} ms)`;
  const rows = (Object.keys(LABELS) as CaseName[]).map((name) => {
    const value = l[name];
    return `| ${LABELS[name]} | ${ms(value.p50)} | ${ms(value.p95)} | ${ms(value.p99)} | ${formatNumber(value.p95 / l.me.p95)}× | ${value.samples} |`;
  });
  const markdown = [
    `One workspace seeded with ${seed.conversations.toLocaleString("en-US")} conversations (contacts with their own data keys, names and phones encrypted, blind-indexed phones, tags, two numbers, 15 % closed, 60 % assigned) and ${seed.messages.toLocaleString("en-US")} messages, each encrypted on its own (the AAD binds it to its id), in ${formatNumber(seed.seconds)} s; one thread holds ${seed.bigConversationMessages} messages. The real app with every route listens on 127.0.0.1; a signed-in Owner calls it over keep-alive HTTP, one request at a time, cases interleaved in ${ROUNDS} rounds; the server's key cache starts empty.`,
    "",
    "| Case | p50 | p95 | p99 | p95 ÷ baseline p95 | Samples |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    `- Targets on PostgreSQL: list p95 < ${LIST_TARGET_MS} ms — first page ${verdict(targets.listFirstPage)}, deep page ${verdict(targets.listDeepPage)}, pages seen for the first time ${verdict(targets.listColdPages)}; opening the ${seed.bigConversationMessages}-message thread p95 < ${THREAD_TARGET_MS} ms — as the dashboard does (newest 100) ${verdict(targets.threadOpenAsDashboard)}, with its newest 500 messages ${verdict(targets.thread500Messages)}.`,
    `- Load average (1 min) at start / end of the measurement: ${measured.loadAverage.start.toFixed(1)} / ${measured.loadAverage.end.toFixed(1)} on ${cpus().length} cores shared with other work.`,
    "- A list page is one keyset read of `conversations_inbox` (migration 0012) joined to contacts, one read of the newest message per row through `messages_thread`, one batched read of the rows' data keys (cached afterwards), and decryption of ≈ 150 fields. A name search has no index by design (names are encrypted); it decrypts names newest first up to its cap and answers a cursor to continue.",
  ].join("\n");
  return { results: { seed, latencies: l, targets, loadAverage: measured.loadAverage }, ratios, markdown };
}
