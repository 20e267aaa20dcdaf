import type { Simulator } from "../../../sim/index.ts";
import { withoutWorkspace, withWorkspace } from "../../db/with-workspace.ts";
import type { Services } from "../../services.ts";
import { restoreSandboxTemplate, seedSandboxTemplates, type SandboxTemplate } from "../../whatsapp/sandbox.ts";
import type { StoredTemplateComponents } from "../../whatsapp/templates/components.ts";
import {
  listOpenServiceWindows,
  listSandboxNumberIds,
  listWabaTemplates,
  loadSandboxAccount,
  type StoredSandboxTemplate,
} from "./repository.ts";
import { webhookUrlFor } from "./service.ts";

// Start-up in sandbox mode: the simulator's state is in memory and Parley's database is the truth.
// Every connected sandbox number is put back on the simulator — its account (app id and secret,
// WABA, phone number, token), its webhook target, its templates and its customers' open service
// windows — before the web role listens, so customer messages and status webhooks keep flowing.

const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
const TEMPLATE_STATUSES = new Set(["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED"]);

export type SandboxRestoreResult = { restored: number; skipped: number };

function toMetaComponents(stored: StoredTemplateComponents | null): Record<string, unknown>[] {
  if (!stored) return [];
  const components: Record<string, unknown>[] = [];
  if (stored.header)
    components.push({ type: "HEADER", format: stored.header.format, ...(stored.header.text === null ? {} : { text: stored.header.text }) });
  if (stored.body) components.push({ type: "BODY", text: stored.body.text });
  if (stored.footer) components.push({ type: "FOOTER", text: stored.footer.text });
  if (stored.buttons.length > 0)
    components.push({
      type: "BUTTONS",
      buttons: stored.buttons.map((button) => ({
        type: button.type,
        text: button.text,
        ...(button.url === null ? {} : { url: button.url }),
      })),
    });
  return components;
}

function toSandboxTemplate(template: StoredSandboxTemplate): SandboxTemplate | undefined {
  if (!TEMPLATE_STATUSES.has(template.status)) return undefined;
  return {
    id: template.metaTemplateId,
    name: template.name,
    language: template.language,
    category: template.category ?? "UTILITY",
    parameterFormat: template.parameterFormat ?? "POSITIONAL",
    components: toMetaComponents(template.components),
    status: template.status as SandboxTemplate["status"],
  };
}

/** Re-registers every connected sandbox number on a freshly started simulator. */
export async function restoreSandboxNumbers(
  services: Services,
  simulator: Simulator,
  now: Date = new Date(),
): Promise<SandboxRestoreResult> {
  const numbers = await withoutWorkspace(services.db, (trx) => listSandboxNumberIds(trx));
  const since = new Date(now.getTime() - SERVICE_WINDOW_MS);
  const result: SandboxRestoreResult = { restored: 0, skipped: 0 };
  for (const { workspaceId, numberId } of numbers) {
    const loaded = await withWorkspace(services.db, { workspaceId }, async (trx) => {
      const account = await loadSandboxAccount(trx, services.keyring, workspaceId, numberId);
      if (!account) return undefined;
      const templates = await listWabaTemplates(trx, services.keyring, workspaceId, account.wabaId);
      const windows = await listOpenServiceWindows(trx, services.keyring, workspaceId, numberId, since);
      return { account, templates, windows };
    });
    if (!loaded) continue;
    const { account, templates, windows } = loaded;
    const displayPhoneNumber = account.displayPhoneNumber?.replace(/\D/g, "");
    try {
      simulator.addAccount({
        ...(account.appId === null ? {} : { appId: account.appId }),
        appSecret: account.appSecret,
        wabaId: account.wabaId,
        phoneNumberId: account.phoneNumberId,
        ...(displayPhoneNumber ? { displayPhoneNumber } : {}),
        accessToken: account.accessToken,
        webhookUrl: webhookUrlFor(services, account.webhookKey),
      });
    } catch {
      // Two numbers connected before each workspace had its own account share the simulator's
      // ids: the first keeps them; the others connect a new sandbox number.
      result.skipped += 1;
      services.logger.warn(
        { component: "sandbox", workspaceId, numberId },
        "sandbox number not restored: its simulator ids belong to another sandbox number",
      );
      continue;
    }
    const restorable = templates.map(toSandboxTemplate).filter((template) => template !== undefined);
    for (const template of restorable) restoreSandboxTemplate(simulator, account.wabaId, template);
    if (restorable.length === 0) seedSandboxTemplates(simulator, account.wabaId);
    for (const window of windows) simulator.openServiceWindow(window.phone.replace(/\D/g, ""), window.lastInboundAt.getTime());
    result.restored += 1;
  }
  return result;
}
