import type { AccessRecorder } from "./audit/access.ts";
import type { BlobStore } from "./blob/types.ts";
import type { Config } from "./config.ts";
import type { Coordination } from "./coordination/types.ts";
import type { Keyring } from "./crypto/keyring.ts";
import type { Database } from "./db/database.ts";
import type { Simulator } from "../sim/index.ts";
import type { Logger } from "./log/logger.ts";
import type { Metrics } from "./observability/metrics.ts";
import type { Tracing } from "./observability/tracing.ts";
import type { Governor } from "./whatsapp/governor/types.ts";
import type { InboundPort } from "./whatsapp/inbound/port.ts";

/**
 * Everything a route handler or job may use, wired once in the composition root (src/app.ts) and
 * handed to handlers as an argument — no module-level singletons.
 */
export type Services = {
  config: Config;
  db: Database;
  coordination: Coordination;
  logger: Logger;
  keyring: Keyring;
  /** The in-process Cloud API simulator, in sandbox mode only (the Graph transport points at it). */
  sandbox?: Simulator;
  /**
   * Media and other large bytes, encrypted before they get here (src/blob). Optional so that
   * services built without it (tests, tools) still type-check; features that need it refuse clearly.
   */
  blobs?: BlobStore;
  /**
   * Appends access log entries in group commits (src/audit/access.ts). Without it (tools, some
   * tests) each read writes its entry in a transaction of its own.
   */
  accessLog?: AccessRecorder;
  /** Prometheus series this process records (src/observability/metrics.ts); absent in tools and most tests. */
  metrics?: Metrics;
  /** Present only when tracing is on (PARLEY_OTLP_ENDPOINT): nothing calls into tracing otherwise. */
  tracing?: Tracing;
};

/**
 * What the composition root (src/app.ts) hands every job definition's handler factory
 * (src/jobs/definition.ts): the services, and the worker's per-process parts.
 */
export type JobDependencies = {
  services: Services;
  /** The per-number send budget, shared by the worker's send jobs. */
  governor: Governor;
  /** Where the channel hands parsed inbound events to the product (src/whatsapp/inbound/port.ts). */
  inboundPort: InboundPort;
};
