import { describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// The inbox list in a real browser (Debian's Chromium) against a real Parley in sandbox mode: two
// customers write; the one search box narrows the list by name and by exact phone number; the
// status filter separates a closed conversation; "No conversations match" offers to clear the
// filters; the filters survive a reload (they live in the address bar); and the keyboard moves
// through the list (j / k / ArrowDown), opens the next conversation (Enter) and focuses the search
// (/). Runs on both passes; a missing Chromium fails the test.

const dashboard = useDashboard();

/** The names of the conversations the list shows, top to bottom. */
async function listedNames(): Promise<string[]> {
  const list = dashboard.owner.page.getByRole("list", { name: "Conversation list" });
  if ((await list.count()) === 0) return [];
  return list.locator(".conversation .name").allTextContents();
}

async function expectListed(names: string[]): Promise<void> {
  await expect.poll(listedNames, { timeout: 15_000 }).toEqual(names);
}

describe("the inbox list's filters, search and keyboard in a browser", () => {
  it("narrows by name, by phone and by status, clears, survives a reload, and moves with the keyboard", { timeout: 180_000 }, async () => {
    const { harness, owner } = dashboard;
    const { page, cspViolations, pageErrors } = owner;
    await screenshotOnFailure(
      "inbox-filters-e2e",
      () => [page],
      async () => {
        await setUpSandboxOwner(harness, page, { email: "owner@filters.test", workspaceName: "Filter Co" });

        // Two customers write; Eli last, so Eli is on top.
        const sandbox = harness.parley.services.sandbox!;
        sandbox.sendFromCustomer({ type: "text", from: "4915112345678", name: "Dana Customer", text: "Where is my parcel?" });
        await page.getByRole("button", { name: /Dana Customer/ }).waitFor({ timeout: 20_000 });
        // WhatsApp timestamps are whole seconds: in the same second the two would tie on activity.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        sandbox.sendFromCustomer({ type: "text", from: "4915187654321", name: "Eli Buyer", text: "Do you ship to Austria?" });
        await expectListed(["Eli Buyer", "Dana Customer"]);

        // One search box: letters search names, a phone number searches exactly (blind index).
        const search = page.getByRole("searchbox", { name: "Search by name or phone number" });
        await search.fill("dana");
        await expectListed(["Dana Customer"]);
        expect(new URL(page.url()).searchParams.get("q")).toBe("dana");
        await search.fill("+49 151 87654321");
        await page.getByText("Exact phone number search.").waitFor();
        await expectListed(["Eli Buyer"]);
        await search.fill("+49 151");
        await page.getByText(/whole phone number with its country code/).waitFor();
        await search.press("Escape");
        await expect(search.inputValue()).resolves.toBe("");
        await expectListed(["Eli Buyer", "Dana Customer"]);

        // Nothing matches: say so, and offer to clear the filters.
        await search.fill("nobody by this name");
        await page.getByText("No conversations match.").waitFor();
        await page.getByRole("button", { name: "Clear filters" }).click();
        await expectListed(["Eli Buyer", "Dana Customer"]);

        // Status: close Eli's conversation, then filter.
        await page.getByRole("button", { name: /Eli Buyer/ }).click();
        await page.getByRole("button", { name: "Close", exact: true }).click();
        await page.getByRole("button", { name: "Reopen" }).waitFor();
        const status = page.getByLabel("Status");
        await status.selectOption("closed");
        await expectListed(["Eli Buyer"]);
        await status.selectOption("open");
        await expectListed(["Dana Customer"]);

        // The filters live in the address bar: a reload keeps them.
        expect(new URL(page.url()).searchParams.get("status")).toBe("open");
        await page.reload();
        await expect.poll(() => page.getByLabel("Status").inputValue(), { timeout: 15_000 }).toBe("open");
        await expectListed(["Dana Customer"]);
        await page.getByLabel("Status").selectOption("all");
        await expectListed(["Eli Buyer", "Dana Customer"]);

        // Keyboard: `/` focuses the search; Escape leaves it; j / ArrowDown move; Enter opens.
        // (Expressions as strings: the browser's globals are not in this file's types.)
        await page.evaluate("document.activeElement && document.activeElement.blur()");
        await page.keyboard.press("/");
        await expect.poll(() => page.evaluate<string>("document.activeElement ? document.activeElement.id : ''")).toBe("inbox-search");
        await page.keyboard.press("Escape");
        await page.getByRole("button", { name: /Eli Buyer/ }).focus();
        await page.keyboard.press("j");
        await expect
          .poll(() => page.evaluate<string>("document.activeElement ? document.activeElement.textContent : ''"))
          .toContain("Dana Customer");
        await page.keyboard.press("k");
        await expect
          .poll(() => page.evaluate<string>("document.activeElement ? document.activeElement.textContent : ''"))
          .toContain("Eli Buyer");
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { name: "Dana Customer" }).waitFor();
        await page.getByRole("list", { name: "Messages" }).getByText("Where is my parcel?").waitFor();
        expect(page.url()).toMatch(/\/c\/[0-9a-f-]{36}/);

        expect(cspViolations).toEqual([]);
        expect(pageErrors).toEqual([]);
      },
    );
  });
});
