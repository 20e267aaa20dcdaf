import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT, type JWTHeaderParameters } from "jose";
import type { Services } from "../services.ts";
import { activeSigningKey, findVerificationKey, SIGNING_ALGORITHM } from "./signing-keys.ts";

// Access tokens (RFC 8725, security.md §4): RS256 only, typ at+jwt, iss/aud/exp/iat/sub/sid all
// required, the key chosen by kid from our own keyset only. Anything else is "not a token".

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const ACCESS_TOKEN_TYPE = "at+jwt";
const CLOCK_TOLERANCE_SECONDS = 5;
/** Compact JWS only: three base64url parts (no JSON serialization, no JWE's five parts). */
const COMPACT_JWS = /^[A-Za-z0-9_-]{2,4096}\.[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{2,1024}$/;
/** Header members that would make a verifier fetch or trust a key from the token itself. */
const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "enc"] as const;

export type AccessTokenClaims = { userId: string; sessionId: string; tokenId: string; expiresAt: Date };

export function tokenIssuer(services: Services): string {
  return services.config.http.publicUrl;
}

export function tokenAudience(services: Services): string {
  return `${services.config.http.publicUrl}/api`;
}

export async function issueAccessToken(
  services: Services,
  subject: { userId: string; sessionId: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const key = await activeSigningKey(services, now);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ sid: subject.sessionId })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
    .setIssuer(tokenIssuer(services))
    .setAudience(tokenAudience(services))
    .setSubject(subject.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The verified claims, or null for anything that is not a valid access token of ours. */
export async function verifyAccessToken(services: Services, token: string, now = new Date()): Promise<AccessTokenClaims | null> {
  if (!COMPACT_JWS.test(token)) return null;
  try {
    const { payload } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        for (const name of FORBIDDEN_HEADERS) if (name in header) throw new Error("forbidden header");
        if (header.alg !== SIGNING_ALGORITHM) throw new Error("algorithm");
        const key = await findVerificationKey(services, header.kid, now);
        if (!key) throw new Error("unknown key");
        return key;
      },
      {
        algorithms: [SIGNING_ALGORITHM],
        issuer: tokenIssuer(services),
        audience: tokenAudience(services),
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ["exp", "iat", "sub", "sid", "jti"],
        maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      },
    );
    const { sub, sid, jti, exp, iat } = payload as { sub?: unknown; sid?: unknown; jti?: unknown; exp?: unknown; iat?: unknown };
    if (typeof sub !== "string" || !UUID.test(sub) || typeof sid !== "string" || !UUID.test(sid) || typeof jti !== "string") return null;
    if (typeof exp !== "number" || typeof iat !== "number") return null;
    // A token minted in the future (clock games, forged iat) is refused; jose checks only its age.
    if (iat > now.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) return null;
    if (exp - iat > ACCESS_TOKEN_TTL_SECONDS) return null;
    return { userId: sub, sessionId: sid, tokenId: jti, expiresAt: new Date(exp * 1000) };
  } catch {
    return null;
  }
}
