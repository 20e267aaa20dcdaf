import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectSandboxFromInbox,
  screenshotOnFailure,
  signIn,
  startBrowserHarness,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";
import { addMember, createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";

// Collision detection in a real browser (Debian's Chromium driven by playwright-core) against a real
// Parley in sandbox mode, with two members in two separate browser contexts: an Owner and an Admin
// open the same conversation and each sees the other viewing; the Owner starts a reply and the
// Admin sees "typing…"; the Admin answers first; the Owner's send then asks for confirmation
// (who answered, how long ago), and confirming sends it and audits the takeover. Screenshots of a
// failure go to test-results/. Both passes (PGlite + in-process pub/sub, PostgreSQL + Redis).

let harness: BrowserHarness;
// One separate browser context (its own cookies and storage) per member.
let ownerSession: WatchedPage;
let adminSession: WatchedPage;

beforeAll(async () => {
  harness = await startBrowserHarness();
  ownerSession = await harness.newSession();
  adminSession = await harness.newSession();
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

/** Signs in from the inbox and waits for its live feed. */
async function signInToInbox(page: Page, user: TestUser): Promise<void> {
  await signIn(page, `${harness.address}/`, user);
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
}

describe("collision detection in the team inbox, in two browsers", () => {
  it(
    "shows who is viewing and typing, and asks before replying over a colleague's answer; the takeover is audited",
    { timeout: 180_000 },
    async () => {
      const ownerPage = ownerSession.page;
      const adminPage = adminSession.page;
      await screenshotOnFailure(
        "collision-e2e",
        () => [ownerPage, adminPage],
        async () => {
          const running = harness.parley;
          const { workspaceId, owner } = await createWorkspaceWithOwner(running.services, { name: "Acme Support" });
          const admin = await addMember(running.services, workspaceId, "admin");

          // 1. Both sign in; the Owner connects the sandbox number; a customer writes.
          await signInToInbox(ownerPage, owner);
          await connectSandboxFromInbox(ownerPage);
          await signInToInbox(adminPage, admin);
          running.services.sandbox!.sendFromCustomer({
            type: "text",
            from: "4915112345678",
            name: "Dana Customer",
            text: "Is my order on its way?",
          });

          // 2. Both open the conversation, and each sees the other viewing it.
          for (const page of [ownerPage, adminPage]) {
            const row = page.getByRole("button", { name: /Dana Customer/ });
            await row.waitFor({ timeout: 20_000 });
            await row.click();
            await page.getByRole("list", { name: "Messages" }).getByText("Is my order on its way?").waitFor();
          }
          await ownerPage.locator(".presence-bar").getByText(`${admin.email} is viewing`).waitFor();
          await adminPage.locator(".presence-bar").getByText(`${owner.email} is viewing`).waitFor();

          // 3. The Owner starts a reply: the Admin sees them typing.
          await ownerPage.getByRole("textbox", { name: "Reply" }).fill("Let me check that for you.");
          await adminPage.locator(".presence-bar").getByText(`${owner.email} is typing…`).waitFor();

          // 4. The Admin answers first; the Owner's screen shows it live.
          await adminPage.getByRole("textbox", { name: "Reply" }).fill("Yes, it ships today.");
          await adminPage.getByRole("form", { name: "Send a reply" }).getByRole("button", { name: "Send", exact: true }).click();
          await adminPage.locator(".message.out", { hasText: "Yes, it ships today." }).waitFor();
          await ownerPage.locator(".message.out", { hasText: "Yes, it ships today." }).waitFor({ timeout: 20_000 });

          // 5. The Owner, whose reply was started before that answer, sends: a dialog asks first.
          await ownerPage.getByRole("form", { name: "Send a reply" }).getByRole("button", { name: "Send", exact: true }).click();
          const dialog = ownerPage.getByRole("dialog", { name: "Someone already answered" });
          await dialog.waitFor();
          await expect(dialog.textContent()).resolves.toMatch(
            new RegExp(`${admin.email.replace(/[.+]/g, "\\$&")} answered \\d+ s ago: send anyway\\?`),
          );
          // Nothing went out yet, and the focus is in the dialog, on the safe choice.
          expect(await ownerPage.locator(".message.out", { hasText: "Let me check that for you." }).count()).toBe(0);
          await expect(ownerPage.locator(":focus").textContent()).resolves.toBe("Don’t send");

          // 6. Confirming sends it; the draft is cleared and the takeover is in the audit log.
          await dialog.getByRole("button", { name: "Send anyway" }).click();
          await dialog.waitFor({ state: "detached" });
          await ownerPage.locator(".message.out", { hasText: "Let me check that for you." }).waitFor();
          await expect(ownerPage.getByRole("textbox", { name: "Reply" }).inputValue()).resolves.toBe("");
          await adminPage.locator(".message.out", { hasText: "Let me check that for you." }).waitFor({ timeout: 20_000 });

          const entries = await running.services.db.owner
            .selectFrom("audit_entries")
            .select(["actor_id", "target_type", "metadata"])
            .where("workspace_id", "=", workspaceId)
            .where("action", "=", "conversation.takeover")
            .execute();
          expect(entries).toHaveLength(1);
          expect(entries[0]).toMatchObject({
            actor_id: owner.userId,
            target_type: "conversation",
            metadata: { collision: true, answeredByUserId: admin.userId, assigneeId: null },
          });
          expect(JSON.stringify(entries)).not.toContain("Let me check");

          // 7. Closing the conversation (leaving the inbox) tells the other member at once.
          await adminPage.goto("about:blank");
          await ownerPage.locator(".presence-bar").getByText(`${admin.email} is viewing`).waitFor({ state: "detached", timeout: 20_000 });

          for (const session of [ownerSession, adminSession]) {
            expect(session.cspViolations).toEqual([]);
            expect(session.pageErrors).toEqual([]);
          }
        },
      );
    },
  );
});
