import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../sim/index.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { createEnvKeyProvider } from "../../src/crypto/key-provider.ts";
import { createKeyring, type Keyring } from "../../src/crypto/keyring.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { createApiKey } from "../../src/features/api-keys/service.ts";
import { insertNumber } from "../../src/features/numbers/repository.ts";
import { seedOptedInAudience } from "../support/audience-seed.ts";
import { chaosBroadcastRecipients } from "../support/chaos-size.ts";
import { testEngine } from "../support/engine.ts";
import { ownerCaller } from "../support/identity.ts";
import { createParleyEnvironment, type ParleyEnvironment } from "../support/parley-process.ts";
import { startParleyChild, type ParleyChild } from "./parley-child.ts";

// CHAOS — crash proof of a broadcast (messaging at scale): the real `parley start` (web + worker)
// sends a marketing broadcast to every opted-in contact of an audience from one number, and is
// SIGKILLed twice while sending (once the simulator has accepted ~30 % of the messages, then ~60 %),
// each time started again on the same port. The simulator stands in for Meta and records every
// message it accepted, so the proof is what a customer would see:
//   1. 0 duplicates: no recipient got the template twice;
//   2. nothing lost but what a kill stranded: every recipient got it once, except sends a kill
//      caught between the commit of their claim (`sending`) and their Graph call, which Meta never
//      received. Those are held, never sent again blindly (Meta has no idempotency key, so Parley
//      cannot know they did not leave; DESIGN §2); the reconciliation marks them `unknown` after
//      15 minutes, which this test does not sit out. It names how many there were;
//   3. the product's report agrees: every other recipient accepted or sent (none pending, failed
//      or skipped), each with its own message, whose WhatsApp id is one the simulator accepted.
// Where a kill lands decides what recovers it: in a runner step, recipients are claimed and their
// messages queued in one transaction, or neither; a send still waiting for the governor is queued,
// not claimed, and goes after the restart; after Meta accepted a message and before its answer was
// recorded, the row stays `sending` and the status webhook carrying Parley's send id — which the
// simulator posts back to the restarted process, retrying while it is down — settles it.
//
// The broadcast is made as a member would make it: the number's templates synced from WhatsApp,
// the audience estimated, the broadcast created and started, through Parley's HTTP API with an
// Owner's API key. The audience is seeded set-based (test/support/audience-seed.ts): contacts under
// their own data keys, tagged, with marketing consent recorded as an import records it.
//
// One shortcut, stated (as in kill-during-burst): jobs the killed worker had claimed stay `running`
// until their lease expires (60 s). Instead of waiting that out, the test ages those leases while
// Parley is down; the restarted worker's own reclaim pass then finds them, exactly as it would
// after the timeout.
//
// Size. The requirement's full size is 100,000 recipients on one number at the highest standard
// throughput tier (1,000 messages per second; the simulator's number and Parley's number both have
// it): PARLEY_CHAOS_BROADCAST_RECIPIENTS=100000 runs it. By default the PostgreSQL pass sends to
// 5,000 (~3 minutes here) and the PGlite pass to 1,000 (~4 minutes: one connection shared by the web
// server and the worker), because the broadcast runner, not the tier, sets the pace:
// each step queues its recipients' messages one by one in its transaction (about ten statements
// each; `npm run bench -- broadcasts` measures the rate against the tier). Measured here on a loaded
// 2-core machine: 5,000 in ~3 minutes, 20,000 in 12 minutes (both passing), so 100,000 would take
// far longer than the ~100 s the tier allows; batching the queueing is the open work.
// The property proved is the same at every size; only the volume differs.

const TOTAL = chaosBroadcastRecipients(testEngine === "postgres" ? 5_000 : 1_000);
/** Generous: the runner's measured pace on a loaded 2-core machine is ~30 recipients per second (see the header); this allows twice as long. */
const TIMEOUT_MS = 300_000 + TOTAL * 60;
const KILL_AT = [0.3, 0.6];
const PHONE_NUMBER_ID = "106540352242922";
const TEMPLATE = "chaos_offer";
const TAG = "chaos";
const APP_SECRET = randomBytes(24).toString("base64url");

let run: ParleyEnvironment;
let config: Config;
let sim: Simulator;
let workspaceId: string;
let numberId: string;
let webhookKey: string;
let apiKey: string;
let waIds: string[] = [];
let parley: ParleyChild | undefined;

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

type BroadcastView = { id: string; state: string; counts: Record<string, number> };

async function api(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${parley!.address}/api/v1/workspaces/${workspaceId}${path}`, {
    method,
    headers: { "x-api-key": apiKey, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Messages the simulator accepted from the number, per recipient. */
function acceptedPerRecipient(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of sim.state.outbound.values()) {
    if (message.phoneNumberId !== PHONE_NUMBER_ID || message.type !== "template" || message.to === undefined) continue;
    counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
  }
  return counts;
}

type KillPoint = { accepted: number; unanswered: number; sending: { id: string; sendId: string | null }[] };

/**
 * SIGKILL once the simulator has accepted `share` of the broadcast. Then, while Parley is down: how
 * many messages it left `sending` (committed as going to Graph, no answer recorded: the ones Meta
 * may or may not have accepted), and the dead worker's leases are aged (see the header).
 */
async function killWhenAccepted(share: number): Promise<KillPoint> {
  const target = Math.round(TOTAL * share);
  const deadline = Date.now() + TIMEOUT_MS;
  while (sim.state.outbound.size < target) {
    if (Date.now() > deadline) throw new Error(`only ${sim.state.outbound.size} of ${TOTAL} accepted before the kill deadline`);
    await delay(5);
  }
  await parley!.kill();
  const accepted = sim.state.outbound.size;
  const sending = await withDb(async (db) => {
    const rows = await withWorkspace(db, { workspaceId }, (trx) =>
      trx
        .selectFrom("messages")
        .select(["id", "send_id"])
        .where("workspace_id", "=", workspaceId)
        .where("direction", "=", "out")
        .where("status", "=", "sending")
        .execute(),
    );
    await withoutWorkspace(db, (trx) =>
      sql`update jobs set locked_at = locked_at - interval '1 hour' where status = 'running'`.execute(trx),
    );
    return rows.map((row) => ({ id: row.id, sendId: row.send_id }));
  });
  return { accepted, unanswered: sending.length, sending };
}

/**
 * The sends a kill stranded: messages that were `sending` when a kill landed and whose send id the
 * simulator never received (the process died between the claim's commit and the Graph call). No
 * status can settle them before the reconciliation window; anything else `sending` will be settled.
 * (Read from the kill points and the simulator: the embedded database is Parley's while it runs.)
 */
function strandedSends(kills: KillPoint[]): string[] {
  const reachedMeta = new Set([...sim.state.outbound.values()].map((message) => message.bizOpaqueCallbackData));
  // A send stranded by the first kill is still `sending` at the second: each counts once.
  const atKills = new Map(kills.flatMap((kill) => kill.sending).map((send) => [send.id, send.sendId]));
  return [...atKills].filter(([, sendId]) => sendId === null || !reachedMeta.has(sendId)).map(([id]) => id);
}

beforeAll(async () => {
  const masterKey = randomBytes(32).toString("base64");
  sim = createSimulator({
    appSecret: APP_SECRET,
    phoneNumbers: [{ id: PHONE_NUMBER_ID, displayPhoneNumber: "15550783881", throughput: 1000 }],
    // `sent` only: the status that settles a send whose answer the kill swallowed; delivered and
    // read would triple the webhook traffic and prove nothing more here.
    statusTiming: { sentMs: 50, deliveredMs: null, readMs: null },
    // Statuses batched as Meta batches them; retried every 0.5–2 s while Parley is down.
    webhooks: {
      batchWindowMs: 200,
      maxChangesPerPost: 500,
      requestTimeoutMs: 10_000,
      retry: { firstDelayMs: 0, initialDelayMs: 500, factor: 2, maxDelayMs: 2_000, windowMs: 10 * 60_000 },
    },
  });
  const phone = sim.state.phoneNumbers.get(PHONE_NUMBER_ID)!;
  phone.messagingLimit = "TIER_UNLIMITED";
  phone.qualityRating = "GREEN";
  sim.state.templates.set("3000000000000001", {
    id: "3000000000000001",
    wabaId: sim.credentials().wabaId,
    name: TEMPLATE,
    language: "en_US",
    category: "MARKETING",
    parameterFormat: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, 20% off today." }],
    status: "APPROVED",
    rejectedReason: undefined,
    createdAt: sim.clock.now(),
  });
  const graphUrl = await sim.listen(0);
  run = await createParleyEnvironment({
    PARLEY_PORT: "0",
    PARLEY_MASTER_KEY: masterKey,
    PARLEY_LOG_LEVEL: "warn",
    // Live mode against the simulator: nothing leaves 127.0.0.1.
    PARLEY_WHATSAPP_MODE: "live",
    PARLEY_GRAPH_BASE_URL: graphUrl,
  });
  config = loadConfig(run.env);
  const keyring: Keyring = createKeyring({ provider: createEnvKeyProvider(masterKey) });
  workspaceId = randomUUID();
  numberId = randomUUID();
  webhookKey = randomBytes(32).toString("base64url");
  const ownerId = randomUUID();
  // The workspace, its Owner and connected number are prepared before the first start, as `parley` would store them.
  await withDb(async (db) => {
    await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
    await withoutWorkspace(db, (trx) =>
      trx
        .insertInto("users")
        // Cannot sign in: the hash matches no password. The Owner acts through an API key.
        .values({ id: ownerId, email: `owner-${ownerId.slice(0, 8)}@chaos.invalid`, password_hash: "!seeded" })
        .execute(),
    );
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await trx.insertInto("workspaces").values({ id: workspaceId, name: "Chaos", region: config.region }).execute();
      await keyring.createWorkspaceKey(trx, workspaceId);
      await trx.insertInto("memberships").values({ workspace_id: workspaceId, user_id: ownerId, role: "owner" }).execute();
      await insertNumber(trx, keyring, {
        workspaceId,
        id: numberId,
        mode: "live",
        wabaId: sim.credentials().wabaId,
        phoneNumberId: PHONE_NUMBER_ID,
        appId: sim.credentials().appId,
        displayPhoneNumber: "15550783881",
        accessToken: sim.credentials().accessToken,
        accessTokenExpiresAt: null,
        appSecret: APP_SECRET,
        verifyToken: randomBytes(24).toString("base64url"),
        tier: 1000,
        webhookKey,
      });
      // The health Meta reports for the simulator's number (GET /{PN}), as the health check stores it.
      await trx
        .updateTable("numbers")
        .set({ messaging_limit: "TIER_UNLIMITED", quality_rating: "GREEN" })
        .where("id", "=", numberId)
        .execute();
      apiKey = (
        await createApiKey(trx, ownerCaller(workspaceId, ownerId), { name: "chaos", scopes: ["broadcasts.manage", "templates.manage"] })
      ).key;
    });
    const seeded = await seedOptedInAudience(db, keyring, { workspaceId, count: TOTAL, tag: TAG });
    waIds = seeded.waIds;
    process.stdout.write(`chaos broadcast (${testEngine}): seeded ${TOTAL} contacts in ${seeded.seconds.toFixed(1)} s\n`);
  });
}, 300_000);

afterAll(async () => {
  if (parley && parley.child.exitCode === null && parley.child.signalCode === null) await parley.kill();
  await sim?.close();
  await run?.cleanup();
});

describe(`chaos: SIGKILL twice during a ${TOTAL}-recipient broadcast (${testEngine})`, () => {
  it(
    "sends to no recipient twice and loses none but the sends a kill stranded, and the report agrees",
    async () => {
      const started = performance.now();
      parley = await startParleyChild(run.env);
      const port = parley.port;
      sim.configureWebhooks({ url: `${parley.address}/webhooks/whatsapp/${webhookKey}` });

      const synced = await api("POST", "/templates/sync", { numberId });
      expect(synced.status).toBe(200);
      const estimate = await api("POST", "/broadcasts/estimate", { audience: { tags: [TAG] }, numberIds: [numberId] });
      expect(estimate.status).toBe(200);
      expect(estimate.json).toMatchObject({ matched: TOTAL, eligible: TOTAL });
      const created = await api("POST", "/broadcasts", {
        name: "Chaos offer",
        template: { name: TEMPLATE, language: "en_US" },
        parameters: [{ source: "name", fallback: "there" }],
        audience: { tags: [TAG] },
        numberIds: [numberId],
        timeZone: "Europe/Berlin",
      });
      expect(created.status).toBe(201);
      const broadcastId = created.json.id as string;
      expect((await api("POST", `/broadcasts/${broadcastId}/start`, {})).status).toBe(200);

      const kills: KillPoint[] = [];
      for (const share of KILL_AT) {
        kills.push(await killWhenAccepted(share));
        // Same port, so the simulator's status webhooks (retried while Parley is down) find it again.
        parley = await startParleyChild({ ...run.env, PARLEY_PORT: String(port) });
      }
      // Each kill landed mid-send: some accepted, not all.
      for (const kill of kills) {
        expect(kill.accepted).toBeGreaterThan(0);
        expect(kill.accepted).toBeLessThan(TOTAL);
      }

      // Done when the broadcast completed, or when nothing is left but sends a kill stranded (see
      // `strandedSends`): those wait for the 15-minute reconciliation, which this test does not sit out.
      let report: BroadcastView;
      let stranded: string[] = [];
      const deadline = started + TIMEOUT_MS - 30_000;
      for (;;) {
        const answer = await api("GET", `/broadcasts/${broadcastId}`);
        expect(answer.status).toBe(200);
        report = answer.json as unknown as BroadcastView;
        if (report.state === "completed") break;
        if ((report.counts.pending ?? 0) === 0 && (report.counts.sending ?? 0) > 0) {
          stranded = strandedSends(kills);
          if (stranded.length === report.counts.sending) break;
        }
        if (performance.now() > deadline) throw new Error(`broadcast not completed in time: ${JSON.stringify(report.counts)}`);
        await delay(1_000);
      }
      const sendSeconds = (performance.now() - started) / 1000;
      expect(await parley.stop()).toBe(0);

      // What the customers got: counts only (a phone number must never reach the test output).
      const perRecipient = acceptedPerRecipient();
      const audience = new Set(waIds);
      const duplicates = [...perRecipient.values()].filter((n) => n > 1).length;
      const lost = waIds.filter((waId) => !perRecipient.has(waId)).length;
      const strangers = [...perRecipient.keys()].filter((waId) => !audience.has(waId)).length;
      expect(duplicates, "recipients who got the broadcast more than once").toBe(0);
      // Not lost, except what a kill stranded between a claim's commit and its Graph call: those are
      // held as `sending` (then `unknown`), never sent again blindly — Meta has no idempotency key.
      expect(lost, "recipients who never got it, beyond the sends a kill stranded").toBe(stranded.length);
      expect(strangers, "messages to someone outside the audience").toBe(0);
      expect(sim.state.outbound.size).toBe(TOTAL - stranded.length);

      // The product's report agrees: everyone accepted by Meta or further, but the stranded sends.
      const { accepted = 0, sent = 0, delivered = 0, read = 0, ...others } = report.counts;
      expect(report.counts.total).toBe(TOTAL);
      expect(accepted + sent + delivered + read).toBe(TOTAL - stranded.length);
      expect(others).toMatchObject({ pending: 0, sending: stranded.length, failed: 0, skipped: 0 });

      // And recipient by recipient: each its own message, whose WhatsApp id the simulator accepted.
      await withDb(async (db) => {
        const rows = await withWorkspace(db, { workspaceId }, (trx) =>
          trx
            .selectFrom("broadcast_recipients as r")
            .leftJoin("messages as m", (join) => join.onRef("m.workspace_id", "=", "r.workspace_id").onRef("m.id", "=", "r.message_id"))
            .select(["r.state", "m.wamid"])
            .where("r.workspace_id", "=", workspaceId)
            .where("r.broadcast_id", "=", broadcastId)
            .execute(),
        );
        expect(rows.length).toBe(TOTAL);
        const wamids = rows.map((row) => row.wamid).filter((wamid): wamid is string => wamid !== null);
        expect(wamids.length, "recipients without a WhatsApp message id").toBe(TOTAL - stranded.length);
        expect(new Set(wamids).size).toBe(TOTAL - stranded.length);
        expect(wamids.filter((wamid) => !sim.state.outbound.has(wamid)).length, "message ids the simulator never accepted").toBe(0);
      });
      process.stdout.write(
        `chaos broadcast (${testEngine}): ${TOTAL} recipients, killed at ${kills.map((k) => `${k.accepted} accepted (${k.unanswered} sending, unanswered)`).join(" and ")}, done in ${sendSeconds.toFixed(1)} s, ${stranded.length} stranded; report ${JSON.stringify(report.counts)}\n`,
      );
    },
    TIMEOUT_MS,
  );
});
