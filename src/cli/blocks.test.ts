import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { createRedisCoordination } from "../coordination/redis.ts";
import { openDatabase } from "../db/database.ts";
import { findBlock, recordStrike } from "../http/abuse.ts";
import { createLogger } from "../log/logger.ts";
import { testRedisUrl, useRedis } from "../../test/support/engine.ts";
import { createParleyEnvironment, runParley, type ParleyEnvironment } from "../../test/support/parley-process.ts";

// `parley blocks list|unblock` as an operator runs them: the real program in a child process.
// With REDIS_URL (the PostgreSQL pass) it reaches the blocks every instance shares: one made here
// through another connection is listed and lifted (audited in the platform log). Without Redis the
// command has only its own, empty, store — what it says then is proved on the PGlite pass.

let run: ParleyEnvironment;
const parley = (...args: string[]) => runParley(run.env, ...args);

beforeAll(async () => {
  run = await createParleyEnvironment(useRedis ? { REDIS_URL: testRedisUrl } : {});
  expect((await parley("migrate")).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await run.cleanup();
});

describe("parley blocks", () => {
  it("refuses an address that is not an IP, and says when an address is not blocked (non-zero exit)", async () => {
    const bad = await parley("blocks", "unblock", "not-an-address");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/address/);
    const absent = await parley("blocks", "unblock", "192.0.2.200");
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain("192.0.2.200 is not blocked.");
  }, 120_000);

  it.runIf(useRedis)(
    "lists the blocks shared through Redis and lifts one, audited",
    async () => {
      const address = `203.0.113.${randomInt(1, 255)}`;
      const logger = createLogger({ level: "silent" });
      const coordination = createRedisCoordination(testRedisUrl, { logger });
      try {
        const config = loadConfig(run.env);
        await recordStrike(coordination, { ...config.abuse, strikes: 1 }, address, undefined);
        const listed = await parley("blocks", "list", "--json");
        expect(listed.code).toBe(0);
        expect((JSON.parse(listed.stdout) as { blocks: Array<{ address: string; level: number }> }).blocks).toContainEqual(
          expect.objectContaining({ address, level: 1 }),
        );
        expect((await parley("blocks", "list")).stdout).toMatch(new RegExp(`^${address.replace(/\./g, "\\.")}\\s`, "m"));
        const lifted = await parley("blocks", "unblock", address);
        expect(lifted.code).toBe(0);
        expect(lifted.stdout).toContain(`Unblocked ${address}`);
        expect(await findBlock(coordination, address)).toBeUndefined();
        const db = await openDatabase(config.database);
        try {
          const audited = await db.owner
            .selectFrom("audit_entries")
            .select(["action", "actor_type"])
            .where("action", "=", "address.unblocked")
            .where("target_id", "=", address)
            .execute();
          expect(audited).toEqual([{ action: "address.unblocked", actor_type: "system" }]);
        } finally {
          await db.close();
        }
      } finally {
        await coordination.close();
      }
    },
    120_000,
  );
});
