import { withoutWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";
import { hashRefreshToken } from "./sessions.ts";

/** The session a refresh token belongs to, without consuming it (to check CSRF before rotating). */
export async function findRefreshFamily(services: Services, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await withoutWorkspace(services.db, (trx) =>
    trx.selectFrom("refresh_tokens").select("family_id").where("token_hash", "=", hashRefreshToken(token)).executeTakeFirst(),
  );
  return row?.family_id ?? null;
}
