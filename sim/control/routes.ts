import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { accountSchema } from "./accounts.ts";
import { USER_ID_PATTERN } from "../customers.ts";
import { customerMessageSchema } from "./customer-messages.ts";
import type { ControlApi } from "./control-api.ts";
import { advanceSchema, customerSettingsSchema, faultsSchema, marketingPreferenceSchema, tokenSchema } from "./control-api.ts";

type Credentials = () => Record<string, unknown>;

function parseJson(body: unknown): unknown {
  if (typeof body !== "string" || body.length === 0) return {};
  return JSON.parse(body) as unknown;
}

function sendInvalid(reply: FastifyReply, error: unknown): FastifyReply {
  const details =
    error instanceof z.ZodError
      ? error.issues.map((i) => ({ path: i.path.join("."), message: i.message }))
      : [{ path: "", message: "invalid JSON" }];
  return reply.code(400).send({ error: "invalid_request", details });
}

// A customer is named by phone (digits) or, for a user known only by a username, by BSUID.
const waIdParam = z.object({ waId: z.union([z.string().regex(/^\d{5,20}$/), z.string().regex(USER_ID_PATTERN)]) });

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Whether an Authorization header carries the control token (compared in constant time). */
export function hasControlToken(authorization: string | undefined, controlToken: string): boolean {
  const match = authorization ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization) : null;
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(controlToken));
}

// HTTP mirror of the control API, for demos and for tests written in other languages. With a
// control token, every /_sim request must present it: it lets a caller impersonate customers and
// read what they received, so only the embedding platform may drive it.
export function registerControlRoutes(app: FastifyInstance, control: ControlApi, credentials: Credentials, controlToken?: string): void {
  if (controlToken !== undefined) {
    app.addHook("onRequest", async (request, reply) => {
      // The matched route, not the raw URL, so no spelling of the path slips past.
      if (!request.routeOptions.url?.startsWith("/_sim/")) return;
      if (hasControlToken(request.headers.authorization, controlToken)) return;
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="simulator control"')
        .send({ error: "unauthorized", details: [{ path: "", message: "the control API needs its bearer token" }] });
    });
  }

  function route<T>(schema: z.ZodType<T>, run: (input: T, params: Record<string, string>) => unknown) {
    return async (request: { body: unknown; params: unknown }, reply: FastifyReply) => {
      let input: T;
      try {
        input = schema.parse(parseJson(request.body));
      } catch (error) {
        return sendInvalid(reply, error);
      }
      try {
        const result = await run(input, request.params as Record<string, string>);
        return reply.code(200).send(result ?? { ok: true });
      } catch (error) {
        if (error instanceof z.ZodError) return sendInvalid(reply, error);
        return reply
          .code(400)
          .send({ error: "invalid_request", details: [{ path: "", message: error instanceof Error ? error.message : "failed" }] });
      }
    };
  }

  app.get("/_sim/credentials", async () => credentials());

  app.post(
    "/_sim/customers/:waId/messages",
    route(z.record(z.string(), z.unknown()), (input, params) =>
      control.sendFromCustomer(
        customerMessageSchema.parse({
          ...input,
          ...(USER_ID_PATTERN.test(params.waId ?? "") ? { userId: params.waId } : { from: params.waId }),
        }),
      ),
    ),
  );
  app.put(
    "/_sim/customers/:waId",
    route(customerSettingsSchema, (input, params) => control.configureCustomer(waIdParam.parse(params).waId, input)),
  );
  app.post(
    "/_sim/customers/:waId/marketing-preference",
    route(marketingPreferenceSchema, (input, params) => control.setMarketingPreference(waIdParam.parse(params).waId, input)),
  );
  app.get("/_sim/customers/:waId/received", async (request, reply) => {
    const parsed = waIdParam.safeParse(request.params);
    if (!parsed.success) return sendInvalid(reply, parsed.error);
    return { data: control.listReceived(parsed.data.waId) };
  });

  app.post(
    "/_sim/statuses/advance",
    route(advanceSchema, (input) => ({ advanced: control.advanceStatuses(input) })),
  );
  app.post(
    "/_sim/statuses/settle",
    route(z.object({}), () => control.settleStatuses()),
  );
  app.post(
    "/_sim/clock/advance",
    route(
      z.object({
        ms: z
          .number()
          .int()
          .min(0)
          .max(400 * 86_400_000),
      }),
      (input) => control.advanceTime(input.ms),
    ),
  );

  app.get("/_sim/webhooks/deliveries", async () => ({ data: control.listWebhookDeliveries() }));
  app.post(
    "/_sim/webhooks/flush",
    route(z.object({}), () => control.flushWebhooks()),
  );
  app.put(
    "/_sim/webhooks",
    route(z.object({ url: z.url().max(2048).optional(), appSecret: z.string().min(1).max(256).optional() }), (input) =>
      control.configureWebhooks(input),
    ),
  );

  app.post(
    "/_sim/webhooks/verify",
    route(z.object({ verifyToken: z.string().min(1).max(256) }), (input) => control.verifyWebhookEndpoint(input.verifyToken)),
  );
  app.put(
    "/_sim/faults",
    route(faultsSchema, (input) => control.configureFaults(input)),
  );
  app.post(
    "/_sim/tokens",
    route(tokenSchema, (input) => control.createToken(input)),
  );
  app.put(
    "/_sim/phone-numbers/:id/throughput",
    route(z.object({ tier: z.union([z.literal(80), z.literal(1000)]) }), (input, params) =>
      control.setThroughput(params.id ?? "", input.tier),
    ),
  );
  app.put(
    "/_sim/templates/:name/review",
    route(
      z.object({
        event: z.enum(["APPROVED", "REJECTED"]),
        reason: z.string().max(64),
        rejectionInfo: z.object({ reason: z.string().max(1000), recommendation: z.string().max(1000) }).optional(),
        category: z.enum(["AUTHENTICATION", "MARKETING", "UTILITY"]).optional(),
      }),
      (input, params) => control.setTemplateReviewOutcome(params.name ?? "", input),
    ),
  );
  // Quality and category by template id: the webhooks Meta sends (quality, pause, disable, category).
  app.put(
    "/_sim/templates/:id/quality",
    route(z.object({ score: z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]) }), (input, params) =>
      control.setTemplateQuality(params.id ?? "", input.score),
    ),
  );
  app.put(
    "/_sim/templates/:id/category",
    route(
      z.object({ category: z.enum(["AUTHENTICATION", "MARKETING", "UTILITY"]), effectiveAt: z.iso.datetime().optional() }),
      (input, params) =>
        control.changeTemplateCategory(
          params.id ?? "",
          input.category,
          input.effectiveAt === undefined ? undefined : Date.parse(input.effectiveAt),
        ),
    ),
  );
  app.post(
    "/_sim/accounts",
    route(accountSchema, (input) => control.addAccount(input)),
  );
  app.put(
    "/_sim/accounts/:wabaId/webhook",
    route(z.object({ url: z.url().max(2048).nullable() }), (input, params) =>
      control.setAccountWebhook(params.wabaId ?? "", input.url ?? undefined),
    ),
  );
  app.post(
    "/_sim/reset",
    route(z.object({}), () => control.reset()),
  );
}
