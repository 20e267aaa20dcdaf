import { createHmac, createPrivateKey, generateKeyPairSync, randomUUID, sign as rsaSign, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import net from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { defineRoute } from "../../src/http/define-route.ts";
import { withoutWorkspace } from "../../src/db/with-workspace.ts";
import { publishInvalidation } from "../../src/identity/cache.ts";
import { activeSigningKey } from "../../src/identity/signing-keys.ts";
import { tokenAudience, tokenIssuer } from "../../src/identity/tokens.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, testPostgresUrl, testRedisUrl, type TestDatabase } from "../support/engine.ts";
import { bearer, createIdentityApp, createWorkspaceWithOwner, login, type TestUser } from "../support/identity.ts";
import { captureLogs, createTestServices } from "../support/services.ts";

// RFC 8725 attack suite (security.md §4.1): every forged, confused or stale token is answered 401,
// and verification never reaches out to the network (jku/x5u/kid URLs are never fetched).

let db: TestDatabase;
let services: Services;
let app: FastifyInstance;
let owner: TestUser;
let workspaceId: string;
let ourKid: string;
let ourPrivateKey: KeyObject;
let ourPublicPem: string;
let ourPublicJwk: Record<string, string>;
let validToken: string;
let validSessionId: string;
let refreshToken: string;
let attackerServer: Server;
let attackerUrl: string;
let attackerHits = 0;
const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
const connections: string[] = [];

const probeRoute = defineRoute({
  method: "GET",
  url: "/api/v1/workspaces/:workspaceId/probe",
  summary: "Test probe.",
  permission: "workspace.read",
  schema: { params: z.strictObject({ workspaceId: z.uuid() }), response: { 200: z.object({ ok: z.boolean() }) } },
  handler: async () => ({ ok: true }),
});

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function forge(header: Record<string, unknown>, payload: Record<string, unknown>, signer: (input: string) => Buffer | string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = signer(input);
  return `${input}.${typeof signature === "string" ? signature : signature.toString("base64url")}`;
}

const rs256 = (key: KeyObject) => (input: string) => rsaSign("sha256", Buffer.from(input), key);
const hs256 = (secret: string | Buffer) => (input: string) => createHmac("sha256", secret).update(input).digest();

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: tokenIssuer(services),
    aud: tokenAudience(services),
    sub: owner.userId,
    sid: validSessionId,
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
    ...overrides,
  };
}

function header(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { alg: "RS256", typ: "at+jwt", kid: ourKid, ...overrides };
}

beforeAll(async () => {
  db = await createTestDatabase();
  services = createTestServices({ db, logs: captureLogs() });
  app = await createIdentityApp(services, { routes: [probeRoute] });
  ({ workspaceId, owner } = await createWorkspaceWithOwner(services));
  const session = await login(app, owner);
  validToken = session.accessToken;
  refreshToken = session.refreshCookie.split("=")[1]!;
  validSessionId = JSON.parse(Buffer.from(validToken.split(".")[1]!, "base64url").toString()).sid;
  const key = await activeSigningKey(services);
  ourKid = key.kid;
  ourPrivateKey = createPrivateKey(key.privateKey.export({ format: "pem", type: "pkcs8" }));
  ourPublicPem = String(key.publicKey.export({ format: "pem", type: "spki" }));
  ourPublicJwk = key.publicJwk;
  attackerServer = createServer((_request, response) => {
    attackerHits += 1;
    response.end(JSON.stringify({ keys: [{ ...attacker.publicKey.export({ format: "jwk" }), kid: "attacker", alg: "RS256" }] }));
  });
  await new Promise<void>((resolve) => attackerServer.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attackerServer.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  vi.restoreAllMocks();
  attackerServer.close();
  await app.close();
  await services.coordination.close();
  await db.drop();
});

async function expectRefused(token: string): Promise<void> {
  for (const url of ["/api/v1/me", `/api/v1/workspaces/${workspaceId}/probe`]) {
    const response = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode, `${url} with ${token.slice(0, 60)}…`).toBe(401);
    expect(response.json().error.code).toBe("UNAUTHENTICATED");
  }
}

describe("JWT attacks", () => {
  it("the genuine token works (control)", async () => {
    for (const url of ["/api/v1/me", `/api/v1/workspaces/${workspaceId}/probe`]) {
      expect((await app.inject({ method: "GET", url, headers: bearer({ accessToken: validToken }) })).statusCode).toBe(200);
    }
  });

  describe("with network access watched", () => {
    const fetchSpy = vi.fn();
    beforeAll(() => {
      vi.spyOn(globalThis, "fetch").mockImplementation(async (...args) => {
        fetchSpy(...args);
        throw new Error("no outbound requests expected");
      });
      const originalConnect = net.Socket.prototype.connect;
      vi.spyOn(net.Socket.prototype, "connect").mockImplementation(function (this: net.Socket, ...args: unknown[]) {
        const options = args[0] as { host?: string; port?: number; path?: string } | number;
        connections.push(typeof options === "number" ? `port ${options}` : `${options.host ?? options.path ?? "?"}:${options.port ?? ""}`);
        return (originalConnect as (...rest: unknown[]) => net.Socket).apply(this, args);
      });
    });

    const cases: Array<[string, () => string]> = [
      ["alg none", () => forge(header({ alg: "none" }), claims(), () => "")],
      ["alg none with a junk signature", () => forge(header({ alg: "none" }), claims(), () => "AAAA")],
      ["alg noNE", () => forge(header({ alg: "noNE" }), claims(), () => "AAAA")],
      ["HS256 signed with the RSA public key (PEM)", () => forge(header({ alg: "HS256" }), claims(), hs256(ourPublicPem))],
      ["HS256 signed with the RSA public key (JWK)", () => forge(header({ alg: "HS256" }), claims(), hs256(JSON.stringify(ourPublicJwk)))],
      [
        "HS256 signed with the modulus bytes",
        () => forge(header({ alg: "HS256" }), claims(), hs256(Buffer.from(ourPublicJwk.n!, "base64url"))),
      ],
      ["unknown kid", () => forge(header({ kid: "AAAAAAAAAAAAAAAAAAAAAA" }), claims(), rs256(attacker.privateKey))],
      ["kid path traversal", () => forge(header({ kid: "../../dev/null" }), claims(), hs256(""))],
      ["kid SQL injection", () => forge(header({ kid: "' or 1=1 --" }), claims(), rs256(attacker.privateKey))],
      ["kid URL", () => forge(header({ kid: `${attackerUrl}/key` }), claims(), rs256(attacker.privateKey))],
      [
        "embedded jwk (attacker key)",
        () => forge(header({ kid: undefined, jwk: attacker.publicKey.export({ format: "jwk" }) }), claims(), rs256(attacker.privateKey)),
      ],
      [
        "embedded jwk next to our kid",
        () => forge(header({ jwk: attacker.publicKey.export({ format: "jwk" }) }), claims(), rs256(attacker.privateKey)),
      ],
      [
        "jku to an attacker JWKS",
        () => forge(header({ kid: "attacker", jku: `${attackerUrl}/jwks.json` }), claims(), rs256(attacker.privateKey)),
      ],
      [
        "x5u to an attacker certificate",
        () => forge(header({ kid: "attacker", x5u: `${attackerUrl}/cert.pem` }), claims(), rs256(attacker.privateKey)),
      ],
      ["jku beside a genuine signature", () => forge(header({ jku: `${attackerUrl}/jwks.json` }), claims(), rs256(ourPrivateKey))],
      [
        "expired",
        () =>
          forge(
            header(),
            claims({ iat: Math.floor(Date.now() / 1000) - 1200, exp: Math.floor(Date.now() / 1000) - 300 }),
            rs256(ourPrivateKey),
          ),
      ],
      ["missing exp", () => forge(header(), claims({ exp: undefined }), rs256(ourPrivateKey))],
      [
        "not yet valid (nbf in the future)",
        () => forge(header(), claims({ nbf: Math.floor(Date.now() / 1000) + 600 }), rs256(ourPrivateKey)),
      ],
      [
        "issued in the future (iat)",
        () =>
          forge(
            header(),
            claims({ iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 1200 }),
            rs256(ourPrivateKey),
          ),
      ],
      [
        "lifetime longer than 15 minutes",
        () => forge(header(), claims({ exp: Math.floor(Date.now() / 1000) + 86_400 }), rs256(ourPrivateKey)),
      ],
      ["wrong iss", () => forge(header(), claims({ iss: "https://evil.example" }), rs256(ourPrivateKey))],
      ["wrong aud", () => forge(header(), claims({ aud: "someone-else" }), rs256(ourPrivateKey))],
      ["wrong typ (JWT)", () => forge(header({ typ: "JWT" }), claims(), rs256(ourPrivateKey))],
      ["no typ", () => forge(header({ typ: undefined }), claims(), rs256(ourPrivateKey))],
      ["missing sid", () => forge(header(), claims({ sid: undefined }), rs256(ourPrivateKey))],
      ["sid of a session that does not exist", () => forge(header(), claims({ sid: randomUUID() }), rs256(ourPrivateKey))],
      ["sub of another user with a genuine session id", () => forge(header(), claims({ sub: randomUUID() }), rs256(ourPrivateKey))],
      [
        "tampered payload (sub changed, signature kept)",
        () => {
          const [h, , s] = validToken.split(".");
          const payload = JSON.parse(Buffer.from(validToken.split(".")[1]!, "base64url").toString());
          return `${h}.${b64({ ...payload, sub: randomUUID() })}.${s}`;
        },
      ],
      ["signature stripped", () => validToken.split(".").slice(0, 2).join(".") + "."],
      ["a refresh token used as an access token", () => refreshToken],
      ["JWE-shaped (five parts)", () => `${b64({ alg: "dir", enc: "A256GCM" })}.AAAA.AAAA.AAAA.AAAA`],
      ["JSON serialization", () => JSON.stringify({ payload: b64(claims()), signatures: [] })],
      ["non-base64url characters", () => `${validToken.slice(0, 20)}{"${validToken.slice(22)}`],
      ["crit header", () => forge(header({ crit: ["exp"] }), claims(), rs256(ourPrivateKey))],
    ];

    it.each(cases)("%s → 401", async (_name, makeToken) => {
      await expectRefused(makeToken());
    });

    it("a token of a revoked session → 401", async () => {
      const session = await login(app, owner);
      const sid = JSON.parse(Buffer.from(session.accessToken.split(".")[1]!, "base64url").toString()).sid as string;
      expect((await app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(session) })).statusCode).toBe(200);
      await withoutWorkspace(db, (trx) =>
        trx.updateTable("sessions").set({ revoked_at: new Date(), revoked_reason: "admin" }).where("id", "=", sid).execute(),
      );
      await publishInvalidation(services, { type: "session", sessionId: sid });
      await expectRefused(session.accessToken);
    });

    it("no request left the process: no fetch, no connection but to the test database and Redis", () => {
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(attackerHits).toBe(0);
      const allowed = new Set([
        `${new URL(testPostgresUrl).hostname}:${new URL(testPostgresUrl).port || 5432}`,
        `${new URL(testRedisUrl).hostname}:${new URL(testRedisUrl).port || 6379}`,
      ]);
      const unexpected = connections.filter(
        (target) => !allowed.has(target) && !target.startsWith("localhost:5432") && !target.startsWith("localhost:6379"),
      );
      expect(unexpected).toEqual([]);
    });
  });
});
