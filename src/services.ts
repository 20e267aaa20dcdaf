import type { BlobStore } from "./blob/types.ts";
import type { Config } from "./config.ts";
import type { Coordination } from "./coordination/types.ts";
import type { Keyring } from "./crypto/keyring.ts";
import type { Database } from "./db/database.ts";
import type { Simulator } from "../sim/index.ts";
import type { Logger } from "./log/logger.ts";

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
};
