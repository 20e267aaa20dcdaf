import { LRUCache } from "lru-cache";
import type { Services } from "../services.ts";
import type { Coordination } from "../coordination/types.ts";

// Per-instance caches of what every request checks (session liveness, membership, MFA state,
// the keyset). Each entry lives a short while and is dropped at once when any instance publishes
// an invalidation on the coordination pub/sub, so logout, password change, MFA reset, role change
// and removal bind every instance on the very next request.

const CHANNEL = "identity.invalidate";
const DEFAULT_TTL_MS = 30_000;

/** A bounded map whose entries expire `ttlMs` after they were set (lru-cache: least recently used go first). */
export class TtlCache<T> {
  // Boxed: lru-cache refuses null and undefined values, and "not a member" is cached as null.
  readonly #entries: LRUCache<string, { value: T }>;

  constructor(ttlMs = DEFAULT_TTL_MS, maxEntries = 10_000) {
    this.#entries = new LRUCache({ max: maxEntries, ttl: ttlMs });
  }

  get(key: string): T | undefined {
    return this.#entries.get(key)?.value;
  }

  set(key: string, value: T): void {
    this.#entries.set(key, { value });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  deleteWhere(predicate: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (predicate(key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

export type CachedSession = {
  userId: string;
  revoked: boolean;
  absoluteExpiresAt: number;
  reauthenticatedAt: number | null;
};

export type CachedUser = { mfaEnrolled: boolean };

export type IdentityCaches = {
  sessions: TtlCache<CachedSession>;
  /** `${workspaceId}:${userId}` → role, or null when not a member. */
  memberships: TtlCache<string | null>;
  users: TtlCache<CachedUser>;
  /** workspaceId → require_mfa_for_all. */
  mfaPolicies: TtlCache<boolean>;
  /** Bumped when the keyset changes; the keyset module reloads when it sees a new value. */
  keysetGeneration: number;
  subscribed: Promise<void> | undefined;
  /** Told of every invalidation applied here, local or from another instance (open event streams recheck access). */
  listeners: Set<(invalidation: Invalidation) => void>;
};

export type Invalidation =
  | { type: "session"; sessionId: string }
  | { type: "user"; userId: string }
  | { type: "membership"; workspaceId: string; userId: string }
  | { type: "workspace"; workspaceId: string }
  | { type: "keys" };

// Keyed by the services object the app was composed with: one set of caches per app instance.
const cachesByServices = new WeakMap<Services, IdentityCaches>();

export function identityCaches(services: Services): IdentityCaches {
  let caches = cachesByServices.get(services);
  if (!caches) {
    caches = {
      sessions: new TtlCache(),
      memberships: new TtlCache(),
      users: new TtlCache(),
      mfaPolicies: new TtlCache(),
      keysetGeneration: 0,
      subscribed: undefined,
      listeners: new Set(),
    };
    cachesByServices.set(services, caches);
  }
  return caches;
}

function apply(caches: IdentityCaches, invalidation: Invalidation): void {
  switch (invalidation.type) {
    case "session":
      caches.sessions.delete(invalidation.sessionId);
      break;
    case "user":
      caches.users.delete(invalidation.userId);
      caches.sessions.clear();
      caches.memberships.deleteWhere((key) => key.endsWith(`:${invalidation.userId}`));
      break;
    case "membership":
      caches.memberships.delete(`${invalidation.workspaceId}:${invalidation.userId}`);
      break;
    case "workspace":
      caches.mfaPolicies.delete(invalidation.workspaceId);
      caches.memberships.deleteWhere((key) => key.startsWith(`${invalidation.workspaceId}:`));
      break;
    case "keys":
      caches.keysetGeneration += 1;
      break;
  }
  for (const listener of caches.listeners) {
    try {
      listener(invalidation);
    } catch {
      // A listener's failure must not stop the others (nor the cache, already updated).
    }
  }
}

/**
 * Calls `listener` with every invalidation applied on this instance from now on (its own and, once
 * subscribed, every other instance's). Returns the function that stops it.
 */
export function onInvalidation(services: Services, listener: (invalidation: Invalidation) => void): () => void {
  const { listeners } = identityCaches(services);
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Starts listening for other instances' invalidations (once per services). */
export async function subscribeToInvalidations(services: Services): Promise<void> {
  const caches = identityCaches(services);
  caches.subscribed ??= services.coordination.pubsub
    .subscribe(CHANNEL, (message) => {
      try {
        apply(caches, JSON.parse(message) as Invalidation);
      } catch {
        // An unreadable message is dropped; entries still expire on their own.
      }
    })
    .then(() => undefined)
    .catch((error: unknown) => {
      caches.subscribed = undefined;
      throw error;
    });
  await caches.subscribed;
}

/**
 * Drops the entry here at once, then tells every other instance. Call after the change committed.
 * When the coordination store is down the local drop still happens; the others expire within the TTL.
 */
/**
 * Tells every running instance to reload the JWT keyset, from a process without services (the CLI
 * after `parley keys rotate-signing`). Each instance applies it as it applies its own rotation.
 */
export async function notifyKeysetChanged(coordination: Coordination): Promise<void> {
  const invalidation: Invalidation = { type: "keys" };
  await coordination.pubsub.publish(CHANNEL, JSON.stringify(invalidation));
}

export async function publishInvalidation(services: Services, invalidation: Invalidation): Promise<void> {
  apply(identityCaches(services), invalidation);
  await services.coordination.pubsub.publish(CHANNEL, JSON.stringify(invalidation)).catch((error: unknown) => {
    services.logger.warn({ err: error, component: "identity" }, "could not publish a cache invalidation");
  });
}

/** Call after changing a member's role or removing them (C's member routes use this). */
export async function invalidateMembership(services: Services, workspaceId: string, userId: string): Promise<void> {
  await publishInvalidation(services, { type: "membership", workspaceId, userId });
}

/** Call after changing a workspace's security policy (e.g. require_mfa_for_all). */
export async function invalidateWorkspacePolicy(services: Services, workspaceId: string): Promise<void> {
  await publishInvalidation(services, { type: "workspace", workspaceId });
}
