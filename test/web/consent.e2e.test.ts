import { describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// Consent in a real browser against a real Parley in sandbox mode: an Owner records a contact's
// marketing opt-in (shown with its source and time, and in the ledger); edits the opt-out
// keywords under Settings → Opt-out keywords (stored normalized); then the customer writes
// STOP through the simulator: the thread shows the system line "… opted out of marketing
// messages"; "start" brings them back, and "Halt!" — the keyword added — opts them out again; the
// contact's consent says opted out, from the keyword, with every change in the ledger.
// The contact view and the thread fit a 390 px wide screen. Runs on both passes.

const dashboard = useDashboard();
const CUSTOMER = { phone: "4915155502001", name: "Greta Consent" };

describe("consent in the dashboard", () => {
  it(
    "records consent with its ledger, edits the keywords, and shows an inbound opt-out in the thread and the contact",
    { timeout: 240_000 },
    async () => {
      const { harness, owner } = dashboard;
      const { page } = owner;
      await screenshotOnFailure(
        "consent-e2e",
        () => [page],
        async () => {
          const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@consent.test", workspaceName: "Consent Co" });
          const sandbox = harness.parley.services.sandbox!;
          sandbox.sendFromCustomer({ type: "text", from: CUSTOMER.phone, name: CUSTOMER.name, text: "Hello, do you repair bikes?" });
          const sections = page.getByRole("navigation", { name: "Sections" });
          const threadButton = page.getByRole("button", { name: new RegExp(CUSTOMER.name) });
          await threadButton.waitFor({ timeout: 30_000 });

          // 1. The contact: record a marketing opt-in; shown with source and time, and in the ledger.
          await sections.getByRole("link", { name: "Contacts" }).click();
          await page
            .getByRole("list", { name: "Contact list" })
            .getByRole("button", { name: new RegExp(CUSTOMER.name) })
            .click();
          await page.getByRole("heading", { name: CUSTOMER.name, level: 2 }).waitFor();
          const consent = page.getByRole("region", { name: "Consent to messages" });
          await consent.getByText("never recorded").first().waitFor();
          const record = consent.getByRole("form", { name: "Record consent" });
          await record.getByLabel("Scope").selectOption("marketing");
          await record.getByLabel("New state").selectOption("opted_in");
          await record.getByLabel("How it was given").selectOption("web_form");
          await record.getByRole("button", { name: "Record consent" }).click();
          await consent.getByText(/Web form,/).waitFor();
          const ledger = page.getByRole("list", { name: "Consent history" });
          await ledger
            .getByRole("listitem")
            .filter({ hasText: "Marketing: Opted in" })
            .filter({ hasText: "recorded by a team member" })
            .waitFor();
          await record.getByLabel("Scope").selectOption("utility");
          await record.getByLabel("New state").selectOption("opted_in");
          await record.getByLabel("How it was given").selectOption("agent");
          await record.getByRole("button", { name: "Record consent" }).click();
          await ledger.getByRole("listitem").filter({ hasText: "Utility: Opted in" }).waitFor();
          await expect.poll(() => ledger.getByRole("listitem").count()).toBe(2);

          // 2. Settings → Opt-out keywords, right after Privacy requests; a new keyword, stored normalized.
          await sections.getByRole("link", { name: "Settings" }).click();
          const menu = page.getByRole("navigation", { name: "Settings" });
          const labels = await menu.getByRole("link").allTextContents();
          expect(labels.indexOf("Opt-out keywords")).toBe(labels.indexOf("Privacy requests") + 1);
          await menu.getByRole("link", { name: "Opt-out keywords" }).click();
          await page.getByRole("heading", { name: "Opt-out keywords", level: 1 }).waitFor();
          await page.getByText("The default keywords apply.").waitFor();
          await page.getByText(/Arabic spelling variants/).waitFor();
          const keywords = page.getByRole("form", { name: "Opt-out and opt-in keywords" });
          const optOut = keywords.getByLabel("Opt-out keywords (one a line)");
          expect(await optOut.inputValue()).toContain("stop");
          await optOut.fill(`${await optOut.inputValue()}\n  HALT `);
          await keywords.getByRole("button", { name: "Save keywords" }).click();
          await keywords.getByRole("status").filter({ hasText: "Saved." }).waitFor();
          await page.reload();
          await page.getByText("This workspace uses its own keywords.").waitFor();
          expect((await optOut.inputValue()).split("\n")).toContain("halt");

          // 3. The customer writes STOP: the thread shows the opt-out line. Then "start" (back in), then
          //    "Halt!" — the keyword just added — opts them out again.
          sandbox.sendFromCustomer({ type: "text", from: CUSTOMER.phone, name: CUSTOMER.name, text: "STOP" });
          await sections.getByRole("link", { name: "Inbox" }).click();
          await page.getByRole("tab", { name: "All" }).click();
          await threadButton.click();
          const thread = page.getByRole("list", { name: "Messages" });
          await thread.locator(".message.in", { hasText: "STOP" }).waitFor({ timeout: 30_000 });
          const optedOut = thread.getByRole("listitem").filter({ hasText: `${CUSTOMER.name} opted out of marketing messages` });
          await optedOut.waitFor();
          await optedOut.locator("time").waitFor();
          sandbox.sendFromCustomer({ type: "text", from: CUSTOMER.phone, name: CUSTOMER.name, text: "start" });
          await thread
            .getByRole("listitem")
            .filter({ hasText: `${CUSTOMER.name} opted back in to marketing messages` })
            .waitFor({ timeout: 30_000 });
          sandbox.sendFromCustomer({ type: "text", from: CUSTOMER.phone, name: CUSTOMER.name, text: "Halt!" });
          await thread.locator(".message.in", { hasText: "Halt!" }).waitFor({ timeout: 30_000 });
          await expect.poll(() => optedOut.count(), { timeout: 15_000 }).toBe(2);
          const line = optedOut.last();

          // At phone width the thread fits.
          await page.setViewportSize({ width: 390, height: 844 });
          await line.waitFor();
          expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);

          // 4. The contact's consent: opted out, by the keyword, in the ledger; the view fits 390 px.
          await page.goto(`${harness.address}/w/${workspaceId}/contacts`);
          await page
            .getByRole("list", { name: "Contact list" })
            .getByRole("button", { name: new RegExp(CUSTOMER.name) })
            .click();
          await page.getByRole("heading", { name: CUSTOMER.name, level: 2 }).waitFor();
          const marketing = consent.getByRole("definition").first();
          await expect.poll(() => marketing.textContent()).toMatch(/^Opted out — On WhatsApp,/);
          await ledger.getByRole("listitem").first().filter({ hasText: "the contact wrote an opt-out keyword" }).waitFor();
          await expect.poll(() => ledger.getByRole("listitem").count()).toBe(5);
          expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);

          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );
});
