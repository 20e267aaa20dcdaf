import type { SimContext } from "../context.ts";
import { authenticate } from "./auth.ts";
import { missingParameter } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";

// GET /debug_token?input_token=…&access_token=<app_id>|<app_secret> (or any valid token).
export function handleDebugToken(ctx: SimContext, inputToken: string | undefined, accessToken: string | undefined): GraphResponse {
  const appTokens = [
    `${ctx.state.appId}|${ctx.state.appSecret}`,
    ...[...ctx.state.accounts.values()].map((a) => `${a.appId}|${a.appSecret}`),
  ];
  if (accessToken === undefined || !appTokens.includes(accessToken)) authenticate(ctx, accessToken);
  if (!inputToken) throw missingParameter("input_token");
  const record = ctx.state.tokens.get(inputToken);
  const now = ctx.clock.now();
  if (!record) {
    return {
      status: 200,
      body: {
        data: { error: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" }, is_valid: false, scopes: [] },
      },
    };
  }
  const expiresAt = record.expiresAt === undefined ? 0 : Math.floor(record.expiresAt / 1000);
  const isValid = record.expiresAt === undefined || record.expiresAt > now;
  return {
    status: 200,
    body: {
      data: {
        app_id: record.appId ?? ctx.state.appId,
        type: record.type,
        application: "Parley Sandbox",
        data_access_expires_at: Math.floor((now + 90 * 86_400_000) / 1000),
        expires_at: expiresAt,
        is_valid: isValid,
        issued_at: Math.floor(record.issuedAt / 1000),
        scopes: record.scopes,
        granular_scopes: record.scopes
          .filter((s) => s.startsWith("whatsapp_"))
          .map((scope) => ({ scope, target_ids: [record.wabaId ?? ctx.state.wabaId] })),
        user_id: record.userId,
      },
    },
  };
}
