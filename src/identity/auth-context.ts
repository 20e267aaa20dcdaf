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
};

/**
 * Resolves the caller of a request: null when it carries no credentials, an AppError
 * (UNAUTHENTICATED) when they are invalid, expired or revoked.
 */
export type Authenticator = (request: FastifyRequest) => Promise<AuthContext | null>;

/**
 * The authenticator until sessions and API keys exist: nobody is authenticated, so every
 * permissioned route answers 401 (deny by default).
 */
export const authenticateNobody: Authenticator = async () => null;
