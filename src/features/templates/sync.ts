import { z } from "zod";
import { withWorkspace } from "../../db/with-workspace.ts";
import { AppError } from "../../errors.ts";
import { loadNumberCredentials } from "../numbers/repository.ts";
import { graphClientFor } from "../numbers/service.ts";
import type { Services } from "../../services.ts";
import { toStoredComponents } from "../../whatsapp/templates/components.ts";
import type { TemplateReport } from "../../whatsapp/templates/status.ts";
import { applyTemplateReports } from "./repository.ts";

// A full read of a WABA's templates (GET /{waba-id}/message_templates), for a number just
// connected or webhooks missed; it also brings the components (webhooks carry status only). Reports are stamped with the time of the read, so a webhook
// newer than the read still wins and an older one cannot undo it.

const MAX_PAGES = 100;
const PAGE_SIZE = 100;

const listAnswer = z.looseObject({
  data: z
    .array(
      z.looseObject({
        id: z.string().regex(/^\d{1,32}$/),
        name: z.string().min(1).max(512),
        language: z.string().min(1).max(20),
        status: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
        category: z.string().max(64).optional(),
        rejected_reason: z.string().max(1000).optional(),
        parameter_format: z.string().max(32).optional(),
        message_send_ttl_seconds: z.number().int().min(-1).max(2_592_000).optional(),
        components: z.array(z.unknown()).max(20).optional(),
      }),
    )
    .max(1_000),
  paging: z
    .looseObject({ cursors: z.looseObject({ after: z.string().max(1_000).optional() }).optional(), next: z.string().max(4_096).optional() })
    .optional(),
});

/** Lists the number's WABA templates from Graph and upserts them. Returns how many were listed. */
export async function syncTemplates(
  services: Services,
  workspaceId: string,
  numberId: string,
): Promise<{ listed: number; changed: number }> {
  const credentials = await withWorkspace(services.db, { workspaceId }, (trx) =>
    loadNumberCredentials(trx, services.keyring, workspaceId, numberId),
  );
  if (!credentials) throw new AppError("NOT_FOUND");
  const graph = graphClientFor(services);
  const at = new Date();
  const reports: TemplateReport[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = listAnswer.safeParse(
      await graph.request({
        method: "GET",
        path: `/${credentials.wabaId}/message_templates`,
        token: credentials.accessToken,
        query: {
          fields: "id,name,language,status,category,rejected_reason,parameter_format,message_send_ttl_seconds,components",
          limit: String(PAGE_SIZE),
          ...(after ? { after } : {}),
        },
      }),
    );
    if (!answer.success) throw new Error("the template list answered in an unexpected shape");
    for (const template of answer.data.data) {
      const format = template.parameter_format?.toUpperCase() === "NAMED" ? "NAMED" : "POSITIONAL";
      reports.push({
        wabaId: credentials.wabaId,
        name: template.name,
        language: template.language,
        status: template.status.toUpperCase(),
        reason: template.rejected_reason ?? null,
        category: template.category?.toUpperCase() ?? null,
        metaTemplateId: template.id,
        at,
        parameterFormat: format,
        messageSendTtlSeconds: template.message_send_ttl_seconds ?? null,
        components: template.components === undefined ? null : toStoredComponents(template.components, format),
      });
    }
    after = answer.data.paging?.cursors?.after;
    if (!answer.data.paging?.next || !after || answer.data.data.length === 0) break;
  }
  const changed = await withWorkspace(services.db, { workspaceId }, (trx) =>
    applyTemplateReports(trx, services.keyring, workspaceId, reports),
  );
  return { listed: reports.length, changed };
}
