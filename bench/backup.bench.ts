import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createBackup, restoreBackup } from "../src/backup/backup.ts";
import { createLocalBlobStore } from "../src/blob/local.ts";
import type { DatabaseConfig } from "../src/config.ts";
import { openKeyProvider } from "../src/crypto/key-provider.ts";
import { createKeyring } from "../src/crypto/keyring.ts";
import { formatNumber, median, type Benchmark } from "./harness.ts";
import { findBenchPostgres, openBenchDatabase } from "./support/bench-database.ts";
import { seedInbox } from "./support/inbox-seed.ts";

// `parley backup create` / `restore` against plain `pg_dump -Fc` / `pg_restore --single-transaction`
// of the same seeded PostgreSQL database, in the same run, in alternating rounds. Parley's backup
// adds chunked AES-256-GCM, blob-store writes and a manifest; its restore adds reading them back,
// the row-count check against the manifest, a sample key unwrap, migrations and the erasure-ledger
// replay. Ratios are Parley ÷ pg_dump/pg_restore (target: within 2×).

const ROUNDS = 3;
const SEED = { conversations: 2_000, messages: 40_000, bigThreadMessages: 200, progress: null };

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`))));
  });
}

async function admin(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export const backupBenchmark: Benchmark = {
  name: "backup",
  title: "Encrypted backup and restore vs pg_dump / pg_restore",
  async run() {
    const serverUrl = await findBenchPostgres();
    if (!serverUrl) throw new Error("the backup benchmark needs PostgreSQL (PARLEY_BENCH_DATABASE_URL or the local test cluster)");
    const dir = await mkdtemp(join(tmpdir(), "parley-bench-backup-"));
    const source = await openBenchDatabase("postgres", serverUrl);
    const scratch: string[] = [];
    try {
      const provider = await openKeyProvider(
        { kind: "file", path: join(dir, "master.key"), allowedInProduction: false },
        { isProduction: false },
      );
      await seedInbox(source.db, createKeyring({ provider }), SEED);
      const blobs = createLocalBlobStore(join(dir, "blobs"));
      const database: DatabaseConfig = {
        engine: "postgres",
        ownerUrl: source.ownerUrl!,
        appUrl: source.ownerUrl!,
        appPassword: undefined,
        poolSize: 2,
      };
      const emptyDatabase = async (): Promise<DatabaseConfig> => {
        const name = `parley_bench_restore_${randomBytes(5).toString("hex")}`;
        await admin(serverUrl, `create database ${name}`);
        scratch.push(name);
        const url = new URL(serverUrl);
        url.pathname = `/${name}`;
        return { engine: "postgres", ownerUrl: url.toString(), appUrl: url.toString(), appPassword: undefined, poolSize: 2 };
      };
      const times = { pgDump: [] as number[], pgRestore: [] as number[], parleyBackup: [] as number[], parleyRestore: [] as number[] };
      let sizes = { pgDump: 0, parley: 0 };
      for (let round = 0; round < ROUNDS; round += 1) {
        const file = join(dir, `plain-${round}.dump`);
        times.pgDump.push(await timed(() => run("pg_dump", ["--format=custom", `--file=${file}`, `--dbname=${source.ownerUrl!}`])));
        const plainTarget = await emptyDatabase();
        if (plainTarget.engine !== "postgres") throw new Error("unreachable");
        times.pgRestore.push(
          await timed(() => run("pg_restore", ["--exit-on-error", "--single-transaction", `--dbname=${plainTarget.ownerUrl}`, file])),
        );

        let manifest: Awaited<ReturnType<typeof createBackup>> | undefined;
        times.parleyBackup.push(
          await timed(async () => void (manifest = await createBackup({ db: source.db, database, blobs, provider }))),
        );
        const target = await emptyDatabase();
        times.parleyRestore.push(await timed(async () => void (await restoreBackup({ target, blobs, provider, id: manifest!.id }))));
        sizes = { pgDump: (await stat(file)).size, parley: manifest!.sealedBytes };
      }
      const result = {
        pgDumpMs: median(times.pgDump),
        pgRestoreMs: median(times.pgRestore),
        parleyBackupMs: median(times.parleyBackup),
        parleyRestoreMs: median(times.parleyRestore),
        pgDumpBytes: sizes.pgDump,
        parleyBytes: sizes.parley,
        rounds: times,
        seed: { conversations: SEED.conversations, messages: SEED.messages },
      };
      const ratios = {
        backupTime: result.parleyBackupMs / result.pgDumpMs,
        restoreTime: result.parleyRestoreMs / result.pgRestoreMs,
        size: result.parleyBytes / result.pgDumpBytes,
      };
      const markdown = [
        `PostgreSQL, ${formatNumber(SEED.conversations)} conversations / ${formatNumber(SEED.messages)} messages; median of ${ROUNDS} alternating rounds. Target: within 2× of pg_dump / pg_restore.`,
        "",
        "| | pg_dump / pg_restore | parley backup create / restore | ratio |",
        "|---|---:|---:|---:|",
        `| backup | ${formatNumber(result.pgDumpMs)} ms | ${formatNumber(result.parleyBackupMs)} ms | ${ratios.backupTime.toFixed(2)}× |`,
        `| restore | ${formatNumber(result.pgRestoreMs)} ms | ${formatNumber(result.parleyRestoreMs)} ms | ${ratios.restoreTime.toFixed(2)}× |`,
        `| size | ${formatNumber(result.pgDumpBytes / 1024)} KB | ${formatNumber(result.parleyBytes / 1024)} KB | ${ratios.size.toFixed(3)}× |`,
        "",
        "Parley's restore includes what plain pg_restore does not: reading and authenticating every chunk, the row-count check of every table against the manifest, a key unwrap, migrations and the erasure-ledger replay.",
      ].join("\n");
      return { results: { backup: result }, ratios, markdown };
    } finally {
      for (const name of scratch) await admin(serverUrl, `drop database if exists ${name} with (force)`).catch(() => undefined);
      await source.drop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
