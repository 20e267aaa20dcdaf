import { randomBytes, randomUUID } from "node:crypto";
import { assertQuotaAllows } from "../../identity/plans.ts";
import { forgetWebhookEndpoints } from "../../whatsapp/webhook/ingest.ts";
import { z } from "zod";
import type { Simulator, SimulatorCredentials } from "../../../sim/index.ts";
import type { AuditActor } from "../../audit/record.ts";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { createGraphClient, GraphError, TOKEN_ERROR_CODES, type GraphClient } from "../../whatsapp/graph-client.ts";
import { forgetSandboxAccount, seedSandboxTemplates } from "../../whatsapp/sandbox.ts";
import type { NumberMode, NumberTier } from "../../whatsapp/schema.ts";
import { findNumber, insertNumber, listNumbers, loadNumberCredentials, replaceAccessToken, type NumberView } from "./repository.ts";

// Connecting a number: the credentials are checked with Meta (debug_token and a read of the phone
// number) before anything is stored, then stored encrypted, with an audit entry in the same
// transaction. Network calls happen outside database transactions.

export type ConnectNumberInput = {
  wabaId: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  appId?: string | undefined;
};

export type RequestMeta = { actor: AuditActor; ip?: string | null; userAgent?: string | null };

const phoneNumberInfo = z.looseObject({
  display_phone_number: z.string().max(40).optional(),
  throughput: z.looseObject({ level: z.string().max(40).optional() }).optional(),
});

/** The Graph client for the deployment's configured transport (Meta, or the simulator in sandbox mode). */
export function graphClientFor(services: Services): GraphClient {
  return createGraphClient({ baseUrl: services.config.whatsapp.graphBaseUrl, apiVersion: services.config.whatsapp.graphApiVersion });
}

/** The URL Meta (or the simulator) posts webhooks to for this number. */
export function webhookUrlFor(services: Services, webhookKey: string): string {
  return `${services.config.http.publicUrl}/webhooks/whatsapp/${webhookKey}`;
}

type VerifiedCredentials = { displayPhoneNumber: string | null; tier: NumberTier; expiresAt: Date | null };

/** Proves the token works for this WABA and phone number; UNPROCESSABLE (never the token) otherwise. */
export async function verifyCredentials(
  graph: GraphClient,
  input: { accessToken: string; appId?: string | null | undefined; appSecret?: string | undefined; wabaId: string; phoneNumberId: string },
): Promise<VerifiedCredentials> {
  const refuse = (reason: string) => new AppError("UNPROCESSABLE", `The WhatsApp credentials were not accepted: ${reason}.`);
  try {
    const appToken = input.appId && input.appSecret ? `${input.appId}|${input.appSecret}` : undefined;
    const debug = await graph.debugToken(input.accessToken, appToken ? { appToken } : {});
    if (!debug.is_valid) throw refuse("the access token is not valid");
    if (input.appId && debug.app_id && debug.app_id !== input.appId) throw refuse("the access token belongs to another app");
    const granular = debug.granular_scopes;
    if (granular) {
      const messaging = granular.find((scope) => scope.scope === "whatsapp_business_messaging");
      if (!messaging) throw refuse("the access token lacks the whatsapp_business_messaging permission");
      if (messaging.target_ids && !messaging.target_ids.includes(input.wabaId))
        throw refuse("the access token has no access to this WhatsApp Business Account");
    }
    const phone = phoneNumberInfo.safeParse(
      await graph.request({
        method: "GET",
        path: `/${input.phoneNumberId}`,
        token: input.accessToken,
        query: { fields: "display_phone_number,throughput" },
      }),
    );
    const info = phone.success ? phone.data : {};
    return {
      displayPhoneNumber: info.display_phone_number ?? null,
      tier: info.throughput?.level === "HIGH" ? 1000 : 80,
      expiresAt: debug.expires_at ? new Date(debug.expires_at * 1000) : null,
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof GraphError) {
      if (TOKEN_ERROR_CODES.has(error.code)) throw refuse("the access token is expired or invalid");
      if (error.httpStatus === 0) throw new AppError("UNPROCESSABLE", "Meta's Graph API could not be reached to check the credentials.");
      throw refuse(`Graph error ${error.code}`);
    }
    throw error;
  }
}

export async function connectNumber(
  services: Services,
  workspaceId: string,
  input: ConnectNumberInput & { mode?: NumberMode },
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<NumberView> {
  const verified = await verifyCredentials(graph, input);
  const id = randomUUID();
  const connected = await withWorkspace(
    services.db,
    { workspaceId, userId: meta.actor.type === "user" ? meta.actor.id : null },
    async (trx) => {
      await assertQuotaAllows(trx, workspaceId, "numbers");
      const view = await insertNumber(trx, services.keyring, {
        workspaceId,
        id,
        mode: input.mode ?? services.config.whatsapp.mode,
        wabaId: input.wabaId,
        phoneNumberId: input.phoneNumberId,
        appId: input.appId ?? null,
        displayPhoneNumber: verified.displayPhoneNumber,
        accessToken: input.accessToken,
        accessTokenExpiresAt: verified.expiresAt,
        appSecret: input.appSecret,
        verifyToken: input.verifyToken,
        tier: verified.tier,
        webhookKey: randomBytes(32).toString("base64url"),
      });
      if (!view) throw new AppError("CONFLICT", "This phone number is already connected to the workspace.");
      await recordAudit(trx, {
        workspaceId,
        actor: meta.actor,
        action: "number.connected",
        target: { type: "number", id },
        ip: meta.ip ?? null,
        userAgent: meta.userAgent ?? null,
        metadata: { mode: view.mode, tier: view.tier },
      });
      return view;
    },
  );
  // A new endpoint must be found at once, not after a cached miss expires.
  forgetWebhookEndpoints(services);
  return connected;
}

/**
 * Replaces a number's access token without downtime: the new token is verified first, then swapped
 * in one statement. Sends in flight finish with the token they read; later reads get the new one.
 */
export async function updateNumberToken(
  services: Services,
  workspaceId: string,
  numberId: string,
  accessToken: string,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<NumberView> {
  const current = await withWorkspace(services.db, { workspaceId }, (trx) =>
    loadNumberCredentials(trx, services.keyring, workspaceId, numberId),
  );
  if (!current) throw new AppError("NOT_FOUND");
  const verified = await verifyCredentials(graph, {
    accessToken,
    appId: current.appId,
    appSecret: current.appSecret,
    wabaId: current.wabaId,
    phoneNumberId: current.phoneNumberId,
  });
  return withWorkspace(services.db, { workspaceId }, async (trx) => {
    const view = await replaceAccessToken(trx, services.keyring, { workspaceId, numberId, accessToken, expiresAt: verified.expiresAt });
    if (!view) throw new AppError("NOT_FOUND");
    await recordAudit(trx, {
      workspaceId,
      actor: meta.actor,
      action: "number.token_updated",
      target: { type: "number", id: numberId },
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      metadata: { tokenVersion: view.accessTokenVersion },
    });
    return view;
  });
}

export async function listWorkspaceNumbers(services: Services, workspaceId: string): Promise<NumberView[]> {
  return withWorkspace(services.db, { workspaceId }, (trx) => listNumbers(trx, workspaceId));
}

export async function getWorkspaceNumber(services: Services, workspaceId: string, numberId: string): Promise<NumberView> {
  const view = await withWorkspace(services.db, { workspaceId }, (trx) => findNumber(trx, workspaceId, numberId));
  if (!view) throw new AppError("NOT_FOUND");
  return view;
}

/** What connecting a simulator's first number takes: its credentials and a fresh verify token. */
export function sandboxNumberInput(credentials: SimulatorCredentials): ConnectNumberInput & { mode: "sandbox" } {
  const phone = credentials.phoneNumbers[0];
  if (!phone) throw new Error("the simulator has no phone number");
  return {
    wabaId: credentials.wabaId,
    phoneNumberId: phone.id,
    accessToken: credentials.accessToken,
    appSecret: credentials.appSecret,
    verifyToken: randomBytes(24).toString("base64url"),
    appId: credentials.appId,
    mode: "sandbox",
  };
}

/**
 * Sandbox in one step. A simulator configured with numbers of its own (the standalone `npm run
 * sim`) hands its first one to the first workspace, with its own credentials. The built-in
 * sandbox has none: each workspace gets an account of its own (app secret, WABA, phone number,
 * token and webhook target), so no other workspace's customers or signatures ever reach it.
 * Either way the credentials are verified and stored like a real number's, and the simulator's
 * webhooks for the number point at this number's receiver URL.
 */
export async function connectSandboxNumber(
  services: Services,
  workspaceId: string,
  simulator: Simulator,
  meta: RequestMeta = { actor: { type: "system", id: null } },
): Promise<NumberView> {
  const numbers = await withWorkspace(services.db, { workspaceId }, (trx) => listNumbers(trx, workspaceId));
  if (numbers.some((number) => number.mode === "sandbox" && number.status !== "disconnected"))
    throw new AppError("CONFLICT", "This workspace already has a sandbox number.");
  const credentials = simulator.credentials();
  const graph = createGraphClient({ baseUrl: credentials.baseUrl, apiVersion: services.config.whatsapp.graphApiVersion });
  const ownNumberFree =
    credentials.webhookUrl === undefined &&
    [...simulator.state.phoneNumbers.values()].some((phone) => !simulator.state.accounts.has(phone.wabaId));
  if (ownNumberFree) {
    const view = await connectNumber(services, workspaceId, sandboxNumberInput(credentials), meta, graph);
    simulator.configureWebhooks({ url: webhookUrlFor(services, view.webhookKey) });
    return view;
  }
  const account = simulator.addAccount();
  seedSandboxTemplates(simulator, account.wabaId);
  let view: NumberView;
  try {
    const input = {
      wabaId: account.wabaId,
      phoneNumberId: account.phoneNumberId,
      accessToken: account.accessToken,
      appSecret: account.appSecret,
      appId: account.appId,
    };
    view = await connectNumber(
      services,
      workspaceId,
      { ...input, verifyToken: randomBytes(24).toString("base64url"), mode: "sandbox" },
      meta,
      graph,
    );
  } catch (error) {
    forgetSandboxAccount(simulator, account.wabaId);
    throw error;
  }
  simulator.setAccountWebhook(account.wabaId, webhookUrlFor(services, view.webhookKey));
  return view;
}
