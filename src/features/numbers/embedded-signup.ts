import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { GraphError, type GraphClient } from "../../whatsapp/graph-client.ts";
import { describeGraphFailure } from "./graph-words.ts";
import { registerNumber } from "./manage.ts";
import type { NumberView } from "./repository.ts";
import { connectNumber, graphClientFor, webhookUrlFor, type RequestMeta } from "./service.ts";

// Embedded Signup (ES v4, reference messaging-and-integrations §4.4). The dashboard opens Meta's
// popup (the FB JS SDK in live mode; the simulator's page in sandbox mode), which ends with a code
// (valid 30 s, once) and the WABA and phone number the customer chose. The server then:
//   1. exchanges the code for a business token (GET /oauth/access_token with the app's id and secret);
//   2. verifies the token reaches that WABA and number, and stores the number encrypted (connectNumber);
//   3. subscribes the app to the WABA's webhooks, pointed at the number's own webhook URL
//      (POST /{WABA_ID}/subscribed_apps with override_callback_uri and verify_token);
//   4. registers the number with the customer's 6-digit PIN (POST /{PN}/register).
// A failure after step 2 leaves the number connected and says which step failed, so it can be
// finished from the Numbers screen (register) or the signup run again.

export type SignupApp = { appId: string; appSecret: string; configId: string };

/** Where the dashboard's popup comes from: Meta's SDK, the simulator's page, or nowhere. */
export type SignupLaunch =
  { mode: "facebook"; appId: string; configId: string; graphApiVersion: string } | { mode: "simulator" } | { mode: "off" };

/** The app Embedded Signup runs with: the configured Meta app, or in sandbox mode the simulator's account for the WABA. */
function signupApp(services: Services, wabaId?: string): SignupApp | undefined {
  const configured = services.config.whatsapp.embeddedSignup;
  if (configured) return configured;
  const sandbox = services.sandbox;
  if (!sandbox || wabaId === undefined) return undefined;
  const account = sandbox.state.accounts.get(wabaId);
  return account ? { appId: account.appId, appSecret: account.appSecret, configId: "0" } : undefined;
}

export function signupLaunch(services: Services): SignupLaunch {
  const configured = services.config.whatsapp.embeddedSignup;
  if (configured)
    return {
      mode: "facebook",
      appId: configured.appId,
      configId: configured.configId,
      graphApiVersion: services.config.whatsapp.graphApiVersion,
    };
  if (services.sandbox) return { mode: "simulator" };
  return { mode: "off" };
}

export type SignupInput = { code: string; wabaId: string; phoneNumberId: string; pin: string };

const tokenAnswer = z.looseObject({ access_token: z.string().min(8).max(4096) });

function stepFailed(step: string, error: unknown): never {
  if (error instanceof GraphError)
    throw new AppError("UNPROCESSABLE", `Embedded Signup failed while ${step}: ${describeGraphFailure(error)}.`);
  throw error;
}

export type SignupResult = { number: NumberView; subscribed: boolean; registered: boolean; problem: string | null };

export async function completeEmbeddedSignup(
  services: Services,
  workspaceId: string,
  input: SignupInput,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<SignupResult> {
  const app = signupApp(services, input.wabaId);
  if (!app)
    throw new AppError(
      "UNPROCESSABLE",
      "Embedded Signup is not set up (PARLEY_META_APP_ID, PARLEY_META_APP_SECRET, PARLEY_META_CONFIG_ID).",
    );
  const answer = await graph
    .request({
      method: "GET",
      path: "/oauth/access_token",
      token: `${app.appId}|${app.appSecret}`,
      query: { client_id: app.appId, client_secret: app.appSecret, code: input.code },
    })
    .catch((error: unknown) => stepFailed("exchanging the code (it is valid for 30 seconds, once)", error));
  const token = tokenAnswer.safeParse(answer);
  if (!token.success)
    throw new AppError("UNPROCESSABLE", "Embedded Signup failed: Meta's answer to the code exchange held no access token.");

  const verifyToken = randomBytes(24).toString("base64url");
  const number = await connectNumber(
    services,
    workspaceId,
    {
      wabaId: input.wabaId,
      phoneNumberId: input.phoneNumberId,
      appId: app.appId,
      accessToken: token.data.access_token,
      appSecret: app.appSecret,
      verifyToken,
    },
    meta,
    graph,
  );

  let subscribed = false;
  let registered = false;
  let problem: string | null = null;
  try {
    await graph.request({
      method: "POST",
      path: `/${input.wabaId}/subscribed_apps`,
      token: token.data.access_token,
      body: { override_callback_uri: webhookUrlFor(services, number.webhookKey), verify_token: verifyToken },
    });
    subscribed = true;
    await registerNumber(services, workspaceId, number.id, input.pin, meta, graph);
    registered = true;
  } catch (error) {
    if (!(error instanceof GraphError) && !(error instanceof AppError)) throw error;
    problem =
      error instanceof GraphError
        ? `Subscribing the app to the account's webhooks failed: ${describeGraphFailure(error)}.`
        : error.message.slice(0, 300);
  }
  await withWorkspace(services.db, { workspaceId }, (trx) =>
    recordAudit(trx, {
      workspaceId,
      actor: meta.actor,
      action: "number.embedded_signup",
      target: { type: "number", id: number.id },
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      metadata: { subscribed, registered },
    }),
  );
  return { number, subscribed, registered, problem };
}

/**
 * Sandbox mode: the simulator plays Meta's popup. It onboards a new account of its own (app, WABA,
 * phone number) and hands out what the popup would: the code and the session-info event's ids.
 */
export function startSandboxSignup(services: Services): { code: string; wabaId: string; phoneNumberId: string } {
  const sandbox = services.sandbox;
  if (!sandbox || services.config.whatsapp.embeddedSignup)
    throw new AppError("UNPROCESSABLE", "The simulated signup exists in sandbox mode only; live mode opens Meta's popup.");
  const account = sandbox.addAccount();
  return { code: sandbox.issueSignupCode(account.wabaId), wabaId: account.wabaId, phoneNumberId: account.phoneNumberId };
}
