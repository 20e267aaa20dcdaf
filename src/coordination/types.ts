// Coordination port: rate limiting and pub/sub. In-process for one instance, Redis for many.
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

export type RateLimiter = {
  /**
   * Counts one hit for `key` and decides. Throws CoordinationUnavailableError when the store cannot
   * answer: callers refuse the request (fail closed) rather than let it through.
   */
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  /** Forgets the hits of `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
};

export type Unsubscribe = () => Promise<void>;

export type PubSub = {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
};

export type Coordination = {
  kind: "memory" | "redis";
  rateLimiter: RateLimiter;
  pubsub: PubSub;
  /** Resolves when the store answers; throws CoordinationUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export class CoordinationUnavailableError extends Error {
  constructor(cause?: unknown) {
    super("coordination store unavailable", cause === undefined ? undefined : { cause });
    this.name = "CoordinationUnavailableError";
  }
}
