import type { FastifyRequest } from "fastify";
import type { MemberRole } from "../db/with-workspace.ts";
import type { Permission } from "./permissions.ts";

/** Who is calling, resolved from the request's credentials and checked against the database. */
export type AuthContext = {
  kind: "session" | "api_key";
  userId: string;
  workspaceId: string;
  role: MemberRole;
  permissions: ReadonlySet<Permission>;
  /** The session behind a bearer access token; absent for API keys. */
  sessionId?: string;
  /** When that session last proved the password (+ TOTP); see requireRecentReauth. Absent for API keys. */
  reauthenticatedAt?: Date | null;
  /** The API key used; absent for sessions. */
  apiKeyId?: string;
};

/**
 * A signed-in user on a route that needs no workspace (`permission: "self"`: GET /api/v1/me, MFA
 * enrollment, password change). `mfaPending`: MFA is required for this user but not enrolled yet.
 */
export type SessionContext = {
  userId: string;
  sessionId: string;
  reauthenticatedAt: Date | null;
  mfaPending: boolean;
};

/**
 * Resolves the caller of a request: null when it carries no credentials, an AppError
 * (UNAUTHENTICATED) when they are invalid, expired or revoked.
 */
export type Authenticator = {
  (request: FastifyRequest): Promise<AuthContext | null>;
  /**
   * Resolves the session of a `self` route (no workspace): null without credentials, AppError
   * UNAUTHENTICATED when invalid; MFA_ENROLLMENT_REQUIRED unless `allowMfaPending`. Absent: nobody.
   */
  session?: (request: FastifyRequest, options: { allowMfaPending: boolean }) => Promise<SessionContext | null>;
};

/**
 * The authenticator until sessions and API keys exist: nobody is authenticated, so every
 * permissioned route answers 401 (deny by default).
 */
export const authenticateNobody: Authenticator = async () => null;
