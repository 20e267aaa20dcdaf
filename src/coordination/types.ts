// Coordination port: rate limiting, pub/sub and short-lived shared state. In-process for one
// instance, Redis for many.
// Redis coordinates but holds no truth (DESIGN §1.2): losing it never loses or duplicates data.

export type RateLimitRule = {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
};

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the caller may try again (0 when allowed). */
  retryAfterMs: number;
};

/**
 * The answer for several windows over one key (e.g. 3/s, 20/10 s and 100/min): refused when any
 * window is full. `limit`, `remaining` and `resetMs` describe the binding window — the one that
 * refused (the longest wait when several did), else the one with the fewest requests left.
 */
export type MultiWindowDecision = RateLimitDecision & {
  /** The binding window's length. */
  windowMs: number;
  /** Milliseconds until the binding window has room again (allowed) or a request may succeed (refused). */
  resetMs: number;
};

export type RateLimiter = {
  /**
   * Counts one hit for `key` and decides. Throws CoordinationUnavailableError when the store cannot
   * answer: callers refuse the request (fail closed) rather than let it through.
   */
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  /**
   * Counts one hit for `key` against every window at once: recorded in all when every window has
   * room, in none when one is full (a refused hit never extends a lock-out). Throws
   * CoordinationUnavailableError like `hit`.
   */
  hitWindows(key: string, rules: readonly RateLimitRule[]): Promise<MultiWindowDecision>;
  /** Forgets the hits of `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
};

export type Unsubscribe = () => Promise<void>;

export type PubSub = {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
};

/**
 * Short-lived values grouped under a key, each member with its own time to live (e.g. who is
 * viewing a conversation). Expired members are never returned. Like everything here it holds no
 * truth: a lost store forgets values that would have expired anyway.
 */
export type EphemeralStore = {
  /** Sets (or replaces) `member`'s value in `group` for `ttlMs`. */
  put(group: string, member: string, value: string, ttlMs: number): Promise<void>;
  /** Drops `member` from `group`; true when it was there (and unexpired). */
  remove(group: string, member: string): Promise<boolean>;
  /** `member`'s value in `group`, or undefined when absent or expired. */
  get(group: string, member: string): Promise<string | undefined>;
  /** The group's unexpired members and their values. */
  list(group: string): Promise<Map<string, string>>;
};

export type Coordination = {
  kind: "memory" | "redis";
  rateLimiter: RateLimiter;
  pubsub: PubSub;
  ephemeral: EphemeralStore;
  /** Resolves when the store answers; throws CoordinationUnavailableError otherwise. */
  ping(): Promise<void>;
  /** The live connection's TLS state, for `parley doctor` (the in-process store has no connection). */
  connectionSecurity?(): Promise<ConnectionSecurity>;
  close(): Promise<void>;
};

/** `isVerified`: the server's certificate chained to a trusted CA and named the host connected to. */
export type ConnectionSecurity = { isEncrypted: boolean; isVerified: boolean; protocol: string | undefined };

export class CoordinationUnavailableError extends Error {
  constructor(cause?: unknown) {
    super("coordination store unavailable", cause === undefined ? undefined : { cause });
    this.name = "CoordinationUnavailableError";
  }
}
