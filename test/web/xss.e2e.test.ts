import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { publishRealtimeEvents } from "../../src/realtime/events.ts";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// Content is text (issue: team inbox, item 5). An XSS corpus arrives as customer messages and as
// customer profile names (which become contact names), and is typed as template parameters; every
// screen that shows them — inbox list, conversation, contacts — must show the exact characters and
// create no element from them. Inline script is also blocked by the CSP, so "no script ran" alone
// would prove little: the test checks the DOM for any element the payloads could have created, the
// visible text for the literal payload, and that the browser reported no CSP violation (which
// would mean markup had been interpreted and tried to run).

/** Each payload tries a different way in; interpreted, each would run script or create an element marked data-xss. */
const CORPUS = [
  `<script>window.__xss=1</script>`,
  `<img src=x onerror="window.__xss=1" data-xss>`,
  `<svg data-xss onload=window.__xss=1>`,
  `"><iframe data-xss src="javascript:window.top.__xss=1"></iframe>`,
  `<a data-xss href="javascript:window.__xss=1">click me</a>`,
  `</textarea><script>window.__xss=1</script>`,
  `<details data-xss open ontoggle=window.__xss=1>`,
  `<input data-xss autofocus onfocus=window.__xss=1>`,
  `<math><mtext><table><mglyph><style><img data-xss src=x onerror=window.__xss=1>`,
  `{{constructor.constructor('window.__xss=1')()}}`,
  `\${window.__xss=1}`,
  `&lt;b data-xss&gt;entity&lt;/b&gt;`,
  `<div data-xss style="background:url(javascript:window.__xss=1)">styled</div>`,
  `javascript:window.__xss=1`,
  `<base data-xss href="https://evil.example/">`,
  `<meta data-xss http-equiv="refresh" content="0;url=javascript:window.__xss=1">`,
  `<object data-xss data="data:text/html,<script>window.top.__xss=1</script>"></object>`,
  `=HYPERLINK("https://evil.example","x") <b data-xss>bold</b>`,
];

/** Names are shorter (WhatsApp profile names: ≤ 200 characters here); a subset of the corpus with a label. */
const NAMES = CORPUS.slice(0, 6).map((payload, index) => `N${index} ${payload}`.slice(0, 200));

const dashboard = useDashboard();

async function assertInert(page: Page): Promise<void> {
  expect(await page.locator("[data-xss]").count()).toBe(0);
  expect(await page.locator("iframe, object, embed, base, meta[http-equiv]").count()).toBe(0);
  expect(await page.locator("script:not([src])").count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
}

describe("content is text", () => {
  it("shows hostile messages and names literally everywhere and runs none of them", { timeout: 240_000 }, async () => {
    const { harness, owner } = dashboard;
    const { page } = owner;
    await screenshotOnFailure(
      "xss",
      () => [page],
      async () => {
        const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@xss.test", workspaceName: "XSS Corpus" });
        const sandbox = harness.parley.services.sandbox!;

        // Customers with hostile profile names, each writing the whole corpus.
        NAMES.forEach((name, index) => {
          const from = `49151${String(20_000_000 + index)}`;
          sandbox.sendFromCustomer({ type: "text", from, name, text: CORPUS[index]! });
        });
        for (const [index, payload] of CORPUS.entries())
          sandbox.sendFromCustomer({ type: "text", from: "4915120000000", text: `${index}: ${payload}` });
        await sandbox.flushWebhooks();

        // The inbox list shows every name literally.
        const list = page.getByRole("list", { name: "Conversation list" });
        for (const name of NAMES) await list.getByText(name, { exact: false }).first().waitFor({ timeout: 30_000 });
        await assertInert(page);

        // The conversation shows every message literally, in full.
        await list
          .getByRole("button", { name: new RegExp(NAMES[0]!.slice(0, 2)) })
          .first()
          .click();
        const messages = page.getByRole("list", { name: "Messages" });
        for (const [index, payload] of CORPUS.entries()) {
          await messages.getByText(`${index}: ${payload}`, { exact: true }).waitFor({ timeout: 30_000 });
        }
        await expect(page.getByRole("heading", { level: 2 }).textContent()).resolves.toBe(NAMES[0]);
        await assertInert(page);

        // Template parameters: with the window closed, hostile parameters show literally in the
        // picker's preview and reach the customer as the exact characters typed.
        const conversationId = /\/c\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
        await withWorkspace(harness.parley.services.db, { workspaceId }, (trx) =>
          trx
            .updateTable("conversations")
            .set({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) })
            .where("id", "=", conversationId)
            .execute(),
        );
        await publishRealtimeEvents(harness.parley.services, workspaceId, [
          { type: "conversation.updated", data: { conversationId, change: "activity" } },
        ]);
        await page.getByRole("button", { name: "Choose a template" }).click();
        await page.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US) · utility" });
        const [first, second] = [CORPUS[1]!, CORPUS[3]!];
        await page.getByLabel("Body {{1}}").fill(first);
        await page.getByLabel("Body {{2}}").fill(second);
        await expect(page.getByRole("figure", { name: "Preview" }).textContent()).resolves.toContain(
          `Hello ${first}, your order ${second} is on its way.`,
        );
        await assertInert(page);
        await page.getByRole("button", { name: "Send template" }).click();
        await expect
          .poll(
            () =>
              JSON.stringify(sandbox.listReceived("4915120000000").find((message) => message.type === "template")?.body.template ?? null),
            { timeout: 20_000 },
          )
          .toContain(JSON.stringify(first).slice(1, -1));
        await assertInert(page);

        // The contacts screen shows the names literally too.
        await page.goto(`${harness.address}/w/${workspaceId}/contacts`);
        for (const name of NAMES) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
        await assertInert(page);

        expect(owner.cspViolations).toEqual([]);
        expect(owner.pageErrors).toEqual([]);
        expect(owner.dialogs).toEqual([]);
      },
    );
  });
});
