import type { SimContext } from "../context.ts";
import type { TokenRecord } from "../state.ts";
import { buildPlatformError, GraphError } from "./errors.ts";

// Graph accepts the token in the Authorization header or as ?access_token=.
export function readBearerToken(authorization: string | undefined, queryToken: string | undefined): string | undefined {
  // The Resumable Upload API takes `OAuth <token>` (reference/messaging-and-integrations.md §1.8).
  const match = authorization ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization) : null;
  return match?.[1] ?? queryToken;
}

// Graph's token refusals are its own errors: the message is the explanation, without "(#code)"
// and without error_data. The Cloud API answers them with HTTP 401.
function tokenError(code: number, message: string, subcode?: number): GraphError {
  return new GraphError(buildPlatformError({ status: 401, code, message, ...(subcode === undefined ? {} : { subcode }) }));
}

// Graph's dates in token errors read "Friday, 10-Jun-22 07:00:00 UTC".
function formatGraphDate(ms: number): string {
  const date = new Date(ms);
  const weekday = date.toLocaleDateString("en-US", { weekday: "long", timeZone: "UTC" });
  const month = date.toLocaleDateString("en-US", { month: "short", timeZone: "UTC" });
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${weekday}, ${pad(date.getUTCDate())}-${month}-${pad(date.getUTCFullYear() % 100)} ${time} UTC`;
}

export function authenticate(ctx: SimContext, token: string | undefined): TokenRecord {
  if (!token) throw tokenError(104, "An access token is required to request this resource.");
  const record = ctx.state.tokens.get(token);
  if (!record) throw tokenError(190, "Invalid OAuth access token - Cannot parse access token");
  const now = ctx.clock.now();
  if (record.expiresAt !== undefined && record.expiresAt <= now) {
    throw tokenError(
      190,
      `Error validating access token: Session has expired on ${formatGraphDate(record.expiresAt)}. The current time is ${formatGraphDate(now)}.`,
      463,
    );
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
