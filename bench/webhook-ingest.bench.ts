import { randomBytes } from "node:crypto";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { formatNumber, median, type Benchmark } from "./harness.ts";
import { startBareServer, type BareServer } from "./support/bare-server.ts";
import { findBenchPostgres } from "./support/bench-database.ts";
import { summariseProfile, type CpuProfile, type ProfileSummary } from "./support/cpu-profile.ts";
import { startPacedGenerator, type PacedGenerator, type PacedResult } from "./support/paced-load.ts";
import { startParleyServer, type ParleyServer } from "./support/parley-server.ts";
import { cpuBetween, snapshotCpu, type CpuUse } from "./support/proc-cpu.ts";
import { writeBodyFiles, type BodyTarget } from "./support/webhook-bodies.ts";
import { assertWrkInstalled, runWrk, writeWrkScript, type WrkResult } from "./support/wrk.ts";

// Webhook ingest, end to end: signed POSTs, each a distinct inbound message, to the real
// `parley start --role web` process (a child process on a fresh PostgreSQL database, Redis for
// coordination, logging at its default level to a file) — lean lane, endpoint lookup, HMAC over the
// raw bytes, encrypted group-committed insert of the delivery and its batch's job, commit, 200 —
// against a bare node:http server (its own process too) that reads the body and answers 200.
//  - Maximum rate: wrk (C, two threads), which on this machine is not what limits the rate (the
//    run shows it: wrk's CPU time, the servers' CPU time, one wrk thread against two). A sweep over
//    connection counts finds each server's best; then pairs of rounds at those counts, in
//    alternating order, give the ratio (the median pair's).
//  - CPU per webhook, from /proc: the server process, and PostgreSQL's backends serving the
//    benchmark's database (plus, apart, PostgreSQL's shared processes — WAL writer, checkpointer —
//    which other work on the machine uses too).
//  - Latency at half Parley's maximum: a paced open-loop generator (support/paced-load.ts: latency
//    from each request's scheduled time), on a fresh database, rounds interleaved with the bare
//    server at the same rate; the generator's own lag and CPU use are reported.
//  - A CPU profile of the Parley process (node --cpu-prof) under maximum load, summarised.
// Targets on PostgreSQL: ≥ 40 % of the bare server's rate, p99 < 50 ms at half load.

const THREADS = 2;
const SWEEP_CONNECTIONS = [32, 64, 128, 256] as const;
const SWEEP_S = 2;
const PAIRS = 5;
const PAIR_S = 4;
const WARMUP_S = 2;
const HALF_LOAD_ROUNDS = 5;
const HALF_LOAD_MS = 6_000;
const PACED_WARMUP_MS = 2_000;
const PACED_CONNECTIONS = 256;
const PROFILE_S = 8;
const COMMIT_PROBE_MS = 3_000;
/** Bodies written per second of a Parley round: well above any rate it reaches here, so no body repeats. */
const MIN_BODIES_PER_SECOND = 12_000;
const BARE_BODIES = 40_000;
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 50;

type Round = WrkResult & { connections: number; threads: number; cpu: CpuUse };
type PacedRound = PacedResult & { cpu: CpuUse };

type CpuPerRequest = { serverUs: number; databaseUs: number; postgresSharedUs: number; totalUs: number };

function cpuPerRequest(rounds: Array<{ ok: number; cpu: CpuUse }>): CpuPerRequest {
  const ok = rounds.reduce((sum, round) => sum + round.ok, 0);
  const sum = (pick: (cpu: CpuUse) => number) => (rounds.reduce((total, round) => total + pick(round.cpu), 0) * 1000) / Math.max(1, ok);
  const serverUs = sum((cpu) => cpu.serverMs);
  const databaseUs = sum((cpu) => cpu.databaseBackendsMs);
  return { serverUs, databaseUs, postgresSharedUs: sum((cpu) => cpu.postgresOtherMs), totalUs: serverUs + databaseUs };
}

function progress(text: string): void {
  process.stderr.write(`  webhook-ingest: ${text}\n`);
}

/** Share of one core the process used over the round. */
const coreShare = (cpuMs: number, wallMs: number) => cpuMs / wallMs;

async function measure(serverUrl: string, redisUrl: string) {
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-webhook-"));
  const scriptFile = join(dir, "webhook.lua");
  await writeWrkScript(scriptFile);
  const runId = randomBytes(4).toString("hex");
  let files = 0;
  let bodiesPerSecond = MIN_BODIES_PER_SECOND;
  /** Fresh distinct bodies for one run: the path for writeBodyFiles' parts. */
  const freshBodies = async (target: BodyTarget, count: number, parts: number): Promise<string> => {
    files += 1;
    const path = join(dir, `bodies-${files}`);
    await writeBodyFiles(path, target, `${runId}-${files}-`, count, parts);
    return path;
  };
  let bare: BareServer | undefined;
  let parley: ParleyServer | undefined;
  let paced: PacedGenerator | undefined;
  try {
    bare = await startBareServer();
    const bareBodies = join(dir, "bare");
    // The bare server reads no id: its bodies may repeat, in the same shape and size as Parley's.
    const anyTarget: BodyTarget = {
      appSecret: "bare",
      phoneNumberId: "106540352242922",
      wabaId: "102290129340398",
      displayPhoneNumber: "15550783881",
    };
    await writeBodyFiles(bareBodies, anyTarget, `${runId}-bare-`, BARE_BODIES, THREADS);
    await writeBodyFiles(`${bareBodies}-one`, anyTarget, `${runId}-bare-`, BARE_BODIES, 1);

    const wrkRound = async (
      server: { pid: number; url: string },
      bodiesFile: string,
      connections: number,
      durationS: number,
      database?: string,
      threads = THREADS,
    ): Promise<Round> => {
      const before = snapshotCpu(server.pid, database !== undefined);
      const result = await runWrk({ url: server.url, bodiesFile, scriptFile, connections, threads, durationS });
      const cpu = cpuBetween(before, snapshotCpu(server.pid, database !== undefined), database);
      return { ...result, connections, threads, cpu };
    };
    const bareRound = (connections: number, durationS: number, threads = THREADS) =>
      wrkRound(bare!, threads === 1 ? `${bareBodies}-one` : bareBodies, connections, durationS, undefined, threads);
    const parleyRound = async (server: ParleyServer, connections: number, durationS: number) => {
      const round = await wrkRound(
        server,
        await freshBodies(server.target, Math.ceil(durationS * bodiesPerSecond), THREADS),
        connections,
        durationS,
        server.databaseName,
      );
      bodiesPerSecond = Math.max(bodiesPerSecond, Math.ceil(round.requestsPerSecond * 2));
      return round;
    };

    // Maximum rate.
    progress("starting parley (maximum rate)");
    parley = await startParleyServer({ serverUrl, redisUrl });
    progress("sweep");
    const maxServer = parley;
    const parleyRounds: Round[] = [];
    await bareRound(SWEEP_CONNECTIONS[1], WARMUP_S);
    parleyRounds.push(await parleyRound(maxServer, SWEEP_CONNECTIONS[1], WARMUP_S));
    const sweep: Array<{ connections: number; bare: Round; parley: Round }> = [];
    for (const connections of SWEEP_CONNECTIONS) {
      const bareResult = await bareRound(connections, SWEEP_S);
      const parleyResult = await parleyRound(maxServer, connections, SWEEP_S);
      parleyRounds.push(parleyResult);
      sweep.push({ connections, bare: bareResult, parley: parleyResult });
    }
    const bareConnections = sweep.reduce((a, b) => (b.bare.requestsPerSecond > a.bare.requestsPerSecond ? b : a)).connections;
    const parleyConnections = sweep.reduce((a, b) => (b.parley.requestsPerSecond > a.parley.requestsPerSecond ? b : a)).connections;
    progress(`pairs: bare at ${bareConnections} connections, Parley at ${parleyConnections}`);
    const pairs: Array<{ bare: Round; parley: Round }> = [];
    for (let pair = 0; pair < PAIRS; pair += 1) {
      if (pair % 2 === 0) {
        const bareResult = await bareRound(bareConnections, PAIR_S);
        pairs.push({ bare: bareResult, parley: await parleyRound(maxServer, parleyConnections, PAIR_S) });
      } else {
        const parleyResult = await parleyRound(maxServer, parleyConnections, PAIR_S);
        pairs.push({ parley: parleyResult, bare: await bareRound(bareConnections, PAIR_S) });
      }
      parleyRounds.push(pairs.at(-1)!.parley);
    }
    // The generator's own limit: the bare server driven by one wrk thread, next to two.
    const oneThread = await bareRound(bareConnections, PAIR_S, 1);
    const twoThreads = await bareRound(bareConnections, PAIR_S);
    const answered = parleyRounds.reduce((sum, round) => sum + round.ok, 0);
    const stored = await maxServer.storedEvents();
    if (stored < answered) throw new Error(`Parley answered 200 ${answered} times but stored ${stored} deliveries`);
    const maxLogErrors = await countLogErrors(maxServer.logFile);
    await maxServer.stop();
    parley = undefined;

    const bareMaxRps = median(pairs.map((pair) => pair.bare.requestsPerSecond));
    const parleyMaxRps = median(pairs.map((pair) => pair.parley.requestsPerSecond));
    const pairRatios = pairs.map((pair) => pair.parley.requestsPerSecond / pair.bare.requestsPerSecond);

    // Latency at half load, on a fresh database.
    progress(`parley ${(median(pairRatios) * 100).toFixed(1)} % of bare; starting parley (half load)`);
    parley = await startParleyServer({ serverUrl, redisUrl });
    const halfServer = parley;
    paced = await startPacedGenerator();
    const halfLoadRps = Math.max(1, Math.floor(parleyMaxRps / 2));
    const halfUrl = new URL(halfServer.url);
    const bareUrl = new URL(bare.url);
    const pacedRound = async (
      server: { pid: number },
      port: number,
      path: string,
      bodiesFile: string,
      durationMs: number,
      database?: string,
    ): Promise<PacedRound> => {
      const before = snapshotCpu(server.pid, database !== undefined);
      const result = await paced!.run({ port, path, bodiesFile, ratePerSecond: halfLoadRps, durationMs, connections: PACED_CONNECTIONS });
      progress(
        `paced round: ${result.ok} ok, ${result.failed} failed, ${result.reconnects} reconnects, p99 ${result.latencyMs.p99?.toFixed(1)} ms`,
      );
      return { ...result, cpu: cpuBetween(before, snapshotCpu(server.pid, database !== undefined), database) };
    };
    const pacedCount = (durationMs: number) => Math.ceil((durationMs / 1000) * halfLoadRps) + 1;
    const pacedBodies = async (durationMs: number) => `${await freshBodies(halfServer.target, pacedCount(durationMs), 1)}.0`;
    const bareBodiesFor = async (durationMs: number) => `${await freshBodies(anyTarget, pacedCount(durationMs), 1)}.0`;
    const commitProbe = await halfServer.commitLatency(COMMIT_PROBE_MS);
    progress(`half load: ${halfLoadRps} req/s`);
    const halfParley: PacedRound[] = [];
    const halfBare: PacedRound[] = [];
    const pacedWarmUp = await pacedRound(
      halfServer,
      Number(halfUrl.port),
      halfUrl.pathname,
      await pacedBodies(PACED_WARMUP_MS),
      PACED_WARMUP_MS,
      halfServer.databaseName,
    );
    await pacedRound(bare, Number(bareUrl.port), bareUrl.pathname, await bareBodiesFor(PACED_WARMUP_MS), PACED_WARMUP_MS);
    for (let round = 0; round < HALF_LOAD_ROUNDS; round += 1) {
      halfParley.push(
        await pacedRound(
          halfServer,
          Number(halfUrl.port),
          halfUrl.pathname,
          await pacedBodies(HALF_LOAD_MS),
          HALF_LOAD_MS,
          halfServer.databaseName,
        ),
      );
      halfBare.push(await pacedRound(bare, Number(bareUrl.port), bareUrl.pathname, await bareBodiesFor(HALF_LOAD_MS), HALF_LOAD_MS));
    }
    const halfAnswered = [pacedWarmUp, ...halfParley].reduce((sum, round) => sum + round.ok, 0);
    const halfStored = await halfServer.storedEvents();
    if (halfStored < halfAnswered) throw new Error(`Parley answered 200 ${halfAnswered} times but stored ${halfStored} deliveries`);
    const halfLogErrors = await countLogErrors(halfServer.logFile);
    await halfServer.stop();
    parley = undefined;
    paced.close();
    paced = undefined;

    // Where the time goes: a CPU profile of the process under maximum load.
    progress("starting parley (CPU profile)");
    parley = await startParleyServer({ serverUrl, redisUrl, cpuProfile: true });
    const profiled = parley;
    await parleyRound(profiled, parleyConnections, WARMUP_S);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const profileRound = await parleyRound(profiled, parleyConnections, PROFILE_S);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const profileText = await profiled.stop();
    parley = undefined;
    const profile = profileText
      ? summariseProfile(JSON.parse(profileText) as CpuProfile, { top: 15, window: { fromUs, toUs } })
      : undefined;

    const byP99 = (rounds: PacedRound[]) => [...rounds].sort((a, b) => a.latencyMs.p99 - b.latencyMs.p99)[Math.floor(rounds.length / 2)]!;
    return {
      threads: THREADS,
      sweep: sweep.map((level) => ({
        connections: level.connections,
        bareRps: level.bare.requestsPerSecond,
        parleyRps: level.parley.requestsPerSecond,
        parleyP50Ms: level.parley.latencyMs.p50,
      })),
      bareConnections,
      parleyConnections,
      bareMaxRps,
      parleyMaxRps,
      ratio: median(pairRatios),
      pairRatios,
      pairs,
      generatorCheck: { oneThread, twoThreads },
      cpuPerRequestAtMax: { parley: cpuPerRequest(pairs.map((pair) => pair.parley)), bare: cpuPerRequest(pairs.map((pair) => pair.bare)) },
      halfLoadRps,
      halfLoad: {
        parley: byP99(halfParley),
        bare: byP99(halfBare),
        parleyP99s: halfParley.map((round) => round.latencyMs.p99),
        bareP99s: halfBare.map((round) => round.latencyMs.p99),
        parleyRounds: halfParley,
        bareRounds: halfBare,
      },
      cpuPerRequestAtHalf: { parley: cpuPerRequest(halfParley), bare: cpuPerRequest(halfBare) },
      commitProbe,
      profile,
      profileRound: {
        requestsPerSecond: profileRound.requestsPerSecond,
        serverCoreShare: coreShare(profileRound.cpu.serverMs, profileRound.cpu.wallMs),
      },
      stored: { maxRate: { answered, stored }, halfLoad: { answered: halfAnswered, stored: halfStored } },
      logErrorLines: maxLogErrors + halfLogErrors,
      failedRequests:
        [...parleyRounds, ...pairs.map((pair) => pair.bare)].reduce((sum, round) => sum + round.errors, 0) +
        [...halfParley, ...halfBare].reduce((sum, round) => sum + round.failed, 0),
      repeatedBodies: parleyRounds.reduce((sum, round) => sum + round.wraps, 0),
    };
  } finally {
    paced?.close();
    await parley?.stop().catch(() => undefined);
    await bare?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Lines the process logged at error level or above (pino's numeric levels). */
async function countLogErrors(logFile: string): Promise<number> {
  const text = await readFile(logFile, "utf8").catch(() => "");
  return text.split("\n").filter((line) => /"level":(50|60)\b/.test(line)).length;
}

type Measured = Awaited<ReturnType<typeof measure>>;

function describeProfile(profile: ProfileSummary | undefined): string[] {
  if (!profile) return ["- The CPU profile could not be read."];
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  return [
    `Self time in the Parley process under maximum load (${formatNumber(profile.busyMs)} ms busy, ${formatNumber(profile.idleMs)} ms idle in the ${PROFILE_S}-s profiled round), by part of the stack:`,
    "",
    "| Part | Share of busy time |",
    "|---|---:|",
    ...profile.parts.filter((part) => part.share >= 0.005).map((part) => `| ${part.name} | ${pct(part.share)} |`),
    "",
    "Top functions by self time:",
    "",
    "| Function | Share of busy time |",
    "|---|---:|",
    ...profile.functions.map((line) => `| \`${line.name.replaceAll("|", "\\|")}\` | ${pct(line.share)} |`),
  ];
}

function describe(result: Measured, loadAverage: number[]): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const us = (value: number) => `${value.toFixed(0)} µs`;
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
  const { oneThread, twoThreads } = result.generatorCheck;
  const half = result.halfLoad;
  const atMax = result.cpuPerRequestAtMax;
  const atHalf = result.cpuPerRequestAtHalf;
  const ratioMet = result.ratio >= TARGET_RATIO;
  const p99Met = half.parley.latencyMs.p99 < TARGET_P99_MS;
  const bareCore = median(result.pairs.map((pair) => coreShare(pair.bare.cpu.serverMs, pair.bare.cpu.wallMs)));
  const bareWrkCore = median(result.pairs.map((pair) => coreShare(pair.bare.wrkCpuMs, pair.bare.durationMs)));
  const parleyCore = median(result.pairs.map((pair) => coreShare(pair.parley.cpu.serverMs, pair.parley.cpu.wallMs)));
  const parleyDbCore = median(result.pairs.map((pair) => coreShare(pair.parley.cpu.databaseBackendsMs, pair.parley.cpu.wallMs)));
  const parleyWrkCore = median(result.pairs.map((pair) => coreShare(pair.parley.wrkCpuMs, pair.parley.durationMs)));
  const bareWrkUs = median(result.pairs.map((pair) => (pair.bare.wrkCpuMs * 1000) / Math.max(1, pair.bare.requests)));
  const machineBusy = median(
    result.pairs.flatMap((pair) => [pair.bare.cpu, pair.parley.cpu]).map((cpu) => cpu.machineBusyMs / (cpu.wallMs * cpu.machineCores)),
  );
  return [
    `Signed webhook POSTs, each a distinct inbound message (its own wamid, signed with X-Hub-Signature-256 under the number's app secret), to the real \`parley start --role web\` process — a child process on a fresh PostgreSQL database, Redis for coordination, logging at its default level (info: one line per request) to a file — vs a bare \`node:http\` server in a process of its own that reads the body and answers 200. Parley's path: lean lane, endpoint lookup (cached), HMAC-SHA256 over the raw body, encrypted group-committed insert of the delivery and its batch's job, commit, 200; the worker role does not run.`,
    "",
    `- **Maximum rate**: \`wrk\` (${THREADS} threads; a Lua script hands out pre-signed bodies loaded from a file before the clock starts, a file per thread). Sweep over ${SWEEP_CONNECTIONS.join(", ")} connections (${SWEEP_S}-s rounds, interleaved) for each server's best count, then ${PAIRS} pair(s) of ${PAIR_S}-s rounds at those counts in alternating order; the ratio is the median pair's.`,
    `- **Latency at half load**: wrk has no constant-rate mode, so a paced open-loop generator (\`bench/support/paced-load.ts\`, its own process, ${PACED_CONNECTIONS} keep-alive connections, raw HTTP/1.1 bytes prepared in advance) schedules requests at a fixed rate and counts each one's latency from its *scheduled* time (waiting for a free connection and the generator's own lag included, so no coordinated omission). Half of Parley's maximum, on a fresh database, ${HALF_LOAD_ROUNDS} round(s) of ${HALF_LOAD_MS / 1000} s interleaved with the bare server at the same rate after a ${PACED_WARMUP_MS / 1000}-s warm-up each; the round with the median p99 is shown.`,
    `- **CPU per webhook**: from \`/proc/<pid>/stat\` around each round — the server process, and the PostgreSQL backends serving the benchmark's database; PostgreSQL's shared processes (WAL writer, checkpointer, other databases' backends) are shown apart, as other work on the machine uses them too.`,
    "",
    "| | Bare `node:http` | Parley (`parley start`, PostgreSQL) | Parley ÷ bare |",
    "|---|---:|---:|---:|",
    `| Maximum rate (connections) | ${formatNumber(result.bareMaxRps)} req/s (${result.bareConnections}) | ${formatNumber(result.parleyMaxRps)} req/s (${result.parleyConnections}) | **${pct(result.ratio)}** |`,
    `| CPU per webhook at maximum rate: server process | ${us(atMax.bare.serverUs)} | ${us(atMax.parley.serverUs)} | |`,
    `| CPU per webhook at maximum rate: + PostgreSQL backends | — | ${us(atMax.parley.databaseUs)} (total ${us(atMax.parley.totalUs)}) | ${pct(atMax.bare.serverUs / atMax.parley.totalUs)} by CPU |`,
    `| PostgreSQL's shared processes per webhook (WAL writer, checkpointer; other work's too) | — | ${us(atMax.parley.postgresSharedUs)} | |`,
    `| Half-load rate | ${formatNumber(result.halfLoadRps)} req/s | ${formatNumber(result.halfLoadRps)} req/s | |`,
    `| p50 / p99 / p99.9 at half load | ${ms(half.bare.latencyMs.p50)} / ${ms(half.bare.latencyMs.p99)} / ${ms(half.bare.latencyMs.p999)} | ${ms(half.parley.latencyMs.p50)} / **${ms(half.parley.latencyMs.p99)}** / ${ms(half.parley.latencyMs.p999)} | |`,
    `| CPU per webhook at half load: server / PostgreSQL backends | ${us(atHalf.bare.serverUs)} / — | ${us(atHalf.parley.serverUs)} / ${us(atHalf.parley.databaseUs)} (total ${us(atHalf.parley.totalUs)}) | |`,
    "",
    `- Targets on PostgreSQL: ≥ ${TARGET_RATIO * 100} % of the bare rate — **${ratioMet ? "met" : "not met"}** (${pct(result.ratio)}, the median pair; pairs: ${result.pairRatios.map(pct).join(", ")}); p99 < ${TARGET_P99_MS} ms at half load — **${p99Met ? "met" : "not met"}** (${ms(half.parley.latencyMs.p99)}; rounds: ${half.parleyP99s.map(ms).join(", ")}; the bare server's: ${half.bareP99s.map(ms).join(", ")}).`,
    `- The sweep — connections: bare / Parley req/s: ${result.sweep.map((level) => `${level.connections}: ${formatNumber(level.bareRps)} / ${formatNumber(level.parleyRps)}`).join("; ")}.`,
    `- Is the generator the limit? wrk spent ${us(bareWrkUs)} of CPU per request against the bare server, which spent ${us(atMax.bare.serverUs)}: per request wrk is ${bareWrkUs < atMax.bare.serverUs ? "cheaper than" : "at least as costly as"} the cheapest server it drives. In the pairs the bare server used ${pct(bareCore)} of a core (a Node process runs its JavaScript on one) and wrk ${pct(bareWrkCore)}; against Parley, Parley used ${pct(parleyCore)} of a core, its PostgreSQL backends ${pct(parleyDbCore)} and wrk ${pct(parleyWrkCore)}. One wrk thread drove the bare server at ${formatNumber(oneThread.requestsPerSecond)} req/s (wrk at ${pct(coreShare(oneThread.wrkCpuMs, oneThread.durationMs))} of a core), two threads at ${formatNumber(twoThreads.requestsPerSecond)} req/s just after. On two cores the generator and the servers share the machine: what wrk uses is not available to the server, for both servers alike.`,
    `- PostgreSQL alone, just before the half-load rounds: one-row commits one after another took p50 ${ms(result.commitProbe.p50)}, p99 ${ms(result.commitProbe.p99)}, max ${ms(result.commitProbe.max)} (${formatNumber(result.commitProbe.commits)} in ${COMMIT_PROBE_MS / 1000} s). Every 200 waits for a commit, so a stall of the disk's flush holds every delivery that arrives during it: at half load a single stall of ~100 ms delays over 1 % of the deliveries of a ${HALF_LOAD_MS / 1000}-s round, enough to set the p99. The bare server touches no disk.`,
    `- The paced generator used ${pct(coreShare(half.parley.cpuMs, half.parley.elapsedMs))} of a core in the median Parley round; 99 % of its requests left within ${ms(half.parley.sendLagMs.p99)} of their schedule (this includes waiting for a free connection while the server held all ${PACED_CONNECTIONS}, and counts in the latency); against the bare server at the same rate, p99 ${ms(half.bare.latencyMs.p99)}.`,
    `- Machine: busy ${pct(machineBusy)} of all cores during the pairs (median), load average (1 min) ${loadAverage.join(" → ")} over the run; measured on this 2-core machine, shared with other work, so rates move by tens of percent from one round to the next — the paired ratio and the CPU per webhook move far less.`,
    `- Each 200 is a committed transaction: Parley stored ${formatNumber(result.stored.maxRate.stored)} deliveries for ${formatNumber(result.stored.maxRate.answered)} answers at maximum rate, ${formatNumber(result.stored.halfLoad.stored)} for ${formatNumber(result.stored.halfLoad.answered)} at half load; ${result.failedRequests} request(s) without a 200, ${result.logErrorLines} error line(s) in Parley's log, ${result.repeatedBodies === 0 ? "no body sent twice" : `${result.repeatedBodies} pass(es) over a body file (bodies repeated)`}.`,
    "",
    ...describeProfile(result.profile),
    "",
    `(The profiled round ran at ${formatNumber(result.profileRound.requestsPerSecond)} req/s with the profiler on; Parley at ${pct(result.profileRound.serverCoreShare)} of a core.)`,
  ].join("\n");
}

export const webhookIngestBenchmark: Benchmark = {
  name: "webhook-ingest",
  title: "Webhook ingest (verify + durable store)",
  async run() {
    assertWrkInstalled();
    const serverUrl = await findBenchPostgres();
    if (!serverUrl)
      throw new Error(
        "the webhook-ingest benchmark needs PostgreSQL (PARLEY_BENCH_DATABASE_URL, or the local test cluster at 127.0.0.1:5432)",
      );
    const redisUrl = process.env.PARLEY_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
    const loadBefore = loadavg()[0]!;
    const result = await measure(serverUrl, redisUrl);
    const loadAverage = [loadBefore, loadavg()[0]!].map((value) => Math.round(value * 10) / 10);
    return {
      results: {
        postgres: { ...result, loadAverage1m: loadAverage },
        targets: {
          ratio: TARGET_RATIO,
          p99Ms: TARGET_P99_MS,
          ratioMet: result.ratio >= TARGET_RATIO,
          p99Met: result.halfLoad.parley.latencyMs.p99 < TARGET_P99_MS,
        },
      },
      ratios: {
        postgresThroughputVsBare: result.ratio,
        postgresP99AtHalfLoadMs: result.halfLoad.parley.latencyMs.p99,
        postgresCpuPerWebhookUs: result.cpuPerRequestAtMax.parley.totalUs,
        bareCpuPerRequestUs: result.cpuPerRequestAtMax.bare.serverUs,
      },
      markdown: describe(result, loadAverage),
    };
  },
};
