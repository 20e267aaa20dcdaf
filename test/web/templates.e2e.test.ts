import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { assignWorkspacePlan, upsertPlan } from "../../src/identity/plan-repository.ts";
import { screenshotOnFailure, setUpSandboxOwner, signInThroughScreen, useDashboard } from "../support/browser.ts";
import { editTemplate } from "../../src/features/templates/authoring.ts";
import { createUser, ownerCaller } from "../support/identity.ts";

// The Templates screen in a real browser against a sandbox-mode Parley, whose simulator reviews
// what is submitted: an Owner writes a template with a text header, parameters with examples, a
// footer and buttons while the preview follows; submits it and sees it pending, then approved; sees
// a rule the server refuses named in words beside its field; previews an Arabic template right to
// left; duplicates and deletes; and the screen fits 390 px. An Agent has no Templates section, and
// a plan without `templates` shows the lock with the plan that unlocks it. Both passes.

const dashboard = useDashboard();

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>("document.documentElement.scrollWidth <= document.documentElement.clientWidth");
}

const sectionsNav = (page: Page) => page.getByRole("navigation", { name: "Sections" });
const templateList = (page: Page) => page.getByRole("list", { name: "Template list" });
const templateRow = (page: Page, name: string) => templateList(page).getByRole("button", { name: new RegExp(`^${name}\\b`) });

describe("the Templates screen", () => {
  it(
    "creates a template with a live preview, sees its review, shows refusals in words, reads Arabic right to left, duplicates, deletes and fits a phone",
    { timeout: 300_000 },
    async () => {
      const { harness, owner } = dashboard;
      const page = owner.page;
      await screenshotOnFailure(
        "templates-e2e",
        () => [page],
        async () => {
          const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@templates.test", workspaceName: "Acme Templates" });
          await sectionsNav(page).getByRole("link", { name: "Templates" }).click();
          await page.getByRole("heading", { name: "Templates", level: 1 }).waitFor();
          // Connecting the sandbox number read its approved template.
          await templateRow(page, "order_update").getByText("Approved").waitFor();

          // A new template: the preview follows each field.
          await page.getByRole("button", { name: "New template" }).click();
          const form = page.getByRole("form", { name: "New template" });
          const preview = page.getByLabel("Template preview");
          await form.getByLabel("Name").fill("shipping_notice");
          await form.getByLabel("Category").selectOption("UTILITY");
          await form.getByLabel("Header type").selectOption("TEXT");
          await form.getByLabel("Header text").fill("Order {{1}}");
          await form.getByLabel("Header example {{1}}").fill("A-1042");
          await form.getByLabel("Body text").fill("Hello {{1}}, your parcel leaves on {{2}}. Thank you!");
          await preview.getByText("Hello {{1}}, your parcel leaves on {{2}}. Thank you!").waitFor();
          await form.getByLabel("Body example {{1}}").fill("Dana");
          await form.getByLabel("Body example {{2}}").fill("Monday");
          await preview.getByText("Hello Dana, your parcel leaves on Monday. Thank you!").waitFor();
          await preview.getByText("Order A-1042").waitFor();
          await form.getByLabel("Footer text (optional)").fill("Reply STOP to opt out");
          await preview.getByText("Reply STOP to opt out").waitFor();
          await form.getByLabel("Kind of button").selectOption("QUICK_REPLY");
          await form.getByRole("button", { name: "Add button" }).click();
          await form.getByLabel("Button 1 (quick reply) label").fill("Thanks");
          await form.getByLabel("Kind of button").selectOption("URL");
          await form.getByRole("button", { name: "Add button" }).click();
          await form.getByLabel("Button 2 (URL) label").fill("Track parcel");
          await form.getByLabel("Button 2 (URL) address").fill("https://example.com/track/{{1}}");
          await form.getByLabel("Button 2 (URL) example for {{1}}").fill("A-1042");
          await form.getByLabel("Kind of button").selectOption("PHONE_NUMBER");
          await form.getByRole("button", { name: "Add button" }).click();
          await form.getByLabel("Button 3 (phone number) label").fill("Call us");
          await form.getByLabel("Button 3 (phone number) number").fill("+14155550100");
          const buttons = preview.getByRole("list", { name: "Template buttons" });
          expect((await buttons.getByRole("listitem").allTextContents()).map((text) => text.trim())).toEqual([
            "Thanks",
            "↗ Track parcel",
            "☎ Call us",
          ]);
          expect(await preview.getAttribute("dir")).toBe("ltr");

          // Submitted: pending, then the simulator's review approves it (the page polls while pending).
          await form.getByRole("button", { name: "Submit for review" }).click();
          await page.getByRole("status").filter({ hasText: "shipping_notice was submitted to WhatsApp for review." }).waitFor();
          const detail = page.getByRole("region", { name: /shipping_notice/ });
          await detail.waitFor();
          const row = templateRow(page, "shipping_notice");
          await expect.poll(async () => (await row.textContent()) ?? "", { timeout: 30_000 }).toMatch(/Pending review|Approved/);
          await row.getByText("Approved").waitFor({ timeout: 30_000 });
          await detail.locator("[data-status=APPROVED]").waitFor();
          // Sync from Meta reads the same statuses back.
          await page.getByRole("button", { name: "Sync from Meta" }).click();
          await page
            .getByRole("status")
            .filter({ hasText: /Synced from Meta: 2 templates read/ })
            .waitFor();

          // Meta's edit rules: an approved template keeps its category; the refusal is said in words.
          await detail.getByLabel("Category").selectOption("MARKETING");
          await detail.getByRole("button", { name: "Save and submit for review" }).click();
          await detail.getByRole("alert").getByText("Category: an approved template's category cannot be changed.").waitFor();
          await detail.getByLabel("Category").selectOption("UTILITY");

          // The list filters by status and searches by name; arrow keys move between templates.
          const search = page.getByRole("search", { name: "Find templates" });
          await search.getByLabel("Name").fill("ship");
          await templateRow(page, "order_update").waitFor({ state: "detached" });
          await search.getByLabel("Name").fill("");
          await search.getByLabel("Status").selectOption("REJECTED");
          await page.getByText("No templates match these filters.").waitFor();
          await search.getByLabel("Status").selectOption("");
          await templateRow(page, "order_update").focus();
          await page.keyboard.press("ArrowDown");
          expect(await page.evaluate<string | undefined>("document.activeElement?.id")).toBe(
            await templateRow(page, "shipping_notice").getAttribute("id"),
          );

          // A rule the server refuses, in words beside its field: an example left empty, and a URL variable before its end.
          await page.getByRole("button", { name: "New template" }).click();
          const second = page.getByRole("form", { name: "New template" });
          await second.getByLabel("Name").fill("appointment_reminder");
          await second.getByLabel("Body text").fill("See you on {{1}} at the clinic.");
          await second.getByLabel("Kind of button").selectOption("URL");
          await second.getByRole("button", { name: "Add button" }).click();
          await second.getByLabel("Button 1 (URL) label").fill("Directions");
          await second.getByLabel("Button 1 (URL) address").fill("https://example.com/{{1}}/map");
          await second.getByRole("button", { name: "Submit for review" }).click();
          const example = second.getByLabel("Body example {{1}}");
          await expect.poll(() => example.getAttribute("aria-invalid")).toBe("true");
          const exampleProblems = page.locator(`#${await example.getAttribute("aria-describedby")}`);
          expect(await exampleProblems.textContent()).toBe("Body: the example for {{1}} is required");
          await second
            .getByRole("group", { name: "Button 1 (URL)" })
            .getByText("Button 1 (URL): the URL may hold one variable, {{1}}, at its end")
            .waitFor();
          await second
            .getByRole("alert")
            .getByText(/Body: the example for \{\{1\}\} is required/)
            .waitFor();
          // Corrected, it goes through.
          await example.fill("Tuesday");
          await second.getByLabel("Button 1 (URL) address").fill("https://example.com/map");
          await second.getByRole("button", { name: "Submit for review" }).click();
          await page.getByRole("status").filter({ hasText: "appointment_reminder was submitted" }).waitFor();

          // An Arabic template previews right to left.
          await page.getByRole("button", { name: "New template" }).click();
          const arabic = page.getByRole("form", { name: "New template" });
          await arabic.getByLabel("Name").fill("order_ready_ar");
          await arabic.getByLabel("Language").fill("ar");
          await arabic.getByLabel("Body text").fill("مرحبا {{1}}، طلبك جاهز.");
          await arabic.getByLabel("Body example {{1}}").fill("علي");
          await preview.getByText("مرحبا علي، طلبك جاهز.").waitFor();
          expect(await preview.getAttribute("dir")).toBe("rtl");
          await arabic.getByRole("button", { name: "Submit for review" }).click();
          await page.getByRole("status").filter({ hasText: "order_ready_ar was submitted" }).waitFor();

          // Duplicate, then delete the copy after confirming.
          await templateRow(page, "shipping_notice").click();
          await page
            .getByRole("region", { name: /shipping_notice/ })
            .getByRole("button", { name: "Duplicate" })
            .click();
          const duplicate = page.getByRole("dialog", { name: "Duplicate template" });
          await duplicate.getByLabel("New name").fill("shipping_notice_v2");
          await duplicate.getByRole("button", { name: "Duplicate" }).click();
          await page.getByRole("status").filter({ hasText: "shipping_notice_v2 was submitted" }).waitFor();
          const copy = page.getByRole("region", { name: /shipping_notice_v2/ });
          await copy.getByLabel("Body text").waitFor();
          expect(await copy.getByLabel("Body text").inputValue()).toBe("Hello {{1}}, your parcel leaves on {{2}}. Thank you!");
          await templateRow(page, "shipping_notice_v2").waitFor();
          await copy.getByRole("button", { name: "Delete" }).click();
          const confirm = page.getByRole("dialog", { name: "Delete this template?" });
          await confirm.getByRole("button", { name: "Delete" }).click();
          await page.getByRole("status").filter({ hasText: "shipping_notice_v2 was deleted." }).waitFor();
          await templateRow(page, "shipping_notice_v2").waitFor({ state: "detached" });
          expect(new URL(page.url()).pathname).toBe(`/w/${workspaceId}/templates`);

          // At phone width: the list, then one template's form, each within the screen.
          await page.setViewportSize({ width: 390, height: 844 });
          await page.reload();
          await templateRow(page, "shipping_notice").waitFor();
          expect(await fitsWidth(page)).toBe(true);
          await templateRow(page, "shipping_notice").click();
          const small = page.getByRole("region", { name: /shipping_notice/ });
          await small.getByLabel("Body text").waitFor();
          expect(await templateList(page).isVisible()).toBe(false);
          expect(await fitsWidth(page)).toBe(true);
          await small.getByRole("button", { name: "Save and submit for review" }).scrollIntoViewIfNeeded();
          const save = await small.getByRole("button", { name: "Save and submit for review" }).boundingBox();
          expect(save!.x + save!.width).toBeLessThanOrEqual(390);
          expect(await fitsWidth(page)).toBe(true);
          await page.getByRole("button", { name: "Back to templates" }).click();
          await page.getByRole("button", { name: "New template" }).click();
          await page
            .getByRole("form", { name: "New template" })
            .getByLabel("Body text")
            .fill("A long line without spaces: " + "x".repeat(120));
          expect(await fitsWidth(page)).toBe(true);
          await page.setViewportSize({ width: 1280, height: 900 });

          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );

  it("says a template's delivery time-to-live in words, and nothing for the default", { timeout: 120_000 }, async () => {
    const { harness, owner } = dashboard;
    const page = owner.page;
    const services = harness.parley.services;
    const workspaceId = /\/w\/([0-9a-f-]{36})/.exec(new URL(page.url()).pathname)![1]!;
    await screenshotOnFailure(
      "templates-ttl-e2e",
      () => [page],
      async () => {
        // A TTL of 10 minutes set on shipping_notice (an edit through Parley, sent to the simulator).
        const { ownerId, templateId } = await withWorkspace(services.db, { workspaceId }, async (trx) => ({
          ownerId: (await trx.selectFrom("memberships").select("user_id").where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow())
            .user_id,
          templateId: (
            await trx
              .selectFrom("templates")
              .select("id")
              .where("workspace_id", "=", workspaceId)
              .where("name", "=", "shipping_notice")
              .executeTakeFirstOrThrow()
          ).id,
        }));
        await editTemplate(services, ownerCaller(workspaceId, ownerId), templateId, { messageSendTtlSeconds: 600 });

        await page.reload();
        const ttl = "Expires if not delivered within 10 minutes";
        await templateRow(page, "shipping_notice").getByText(ttl).waitFor();
        // The default says nothing.
        expect(
          await templateRow(page, "order_update")
            .getByText(/Expires/)
            .count(),
        ).toBe(0);
        await templateRow(page, "shipping_notice").click();
        const detail = page.getByRole("region", { name: /shipping_notice/ });
        await detail.getByText(ttl).waitFor();
        // A sync from Meta reads the same TTL back.
        await page.getByRole("button", { name: "Sync from Meta" }).click();
        await page
          .getByRole("status")
          .filter({ hasText: /Synced from Meta/ })
          .waitFor();
        await page.reload();
        await templateRow(page, "shipping_notice").getByText(ttl).waitFor();
        await templateRow(page, "order_update").click();
        const other = page.getByRole("region", { name: /order_update/ });
        await other.getByText("Category").first().waitFor();
        expect(await other.getByText(/Expires/).count()).toBe(0);
        expect(owner.cspViolations).toEqual([]);
        expect(owner.pageErrors).toEqual([]);
      },
    );
  });

  it(
    "hides Templates from an Agent and sends them home; shows the plan lock to an Owner whose plan lacks templates",
    { timeout: 180_000 },
    async () => {
      const { harness, owner } = dashboard;
      const page = owner.page;
      const services = harness.parley.services;
      const workspaceId = /\/w\/([0-9a-f-]{36})/.exec(new URL(page.url()).pathname)![1]!;
      const session = await harness.newSession();
      await screenshotOnFailure(
        "templates-access-e2e",
        () => [page, session.page],
        async () => {
          // An Agent: no Templates section, and its address shows the Agent's home.
          const agent = await createUser(services, { role: "agent", workspaceId, mfa: false });
          await signInThroughScreen(harness, session.page, agent, `/w/${workspaceId}/templates`);
          expect(await sectionsNav(session.page).getByRole("link", { name: "Templates" }).count()).toBe(0);
          await sectionsNav(session.page).getByRole("link", { name: "Inbox", exact: true }).waitFor();
          expect(await session.page.getByRole("heading", { name: "Templates" }).count()).toBe(0);
          expect(await session.page.getByRole("button", { name: "New template" }).count()).toBe(0);

          // A plan without templates: the Owner sees the lock and the plan that has them.
          await services.db.owner.transaction().execute((trx) =>
            upsertPlan(
              trx,
              {
                name: "starter",
                features: ["api"],
                quotas: { numbers: null, members: null, contacts: null, broadcast_recipients_per_month: null },
              },
              new Date(),
            ),
          );
          await withWorkspace(services.db, { workspaceId }, (trx) => assignWorkspacePlan(trx, workspaceId, "starter", new Date()));
          await page.goto(`${harness.address}/w/${workspaceId}/templates`);
          const lock = page.getByRole("region", { name: /not in the “starter” plan/ });
          await lock.waitFor();
          await lock.getByText(/Available on the “unlimited” plan/).waitFor();
          expect(await page.getByRole("button", { name: "New template" }).count()).toBe(0);
          expect(
            await sectionsNav(page)
              .getByRole("link", { name: /Templates/ })
              .textContent(),
          ).toContain("not in this workspace's plan");

          expect(session.cspViolations).toEqual([]);
          expect(session.pageErrors).toEqual([]);
          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );
});
