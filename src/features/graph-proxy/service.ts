import type { FastifyRequest } from "fastify";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { callerLimit } from "../../http/limits.ts";
import { authenticateApiKeyAnywhere } from "../../identity/authenticator.ts";
import { asCaller, resolveCaller, type Caller } from "../../identity/caller.ts";
import type { Permission } from "../../identity/permissions.ts";
import { requirePlanFeature } from "../../identity/plans.ts";
import { withRealtime } from "../../realtime/events.ts";
import type { Services } from "../../services.ts";
import { GraphError } from "../../whatsapp/graph-client.ts";
import { checkMedia, MEDIA_LIMITS } from "../../whatsapp/media/limits.ts";
import { createMediaToken } from "../messages/media/signed-url.ts";
import { mediaTypeOf } from "../messages/media/upload.ts";
import { announceQueuedMessages, queueMessage } from "../messages/service.ts";
import { listenForSettledSends, settledOrAfter } from "../messages/settled.ts";
import { graphClientFor } from "../numbers/service.ts";
import { listNumbers, loadNumberCredentials } from "../numbers/repository.ts";
import { listTemplatesFor, type TemplateView } from "../templates/catalogue.ts";
import { describeIssues, GraphProxyError, invalidParameter, toGraphProxyError, unknownObject } from "./graph-errors.ts";
import { graphReadBody, graphSendBody, toParleySend, UNSUPPORTED_TYPES } from "./graph-schema.ts";
import { createMediaLinkToken } from "./media-link.ts";
import {
  findMessageByMediaId,
  findMessageByWamid,
  findNumberByPhoneNumberId,
  findNumbersByWabaId,
  findSendOutcome,
  type ProxyNumber,
} from "./repository.ts";

// The Graph-compatible proxy (issue #18, reference/messaging-and-integrations.md §6): a Cloud API
// client points its base URL at Parley and keeps its code. Every call is translated onto Parley's
// own paths — a send is queued through the send service (outbox, governor, consent rules, inbox,
// audit) exactly like POST /api/v1/workspaces/:id/messages — and answered in Graph's shapes. The
// caller is a Parley API key: its workspace bounds which numbers exist for it, its scopes what it
// may do. Meta's token for the number is used by Parley only, never shown.

/** How long a send waits for the outbox row to be accepted or refused by Meta before answering "queued". */
export const DEFAULT_OUTCOME_WAIT_MS = 30_000;

export type GraphProxyOptions = { outcomeWaitMs: number };

/** The API key's member, or Graph's 190 when the request carries no live Parley API key. */
export async function authenticateProxyCaller(services: Services, request: FastifyRequest): Promise<Caller> {
  let auth;
  try {
    auth = await authenticateApiKeyAnywhere(services, request);
  } catch (error) {
    throw toGraphProxyError(error);
  }
  if (!auth) throw new GraphProxyError(190, { message: "An access token is required to request this resource." });
  await enforceProxyCallerLimit(services, auth.apiKeyId!, auth.workspaceId);
  // The routes' `feature: "graph_proxy"`, enforced here: these routes authenticate in the handler.
  try {
    await withWorkspace(services.db, { workspaceId: auth.workspaceId }, (trx) => requirePlanFeature(trx, auth.workspaceId, "graph_proxy"));
  } catch (error) {
    throw toGraphProxyError(error);
  }
  return resolveCaller(auth, auth.workspaceId, request);
}

/**
 * The same multi-window limit per API key as every authenticated route (src/http/limits.ts), answered
 * in Graph's form (code 4, with Retry-After); without the coordination store the request is refused
 * (code 2), never let through.
 */
async function enforceProxyCallerLimit(services: Services, apiKeyId: string, workspaceId: string): Promise<void> {
  const { key, rules } = callerLimit(services.config, { kind: "api_key", apiKeyId, workspaceId });
  let decision;
  try {
    decision = await services.coordination.rateLimiter.hitWindows(key, rules);
  } catch (error) {
    throw toGraphProxyError(error);
  }
  if (!decision.allowed) {
    throw toGraphProxyError(
      new AppError("RATE_LIMITED", undefined, { headers: { "retry-after": String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) } }),
    );
  }
}

export function requirePermission(caller: Caller, permission: Permission): void {
  if (!caller.permissions.has(permission)) {
    throw new GraphProxyError(10, { details: `The API key lacks the ${permission} scope.` });
  }
}

/** The workspace's number by Meta's phone-number id; any other id does not exist for this key (100/33). */
export async function resolveNumber(services: Services, caller: Caller, phoneNumberId: string): Promise<ProxyNumber> {
  if (!/^\d{1,32}$/.test(phoneNumberId)) throw unknownObject();
  const number = await asCaller(services, caller, (trx) => findNumberByPhoneNumberId(trx, caller.workspaceId, phoneNumberId));
  if (!number) throw unknownObject();
  return number;
}

export type GraphSendAnswer =
  | {
      kind: "sent";
      body: {
        messaging_product: "whatsapp";
        contacts: { input: string; wa_id: string }[];
        messages: { id: string; message_status?: string }[];
      };
    }
  | { kind: "read"; body: { success: true } };

/** POST /{phone-number-id}/messages: a send (queued, then awaited) or a read receipt. */
export async function handleMessagesPost(
  services: Services,
  caller: Caller,
  number: ProxyNumber,
  json: unknown,
  options: GraphProxyOptions,
): Promise<GraphSendAnswer> {
  requirePermission(caller, "messages.send");
  if (json !== null && typeof json === "object" && (json as { status?: unknown }).status !== undefined) {
    await markRead(services, caller, number, json);
    return { kind: "read", body: { success: true } };
  }
  const type = json !== null && typeof json === "object" ? (json as { type?: unknown }).type : undefined;
  if (typeof type === "string" && UNSUPPORTED_TYPES.has(type)) {
    throw new GraphProxyError(131051, { details: "Parley's send path does not carry this message type." });
  }
  const parsed = graphSendBody.safeParse(json);
  if (!parsed.success) throw invalidParameter(describeIssues(parsed.error.issues));
  const graph = parsed.data;

  let reactionMessageId: string | undefined;
  if (graph.type === "reaction" && graph.reaction) {
    const target = await asCaller(services, caller, (trx) =>
      findMessageByWamid(trx, caller.workspaceId, number.id, graph.reaction!.message_id),
    );
    if (!target) throw invalidParameter("reaction.message_id: no message of this number has this id.");
    reactionMessageId = target.id;
  }
  const translated = toParleySend(graph, number.id, reactionMessageId);
  if ("problems" in translated) throw invalidParameter(translated.problems.join("; "));

  // Listening before the send is queued, so that its announcement cannot pass unheard.
  await listenForSettledSends(services.coordination.pubsub);
  let queued;
  try {
    queued = await withRealtime(services, caller.workspaceId, () =>
      asCaller(services, caller, (trx) =>
        queueMessage(services, trx, {
          workspaceId: caller.workspaceId,
          userId: caller.userId,
          canStartConversations: caller.permissions.has("conversations.read_all"),
          body: translated.body,
          actor: caller,
        }),
      ),
    );
  } catch (error) {
    throw toGraphProxyError(error);
  }
  announceQueuedMessages(services);

  const wamid = await awaitSendOutcome(services, caller.workspaceId, queued.id, options.outcomeWaitMs);
  const waId = translated.body.to!.slice(1);
  return {
    kind: "sent",
    body: {
      messaging_product: "whatsapp",
      contacts: [{ input: graph.to, wa_id: waId }],
      messages: [
        {
          id: wamid.id,
          ...(wamid.held
            ? { message_status: "held_for_quality_assessment" }
            : graph.type === "template"
              ? { message_status: "accepted" }
              : {}),
        },
      ],
    },
  };
}

const SETTLED_OK = new Set(["accepted", "held", "sent", "delivered", "read", "played"]);

/**
 * Waits until the send worker has Meta's answer for the message: its wamid, or Meta's refusal as a
 * Graph error. Polls the outbox row (a few ms apart at first, the worker usually answers within
 * one Graph round trip; see the pause below), bounded by `waitMs`; past it the message is still queued and will be sent,
 * which the answer says (it must not be sent again).
 */
async function awaitSendOutcome(
  services: Services,
  workspaceId: string,
  messageId: string,
  waitMs: number,
): Promise<{ id: string; held: boolean }> {
  const started = Date.now();
  const deadline = started + waitMs;
  let pause = 2;
  for (;;) {
    const row = await withWorkspace(services.db, { workspaceId }, (trx) => findSendOutcome(trx, workspaceId, messageId));
    if (row && SETTLED_OK.has(row.status) && row.wamid) return { id: row.wamid, held: row.status === "held" };
    if (row?.status === "failed") {
      const code = row.errorCode ?? 131000;
      throw new GraphProxyError(code, {
        message: `(#${code}) ${row.sendError ?? "The message could not be sent."}`,
        details: row.sendError ?? "The message could not be sent.",
      });
    }
    if (row?.status === "unknown" || Date.now() >= deadline) {
      throw new GraphProxyError(2, {
        status: 504,
        isTransient: false,
        message: "(#2) The message is queued in Parley and will be sent, but WhatsApp has not answered in time. Do not send it again.",
        details: `Parley message ${messageId} is queued; its status follows in Parley's conversation and in status webhooks.`,
      });
    }
    // The send worker announces the answer once committed (messages/settled.ts); the poll is the
    // fallback. Meta usually answers within one round trip of the worker: poll closely at first,
    // then every 20 ms for the first seconds (a waiter costs ~50 small reads a second), then every 250 ms.
    await settledOrAfter(services.coordination.pubsub, messageId, pause);
    pause = Date.now() - started < 3_000 ? Math.min(pause * 2, 20) : 250;
  }
}

/** A read receipt for an inbound message of the number, passed on to Meta with the number's token. */
async function markRead(services: Services, caller: Caller, number: ProxyNumber, json: unknown): Promise<void> {
  const parsed = graphReadBody.safeParse(json);
  if (!parsed.success) throw invalidParameter(describeIssues(parsed.error.issues));
  const target = await asCaller(services, caller, (trx) => findMessageByWamid(trx, caller.workspaceId, number.id, parsed.data.message_id));
  if (!target || target.direction !== "in") throw invalidParameter("message_id: no message received by this number has this id.");
  await callGraph(services, caller.workspaceId, number.id, (graph, token) =>
    graph.request({
      method: "POST",
      path: `/${number.phoneNumberId}/messages`,
      token,
      body: {
        messaging_product: "whatsapp",
        status: "read",
        message_id: parsed.data.message_id,
        ...(parsed.data.typing_indicator ? { typing_indicator: parsed.data.typing_indicator } : {}),
      },
    }),
  );
}

/** A Graph call with the number's own token; Meta's refusal comes back as Meta's Graph error. */
async function callGraph<T>(
  services: Services,
  workspaceId: string,
  numberId: string,
  call: (graph: ReturnType<typeof graphClientFor>, token: string) => Promise<T>,
): Promise<T> {
  const credentials = await withWorkspace(services.db, { workspaceId }, (trx) =>
    loadNumberCredentials(trx, services.keyring, workspaceId, numberId),
  );
  if (!credentials) throw unknownObject();
  try {
    return await call(graphClientFor(services), credentials.accessToken);
  } catch (error) {
    if (error instanceof GraphError && error.httpStatus > 0 && error.code > 0) {
      // Meta's refusal as Meta gave it (code, subcode, message, details), so SDK error handling works.
      throw new GraphProxyError(error.code, {
        status: error.httpStatus,
        message: error.message.slice(0, 1000),
        ...(error.subcode !== undefined ? { subcode: error.subcode } : {}),
        ...(error.details !== undefined ? { details: error.details.slice(0, 1000) } : {}),
      });
    }
    throw new GraphProxyError(131000, { isTransient: true, details: "WhatsApp could not be reached." });
  }
}

/** POST /{phone-number-id}/media: the file goes to Meta with the number's token; Meta's media id comes back. */
export async function uploadMedia(
  services: Services,
  caller: Caller,
  number: ProxyNumber,
  contentType: string,
  rawBody: Buffer | undefined,
): Promise<{ id: string }> {
  requirePermission(caller, "messages.send");
  let form: FormData;
  try {
    form = await new Response(rawBody ?? Buffer.alloc(0), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw invalidParameter("The body is not multipart/form-data with a file.");
  }
  const file = form.get("file");
  if (form.get("messaging_product") !== "whatsapp") throw invalidParameter("messaging_product: must be whatsapp.");
  if (!(file instanceof Blob)) throw invalidParameter("file: a file is required.");
  const declared = form.get("type");
  const mimeType = (typeof declared === "string" && declared !== "" ? declared : file.type).split(";")[0]!.trim().toLowerCase();
  const mediaType = mediaTypeOf(mimeType);
  if (!mediaType)
    throw new GraphProxyError(131053, {
      status: 400,
      message: "(#131053) Media upload error",
      details: "WhatsApp does not accept this kind of file.",
    });
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length === 0 || !checkMedia(mediaType, mimeType, bytes.length).allowed) {
    throw new GraphProxyError(131053, {
      status: 400,
      message: "(#131053) Media upload error",
      details: "The file is empty or larger than WhatsApp takes for its type.",
    });
  }
  const filename = file instanceof File && file.name ? file.name.slice(0, 240) : "file";
  return callGraph(services, caller.workspaceId, number.id, (graph, token) =>
    graph.uploadMedia(number.phoneNumberId, token, { bytes, mimeType, filename }),
  );
}

export type GraphMediaInfo = {
  messaging_product: "whatsapp";
  url: string;
  mime_type: string;
  sha256?: string;
  file_size?: number;
  id: string;
};

/**
 * The number a media id is read or deleted through: the one whose message carries it, the one the
 * client names (`phone_number_id`, as Graph takes it), or the workspace's only number.
 */
async function numberForMedia(
  services: Services,
  caller: Caller,
  mediaNumberId: string | undefined,
  phoneNumberId: string | undefined,
): Promise<string> {
  if (phoneNumberId !== undefined) return (await resolveNumber(services, caller, phoneNumberId)).id;
  if (mediaNumberId !== undefined) return mediaNumberId;
  const numbers = await asCaller(services, caller, (trx) => listNumbers(trx, caller.workspaceId));
  if (numbers.length === 1) return numbers[0]!.id;
  throw invalidParameter("phone_number_id: name the number this media id belongs to.");
}

/** GET /{media-id}: the media's details with a short-lived download URL on Parley's own host. */
export async function describeMedia(
  services: Services,
  caller: Caller,
  mediaId: string,
  phoneNumberId: string | undefined,
): Promise<GraphMediaInfo> {
  requirePermission(caller, "conversations.read_assigned");
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(mediaId)) throw unknownObject();
  const publicUrl = services.config.http.publicUrl;
  const stored = await asCaller(services, caller, (trx) => findMessageByMediaId(trx, caller.workspaceId, mediaId));
  if (stored?.isStored && stored.mimeType !== null) {
    const { token } = await createMediaToken(services, { workspaceId: caller.workspaceId, messageId: stored.messageId });
    return {
      messaging_product: "whatsapp",
      url: `${publicUrl}/media/${token}`,
      mime_type: stored.mimeType,
      ...(stored.sha256 !== null ? { sha256: toHexDigest(stored.sha256) } : {}),
      ...(stored.size !== null ? { file_size: stored.size } : {}),
      id: mediaId,
    };
  }
  const numberId = await numberForMedia(services, caller, stored?.numberId, phoneNumberId);
  const info = await callGraph(services, caller.workspaceId, numberId, (graph, token) => graph.getMedia(mediaId, token));
  const { token } = await createMediaLinkToken(services, { workspaceId: caller.workspaceId, numberId, mediaId });
  return {
    messaging_product: "whatsapp",
    url: `${publicUrl}/graph/media/${token}`,
    mime_type: info.mimeType,
    ...(info.sha256 !== undefined ? { sha256: info.sha256 } : {}),
    ...(info.fileSize !== undefined ? { file_size: info.fileSize } : {}),
    id: mediaId,
  };
}

/**
 * GET /{media-id} gives sha256 in hex; inbound webhooks give it in base64, as Parley keeps it.
 * A digest already in hex (32 bytes) is left as it is.
 */
function toHexDigest(value: string): string {
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  const bytes = Buffer.from(value, "base64");
  return bytes.length === 32 ? bytes.toString("hex") : value;
}

/** DELETE /{media-id}: deleted at Meta through the number's token. */
export async function deleteMedia(
  services: Services,
  caller: Caller,
  mediaId: string,
  phoneNumberId: string | undefined,
): Promise<{ success: true }> {
  requirePermission(caller, "messages.send");
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(mediaId)) throw unknownObject();
  const stored = await asCaller(services, caller, (trx) => findMessageByMediaId(trx, caller.workspaceId, mediaId));
  const numberId = await numberForMedia(services, caller, stored?.numberId, phoneNumberId);
  await callGraph(services, caller.workspaceId, numberId, (graph, token) =>
    graph.request({ method: "DELETE", path: `/${mediaId}`, token }),
  );
  return { success: true };
}

/** Bytes of a Meta media id behind a proxy download link, fetched with the number's token. */
export async function downloadLinkedMedia(
  services: Services,
  grant: { workspaceId: string; numberId: string; mediaId: string },
): Promise<{ bytes: Buffer; mimeType: string }> {
  return callGraph(services, grant.workspaceId, grant.numberId, async (graph, token) => {
    const info = await graph.getMedia(grant.mediaId, token);
    const mediaType = mediaTypeOf(info.mimeType);
    if (!mediaType) throw new GraphError({ httpStatus: 400, code: 131053, message: "unsupported media type" });
    const { bytes } = await graph.downloadMedia(info.url, token, { maxBytes: MEDIA_LIMITS[mediaType].maxBytes });
    return { bytes, mimeType: info.mimeType };
  });
}

export type GraphTemplate = {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string | null;
  parameter_format: string;
  components: Record<string, unknown>[];
};

function toGraphTemplate(view: TemplateView): GraphTemplate {
  const components: Record<string, unknown>[] = [];
  const stored = view.components;
  if (stored?.header)
    components.push({ type: "HEADER", format: stored.header.format, ...(stored.header.text !== null ? { text: stored.header.text } : {}) });
  if (stored?.body) components.push({ type: "BODY", text: stored.body.text });
  if (stored?.footer) components.push({ type: "FOOTER", text: stored.footer.text });
  if (stored && stored.buttons.length > 0)
    components.push({
      type: "BUTTONS",
      buttons: stored.buttons.map((button) => ({
        type: button.type,
        text: button.text,
        ...(button.url !== null ? { url: button.url } : {}),
      })),
    });
  return {
    id: view.id,
    name: view.name,
    language: view.language,
    status: view.status,
    category: view.category,
    parameter_format: view.parameterFormat,
    components,
  };
}

/**
 * GET /{waba-id}/message_templates (or /{phone-number-id}/message_templates): the templates of the
 * number's WABA from Parley's catalogue (kept in step with Meta by sync and webhooks).
 */
export async function listGraphTemplates(
  services: Services,
  caller: Caller,
  objectId: string,
  filter: { status?: string | undefined; name?: string | undefined },
): Promise<{ data: GraphTemplate[]; paging: { cursors: { before: string; after: string } } }> {
  requirePermission(caller, "messages.send");
  if (!/^\d{1,32}$/.test(objectId)) throw unknownObject();
  const byWaba = await asCaller(services, caller, (trx) => findNumbersByWabaId(trx, caller.workspaceId, objectId));
  const number = byWaba[0] ?? (await resolveNumber(services, caller, objectId));
  let views: TemplateView[];
  try {
    views = await listTemplatesFor(services, caller, { numberId: number.id, status: filter.status ?? "ALL", name: filter.name });
  } catch (error) {
    throw toGraphProxyError(error);
  }
  return { data: views.map(toGraphTemplate), paging: { cursors: { before: "", after: "" } } };
}
