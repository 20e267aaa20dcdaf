import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { listTemplatesFor, syncTemplatesFor, type TemplateView } from "./catalogue.ts";
import { safeString } from "../../http/safe-string.ts";

// Templates under /api/v1/workspaces/:workspaceId/templates: whoever may send lists them (the
// composer offers the approved ones when the 24-hour window is closed); Owners and Admins
// (templates.manage) read them again from WhatsApp.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });

const headerFormat = z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]);

const templateResponse = z.object({
  id: z.uuid(),
  wabaId: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  parameterFormat: z.enum(["POSITIONAL", "NAMED"]),
  components: z
    .object({
      header: z.object({ format: headerFormat, text: z.string().nullable() }).nullable(),
      body: z.object({ text: z.string() }).nullable(),
      footer: z.object({ text: z.string() }).nullable(),
      buttons: z.array(z.object({ type: z.string(), text: z.string(), url: z.string().nullable() })),
    })
    .nullable()
    .describe("Null until a sync has read the template's components."),
  parameters: z
    .object({
      header: z
        .union([
          z.object({ kind: z.literal("text"), names: z.array(z.string()) }),
          z.object({ kind: z.literal("media"), format: z.enum(["IMAGE", "VIDEO", "DOCUMENT"]) }),
        ])
        .nullable(),
      body: z.array(z.string()),
    })
    .nullable()
    .describe("The parameters a send must give: names ('1', '2', … or named), in order."),
  statusAt: z.iso.datetime(),
});

function present(view: TemplateView): z.input<typeof templateResponse> {
  return { ...view, statusAt: view.statusAt.toISOString() };
}

export const templateRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/templates",
    summary:
      "Message templates by name and language: a number's (its WABA's) when `numberId` is given, APPROVED unless `status` says otherwise (ALL for every status).",
    tags: ["templates"],
    permission: "messages.send",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: workspaceParams,
      query: z.strictObject({
        numberId: z.uuid().optional(),
        status: safeString(64)
          .regex(/^[A-Za-z_]{1,64}$/)
          .transform((value) => value.toUpperCase())
          .default("APPROVED"),
        name: safeString(512).min(1).optional(),
      }),
      response: { 200: z.object({ data: z.array(templateResponse) }) },
    },
    handler: async ({ services, caller, query }) => {
      return { data: (await listTemplatesFor(services, caller, query)).map(present) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/templates/sync",
    summary: "Reads the number's WABA templates (status and components) from WhatsApp and stores them. Audited.",
    tags: ["templates"],
    permission: "templates.manage",
    caller: true,
    rateLimit: { limit: 10, windowMs: 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE", "RATE_LIMITED"],
    schema: {
      params: workspaceParams,
      body: z.strictObject({ numberId: z.uuid() }),
      response: { 200: z.object({ listed: z.number().int(), changed: z.number().int() }) },
    },
    handler: async ({ services, caller, body }) => {
      return syncTemplatesFor(services, caller, body.numberId);
    },
  }),
];
