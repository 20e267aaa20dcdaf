import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// The dashboard on a phone, in a real browser against a real Parley in sandbox mode. At 390×844 and
// at 360×740 every screen — the inbox list, an open thread with messages and a note, the reply and
// note composers, the quick replies dialog, contacts (list, detail, import, trash), every settings page,
// the overview, the sandbox customer panel, sign-in, setup and invitation — fits the width: the
// page never scrolls sideways, and no text block is squeezed (a visible element with more than 20
// characters of its own text is narrower than 200 px while its text wraps or is cut). The inbox
// becomes list → thread: the thread takes the whole width, "Back to conversations" (reached by
// keyboard) and the browser's back button return to the list. No icon is an emoji glyph (blank
// without an emoji font).

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 360, height: 740 },
] as const;

type Squeezed = { text: string; width: number; tag: string };
type Layout = { scrollWidth: number; clientWidth: number; squeezed: Squeezed[]; emoji: string[] };

// Runs in the page (a string: the tests typecheck without the DOM library).
const MEASURE = `(() => {
  const root = document.scrollingElement;
  const squeezed = [];
  const emoji = [];
  const pictograph = /\\p{Extended_Pictographic}/u;
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("svg, script, style, option, [aria-hidden='true']")) continue;
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const rect = element.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) continue;
    let own = "";
    const nodes = [];
    for (const node of element.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        own += node.textContent;
        nodes.push(node);
      }
    }
    own = own.replace(/\\s+/g, " ").trim();
    if (pictograph.test(own) && !element.closest(".message .text, .sandbox-message")) emoji.push(own);
    // Inline text flows in the width of its block: measure that block.
    let block = element;
    while (getComputedStyle(block).display === "inline" && block.parentElement) block = block.parentElement;
    const width = block.getBoundingClientRect().width;
    if (own.length <= 20 || width >= 200) continue;
    const lines = new Set();
    for (const node of nodes) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) if (box.width > 0) lines.add(Math.round(box.top));
    }
    const cut = element.scrollWidth > element.clientWidth + 1 && style.overflowX !== "visible";
    if (lines.size > 1 || cut) squeezed.push({ text: own.slice(0, 60), width: Math.round(width), tag: element.tagName.toLowerCase() + "." + element.className });
  }
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, squeezed, emoji };
})()`;

async function expectFits(page: Page, screen: string): Promise<void> {
  // Let layout settle (fonts, late answers) before measuring.
  await page.waitForTimeout(150);
  const layout = await page.evaluate<Layout>(MEASURE);
  expect({ screen, scrollsSideways: layout.scrollWidth > layout.clientWidth, scrollWidth: layout.scrollWidth }).toEqual({
    screen,
    scrollsSideways: false,
    scrollWidth: layout.clientWidth,
  });
  expect({ screen, squeezed: layout.squeezed }).toEqual({ screen, squeezed: [] });
  expect({ screen, emoji: layout.emoji }).toEqual({ screen, emoji: [] });
}

/** The text of the element that has the keyboard focus. */
async function focusedText(page: Page): Promise<string> {
  return page.evaluate<string>("(document.activeElement?.textContent ?? '').trim()");
}

const dashboard = useDashboard();

describe("the dashboard at phone width", () => {
  it("fits every screen at 390 and 360 px, and the inbox goes list → thread → back by keyboard", { timeout: 300_000 }, async () => {
    const { harness, owner } = dashboard;
    const { page } = owner;
    await screenshotOnFailure(
      "phone-width-e2e",
      () => [page],
      async () => {
        const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@phone-width.test", workspaceName: "Phone Width Co" });
        const base = `${harness.address}/w/${workspaceId}`;
        const sandbox = harness.parley.services.sandbox!;
        sandbox.sendFromCustomer({
          type: "text",
          from: "4915112345678",
          name: "Dana Customer",
          text: "Hello, is my order on its way? It was due on Monday and the tracking page says nothing.",
        });
        sandbox.sendFromCustomer({
          type: "location",
          from: "4915112345678",
          name: "Dana Customer",
          latitude: 52.52,
          longitude: 13.405,
          address: "Pariser Platz 1, 10117 Berlin, Germany",
        });
        const row = page.getByRole("button", { name: /Dana Customer/ });
        await row.waitFor({ timeout: 20_000 });
        await row.click();
        await page.getByRole("list", { name: "Messages" }).getByText("Hello, is my order on its way?").waitFor();
        await page.getByRole("tab", { name: "Internal note" }).click();
        await page
          .getByRole("textbox", { name: "Internal note" })
          .fill("The customer ordered the blue one; the parcel left the warehouse on Tuesday.");
        await page.getByRole("button", { name: "Add note" }).click();
        await page.getByRole("listitem", { name: /Internal note by/ }).waitFor();

        for (const viewport of VIEWPORTS) {
          const at = `${viewport.width}px`;
          await page.setViewportSize(viewport);

          // Inbox: the list takes the whole width, with no thread squeezed beside it.
          await page.goto(base);
          const list = page.getByRole("list", { name: "Conversation list" });
          await list.waitFor();
          await expectFits(page, `inbox list at ${at}`);
          expect((await list.boundingBox())!.width).toBeGreaterThan(viewport.width - 40);

          // Open the conversation by keyboard: it takes the whole width; the list is out of sight.
          await page.getByRole("button", { name: /Dana Customer/ }).focus();
          await page.keyboard.press("Enter");
          const messages = page.getByRole("list", { name: "Messages" });
          await messages.getByText("Hello, is my order on its way?").waitFor();
          expect(new URL(page.url()).pathname).toMatch(/\/c\/[0-9a-f-]{36}$/);
          expect(await list.isVisible()).toBe(false);
          expect((await messages.boundingBox())!.width).toBeGreaterThan(viewport.width - 40);
          await page.getByRole("listitem", { name: /Internal note by/ }).waitFor();
          await expectFits(page, `thread at ${at}`);

          // The composer: the reply box and its tools, then the note tab.
          const reply = page.getByRole("textbox", { name: "Reply" });
          await reply.scrollIntoViewIfNeeded();
          expect((await reply.boundingBox())!.width).toBeGreaterThan(200);
          const attach = page.getByRole("button", { name: "Attach a file" });
          expect(await attach.locator("svg").count()).toBe(1);
          await expectFits(page, `composer at ${at}`);
          await page.getByRole("button", { name: "Quick replies…" }).click();
          const quickReplies = page.getByRole("dialog", { name: "Quick replies" });
          await quickReplies.waitFor();
          await expectFits(page, `quick replies dialog at ${at}`);
          expect((await quickReplies.boundingBox())!.width).toBeLessThanOrEqual(viewport.width);
          await page.keyboard.press("Escape");
          await quickReplies.waitFor({ state: "hidden" });
          await page.getByRole("tab", { name: "Internal note" }).click();
          const note = page.getByRole("textbox", { name: "Internal note" });
          expect((await note.boundingBox())!.width).toBeGreaterThan(200);
          await expectFits(page, `note composer at ${at}`);
          await page.getByRole("tab", { name: "Reply" }).click();

          // Back to the list by keyboard: Tab reaches "Back to conversations", Enter goes back.
          const back = page.getByRole("button", { name: "Back to conversations" });
          expect(await back.isVisible()).toBe(true);
          let reached = false;
          for (let step = 0; step < 40 && !reached; step++) {
            await page.keyboard.press("Tab");
            reached = (await focusedText(page)) === "Back to conversations";
          }
          expect(reached).toBe(true);
          await page.keyboard.press("Enter");
          await list.waitFor();
          expect(new URL(page.url()).pathname).toBe(`/w/${workspaceId}`);
          expect(await messages.isVisible()).toBe(false);
          // Focus returns to the conversation that was open.
          await expect.poll(() => focusedText(page)).toMatch(/^Dana Customer/);

          // The browser's back button closes the thread as well.
          await page.keyboard.press("Enter");
          await messages.getByText("Hello, is my order on its way?").waitFor();
          await page.goBack();
          await list.waitFor();
          expect(await messages.isVisible()).toBe(false);

          // Contacts: the list, then a contact's details full width, back, then the import dialog.
          await page.goto(`${base}/contacts`);
          const contacts = page.getByRole("list", { name: "Contact list" });
          await contacts.waitFor();
          await expectFits(page, `contacts list at ${at}`);
          await contacts.getByRole("button", { name: /Dana Customer/ }).click();
          await page.getByRole("heading", { name: "Dana Customer", level: 2 }).waitFor();
          expect(await contacts.isVisible()).toBe(false);
          await expectFits(page, `contact detail at ${at}`);
          await page.getByRole("button", { name: "Back to contacts" }).first().click();
          await contacts.waitFor();
          await page.getByRole("button", { name: "Import CSV" }).click();
          const dialog = page.getByRole("dialog", { name: "Import contacts from CSV" });
          await dialog.waitFor();
          await expectFits(page, `import dialog at ${at}`);
          expect((await dialog.boundingBox())!.width).toBeLessThanOrEqual(viewport.width);
          await dialog.getByRole("button", { name: "Close" }).click();
          // The trash.
          await page.goto(`${base}/contacts/trash`);
          await page.getByRole("heading", { name: "Trash", level: 2 }).waitFor();
          await page.getByText("The trash is empty.").waitFor();
          await expectFits(page, `contacts trash at ${at}`);

          // Every settings page.
          for (const section of [
            "members",
            "numbers",
            "api-keys",
            "webhooks",
            "audit",
            "access-log",
            "security",
            "retention",
            "privacy",
            "consent-keywords",
            "blocked-addresses",
            "account",
          ]) {
            await page.goto(`${base}/settings/${section}`);
            await page.getByRole("heading", { level: 1 }).waitFor();
            await page
              .getByRole("status")
              .filter({ hasText: /Loading/ })
              .waitFor({ state: "detached" })
              .catch(() => undefined);
            await page.waitForLoadState("networkidle");
            await expectFits(page, `settings ${section} at ${at}`);
          }

          // The sandbox customer panel, with the conversation's messages.
          await page.goto(`${base}/settings/numbers`);
          await page.getByRole("button", { name: "Try it as a customer" }).click();
          const panel = page.getByRole("region", { name: "Sandbox customer" });
          await panel.waitFor();
          await panel.getByLabel("Customer name").fill("Sam Sandbox");
          await panel.getByLabel("Message as the customer").fill(`One more question about the parcel, asked at ${at}.`);
          await page.keyboard.press("Enter");
          await panel
            .getByRole("list", { name: "Customer's phone" })
            .getByText(`One more question about the parcel, asked at ${at}.`)
            .waitFor();
          await expectFits(page, `sandbox customer panel at ${at}`);

          // The overview.
          await page.goto(`${base}/overview`);
          await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
          await page.waitForLoadState("networkidle");
          await expectFits(page, `overview at ${at}`);
        }

        // Signed-out screens, in a fresh profile: sign-in, setup and invitation.
        const visitor = await harness.newSession();
        for (const viewport of VIEWPORTS) {
          const at = `${viewport.width}px`;
          await visitor.page.setViewportSize(viewport);
          await visitor.page.goto(harness.address);
          await visitor.page.getByRole("button", { name: "Sign in" }).waitFor();
          await expectFits(visitor.page, `sign-in at ${at}`);
          await visitor.page.goto(`${harness.address}/setup`);
          await visitor.page.getByRole("heading", { level: 1 }).waitFor();
          await expectFits(visitor.page, `setup at ${at}`);
          await visitor.page.goto(`${harness.address}/invitation`);
          await visitor.page.getByRole("heading", { level: 1 }).first().waitFor();
          await expectFits(visitor.page, `invitation at ${at}`);
        }

        expect(owner.cspViolations).toEqual([]);
        expect(owner.pageErrors).toEqual([]);
        expect(visitor.cspViolations).toEqual([]);
        expect(visitor.pageErrors).toEqual([]);
      },
    );
  });
});
