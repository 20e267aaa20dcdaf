import { randomUUID } from "node:crypto";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { enqueueJobs } from "../../jobs/definition.ts";
import type { Services } from "../../services.ts";
import type { WebhookEventType } from "./catalogue.ts";
import { EgressRefusedError, resolveTarget } from "./egress.ts";
import { META_FORMAT_EVENT_TYPES } from "./meta.ts";
import { recordWebhookEvent } from "./outbox.ts";
import {
  MAX_ENDPOINTS,
  countEndpoints,
  deleteEndpoint,
  findDelivery,
  findEndpoint,
  findFailedDeliveryIds,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  lockWorkspaceEndpoints,
  restartDeliveries,
  secretField,
  updateEndpoint,
  type DeliveryLogEntry,
  type EndpointPatch,
  type EndpointRow,
} from "./repository.ts";
import { generateSecret } from "./signing.ts";
import { deliverWebhookJob } from "./worker.ts";

// Managing outbound webhook endpoints (webhooks.manage: Owners and Admins). Every change is audited
// with identifiers and flags only. A secret is returned once, when it is made (creation, rotation);
// it is stored encrypted under the workspace key and never read back through the API.

export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3_600;
export const MAX_REPLAY = 1_000;

export type Endpoint = {
  id: string;
  url: string;
  description: string;
  format: "standard" | "meta";
  eventTypes: string[];
  enabled: boolean;
  includePersonalData: boolean;
  disabledReason: "manual" | "failing" | "gone" | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

function present(row: EndpointRow, at = new Date()): Endpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    format: row.format,
    eventTypes: row.event_types,
    enabled: row.enabled,
    includePersonalData: row.include_personal_data,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    failingSince: row.failing_since,
    previousSecretExpiresAt: row.previous_secret_expires_at && row.previous_secret_expires_at > at ? row.previous_secret_expires_at : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const notFound = () => new AppError("NOT_FOUND", "The webhook endpoint does not exist.");

/** The SSRF guard at registration: resolves the URL's host once and refuses reserved addresses. */
async function checkUrl(services: Services, url: string): Promise<void> {
  try {
    await resolveTarget(url, { allowPrivate: services.config.outboundWebhooks.allowPrivate, requireHttps: services.config.isProduction });
  } catch (error) {
    if (error instanceof EgressRefusedError) throw new AppError("WEBHOOK_URL_REFUSED", error.reason, { details: { reason: error.reason } });
    throw error;
  }
}

export async function listEndpointsFor(services: Services, caller: Caller): Promise<Endpoint[]> {
  const rows = await asCaller(services, caller, (trx) => listEndpoints(trx, caller.workspaceId));
  return rows.map((row) => present(row));
}

export async function getEndpointFor(services: Services, caller: Caller, endpointId: string): Promise<Endpoint> {
  const row = await asCaller(services, caller, (trx) => findEndpoint(trx, caller.workspaceId, endpointId));
  if (!row) throw notFound();
  return present(row);
}

export type CreateEndpointInput = {
  url: string;
  description: string;
  format?: "standard" | "meta";
  eventTypes: WebhookEventType[];
  enabled: boolean;
  includePersonalData: boolean;
};

/**
 * A "meta" endpoint receives Meta's payloads as sent (phone numbers, names, texts): it cannot exist
 * without the personal-data option, and only the inbound types apply to it (meta.ts).
 */
function checkMetaFormat(settings: { includePersonalData: boolean; eventTypes: readonly string[] }): void {
  if (!settings.includePersonalData) {
    throw new AppError(
      "UNPROCESSABLE",
      "A Meta-format endpoint receives WhatsApp's payloads as sent, with phone numbers, names and message texts: set includePersonalData to true to create it.",
      {
        details: { reason: "meta_format_requires_personal_data" },
      },
    );
  }
  const allowed: readonly string[] = META_FORMAT_EVENT_TYPES;
  if (settings.eventTypes.some((type) => !allowed.includes(type))) {
    throw new AppError("UNPROCESSABLE", `A Meta-format endpoint subscribes to ${META_FORMAT_EVENT_TYPES.join(" and ")} only.`, {
      details: { reason: "meta_format_event_types" },
    });
  }
}

export async function createEndpointFor(
  services: Services,
  caller: Caller,
  input: CreateEndpointInput,
): Promise<{ endpoint: Endpoint; secret: string }> {
  const format = input.format ?? "standard";
  if (format === "meta") checkMetaFormat(input);
  await checkUrl(services, input.url);
  const secret = generateSecret();
  const row = await asCaller(services, caller, async (trx) => {
    await lockWorkspaceEndpoints(trx, caller.workspaceId);
    if ((await countEndpoints(trx, caller.workspaceId)) >= MAX_ENDPOINTS) {
      throw new AppError("UNPROCESSABLE", `A workspace has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`, {
        details: { reason: "webhook_endpoint_limit" },
      });
    }
    const id = randomUUID();
    const created = await insertEndpoint(trx, caller.workspaceId, {
      id,
      url: input.url,
      description: input.description,
      format,
      eventTypes: [...new Set(input.eventTypes)],
      enabled: input.enabled,
      includePersonalData: input.includePersonalData,
      secretCiphertext: await services.keyring.encryptSecret(trx, secretField(caller.workspaceId, id, "secret"), secret),
    });
    await recordCallerAudit(trx, caller, {
      action: "webhook.endpoint.created",
      target: { type: "webhook_endpoint", id },
      metadata: {
        eventTypes: created.event_types.join(","),
        includePersonalData: created.include_personal_data,
        enabled: created.enabled,
        format: created.format,
      },
    });
    // A Meta-format endpoint sends personal data to a third party by construction: a decision of its own in the log.
    if (created.format === "meta") {
      await recordCallerAudit(trx, caller, {
        action: "webhook.endpoint.personal_data_changed",
        target: { type: "webhook_endpoint", id },
        metadata: { includePersonalData: true, format: "meta" },
      });
    }
    return created;
  });
  return { endpoint: present(row), secret };
}

export type UpdateEndpointInput = Partial<CreateEndpointInput>;

export async function updateEndpointFor(
  services: Services,
  caller: Caller,
  endpointId: string,
  input: UpdateEndpointInput,
): Promise<Endpoint> {
  if (input.url !== undefined) await checkUrl(services, input.url);
  const row = await asCaller(services, caller, async (trx) => {
    const current = await findEndpoint(trx, caller.workspaceId, endpointId, { forUpdate: true });
    if (!current) throw notFound();
    if (current.format === "meta")
      checkMetaFormat({
        includePersonalData: input.includePersonalData ?? current.include_personal_data,
        eventTypes: input.eventTypes ?? current.event_types,
      });
    const patch: EndpointPatch = {};
    const changed: string[] = [];
    if (input.url !== undefined && input.url !== current.url) {
      patch.url = input.url;
      changed.push("url");
    }
    if (input.description !== undefined && input.description !== current.description) {
      patch.description = input.description;
      changed.push("description");
    }
    if (input.eventTypes !== undefined) {
      patch.event_types = [...new Set(input.eventTypes)];
      changed.push("eventTypes");
    }
    if (input.enabled !== undefined && input.enabled !== current.enabled) {
      changed.push("enabled");
      // Enabling again starts the failure clock afresh (and closes the circuit); disabling by hand says so.
      Object.assign(
        patch,
        input.enabled
          ? {
              enabled: true,
              disabled_reason: null,
              disabled_at: null,
              failing_since: null,
              consecutive_failures: 0,
              consecutive_dead_letters: 0,
              circuit_open_until: null,
            }
          : { enabled: false, disabled_reason: "manual", disabled_at: new Date() },
      );
    }
    const personalDataSwitched = input.includePersonalData !== undefined && input.includePersonalData !== current.include_personal_data;
    if (personalDataSwitched) patch.include_personal_data = input.includePersonalData;
    if (changed.length === 0 && !personalDataSwitched) return current;
    const updated = (await updateEndpoint(trx, caller.workspaceId, endpointId, patch))!;
    if (changed.length > 0) {
      await recordCallerAudit(trx, caller, {
        action: "webhook.endpoint.updated",
        target: { type: "webhook_endpoint", id: endpointId },
        metadata: { changed: changed.join(","), enabled: updated.enabled },
      });
    }
    // Sending personal data to a third party is a decision of its own in the log.
    if (personalDataSwitched) {
      await recordCallerAudit(trx, caller, {
        action: "webhook.endpoint.personal_data_changed",
        target: { type: "webhook_endpoint", id: endpointId },
        metadata: { includePersonalData: updated.include_personal_data },
      });
    }
    return updated;
  });
  return present(row);
}

export async function deleteEndpointFor(services: Services, caller: Caller, endpointId: string): Promise<void> {
  await asCaller(services, caller, async (trx) => {
    if (!(await deleteEndpoint(trx, caller.workspaceId, endpointId))) throw notFound();
    await recordCallerAudit(trx, caller, { action: "webhook.endpoint.deleted", target: { type: "webhook_endpoint", id: endpointId } });
  });
}

/**
 * A new secret, returned once. Until the overlap ends every delivery is signed with both the new
 * and the previous secret, so receivers can switch without missing a delivery.
 */
export async function rotateSecretFor(
  services: Services,
  caller: Caller,
  endpointId: string,
  overlapSeconds: number,
): Promise<{ endpoint: Endpoint; secret: string }> {
  const secret = generateSecret();
  const row = await asCaller(services, caller, async (trx) => {
    const current = await findEndpoint(trx, caller.workspaceId, endpointId, { forUpdate: true });
    if (!current) throw notFound();
    const previous = await services.keyring.decrypt(trx, secretField(caller.workspaceId, endpointId, "secret"), current.secret_ciphertext);
    const now = new Date();
    const updated = (await updateEndpoint(trx, caller.workspaceId, endpointId, {
      secret_ciphertext: await services.keyring.encryptSecret(trx, secretField(caller.workspaceId, endpointId, "secret"), secret),
      previous_secret_ciphertext:
        overlapSeconds > 0
          ? await services.keyring.encryptSecret(trx, secretField(caller.workspaceId, endpointId, "previous_secret"), previous)
          : null,
      previous_secret_expires_at: overlapSeconds > 0 ? new Date(now.getTime() + overlapSeconds * 1000) : null,
    }))!;
    await recordCallerAudit(trx, caller, {
      action: "webhook.secret.rotated",
      target: { type: "webhook_endpoint", id: endpointId },
      metadata: { overlapSeconds },
    });
    return updated;
  });
  return { endpoint: present(row), secret };
}

/** Queues a `webhook.test` ping for this endpoint only; its delivery id. */
export async function sendTestFor(services: Services, caller: Caller, endpointId: string): Promise<string> {
  return asCaller(services, caller, async (trx) => {
    const endpoint = await findEndpoint(trx, caller.workspaceId, endpointId);
    if (!endpoint) throw notFound();
    if (!endpoint.enabled)
      throw new AppError("UNPROCESSABLE", "The endpoint is disabled; enable it first.", {
        details: { reason: "webhook_endpoint_disabled" },
      });
    const now = new Date();
    const [deliveryId] = await recordWebhookEvent(
      trx,
      caller.workspaceId,
      { type: "webhook.test", data: { workspaceId: caller.workspaceId, endpointId, at: now.toISOString() } },
      { onlyEndpointId: endpointId, now },
    );
    return deliveryId!;
  });
}

export async function listDeliveriesFor(
  services: Services,
  caller: Caller,
  endpointId: string,
  query: { status?: "pending" | "succeeded" | "failed" | undefined; limit: number; before?: { createdAt: Date; id: string } | undefined },
): Promise<DeliveryLogEntry[]> {
  return asCaller(services, caller, async (trx) => {
    if (!(await findEndpoint(trx, caller.workspaceId, endpointId))) throw notFound();
    return listDeliveries(trx, caller.workspaceId, endpointId, query);
  });
}

/**
 * Starts a new attempt series (same event, same `webhook-id`, so receivers still deduplicate) for
 * one delivery, or for the endpoint's failed deliveries created in [since, until), oldest first.
 * The endpoint must be enabled. Audited; returns how many were queued.
 */
export async function replayFor(
  services: Services,
  caller: Caller,
  endpointId: string,
  target: { deliveryId: string } | { since: Date; until: Date },
): Promise<number> {
  return asCaller(services, caller, async (trx) => {
    const endpoint = await findEndpoint(trx, caller.workspaceId, endpointId);
    if (!endpoint) throw notFound();
    if (!endpoint.enabled)
      throw new AppError("UNPROCESSABLE", "The endpoint is disabled; enable it before replaying.", {
        details: { reason: "webhook_endpoint_disabled" },
      });
    let ids: string[];
    if ("deliveryId" in target) {
      const delivery = await findDelivery(trx, caller.workspaceId, target.deliveryId, { forUpdate: true });
      if (delivery?.endpoint_id !== endpointId) throw new AppError("NOT_FOUND", "The delivery does not exist.");
      if (delivery.status === "pending") throw new AppError("CONFLICT", "The delivery is still being attempted.");
      ids = [delivery.id];
    } else {
      ids = await findFailedDeliveryIds(trx, caller.workspaceId, endpointId, target.since, target.until, MAX_REPLAY);
    }
    const now = new Date();
    const restarted = await restartDeliveries(trx, caller.workspaceId, ids, now);
    await enqueueJobs(
      trx,
      deliverWebhookJob,
      restarted.map((deliveryId) => ({ workspaceId: caller.workspaceId, deliveryId })),
    );
    await recordCallerAudit(trx, caller, {
      action: "webhook.deliveries.replayed",
      target: { type: "webhook_endpoint", id: endpointId },
      metadata: {
        count: restarted.length,
        ...("deliveryId" in target
          ? { deliveryId: target.deliveryId }
          : { since: target.since.toISOString(), until: target.until.toISOString() }),
      },
    });
    return restarted.length;
  });
}
