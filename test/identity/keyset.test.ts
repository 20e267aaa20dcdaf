import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAuditLog } from "../../src/audit/scope.ts";
import { withoutWorkspace } from "../../src/db/with-workspace.ts";
import { runKeysRotateSigning } from "../../src/cli/keys.ts";
import { RETIRED_KEY_GRACE_MS, findVerificationKey, rotateSigningKey } from "../../src/identity/signing-keys.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { bearer, createIdentityApp, createWorkspaceWithOwner, login, type TestUser } from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// The signing keyset: published at /.well-known/jwks.json, private keys wrapped by the KEK with an
// AAD naming the kid, rotation keeps tokens of the retired key valid until they expire.

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let owner: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createIdentityApp(services);
  ({ owner } = await createWorkspaceWithOwner(services));
});
afterAll(async () => {
  await app.close();
  await services.coordination.close();
  await db.drop();
});

const kidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { kid: string; typ: string; alg: string };

describe("signing keyset", () => {
  it("publishes public keys only, rotates, and keeps verifying tokens of the retired key", async () => {
    const before = await login(app, owner);
    const jwks = await app.inject({ method: "GET", url: "/.well-known/jwks.json" });
    expect(jwks.statusCode).toBe(200);
    const { keys } = jwks.json<{ keys: Array<Record<string, string>> }>();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(kidOf(before.accessToken)).toMatchObject({ kid: keys[0]!.kid, typ: "at+jwt", alg: "RS256" });

    const { kid } = await rotateSigningKey(services);
    const after = await login(app, owner);
    expect(kidOf(after.accessToken).kid).toBe(kid);
    const rotated = (await app.inject({ method: "GET", url: "/.well-known/jwks.json" })).json<{ keys: Array<{ kid: string }> }>();
    expect(rotated.keys.map((key) => key.kid).sort()).toEqual([keys[0]!.kid, kid].sort());
    for (const session of [before, after])
      expect((await app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(session) })).statusCode).toBe(200);
  });

  it("parley keys rotate-signing: the running instance signs with the new key at once, the old tokens verify until the grace ends", async () => {
    const before = await login(app, owner);
    const oldKid = kidOf(before.accessToken).kid;
    const chunks: string[] = [];
    const { kid } = await runKeysRotateSigning({
      db,
      provider: services.keyring.provider,
      coordination: services.coordination,
      out: { isTTY: false, write: (chunk: string) => chunks.push(chunk) },
    });
    expect(chunks.join("")).toContain(`Retired ${oldKid}`);
    expect(chunks.join("")).not.toMatch(/PRIVATE|BEGIN/);
    // The instance was told over the coordination channel: its next token is signed by the new key.
    await expect.poll(async () => kidOf((await login(app, owner)).accessToken).kid).toBe(kid);
    expect((await app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(before) })).statusCode).toBe(200);
    const published = (await app.inject({ method: "GET", url: "/.well-known/jwks.json" })).json<{ keys: Array<{ kid: string }> }>();
    expect(published.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, kid]));
    // After the grace, a token of the retired key no longer verifies.
    const later = new Date(Date.now() + RETIRED_KEY_GRACE_MS + 60_000);
    expect(await findVerificationKey(services, oldKid, later)).toBeUndefined();
    expect(await findVerificationKey(services, kid, later)).toBeDefined();
    const audited = await withAuditLog(db, null, (trx) =>
      trx.selectFrom("audit_entries").select(["metadata"]).where("action", "=", "keys.signing_rotated").execute(),
    );
    expect(audited).toEqual([{ metadata: { kid, retired: oldKid } }]);
  });

  it("stores private keys wrapped, bound to their kid", async () => {
    const rows = await withoutWorkspace(db, (trx) =>
      trx.selectFrom("signing_keys").select(["kid", "private_key_wrapped", "status"]).execute(),
    );
    expect(rows.filter((row) => row.status === "active")).toHaveLength(1);
    const [first, second] = rows;
    expect(first!.private_key_wrapped).not.toMatch(/PRIVATE KEY/);
    expect(services.keyring.provider.unwrap(first!.private_key_wrapped, `signing_keys.private_key|${first!.kid}`).length).toBeGreaterThan(
      1000,
    );
    expect(() => services.keyring.provider.unwrap(first!.private_key_wrapped, `signing_keys.private_key|${second!.kid}`)).toThrow();
  });
});
