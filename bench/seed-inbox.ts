import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { createEnvKeyProvider, openKeyProvider } from "../src/crypto/key-provider.ts";
import { createKeyring } from "../src/crypto/keyring.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrate } from "../src/db/migrate.ts";
import { findBenchPostgres, openBenchDatabase } from "./support/bench-database.ts";
import { SEED_DEFAULTS, seedInbox } from "./support/inbox-seed.ts";

// Seeds one workspace with a large inbox (bench/support/inbox-seed.ts), progress on stderr:
//
//   node bin/tsx.mjs bench/seed-inbox.ts [--conversations 50000] [--messages 1000000]
//
// With DATABASE_URL (and the server's PARLEY_MASTER_KEY or key file) it seeds that Parley database
// and keeps it, so a running Parley shows the data; otherwise it creates a scratch database on
// PARLEY_BENCH_DATABASE_URL or the local test cluster (127.0.0.1:5432), seeds it, reports the time
// taken and drops it.

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      conversations: { type: "string", default: String(SEED_DEFAULTS.conversations) },
      messages: { type: "string", default: String(SEED_DEFAULTS.messages) },
    },
  });
  const conversations = Number(values.conversations);
  const messages = Number(values.messages);
  if (
    !Number.isInteger(conversations) ||
    !Number.isInteger(messages) ||
    conversations < 1 ||
    messages < conversations + SEED_DEFAULTS.bigThreadMessages - 1
  ) {
    process.stderr.write(`--conversations must be ≥ 1 and --messages ≥ conversations + ${SEED_DEFAULTS.bigThreadMessages - 1}\n`);
    process.exitCode = 2;
    return;
  }
  if (process.env.DATABASE_URL) {
    // A Parley database: seeded with the server's own key, and kept.
    const config = loadConfig(process.env);
    const db = await openDatabase(config.database);
    try {
      await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
      const keyring = createKeyring({ provider: await openKeyProvider(config.keys, { isProduction: config.isProduction }) });
      const seed = await seedInbox(db, keyring, { conversations, messages });
      process.stdout.write(
        `Seeded workspace ${seed.workspaceId}: ${seed.conversations} conversations, ${seed.messages} messages in ${seed.seconds.toFixed(1)} s (long thread: ${seed.bigConversationId}).\n`,
      );
    } finally {
      await db.close();
    }
    return;
  }
  const serverUrl = await findBenchPostgres();
  if (!serverUrl) {
    process.stderr.write("No PostgreSQL server answers (set PARLEY_BENCH_DATABASE_URL, or start one on 127.0.0.1:5432); nothing seeded.\n");
    process.exitCode = 1;
    return;
  }
  const bench = await openBenchDatabase("postgres", serverUrl);
  try {
    const keyring = createKeyring({ provider: createEnvKeyProvider(randomBytes(32).toString("base64")) });
    const seed = await seedInbox(bench.db, keyring, { conversations, messages });
    process.stdout.write(
      `Seeded a scratch database: ${seed.conversations} conversations, ${seed.messages} messages in ${seed.seconds.toFixed(1)} s; dropping it.\n`,
    );
  } finally {
    await bench.drop();
  }
}

await main();
