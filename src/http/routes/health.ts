import { z } from "zod";
import { AppError } from "../../errors.ts";
import { checkReadiness } from "../../observability/readiness.ts";
import { defineRoute } from "../define-route.ts";

// Probes for orchestrators and load balancers: /livez (and its older name /healthz) says the
// process answers; /readyz says this instance can serve, which depends on the database only — a
// coordination (Redis) outage is reported as degraded, not unready (src/observability/readiness.ts).

const liveness = z.object({ status: z.literal("ok") });

function livenessRoute(url: string, summary: string) {
  return defineRoute({
    method: "GET",
    url,
    summary,
    tags: ["health"],
    public: "liveness probe for orchestrators; reveals nothing but that the process runs",
    schema: { response: { 200: liveness } },
    handler: async () => ({ status: "ok" as const }),
  });
}

export const healthRoutes = [
  livenessRoute("/livez", "Liveness: the process answers."),
  livenessRoute("/healthz", "Liveness: the process answers (the older name of /livez)."),
  defineRoute({
    method: "GET",
    url: "/readyz",
    summary: "Readiness: the database answers (as the runtime role); the coordination store is reported, degraded when down.",
    tags: ["health"],
    public: "readiness probe for load balancers; reports only which dependency is down",
    errors: ["NOT_READY"],
    schema: {
      response: {
        200: z.object({
          status: z.literal("ready"),
          checks: z.object({ database: z.literal("ok"), coordination: z.enum(["ok", "degraded"]) }),
        }),
      },
    },
    handler: async ({ services, requestId }) => {
      const readiness = await checkReadiness(services);
      if (readiness.isReady)
        return { status: "ready" as const, checks: { database: "ok" as const, coordination: readiness.checks.coordination } };
      services.logger.warn({ requestId, checks: readiness.checks, err: readiness.error }, "readiness check failed");
      throw new AppError("NOT_READY", undefined, { details: { checks: readiness.checks } });
    },
  }),
];
