import type { Services } from "../../services.ts";
import { createGroupCommit, type GroupCommit } from "../../db/group-commit.ts";
import { createEndpointCache, type EndpointCache } from "./endpoint-cache.ts";
import type { InboundPort } from "../inbound/port.ts";
import { resolveWebhookEndpoint, storeInboundEvents, type WebhookEndpoint } from "./store.ts";

// The hot path of webhook ingest. Two costs dominate a naive receiver: looking the endpoint and its
// app secret up (two transactions) and one commit (an fsync) per delivery. So:
//  - the endpoint and its app secret are cached in memory for a few seconds (never logged), loaded
//    once however many deliveries miss at the same moment, and reloaded ahead of expiry in the
//    background (endpoint-cache.ts);
//  - verified deliveries are stored by group commit: deliveries arriving while a commit is in
//    flight wait for the next one, which stores them all in one transaction per workspace. Each
//    delivery's promise resolves only after its own transaction committed, so the 200 still comes
//    after durable storage — and a failed commit fails exactly the deliveries in it.
//  - on PostgreSQL two such transactions per workspace may be in flight at once (on two pooled
//    connections; they insert disjoint rows, so neither waits for the other's locks): a batch held
//    up by a slow flush or a descheduled backend no longer holds up every delivery behind it. In
//    same-run A/B probes with the webhook-ingest benchmark's receiver and load generator, this cut
//    the p99 at half load by a quarter to a half and raised the rate at 256 connections by ~15 %.
//    The second batch starts only while 32 or more deliveries wait: under lighter traffic two
//    batches in flight only split the deliveries into twice as many smaller transactions, which
//    cost PostgreSQL about a third more CPU per delivery at half load in same-run probes.
//    PGlite has one connection: one batch at a time there.

const ENDPOINT_TTL_MS = 5_000;
const ENDPOINT_REFRESH_AFTER_MS = 2_500;
const MAX_ENDPOINTS = 10_000;
const MAX_BATCH = 256;
const PARALLEL_BATCHES: Record<Services["db"]["engine"], number> = { postgres: 2, pglite: 1 };
/** The second batch joins only while this many deliveries wait (see above). */
const PARALLEL_FROM = 32;

export type VerifiedEndpoint = WebhookEndpoint & { appSecret: string };

type Delivery = { workspaceId: string; numberId: string; rawBody: Buffer };

type IngestState = {
  /** Where the endpoints' secrets come from: set by the first lookup (the routes hold the port). */
  port: InboundPort | undefined;
  /** Webhook key → its endpoint, or null for an unknown key (cached too). */
  endpoints: EndpointCache<VerifiedEndpoint | null>;
  /** One transaction per workspace and batch. */
  commits: GroupCommit<Delivery, void>;
};

const states = new WeakMap<Services, IngestState>();

function stateOf(services: Services): IngestState {
  let state = states.get(services);
  if (!state) {
    const created: IngestState = {
      port: undefined,
      endpoints: createEndpointCache((webhookKey) => loadVerifiedEndpoint(services, created.port, webhookKey), {
        ttlMs: ENDPOINT_TTL_MS,
        refreshAfterMs: ENDPOINT_REFRESH_AFTER_MS,
        maxEntries: MAX_ENDPOINTS,
      }),
      commits: createGroupCommit<Delivery, void>(
        async (workspaceId, items) => {
          await storeInboundEvents(services.db, services.keyring, workspaceId, items);
          return items.map(() => undefined);
        },
        { maxBatch: MAX_BATCH, parallel: PARALLEL_BATCHES[services.db.engine], parallelFrom: PARALLEL_FROM },
      ),
    };
    state = created;
    states.set(services, state);
  }
  return state;
}

/** The endpoint behind a webhook key and its app secret, or null when the key is unknown. */
export function findVerifiedEndpoint(services: Services, port: InboundPort, webhookKey: string): Promise<VerifiedEndpoint | null> {
  const state = stateOf(services);
  state.port = port;
  return state.endpoints.get(webhookKey);
}

async function loadVerifiedEndpoint(
  services: Services,
  port: InboundPort | undefined,
  webhookKey: string,
): Promise<VerifiedEndpoint | null> {
  const endpoint = await resolveWebhookEndpoint(services.db, webhookKey);
  if (!endpoint || !port) return null;
  const secrets = await port.webhookSecrets(services, endpoint);
  return secrets ? { ...endpoint, appSecret: secrets.appSecret } : null;
}

/** Forgets cached endpoints (after a number is connected, changed or disconnected). */
export function forgetWebhookEndpoints(services: Services): void {
  stateOf(services).endpoints.clear();
}

/** Stores a verified delivery durably (group commit); resolves once its transaction committed. */
export function ingestDelivery(services: Services, delivery: Delivery): Promise<void> {
  return stateOf(services).commits.submit(delivery.workspaceId, delivery);
}
