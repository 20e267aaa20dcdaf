import { z } from "zod";
import type { AuditMetadata } from "../../audit/leaf.ts";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import type { GraphClient } from "../../whatsapp/graph-client.ts";
import { forgetWebhookEndpoints } from "../../whatsapp/webhook/ingest.ts";
import { graphFailureToAppError } from "./graph-words.ts";
import { loadNumberCredentials, markNumberPin, setNumberConnected, type NumberCredentials, type NumberView } from "./repository.ts";
import { graphClientFor, verifyCredentials, type RequestMeta } from "./service.ts";

// Managing a connected number through Graph (reference messaging-and-integrations §4, cloud-api
// §10): two-step verification, register and deregister, the business profile, disconnecting and
// reconnecting. The two-step PIN goes to Meta and nowhere else: never stored, never logged, audited
// as "a PIN was set". Graph's refusals come back as UNPROCESSABLE in words (graph-words.ts). Network
// calls happen outside database transactions; the audit entry commits with the state change.

async function credentialsOf(services: Services, workspaceId: string, numberId: string): Promise<NumberCredentials> {
  const credentials = await withWorkspace(services.db, { workspaceId }, (trx) =>
    loadNumberCredentials(trx, services.keyring, workspaceId, numberId),
  );
  if (!credentials) throw new AppError("NOT_FOUND", "The number does not exist.");
  return credentials;
}

async function audit(
  services: Services,
  workspaceId: string,
  numberId: string,
  meta: RequestMeta,
  action: "number.pin_set" | "number.registered" | "number.deregistered" | "number.profile_updated",
  metadata: AuditMetadata,
  apply?: Parameters<typeof markNumberPin>[3],
): Promise<void> {
  await withWorkspace(services.db, { workspaceId }, async (trx) => {
    if (apply) await markNumberPin(trx, workspaceId, numberId, apply);
    await recordAudit(trx, {
      workspaceId,
      actor: meta.actor,
      action,
      target: { type: "number", id: numberId },
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      metadata,
    });
  });
}

/** Sets or changes the two-step verification PIN (`POST /{PN}` with `pin`). */
export async function setTwoStepPin(
  services: Services,
  workspaceId: string,
  numberId: string,
  pin: string,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<void> {
  const credentials = await credentialsOf(services, workspaceId, numberId);
  await graph
    .request({ method: "POST", path: `/${credentials.phoneNumberId}`, token: credentials.accessToken, body: { pin } })
    .catch((error: unknown) => graphFailureToAppError(error, "Setting the two-step verification PIN"));
  await audit(services, workspaceId, numberId, meta, "number.pin_set", {}, { pinSet: true });
}

/** Registers the number with the Cloud API (`POST /{PN}/register`); the PIN is the two-step one. */
export async function registerNumber(
  services: Services,
  workspaceId: string,
  numberId: string,
  pin: string,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<void> {
  const credentials = await credentialsOf(services, workspaceId, numberId);
  await graph
    .request({
      method: "POST",
      path: `/${credentials.phoneNumberId}/register`,
      token: credentials.accessToken,
      body: { messaging_product: "whatsapp", pin },
    })
    .catch((error: unknown) => graphFailureToAppError(error, "Registering the number"));
  await audit(services, workspaceId, numberId, meta, "number.registered", {}, { pinSet: true, registered: true });
}

/** Deregisters the number from the Cloud API (`POST /{PN}/deregister`): it stops sending and receiving. */
export async function deregisterNumber(
  services: Services,
  workspaceId: string,
  numberId: string,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<void> {
  const credentials = await credentialsOf(services, workspaceId, numberId);
  await graph
    .request({ method: "POST", path: `/${credentials.phoneNumberId}/deregister`, token: credentials.accessToken, body: {} })
    .catch((error: unknown) => graphFailureToAppError(error, "Deregistering the number"));
  await audit(services, workspaceId, numberId, meta, "number.deregistered", {}, { registered: false });
}

export const PROFILE_VERTICALS = [
  "UNDEFINED",
  "OTHER",
  "AUTO",
  "BEAUTY",
  "APPAREL",
  "EDU",
  "ENTERTAIN",
  "EVENT_PLAN",
  "FINANCE",
  "GROCERY",
  "GOVT",
  "HOTEL",
  "HEALTH",
  "NONPROFIT",
  "PROF_SERVICES",
  "RETAIL",
  "TRAVEL",
  "RESTAURANT",
] as const;

export type BusinessProfile = {
  about: string | null;
  address: string | null;
  description: string | null;
  email: string | null;
  websites: string[];
  vertical: string | null;
  profilePictureUrl: string | null;
};

export type BusinessProfileUpdate = {
  about?: string | undefined;
  address?: string | undefined;
  description?: string | undefined;
  email?: string | undefined;
  websites?: string[] | undefined;
  vertical?: (typeof PROFILE_VERTICALS)[number] | undefined;
  profilePictureHandle?: string | undefined;
};

const bounded = (max: number) => z.string().max(max).optional().catch(undefined);
const profileAnswer = z.looseObject({
  data: z
    .array(
      z.looseObject({
        about: bounded(139),
        address: bounded(256),
        description: bounded(512),
        email: bounded(128),
        websites: z.array(z.string().max(256)).max(2).optional().catch(undefined),
        vertical: bounded(40),
        profile_picture_url: bounded(2048),
      }),
    )
    .max(1),
});

const PROFILE_FIELDS = "about,address,description,email,profile_picture_url,websites,vertical";

/** The business profile as Meta holds it (`GET /{PN}/whatsapp_business_profile`). */
export async function getBusinessProfile(
  services: Services,
  workspaceId: string,
  numberId: string,
  graph: GraphClient = graphClientFor(services),
): Promise<BusinessProfile> {
  const credentials = await credentialsOf(services, workspaceId, numberId);
  const body = await graph
    .request({
      method: "GET",
      path: `/${credentials.phoneNumberId}/whatsapp_business_profile`,
      token: credentials.accessToken,
      query: { fields: PROFILE_FIELDS },
    })
    .catch((error: unknown) => graphFailureToAppError(error, "Reading the business profile"));
  const parsed = profileAnswer.safeParse(body);
  const profile = parsed.success ? parsed.data.data[0] : undefined;
  return {
    about: profile?.about ?? null,
    address: profile?.address ?? null,
    description: profile?.description ?? null,
    email: profile?.email ?? null,
    websites: profile?.websites ?? [],
    vertical: profile?.vertical ?? null,
    profilePictureUrl: profile?.profile_picture_url ?? null,
  };
}

/** Updates the business profile (`POST /{PN}/whatsapp_business_profile`); audited with the names of the fields changed. */
export async function updateBusinessProfile(
  services: Services,
  workspaceId: string,
  numberId: string,
  update: BusinessProfileUpdate,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<BusinessProfile> {
  const credentials = await credentialsOf(services, workspaceId, numberId);
  const body: Record<string, unknown> = { messaging_product: "whatsapp" };
  if (update.about !== undefined) body.about = update.about;
  if (update.address !== undefined) body.address = update.address;
  if (update.description !== undefined) body.description = update.description;
  if (update.email !== undefined) body.email = update.email;
  if (update.websites !== undefined) body.websites = update.websites;
  if (update.vertical !== undefined) body.vertical = update.vertical;
  if (update.profilePictureHandle !== undefined) body.profile_picture_handle = update.profilePictureHandle;
  await graph
    .request({ method: "POST", path: `/${credentials.phoneNumberId}/whatsapp_business_profile`, token: credentials.accessToken, body })
    .catch((error: unknown) => graphFailureToAppError(error, "Updating the business profile"));
  await audit(services, workspaceId, numberId, meta, "number.profile_updated", {
    fields: Object.keys(update)
      .filter((key) => update[key as keyof BusinessProfileUpdate] !== undefined)
      .sort()
      .join(","),
  });
  return getBusinessProfile(services, workspaceId, numberId, graph);
}

/**
 * Disconnects a number: from the commit on, sends from it are refused (nothing is queued), queued
 * sends fail when the worker reaches them ("The number is disconnected."), and its webhook URL
 * answers 404, so Meta's deliveries for it are refused. Its conversations and messages stay.
 */
export async function disconnectNumber(services: Services, workspaceId: string, numberId: string, meta: RequestMeta): Promise<NumberView> {
  const view = await withWorkspace(services.db, { workspaceId }, async (trx) => {
    const changed = await setNumberConnected(trx, workspaceId, numberId, false);
    if (!changed) throw new AppError("CONFLICT", "The number does not exist or is already disconnected.");
    await recordAudit(trx, {
      workspaceId,
      actor: meta.actor,
      action: "number.disconnected",
      target: { type: "number", id: numberId },
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      metadata: {},
    });
    return changed;
  });
  // The webhook endpoint cache must not keep accepting deliveries for a few more seconds.
  forgetWebhookEndpoints(services);
  return view;
}

/** Reconnects a disconnected number once Meta accepts its stored credentials again. */
export async function reconnectNumber(
  services: Services,
  workspaceId: string,
  numberId: string,
  meta: RequestMeta,
  graph: GraphClient = graphClientFor(services),
): Promise<NumberView> {
  const credentials = await credentialsOf(services, workspaceId, numberId);
  await verifyCredentials(graph, credentials);
  const view = await withWorkspace(services.db, { workspaceId }, async (trx) => {
    const changed = await setNumberConnected(trx, workspaceId, numberId, true);
    if (!changed) throw new AppError("CONFLICT", "The number is not disconnected.");
    await recordAudit(trx, {
      workspaceId,
      actor: meta.actor,
      action: "number.reconnected",
      target: { type: "number", id: numberId },
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      metadata: {},
    });
    return changed;
  });
  forgetWebhookEndpoints(services);
  return view;
}
