import { randomBytes, randomInt } from "node:crypto";
import { z } from "zod";
import type { SimContext } from "../context.ts";
import { createAccessToken, createNumericId } from "../random.ts";
import type { AccountRecord, SimState } from "../state.ts";

// Accounts: one tenant's own app (id and secret), WABA and phone number, added at run time. A
// platform that hands each of its workspaces a number of the same simulator gives each an account,
// so one workspace's webhooks are never signed with, or sent to, another's secret and URL.

const graphId = z.string().regex(/^\d{1,32}$/);

export const accountSchema = z.strictObject({
  appId: graphId.optional(),
  appSecret: z
    .string()
    .min(16)
    .max(256)
    .regex(/^[\x21-\x7e]+$/)
    .optional(),
  wabaId: graphId.optional(),
  phoneNumberId: graphId.optional(),
  displayPhoneNumber: z
    .string()
    .regex(/^\d{5,20}$/)
    .optional(),
  accessToken: z
    .string()
    .min(16)
    .max(4096)
    .regex(/^[\x21-\x7e]+$/)
    .optional(),
  webhookUrl: z.url().max(2048).optional(),
});
export type AccountInput = z.input<typeof accountSchema>;

const ACCOUNT_SCOPES = ["whatsapp_business_management", "whatsapp_business_messaging", "business_management"];

/** Creates the account's phone number and never-expiring system-user token in `state`. */
export function installAccount(state: SimState, now: number, account: AccountRecord): void {
  state.accounts.set(account.wabaId, account);
  state.phoneNumbers.set(account.phoneNumberId, {
    id: account.phoneNumberId,
    wabaId: account.wabaId,
    displayPhoneNumber: account.displayPhoneNumber,
    verifiedName: "Parley Sandbox",
    throughput: 80,
    registered: true,
    pin: undefined,
    registerCalls: [],
    deregisterCalls: [],
    recentSends: [],
  });
  state.tokens.set(account.accessToken, {
    token: account.accessToken,
    type: "SYSTEM_USER",
    issuedAt: now,
    expiresAt: undefined,
    scopes: ACCOUNT_SCOPES,
    userId: "122100000000000001",
    wabaId: account.wabaId,
    appId: account.appId,
  });
}

function isTaken(ctx: SimContext, account: AccountRecord): boolean {
  const { state } = ctx;
  const appTaken = account.appId === state.appId || [...state.accounts.values()].some((a) => a.appId === account.appId);
  return (
    appTaken ||
    account.wabaId === state.wabaId ||
    state.accounts.has(account.wabaId) ||
    state.phoneNumbers.has(account.phoneNumberId) ||
    state.tokens.has(account.accessToken)
  );
}

/** Adds an account; what the input leaves out is generated. Refuses ids or a token already in use. */
export function addAccount(ctx: SimContext, input: AccountInput = {}): AccountRecord {
  const parsed = accountSchema.parse(input);
  const account: AccountRecord = {
    appId: parsed.appId ?? createNumericId(),
    appSecret: parsed.appSecret ?? randomBytes(32).toString("base64url"),
    wabaId: parsed.wabaId ?? createNumericId(),
    phoneNumberId: parsed.phoneNumberId ?? createNumericId(),
    displayPhoneNumber: parsed.displayPhoneNumber ?? `1555${String(randomInt(0, 1e7)).padStart(7, "0")}`,
    accessToken: parsed.accessToken ?? createAccessToken(),
    webhookUrl: parsed.webhookUrl,
  };
  if (isTaken(ctx, account)) throw new Error("an app, WABA, phone number or token of this account is already in use");
  installAccount(ctx.state, ctx.clock.now(), account);
  return { ...account };
}

export function removeAccount(ctx: SimContext, wabaId: string): boolean {
  const account = ctx.state.accounts.get(wabaId);
  if (!account) return false;
  ctx.state.accounts.delete(wabaId);
  ctx.state.phoneNumbers.delete(account.phoneNumberId);
  ctx.state.tokens.delete(account.accessToken);
  return true;
}

export function setAccountWebhook(ctx: SimContext, wabaId: string, url: string | undefined): void {
  const account = ctx.state.accounts.get(wabaId);
  if (!account) throw new Error("unknown account");
  account.webhookUrl = url;
}

/** The account that owns a phone number or a WABA, if any (else the simulator's own app does). */
export function accountOfWaba(state: SimState, wabaId: string | undefined): AccountRecord | undefined {
  return wabaId === undefined ? undefined : state.accounts.get(wabaId);
}
