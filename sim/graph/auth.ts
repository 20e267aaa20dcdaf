import type { SimContext } from "../context.ts";
import type { TokenRecord } from "../state.ts";
import { GraphError } from "./errors.ts";

// Graph accepts the token in the Authorization header or as ?access_token=.
export function readBearerToken(authorization: string | undefined, queryToken: string | undefined): string | undefined {
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return match?.[1] ?? queryToken;
}

export function authenticate(ctx: SimContext, token: string | undefined): TokenRecord {
  if (!token) throw new GraphError(190, "An active access token must be used to query information.");
  const record = ctx.state.tokens.get(token);
  if (!record) throw new GraphError(190, "Invalid OAuth access token - Cannot parse access token");
  if (record.expiresAt !== undefined && record.expiresAt <= ctx.clock.now()) {
    const when = new Date(record.expiresAt).toUTCString();
    throw new GraphError(190, `Error validating access token: Session has expired on ${when}.`, 463);
  }
  return record;
}

export function isTokenValid(ctx: SimContext, token: string | undefined): boolean {
  try {
    authenticate(ctx, token);
    return true;
  } catch {
    return false;
  }
}
