import { randomBytes } from "node:crypto";
import type { SimContext } from "../context.ts";
import type { SignupCodeRecord } from "../state.ts";
import { z } from "zod";
import { buildPlatformError, GraphError, missingParameter } from "./errors.ts";
import { parseGraphParams } from "./validation.ts";
import type { GraphResponse } from "./errors.ts";

// Meta's side of Embedded Signup (reference messaging-and-integrations §4.4): the popup ends with a
// code, exchangeable once and within 30 s at GET /oauth/access_token with the app's id and secret
// for a business token; the platform then subscribes its app to the WABA's webhooks
// (POST /{WABA_ID}/subscribed_apps) and registers the number.

const CODE_TTL_MS = 30_000;

function codes(ctx: SimContext): Map<string, SignupCodeRecord> {
  ctx.state.signupCodes ??= new Map();
  return ctx.state.signupCodes;
}

function subscriptions(ctx: SimContext): Map<string, Set<string>> {
  ctx.state.subscribedApps ??= new Map();
  return ctx.state.subscribedApps;
}

/** What the popup hands the page: a fresh code for an account (its WABA) the simulator holds. */
export function issueSignupCode(ctx: SimContext, wabaId: string): string {
  if (!ctx.state.accounts.has(wabaId)) throw new Error("unknown account");
  const code = `AQ${randomBytes(24).toString("base64url")}`;
  codes(ctx).set(code, { code, wabaId, issuedAt: ctx.clock.now(), used: false });
  return code;
}

const oauthError = (message: string) => new GraphError(buildPlatformError({ code: 100, message, subcode: 36007 }));

/** GET /oauth/access_token?client_id&client_secret&code → {access_token, token_type}. */
export function handleOAuthAccessToken(ctx: SimContext, query: Record<string, string | undefined>): GraphResponse {
  const { client_id: clientId, client_secret: clientSecret, code } = query;
  if (!clientId || !clientSecret || !code) throw oauthError("Missing client_id, client_secret or code parameter.");
  const record = codes(ctx).get(code);
  if (!record) throw oauthError("Invalid verification code format.");
  const account = ctx.state.accounts.get(record.wabaId);
  if (!account || account.appId !== clientId || account.appSecret !== clientSecret)
    throw new GraphError(buildPlatformError({ code: 1, message: "Error validating client secret.", type: "OAuthException" }));
  if (record.used) throw oauthError("This authorization code has been used.");
  if (ctx.clock.now() - record.issuedAt > CODE_TTL_MS) throw oauthError("This authorization code has expired.");
  record.used = true;
  return { status: 200, body: { access_token: account.accessToken, token_type: "bearer" } };
}

const subscribeSchema = z.looseObject({
  override_callback_uri: z.url().max(2048).optional(),
  verify_token: z.string().max(256).optional(),
});

/**
 * POST /{WABA_ID}/subscribed_apps: the token's app now gets the WABA's webhooks, at the app's
 * callback URL or at `override_callback_uri` (which needs `verify_token`).
 */
export function handleSubscribeApp(ctx: SimContext, wabaId: string, body: unknown): GraphResponse {
  const request = parseGraphParams(subscribeSchema, body ?? {});
  if (request.override_callback_uri !== undefined && request.verify_token === undefined) throw missingParameter("verify_token");
  const account = ctx.state.accounts.get(wabaId);
  if (account && request.override_callback_uri !== undefined) account.webhookUrl = request.override_callback_uri;
  const set = subscriptions(ctx).get(wabaId) ?? new Set<string>();
  set.add(account?.appId ?? ctx.state.appId);
  subscriptions(ctx).set(wabaId, set);
  return { status: 200, body: { success: true } };
}

export function handleListSubscribedApps(ctx: SimContext, wabaId: string): GraphResponse {
  const apps = [...(subscriptions(ctx).get(wabaId) ?? [])];
  return {
    status: 200,
    body: {
      data: apps.map((id) => ({
        whatsapp_business_api_data: { id, name: "Parley", link: `https://www.facebook.com/games/?app_id=${id}` },
      })),
    },
  };
}

export function handleUnsubscribeApp(ctx: SimContext, wabaId: string): GraphResponse {
  subscriptions(ctx).delete(wabaId);
  return { status: 200, body: { success: true } };
}

/** Whether the WABA's webhooks go to an app (for tests). */
export function isAppSubscribed(ctx: SimContext, wabaId: string): boolean {
  return (subscriptions(ctx).get(wabaId)?.size ?? 0) > 0;
}
