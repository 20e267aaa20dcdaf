import { z } from "zod";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { defineRoute } from "../../http/define-route.ts";
import { listNumberEvents } from "./events.ts";
import { numberExists } from "./repository.ts";

// GET …/numbers/:numberId/events: what Meta reported about a number that is not a message — the
// errors of `value.errors`, failed statuses and inbound messages, and the changes Parley does not
// apply yet — with their counts. Codes, titles and scrubbed explanations only.

const params = z.strictObject({ workspaceId: z.uuid(), numberId: z.uuid() });

const eventResponse = z.object({
  id: z.uuid(),
  kind: z.enum(["webhook_error", "status_error", "message_error", "unsupported_field", "unparsed_item"]),
  code: z.number().int().nullable().describe("Meta's error code (e.g. 131047), for errors."),
  title: z.string().nullable(),
  detail: z.string().nullable().describe("Meta's explanation, scrubbed of phone numbers and the like."),
  field: z.string().nullable().describe("The webhook field, message type or status the event came with."),
  wamid: z.string().nullable(),
  occurredAt: z.iso.datetime(),
});

export const numberEventsRoute = defineRoute({
  method: "GET",
  url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/events",
  summary: "Errors and unsupported changes Meta reported for the number (newest first), with their counts.",
  tags: ["numbers"],
  permission: "numbers.manage",
  caller: true,
  errors: ["NOT_FOUND", "VALIDATION_FAILED"],
  schema: {
    params,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: {
      200: z.object({
        errorCount: z.number().int().describe("Errors recorded for the number, all time."),
        unsupportedCount: z.number().int().describe("Changes and items Parley kept without applying them."),
        events: z.array(eventResponse),
      }),
    },
  },
  handler: async ({ services, caller, params: { workspaceId, numberId }, query }) => {
    const summary = await withWorkspace(services.db, { workspaceId, userId: caller.userId, role: caller.role }, async (trx) => {
      if (!(await numberExists(trx, workspaceId, numberId))) throw new AppError("NOT_FOUND", "The number does not exist.");
      return listNumberEvents(trx, workspaceId, numberId, { limit: query.limit });
    });
    return { ...summary, events: summary.events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })) };
  },
});
