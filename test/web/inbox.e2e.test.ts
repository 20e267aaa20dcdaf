import { beforeAll, describe, expect, it } from "vitest";
import { issueSetupToken, setupUrl } from "../../src/identity/setup/setup-token.ts";
import { authenticator, connectSandboxFromInbox, screenshotOnFailure, TEST_PASSWORD, useDashboard } from "../support/browser.ts";
import type { Parley } from "../../src/app.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";

// The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real
// Parley in sandbox mode: first-run setup → the Owner enrolls TOTP → connects the sandbox number →
// a simulated customer writes → the message appears live in the inbox → the Owner opens it and
// replies → the reply's delivery ticks update live. A hostile message renders as text. Screenshots
// of a failure go to test-results/. It runs on both passes (PGlite + in-process pub/sub, then
// PostgreSQL + Redis). A missing Chromium fails the test: it is never skipped.

const dashboard = useDashboard();
let enrollmentStarts = 0;

beforeAll(() => {
  dashboard.owner.page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/v1/me/mfa/totp")) enrollmentStarts += 1;
  });
});

describe("the team inbox in a browser", () => {
  it("sets up, enrolls TOTP, connects the sandbox, shows a customer's message live and sends a reply", { timeout: 120_000 }, async () => {
    const { harness, owner } = dashboard;
    const { page } = owner;
    await screenshotOnFailure(
      "inbox-e2e",
      () => [page],
      async () => {
        const running = harness.parley;
        const address = harness.address;
        const issued = await issueSetupToken(running.services.db);
        expect(issued).not.toBeNull();

        // 1. First-run setup from the printed link (token in the fragment).
        const response = await page.goto(setupUrl(address, issued!.token));
        expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
        await page.getByLabel("Workspace name").fill("Acme Support");
        await page.getByLabel("Your e-mail").fill("owner@acme.test");
        await page.getByLabel(/^Password/).fill(TEST_PASSWORD);
        await page.getByRole("button", { name: "Create workspace" }).click();
        expect(page.url()).not.toContain("token=");

        // 2. The Owner must enroll TOTP: the key is read from the page, the QR code is an image.
        const app = authenticator((await page.getByLabel("Setup key").textContent())!.trim());
        await expect(page.getByRole("img", { name: /QR code/ }).getAttribute("src")).resolves.toMatch(/^data:image\/svg\+xml;base64,/);
        // One enrollment per visit: a second start would replace the seed behind the key shown.
        expect(enrollmentStarts).toBe(1);
        await page.getByLabel("6-digit code").fill(await app.code());
        await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
        await page.getByRole("list", { name: "Recovery codes" }).waitFor();
        await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count()).resolves.toBe(10);
        await page.getByRole("button", { name: /I saved them/ }).click();

        // 3. The inbox: connect the sandbox number, wait for the live feed.
        await connectSandboxFromInbox(page);
        await page.getByText("No conversations yet").waitFor();

        // 4. A customer writes; the conversation appears without a reload.
        running.services.sandbox!.sendFromCustomer({
          type: "text",
          from: "4915112345678",
          name: "Dana Customer",
          text: "Hello, is my order on its way?",
        });
        const row = page.getByRole("button", { name: /Dana Customer/ });
        await row.waitFor({ timeout: 20_000 });
        await expect(row.textContent()).resolves.toContain("Hello, is my order on its way?");

        // 5. The Owner opens it and replies; the reply's ticks follow the status webhooks.
        await row.click();
        await page.getByRole("list", { name: "Messages" }).getByText("Hello, is my order on its way?").waitFor();
        await page.getByRole("textbox", { name: "Reply" }).fill("Yes, it ships today.");
        await page.getByRole("button", { name: "Send" }).click();
        const reply = page.locator(".message.out", { hasText: "Yes, it ships today." });
        await reply.waitFor();
        await expect
          .poll(
            async () => {
              running.services.sandbox!.settleStatuses();
              await running.services.sandbox!.flushWebhooks();
              return reply
                .locator(".tick")
                .getAttribute("data-status")
                .catch(() => null);
            },
            { timeout: 30_000, interval: 500 },
          )
          .toMatch(/^(sent|delivered|read)$/);

        // 6. A hostile message is shown as text: no element is created from it.
        running.services.sandbox!.sendFromCustomer({ type: "text", from: "4915112345678", text: '<img src=x onerror="window.__xss=1">' });
        await page.getByRole("list", { name: "Messages" }).getByText('<img src=x onerror="window.__xss=1">').waitFor({ timeout: 20_000 });
        expect(await page.locator(".messages img").count()).toBe(0);
        expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();

        // 7. A message that arrives while the live feed is still opening is not lost: the list is
        // read again once the feed is open. The feed's ticket is held until the message is stored.
        let releaseTicket!: () => void;
        const ticketHeld = new Promise<void>((resolve) => (releaseTicket = resolve));
        await page.route("**/events/tickets", async (route) => {
          await ticketHeld;
          await route.continue();
        });
        await page.reload();
        await page.getByRole("button", { name: /Dana Customer/ }).waitFor();
        const workspaceId = /\/w\/([0-9a-f-]{36})/.exec(page.url())![1]!;
        const storedBefore = await countInbound(running, workspaceId);
        running.services.sandbox!.sendFromCustomer({ type: "text", from: "4915112345679", name: "Eli Customer", text: "Any news?" });
        await expect.poll(() => countInbound(running, workspaceId), { timeout: 20_000 }).toBeGreaterThan(storedBefore);
        expect(await page.getByRole("button", { name: /Eli Customer/ }).count()).toBe(0);
        releaseTicket();
        await page.getByRole("button", { name: /Eli Customer/ }).waitFor({ timeout: 10_000 });
        await page.unroute("**/events/tickets");

        expect(owner.cspViolations).toEqual([]);
        expect(owner.pageErrors).toEqual([]);
      },
    );
  });
});

/** How many inbound messages the workspace has stored. */
async function countInbound(running: Parley, workspaceId: string): Promise<number> {
  const row = await withWorkspace(running.services.db, { workspaceId }, (trx) =>
    trx
      .selectFrom("messages")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("direction", "=", "in")
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}
