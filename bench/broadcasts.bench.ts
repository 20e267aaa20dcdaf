import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { sql } from "kysely";
import { loadConfig } from "../src/config.ts";
import { createMemoryCoordination } from "../src/coordination/memory.ts";
import { createEnvKeyProvider } from "../src/crypto/key-provider.ts";
import { createKeyring, type Keyring } from "../src/crypto/keyring.ts";
import type { Database } from "../src/db/database.ts";
import { withWorkspace } from "../src/db/with-workspace.ts";
import { cancelBroadcast, createBroadcast, startBroadcast } from "../src/features/broadcasts/service.ts";
import { insertNumber } from "../src/features/numbers/repository.ts";
import { createHttpApp } from "../src/http/app.ts";
import { routes } from "../src/http/routes.ts";
import { createAuthenticator } from "../src/identity/authenticator.ts";
import type { Caller } from "../src/identity/caller.ts";
import { rolePermissions } from "../src/identity/permissions.ts";
import { createLogger } from "../src/log/logger.ts";
import type { Services } from "../src/services.ts";
import type { NumberTier } from "../src/whatsapp/schema.ts";
import { createUser, login } from "../test/support/identity.ts";
import { relaxedLimitsEnv } from "../test/support/engine.ts";
import { formatNumber, percentile, type Benchmark } from "./harness.ts";
import { DEFAULT_BENCH_POSTGRES_URL, findBenchPostgres, openBenchDatabase, type BenchDatabase } from "./support/bench-database.ts";
import { seedAudience } from "./support/broadcast-seed.ts";
import { startParleyWorker, type ParleyWorker } from "./support/parley-worker.ts";
import { startSimulatorThread, type SentRecord, type SimulatorThread } from "./support/sim-thread.ts";

// Broadcasts at scale, on PostgreSQL, through the real parts: a fresh database seeded with contacts
// (each with its own data key, the phone encrypted under it, blind-indexed, tagged, with marketing
// consent), the real `parley start --role worker` process (broadcast runner + send worker + Redis
// throughput governor) sending over HTTP to the Cloud API simulator on a thread of its own, which
// enforces each number's throughput (130429) like Meta. The broadcasts are created and started
// through the broadcast service, as the API does. Measured:
//   1. a 100,000-recipient broadcast on one number at the 1,000 msg/s tier: audience resolution
//      (tags + consent) time, then the send rate first to last acceptance by the simulator's clock
//      ÷ the tier (the baseline is the tier itself); 130429 answers; duplicates (same send id or
//      same recipient twice);
//   2. meanwhile, the inbox list (first page, view=all) p95 from the real HTTP app, against the same
//      list measured idle in the same run before the campaign;
//   3. one broadcast over five numbers at 80 msg/s each, each number's rate ÷ its tier;
//   4. in a second fresh database, a 1,000,000-recipient broadcast: the worker process's RSS (VmRSS
//      from /proc) while the audience is materialized into recipient rows and the first sends go out.
// Sizes: BENCH_BROADCAST_RECIPIENTS / BENCH_BROADCAST_LARGE scale them down while developing; the
// committed results are at full size.

const TIER: NumberTier = 1_000;
const SMALL_TIER: NumberTier = 80;
const RECIPIENTS = Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 100_000);
const LARGE = Number(process.env.BENCH_BROADCAST_LARGE ?? 1_000_000);
/** Sends to watch in the 1M case after its audience is resolved. */
const LARGE_SENDS = Math.min(20_000, LARGE);
/** Five numbers × 80 msg/s × ~30 s. */
const SMALL_PER_NUMBER = Math.min(2_400, Math.max(200, Math.round(RECIPIENTS / 40)));
const SMALL_NUMBERS = 5;
const RESOLUTION_TARGET_S = 10;
const RSS_LIMIT_BYTES = 300 * 1024 * 1024;
const LIST_TARGET_MS = 50;
const RATIO_TARGET = 0.95;
const MAIN_PHONE_NUMBER_ID = "106540352242922";
const SMALL_PHONE_NUMBER_IDS = Array.from({ length: SMALL_NUMBERS }, (_, index) => String(106_540_352_243_000 + index));
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** The worker's settings for the run (environment of `parley start --role worker`). */
const WORKER_ENV = { PARLEY_WORKER_CONCURRENCY: "128", PARLEY_WORKER_POLL_MS: "20" };

type Latency = { samples: number; p50: number; p95: number; p99: number; max: number };

function summarize(values: number[]): Latency {
  if (values.length === 0) return { samples: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Acceptances of one number: rate first to last, the busiest 1 s window, acceptances per second. */
function rateOf(records: readonly SentRecord[]) {
  const times = records.map((record) => record.acceptedAt).sort((a, b) => a - b);
  const elapsedMs = times.length > 1 ? times.at(-1)! - times[0]! : 0;
  const perSecond: number[] = [];
  let maxInAnySecond = 0;
  for (let left = 0, right = 0; right < times.length; right += 1) {
    while (times[right]! - times[left]! >= 1_000) left += 1;
    maxInAnySecond = Math.max(maxInAnySecond, right - left + 1);
    const second = Math.floor((times[right]! - times[0]!) / 1_000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  const sendIds = records.map((record) => record.bizOpaqueCallbackData);
  const recipients = records.map((record) => record.to);
  return {
    sent: records.length,
    elapsedMs,
    rate: elapsedMs > 0 ? ((times.length - 1) * 1_000) / elapsedMs : 0,
    maxInAnySecond,
    perSecond: Array.from(perSecond, (count) => count ?? 0),
    duplicateSendIds: sendIds.length - new Set(sendIds).size,
    duplicateRecipients: recipients.length - new Set(recipients).size,
  };
}

type Setup = {
  bench: BenchDatabase;
  services: Services;
  keyring: Keyring;
  masterKey: string;
  workspaceId: string;
  caller: Caller;
  ownerId: string;
  mainNumberId: string;
  smallNumberIds: string[];
};

async function setUp(serverUrl: string, sim: SimulatorThread): Promise<Setup> {
  const bench = await openBenchDatabase("postgres", serverUrl, 10);
  const masterKey = randomBytes(32).toString("base64");
  const keyring = createKeyring({ provider: createEnvKeyProvider(masterKey) });
  const config = loadConfig({ PARLEY_ENV: "test", PARLEY_MASTER_KEY: masterKey, PARLEY_LOG_LEVEL: "warn", ...relaxedLimitsEnv });
  const services: Services = {
    config,
    db: bench.db,
    coordination: createMemoryCoordination(),
    logger: createLogger({ level: "warn", destination: { write: () => undefined } }),
    keyring,
  };
  const workspaceId = randomUUID();
  const mainNumberId = randomUUID();
  const smallNumberIds = SMALL_PHONE_NUMBER_IDS.map(() => randomUUID());
  await withWorkspace(bench.db, { workspaceId }, async (trx) => {
    await trx.insertInto("workspaces").values({ id: workspaceId, name: "Broadcast benchmark", region: "local" }).execute();
    await keyring.createWorkspaceKey(trx, workspaceId);
    const numbers = [
      { id: mainNumberId, phoneNumberId: MAIN_PHONE_NUMBER_ID, tier: TIER },
      ...smallNumberIds.map((id, index) => ({ id, phoneNumberId: SMALL_PHONE_NUMBER_IDS[index]!, tier: SMALL_TIER })),
    ];
    for (const number of numbers) {
      await insertNumber(trx, keyring, {
        workspaceId,
        id: number.id,
        mode: "live",
        wabaId: sim.credentials.wabaId,
        phoneNumberId: number.phoneNumberId,
        appId: null,
        displayPhoneNumber: `1555${number.phoneNumberId.slice(-7)}`,
        accessToken: sim.credentials.accessToken,
        accessTokenExpiresAt: null,
        appSecret: randomBytes(24).toString("base64url"),
        verifyToken: randomBytes(24).toString("base64url"),
        tier: number.tier,
        webhookKey: randomBytes(32).toString("base64url"),
      });
    }
    await trx.updateTable("numbers").set({ messaging_limit: "TIER_UNLIMITED", quality_rating: "GREEN" }).execute();
  });
  const owner = await createUser(services, { workspaceId, role: "owner" });
  const caller: Caller = {
    workspaceId,
    userId: owner.userId,
    role: "owner",
    permissions: new Set(rolePermissions.owner),
    audit: { type: "user", id: owner.userId },
    ip: null,
    userAgent: null,
  };
  return { bench, services, keyring, masterKey, workspaceId, caller, ownerId: owner.userId, mainNumberId, smallNumberIds };
}

async function startCampaign(setup: Setup, tag: string, numberIds: string[]): Promise<string> {
  const created = await createBroadcast(setup.services, setup.caller, {
    name: `Bench ${tag}`,
    template: { name: "new_arrivals", language: "en_US" },
    parameters: [{ source: "name", fallback: "there" }],
    audience: { tags: [tag] },
    numberIds,
    timeZone: "Europe/Berlin",
  });
  await startBroadcast(setup.services, setup.caller, created.id);
  return created.id;
}

type BroadcastState = { state: string; audience_resolved: boolean; recipient_count: number; sending: number; handedOver: number };

/**
 * The broadcast's row only: its counters are the runner's own per-state counts, refreshed every
 * step. Counting the recipients here instead would put the benchmark's own load on the database.
 */
async function readBroadcast(db: Database, workspaceId: string, id: string): Promise<BroadcastState> {
  const result = await sql<{ state: string; audience_resolved: boolean; recipient_count: number; counters: Record<string, unknown> }>`
    select state, audience_resolved, recipient_count, counters from broadcasts where workspace_id = ${workspaceId} and id = ${id}`.execute(
    db.owner,
  );
  const row = result.rows[0]!;
  const count = (name: string) => (typeof row.counters[name] === "number" ? row.counters[name] : 0);
  return {
    state: row.state,
    audience_resolved: row.audience_resolved,
    recipient_count: row.recipient_count,
    sending: count("sending"),
    handedOver: ["accepted", "sent", "delivered", "read", "failed"].reduce((sum, name) => sum + count(name), 0),
  };
}

/** Polls the broadcast until `done` or the time limit; answers when the audience was resolved and when `done` held. */
async function watch(
  db: Database,
  workspaceId: string,
  id: string,
  limitMs: number,
  done: (state: BroadcastState) => boolean,
  onState?: (state: BroadcastState) => void,
): Promise<{ resolvedAfterMs: number | null; doneAfterMs: number | null; last: BroadcastState }> {
  const started = performance.now();
  let resolvedAfterMs: number | null = null;
  for (;;) {
    const last = await readBroadcast(db, workspaceId, id);
    onState?.(last);
    const elapsed = performance.now() - started;
    if (resolvedAfterMs === null && last.audience_resolved) resolvedAfterMs = elapsed;
    if (done(last)) return { resolvedAfterMs, doneAfterMs: elapsed, last };
    if (elapsed > limitMs) return { resolvedAfterMs, doneAfterMs: null, last };
    await delay(250);
  }
}

const TEMPLATE = {
  id: "7001",
  name: "new_arrivals",
  language: "en_US",
  category: "MARKETING",
  parameterFormat: "POSITIONAL" as const,
  components: [{ type: "BODY", text: "Hi {{1}}, the new collection is in." }],
  status: "APPROVED" as const,
  rejectedReason: undefined,
  createdAt: Date.now(),
};

/** Scenario 1–3 on one database: the 100k campaign with the inbox measured meanwhile, then five numbers at 80/s. */
async function runTierScenarios(serverUrl: string) {
  const sim = await startSimulatorThread({
    phoneNumbers: [
      { id: MAIN_PHONE_NUMBER_ID, displayPhoneNumber: "15550783881", throughput: TIER },
      ...SMALL_PHONE_NUMBER_IDS.map((id, index) => ({ id, displayPhoneNumber: `1555078390${index}`, throughput: SMALL_TIER })),
    ],
    statusTiming: { sentMs: null, deliveredMs: null, readMs: null },
  });
  await sim.addTemplate({ ...TEMPLATE, wabaId: sim.credentials.wabaId });
  const setup = await setUp(serverUrl, sim);
  let worker: ParleyWorker | undefined;
  let app: Awaited<ReturnType<typeof createHttpApp>> | undefined;
  try {
    const mainOptedIn = RECIPIENTS;
    const mainContacts = Math.round(RECIPIENTS * 1.05);
    const smallOptedIn = SMALL_PER_NUMBER * SMALL_NUMBERS;
    const seed = await seedAudience(setup.bench.db, setup.keyring, setup.workspaceId, [
      // The campaign's audience: 5 % without consent; each with an open conversation (inbox rows).
      { tag: "spring", contacts: mainContacts, optedIn: mainOptedIn, conversationNumberId: setup.mainNumberId },
      { tag: "summer", contacts: smallOptedIn, optedIn: smallOptedIn },
      // Contacts the filter must pass over.
      { tag: "wholesale", contacts: Math.round(RECIPIENTS / 10), optedIn: Math.round(RECIPIENTS / 20) },
    ]);
    process.stderr.write(`bench broadcasts: seeded ${seed.contacts} contacts in ${seed.seconds.toFixed(1)} s\n`);

    // The inbox, served by the real app in this process (as bench/inbox.bench.ts does).
    app = await createHttpApp({ services: setup.services, routes, authenticate: createAuthenticator(setup.services) });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const agent = await createUser(setup.services, { workspaceId: setup.workspaceId, role: "owner" });
    const { accessToken } = await login(app, agent);
    const listUrl = `http://127.0.0.1:${port}/api/v1/workspaces/${setup.workspaceId}/conversations?view=all&limit=50`;
    const list = async () => {
      const started = performance.now();
      const response = await fetch(listUrl, { headers: { authorization: `Bearer ${accessToken}` } });
      if (!response.ok) throw new Error(`inbox list: ${response.status}`);
      await response.arrayBuffer();
      return performance.now() - started;
    };

    worker = await startParleyWorker({
      databaseUrl: setup.bench.ownerUrl!,
      redisUrl: REDIS_URL,
      masterKey: setup.masterKey,
      graphBaseUrl: sim.credentials.baseUrl,
      env: WORKER_ENV,
    });
    // The inbox idle (the worker running, nothing to send): the baseline.
    for (let i = 0; i < 30; i += 1) await list();
    const idle: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      idle.push(await list());
      await delay(20);
    }

    const loadStart = loadavg()[0]!;
    const mainId = await startCampaign(setup, "spring", [setup.mainNumberId]);
    const rss = worker.sampleRss(250);
    const during: number[] = [];
    let sending = true;
    let latest: BroadcastState | undefined;
    const sampler = (async () => {
      while (sending) {
        // While it sends: after the audience is resolved and the first 1,000 sends, before the last 1,000.
        if (latest && latest.audience_resolved && latest.handedOver > 1_000 && latest.handedOver < RECIPIENTS - 1_000)
          during.push(await list());
        await delay(20);
      }
    })();
    const limitMs = 120_000 + (RECIPIENTS / TIER) * 2_000;
    const main = await watch(
      setup.bench.db,
      setup.workspaceId,
      mainId,
      limitMs,
      (state) => state.state === "completed",
      (state) => (latest = state),
    );
    sending = false;
    await sampler;
    const mainRss = rss.stop();
    const loadEnd = loadavg()[0]!;
    // Not finished within its limit: cancelled, so the next scenario has the machine to itself.
    if (main.doneAfterMs === null) await cancelBroadcast(setup.services, setup.caller, mainId);
    const smallId = await startCampaign(setup, "summer", setup.smallNumberIds);
    const small = await watch(
      setup.bench.db,
      setup.workspaceId,
      smallId,
      120_000 + (SMALL_PER_NUMBER / SMALL_TIER) * 2_000,
      (state) => state.state === "completed",
    );
    if (small.doneAfterMs === null) await cancelBroadcast(setup.services, setup.caller, smallId);

    const records = await sim.sentRecords();
    const rateLimited = await sim.rateLimitedAnswers();
    const mainRate = rateOf(records.filter((record) => record.phoneNumberId === MAIN_PHONE_NUMBER_ID));
    const smallRates = SMALL_PHONE_NUMBER_IDS.map((id) => ({
      ...rateOf(records.filter((record) => record.phoneNumberId === id)),
      rateLimitedAnswers: rateLimited[id] ?? 0,
    }));
    const smallAll = rateOf(records.filter((record) => SMALL_PHONE_NUMBER_IDS.includes(record.phoneNumberId)));
    return {
      seed,
      main: {
        recipients: RECIPIENTS,
        audienceMatched: mainContacts,
        audienceResolutionSeconds: main.resolvedAfterMs === null ? null : main.resolvedAfterMs / 1000,
        completed: main.doneAfterMs !== null,
        startToCompletedSeconds: main.doneAfterMs === null ? null : main.doneAfterMs / 1000,
        finalState: main.last,
        ...mainRate,
        perSecond: mainRate.perSecond,
        rateLimitedAnswers: rateLimited[MAIN_PHONE_NUMBER_ID] ?? 0,
        workerPeakRssBytes: mainRss.peakBytes,
        loadAverage: { start: loadStart, end: loadEnd },
      },
      inbox: { idle: summarize(idle), duringCampaign: summarize(during) },
      small: {
        recipients: smallOptedIn,
        completed: small.doneAfterMs !== null,
        finalState: small.last,
        numbers: smallRates.map(({ perSecond: _perSecond, ...rest }) => rest),
        duplicateSendIds: smallAll.duplicateSendIds,
        duplicateRecipients: smallAll.duplicateRecipients,
      },
    };
  } finally {
    await worker?.stop();
    await app?.close();
    await setup.services.coordination.close();
    await sim.close();
    await setup.bench.drop();
  }
}

/** Scenario 4 on a database of its own: the worker's RSS through a 1,000,000-recipient campaign's resolution and first sends. */
async function runLargeScenario(serverUrl: string) {
  const sim = await startSimulatorThread({
    phoneNumbers: [{ id: MAIN_PHONE_NUMBER_ID, displayPhoneNumber: "15550783881", throughput: TIER }],
    statusTiming: { sentMs: null, deliveredMs: null, readMs: null },
  });
  await sim.addTemplate({ ...TEMPLATE, wabaId: sim.credentials.wabaId });
  const setup = await setUp(serverUrl, sim);
  let worker: ParleyWorker | undefined;
  try {
    const seed = await seedAudience(setup.bench.db, setup.keyring, setup.workspaceId, [{ tag: "winter", contacts: LARGE, optedIn: LARGE }]);
    process.stderr.write(`bench broadcasts: seeded ${seed.contacts} contacts in ${seed.seconds.toFixed(1)} s\n`);
    worker = await startParleyWorker({
      databaseUrl: setup.bench.ownerUrl!,
      redisUrl: REDIS_URL,
      masterKey: setup.masterKey,
      graphBaseUrl: sim.credentials.baseUrl,
      env: WORKER_ENV,
    });
    await delay(2_000);
    const startRss = (await worker.rss()) ?? 0;
    const id = await startCampaign(setup, "winter", [setup.mainNumberId]);
    const resolving = worker.sampleRss(250);
    const resolutionLimitMs = Number(process.env.BENCH_BROADCAST_LARGE_LIMIT_S ?? 420) * 1_000;
    const resolution = await watch(setup.bench.db, setup.workspaceId, id, resolutionLimitMs, (state) => state.audience_resolved);
    const resolvingRss = resolving.stop();
    const sendingRss = worker.sampleRss(250);
    const sends = await watch(
      setup.bench.db,
      setup.workspaceId,
      id,
      60_000 + (LARGE_SENDS / TIER) * 2_000,
      (state) => state.handedOver >= LARGE_SENDS,
    );
    const sendRss = sendingRss.stop();
    const records = await sim.sentRecords();
    return {
      seed,
      recipients: LARGE,
      workerRssAtStartBytes: startRss,
      resolution: {
        finished: resolution.doneAfterMs !== null,
        seconds: (resolution.doneAfterMs ?? resolution.resolvedAfterMs ?? resolutionLimitMs) / 1000,
        recipientRows: resolution.last.recipient_count,
        peakRssBytes: resolvingRss.peakBytes,
        samples: resolvingRss.samples,
      },
      sending: {
        watchedSends: LARGE_SENDS,
        reached: sends.doneAfterMs !== null,
        handedOver: sends.last.handedOver,
        acceptedBySimulator: records.length,
        peakRssBytes: sendRss.peakBytes,
        samples: sendRss.samples,
      },
      peakRssBytes: Math.max(resolvingRss.peakBytes, sendRss.peakBytes),
    };
  } finally {
    await worker?.stop();
    await setup.services.coordination.close();
    await sim.close();
    await setup.bench.drop();
  }
}

function skipped(reason: string) {
  return {
    results: { skipped: { reason } },
    ratios: {},
    markdown: `**Skipped**: ${reason} Run it with PostgreSQL on 127.0.0.1:5432 (database \`test\`) or PARLEY_BENCH_DATABASE_URL, and Redis on ${REDIS_URL}.`,
  };
}

function met(value: boolean): string {
  return value ? "**met**" : "**not met**";
}

export const broadcastsBenchmark: Benchmark = {
  name: "broadcasts",
  title: "Broadcasts: 100,000 recipients at the tier, audience resolution, worker memory at 1,000,000 (PostgreSQL)",
  async run() {
    const serverUrl = await findBenchPostgres();
    if (!serverUrl) {
      const reason = `no PostgreSQL server answers at ${process.env.PARLEY_BENCH_DATABASE_URL ? "PARLEY_BENCH_DATABASE_URL" : DEFAULT_BENCH_POSTGRES_URL}.`;
      process.stderr.write(`bench broadcasts: skipped — ${reason}\n`);
      return skipped(reason);
    }
    const tier = await runTierScenarios(serverUrl);
    process.stderr.write(
      `bench broadcasts: tier scenarios done: ${JSON.stringify({ rate: tier.main.rate, resolution: tier.main.audienceResolutionSeconds })}\n`,
    );
    const large = LARGE > 0 ? await runLargeScenario(serverUrl) : null;
    const m = tier.main;
    const mainRatio = m.rate / TIER;
    const smallRatios = tier.small.numbers.map((number) => number.rate / SMALL_TIER);
    const smallRateLimited = tier.small.numbers.reduce((sum, number) => sum + number.rateLimitedAnswers, 0);
    const listRatio = tier.inbox.duringCampaign.p95 / tier.inbox.idle.p95;
    const ratios: Record<string, number> = {
      mainRateVsTier: mainRatio,
      smallRateVsTierMin: Math.min(...smallRatios),
      audienceResolutionVsTarget: (m.audienceResolutionSeconds ?? Number.POSITIVE_INFINITY) / RESOLUTION_TARGET_S,
      inboxListP95DuringVsIdle: listRatio,
    };
    if (large) ratios.largeWorkerPeakRssVsLimit = large.peakRssBytes / RSS_LIMIT_BYTES;
    const mainMet =
      mainRatio >= RATIO_TARGET && m.rateLimitedAnswers === 0 && m.duplicateSendIds === 0 && m.duplicateRecipients === 0 && m.completed;
    const smallMet =
      smallRatios.every((ratio) => ratio >= RATIO_TARGET) &&
      smallRateLimited === 0 &&
      tier.small.duplicateSendIds === 0 &&
      tier.small.duplicateRecipients === 0 &&
      tier.small.completed;
    const resolutionMet = m.audienceResolutionSeconds !== null && m.audienceResolutionSeconds < RESOLUTION_TARGET_S;
    const listMet = tier.inbox.duringCampaign.p95 < LIST_TARGET_MS;
    const ms = (value: number) => (Number.isNaN(value) ? "–" : value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);
    const markdown = [
      `Fresh PostgreSQL databases; contacts seeded with the real keyring (own data key each, phone encrypted and blind-indexed), ${tier.seed.contacts.toLocaleString("en-US")} in ${formatNumber(tier.seed.seconds)} s${large ? ` and ${large.seed.contacts.toLocaleString("en-US")} in ${formatNumber(large.seed.seconds)} s` : ""}. The real \`parley start --role worker\` process (concurrency ${WORKER_ENV.PARLEY_WORKER_CONCURRENCY}, poll ${WORKER_ENV.PARLEY_WORKER_POLL_MS} ms, Redis governor) sends to the Cloud API simulator on its own thread; broadcasts are created and started through the broadcast service. Rates are first to last acceptance by the simulator's clock; the baseline is the tier.`,
      "",
      "| Measure | Value | Target |",
      "|---|---:|---|",
      `| 1 number, tier ${TIER}/s: recipients sent (of ${m.audienceMatched.toLocaleString("en-US")} matched, 5 % without consent) | ${m.sent.toLocaleString("en-US")} | ${m.recipients.toLocaleString("en-US")} |`,
      `| Audience resolution (tags + consent → recipient rows) | ${m.audienceResolutionSeconds === null ? "not finished" : `${m.audienceResolutionSeconds.toFixed(1)} s`} | < ${RESOLUTION_TARGET_S} s ${met(resolutionMet)} |`,
      `| Send rate, first to last acceptance | ${formatNumber(m.rate)} msg/s = **${mainRatio.toFixed(3)} of the tier** | ≥ ${RATIO_TARGET} ${met(mainMet)} |`,
      `| Most accepted in any 1 s window | ${m.maxInAnySecond} | ≤ ${TIER} |`,
      `| 130429 answers / duplicate send ids / recipients reached twice | ${m.rateLimitedAnswers} / ${m.duplicateSendIds} / ${m.duplicateRecipients} | 0 / 0 / 0 |`,
      `| Inbox list p95 idle (baseline) → while the campaign sends | ${ms(tier.inbox.idle.p95)} → **${ms(tier.inbox.duringCampaign.p95)}** (${formatNumber(listRatio)}×, ${tier.inbox.duringCampaign.samples} samples) | < ${LIST_TARGET_MS} ms ${met(listMet)} |`,
      `| 5 numbers at ${SMALL_TIER}/s, one broadcast of ${tier.small.recipients.toLocaleString("en-US")}: rate ÷ tier per number | ${smallRatios.map((ratio) => ratio.toFixed(3)).join(", ")} | each ≥ ${RATIO_TARGET} ${met(smallMet)} |`,
      `| 5 numbers: 130429 answers / duplicate send ids / recipients reached twice | ${smallRateLimited} / ${tier.small.duplicateSendIds} / ${tier.small.duplicateRecipients} | 0 / 0 / 0 |`,
      ...(large
        ? [
            `| 1,000,000-recipient campaign: worker RSS at start → peak while resolving (${large.resolution.recipientRows.toLocaleString("en-US")} recipient rows in ${large.resolution.seconds.toFixed(0)} s${large.resolution.finished ? "" : ", not finished"}) → peak over the first ${large.sending.handedOver.toLocaleString("en-US")} sends | ${mb(large.workerRssAtStartBytes)} → ${mb(large.resolution.peakRssBytes)} → ${mb(large.sending.peakRssBytes)} | < 300 MB ${met(large.peakRssBytes < RSS_LIMIT_BYTES && large.resolution.finished)} |`,
          ]
        : []),
      "",
      `- The 100,000 campaign took ${m.startToCompletedSeconds === null ? "longer than its limit" : `${m.startToCompletedSeconds.toFixed(0)} s`} from start to completed; acceptances per second: ${m.perSecond.join(", ")}. Worker peak RSS during it: ${mb(m.workerPeakRssBytes)}. Load average (1 min) at start / end: ${m.loadAverage.start.toFixed(1)} / ${m.loadAverage.end.toFixed(1)} on ${cpus().length} cores shared with other work.`,
      `- The inbox list is GET /conversations?view=all&limit=50 of the real app in the benchmark's process, one request at a time, as an Owner; the campaign's audience has one open conversation each on the campaign's number, so the list is ${m.audienceMatched.toLocaleString("en-US")} conversations deep and the campaign keeps reordering it. Samples during the campaign are taken while it sends at the tier (audience resolved, between the first and last 1,000 sends).`,
      ...(large
        ? [
            `- The 1,000,000 case does not send all its messages: it measures the worker's VmRSS (/proc) every 250 ms while the audience is materialized into recipient rows, then over the first ${LARGE_SENDS.toLocaleString("en-US")} sends (${large.sending.acceptedBySimulator.toLocaleString("en-US")} accepted by the simulator when it stopped).`,
          ]
        : []),
    ].join("\n");
    return { results: { tier, large: large ?? { skipped: "BENCH_BROADCAST_LARGE=0" } }, ratios, markdown };
  },
};
