import { describe, expect, it } from "vitest";
import { connectSandboxFromInbox, screenshotOnFailure, signIn, useDashboard } from "../support/browser.ts";
import { createWorkspaceWithOwner } from "../support/identity.ts";

// Settings → Access log in a real browser against a real Parley in sandbox mode: the Owner opens
// a customer's conversation, then finds that read in the access log — by the contact (looked up by
// phone number) and by the member — exports it as CSV, and at 390 px the screen fits the width.
// Runs on both passes.

const CUSTOMER = "4915112349876";

const dashboard = useDashboard();

describe("the access log in a browser", () => {
  it(
    "shows who opened a customer's conversation, by contact and by member, exports it, and fits a phone",
    { timeout: 180_000 },
    async () => {
      const { harness, owner: session } = dashboard;
      const { page } = session;
      await screenshotOnFailure(
        "access-log-e2e",
        () => [page],
        async () => {
          const running = harness.parley;
          const sandbox = running.services.sandbox!;
          const { workspaceId, owner } = await createWorkspaceWithOwner(running.services, { name: "Acme Access" });
          await signIn(page, `${harness.address}/`, owner);
          await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
          await connectSandboxFromInbox(page);
          sandbox.sendFromCustomer({ type: "text", from: CUSTOMER, name: "Dana Access", text: "Hello there" });
          const row = page.getByRole("button", { name: /Dana Access/ });
          await row.waitFor({ timeout: 20_000 });
          await row.click();
          await page.getByRole("list", { name: "Messages" }).getByText("Hello there").waitFor();

          await page.goto(`${harness.address}/w/${workspaceId}/settings/access-log`);
          await page.getByRole("heading", { name: "Access log", level: 1 }).waitFor();
          const entries = page.getByRole("table", { name: "Access entries" });
          await entries.getByText("Read messages").first().waitFor();
          await entries.getByText("Opened a conversation").first().waitFor();
          expect(await page.content()).not.toContain("Hello there");

          // "Who accessed this contact's data": the contact found by phone number (Enter works).
          await page.getByLabel("Contact (phone number)").fill(`+${CUSTOMER}`);
          await page.getByLabel("Contact (phone number)").press("Enter");
          await page.getByText("Contact: Dana Access").waitFor();
          await page.getByRole("button", { name: "Apply filters" }).click();
          await expect.poll(async () => (await entries.locator("tbody tr").allTextContents()).length).toBeGreaterThan(0);
          for (const text of await entries.locator("tbody tr").allTextContents()) expect(text).toContain(owner.email);

          // A phone number no contact has says so in words.
          await page.getByLabel("Contact (phone number)").fill("+14155550000");
          await page.getByRole("button", { name: "Find contact" }).click();
          await page.getByText("No contact has this phone number.").waitFor();

          // "What did this member open".
          await page.getByRole("button", { name: "Clear" }).click();
          await page.getByRole("combobox", { name: "Member" }).selectOption({ label: owner.email });
          await page.getByRole("combobox", { name: "Kind" }).selectOption("messages.viewed");
          await page.getByRole("button", { name: "Apply filters" }).click();
          await expect
            .poll(async () => (await entries.locator("tbody tr").allTextContents()).every((text) => text.includes("Read messages")))
            .toBe(true);

          const [download] = await Promise.all([
            page.waitForEvent("download", { timeout: 30_000 }),
            page.getByRole("button", { name: "Export CSV" }).click(),
          ]);
          expect(download.suggestedFilename()).toBe(`access-log-${workspaceId}.csv`);
          await page.getByText(/^Exported \d+ entr/).waitFor();

          await page.setViewportSize({ width: 390, height: 844 });
          await page.reload();
          await page.getByRole("table", { name: "Access entries" }).waitFor();
          const widths = await page.evaluate(
            "({ scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth })",
          );
          const { scroll, client } = widths as { scroll: number; client: number };
          expect(scroll).toBeLessThanOrEqual(client);
          expect(session.cspViolations).toEqual([]);
          expect(session.pageErrors).toEqual([]);
        },
      );
    },
  );
});
