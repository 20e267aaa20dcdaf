import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutWorkspace } from "../../db/with-workspace.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/support/engine.ts";
import { consumeSetupToken, issueSetupToken, isSetupTokenValid, SETUP_TOKEN_TTL_MS, setupUrl } from "./setup-token.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("one-time setup token", () => {
  it("is stored only as a hash, and a new start revokes the previous link", async () => {
    const first = await issueSetupToken(db);
    const second = await issueSetupToken(db);
    expect(first && second).toBeTruthy();
    expect(await isSetupTokenValid(db, first!.token)).toBe(false);
    expect(await isSetupTokenValid(db, second!.token)).toBe(true);
    const stored = await db.owner.selectFrom("setup_tokens").select("token_hash").execute();
    expect(stored.some((row) => row.token_hash.includes(second!.token))).toBe(false);
  });

  it("expires", async () => {
    const issued = await issueSetupToken(db);
    const later = new Date(Date.now() + SETUP_TOKEN_TTL_MS + 1000);
    expect(await isSetupTokenValid(db, issued!.token, later)).toBe(false);
  });

  it("rejects malformed tokens without querying for them", async () => {
    expect(await isSetupTokenValid(db, "' or 1=1 --")).toBe(false);
  });

  it("is single use, and once setup is complete no new token is issued", async () => {
    const issued = await issueSetupToken(db);
    expect(await withoutWorkspace(db, (trx) => consumeSetupToken(trx, issued!.token))).toBe(true);
    expect(await withoutWorkspace(db, (trx) => consumeSetupToken(trx, issued!.token))).toBe(false);
    expect(await issueSetupToken(db)).toBeNull();
  });

  it("puts the token in the URL fragment", () => {
    expect(setupUrl("https://parley.example", "abc")).toBe("https://parley.example/setup#token=abc");
  });
});
