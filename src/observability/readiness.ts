import { pingAsRuntimeRole } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";

// What "ready" means for a load balancer: this instance can do its work, which takes the
// database. The coordination store (Redis) is shared by every instance: were it part of readiness,
// a Redis outage would take every instance out of rotation at once, including the routes that never
// need it. Those that do (rate-limited routes, the send governor) refuse on their own while it is
// gone (fail closed), so readiness reports it as degraded and stays ready.

const CHECK_TIMEOUT_MS = 3_000;

export type Readiness = {
  isReady: boolean;
  checks: { database: "ok" | "failed"; coordination: "ok" | "degraded" };
  /** The database check's failure, for the log line (never for the answer). */
  error?: unknown;
};

export async function checkReadiness(services: Pick<Services, "db" | "coordination">): Promise<Readiness> {
  const [database, coordination] = await Promise.all([
    runCheck(() => pingAsRuntimeRole(services.db)),
    runCheck(() => services.coordination.ping()),
  ]);
  return {
    isReady: database.ok,
    checks: { database: database.ok ? "ok" : "failed", coordination: coordination.ok ? "ok" : "degraded" },
    ...(database.ok ? {} : { error: database.error }),
  };
}

async function runCheck(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}
