import { z } from "zod";
import { pingAsRuntimeRole } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { defineRoute } from "../define-route.ts";

const CHECK_TIMEOUT_MS = 3_000;

type CheckResult = "ok" | "failed";

export const healthRoutes = [
  defineRoute({
    method: "GET",
    url: "/healthz",
    summary: "Liveness: the process answers.",
    tags: ["health"],
    public: "liveness probe for orchestrators; reveals nothing but that the process runs",
    schema: { response: { 200: z.object({ status: z.literal("ok") }) } },
    handler: async () => ({ status: "ok" as const }),
  }),
  defineRoute({
    method: "GET",
    url: "/readyz",
    summary: "Readiness: the database (as the runtime role) and the coordination store answer.",
    tags: ["health"],
    public: "readiness probe for load balancers; reports only which dependency is down",
    errors: ["NOT_READY"],
    schema: {
      response: {
        200: z.object({
          status: z.literal("ready"),
          checks: z.object({ database: z.literal("ok"), coordination: z.literal("ok") }),
        }),
      },
    },
    handler: async ({ services, requestId }) => {
      const [database, coordination] = await Promise.all([
        runCheck(() => pingAsRuntimeRole(services.db)),
        runCheck(() => services.coordination.ping()),
      ]);
      const checks = { database: database.result, coordination: coordination.result };
      if (database.result === "ok" && coordination.result === "ok") {
        return { status: "ready" as const, checks: { database: "ok" as const, coordination: "ok" as const } };
      }
      services.logger.warn(
        { requestId, checks, err: database.error ?? coordination.error },
        "readiness check failed",
      );
      throw new AppError("NOT_READY", undefined, { details: { checks } });
    },
  }),
];

async function runCheck(check: () => Promise<unknown>): Promise<{ result: CheckResult; error?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { result: "ok" };
  } catch (error) {
    return { result: "failed", error };
  } finally {
    clearTimeout(timer);
  }
}
