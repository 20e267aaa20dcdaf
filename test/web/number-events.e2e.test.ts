import { describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { loadNumberCredentials } from "../../src/features/numbers/repository.ts";
import { webhookUrlFor } from "../../src/features/numbers/service.ts";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// A number's reports from WhatsApp in a real browser against a real Parley in sandbox mode: Meta
// posts a signed webhook whose value carries an `errors[]` for the number; under Settings → WhatsApp
// numbers, the number's collapsed summary counts it, and opened with the keyboard it shows the
// error's code and title. It fits a 390 px wide phone screen. Runs on both passes.

const dashboard = useDashboard();

describe("a number's reports from WhatsApp in the dashboard", () => {
  it(
    "shows an error Meta reported in a webhook for the number, with its code and title, collapsed until opened",
    { timeout: 180_000 },
    async () => {
      const { harness, owner } = dashboard;
      const { page } = owner;
      await screenshotOnFailure(
        "number-events-e2e",
        () => [page],
        async () => {
          const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@number-events.test", workspaceName: "Reports Co" });
          const settingsUrl = `${harness.address}/w/${workspaceId}/settings/numbers`;
          const reports = page.getByRole("region", { name: "Reports from WhatsApp" });

          // 1. Nothing reported yet: the summary says so.
          await page.goto(settingsUrl);
          await reports.getByTestId("number-error-count").filter({ hasText: "No errors" }).waitFor();

          // 2. Meta reports an error for the number in a signed webhook (a value-level `errors[]`).
          const services = harness.parley.services;
          const number = await withWorkspace(services.db, { workspaceId }, (trx) =>
            trx
              .selectFrom("numbers")
              .select(["id", "waba_id", "phone_number_id", "webhook_key"])
              .where("workspace_id", "=", workspaceId)
              .executeTakeFirstOrThrow(),
          );
          const credentials = await withWorkspace(services.db, { workspaceId }, (trx) =>
            loadNumberCredentials(trx, services.keyring, workspaceId, number.id),
          );
          const body = serializeWireJson({
            object: "whatsapp_business_account",
            entry: [
              {
                id: number.waba_id,
                changes: [
                  {
                    field: "messages",
                    value: {
                      messaging_product: "whatsapp",
                      metadata: { display_phone_number: "15550009999", phone_number_id: number.phone_number_id },
                      errors: [
                        {
                          code: 131052,
                          title: "Media download error",
                          message: "Media download error",
                          error_data: { details: "Unable to download the media sent by the user." },
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          });
          const response = await fetch(webhookUrlFor(services, number.webhook_key), {
            method: "POST",
            headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(credentials!.appSecret, body) },
            body,
          });
          expect(response.status).toBe(200);

          // 3. The settings screen counts it in the collapsed summary, at phone width.
          await page.setViewportSize({ width: 390, height: 844 });
          const count = reports.getByTestId("number-error-count");
          await expect
            .poll(
              async () => {
                await page.goto(settingsUrl);
                await count.filter({ hasNotText: "loading" }).waitFor();
                return count.textContent();
              },
              { timeout: 20_000, interval: 250 },
            )
            .toBe("1 error");
          const list = reports.getByRole("list", { name: "Latest reports from WhatsApp" });
          expect(await list.isVisible()).toBe(false);

          // 4. Opened with the keyboard, it shows the error's code and title; nothing is wider than the screen.
          await reports.locator("summary").focus();
          await page.keyboard.press("Enter");
          await list.waitFor();
          const item = list.getByRole("listitem");
          await expect(item.count()).resolves.toBe(1);
          await item.getByText("131052", { exact: true }).waitFor();
          await item.getByText(/Media download error/).waitFor();
          await item.getByText("Webhook error (messages)").waitFor();
          expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
          await page.keyboard.press("Enter");
          await list.waitFor({ state: "hidden" });

          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );
});
