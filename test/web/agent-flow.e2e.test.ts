import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  enrollTotp,
  screenshotOnFailure,
  setUpSandboxOwner,
  startBrowserHarness,
  TEST_PASSWORD,
  type Authenticator,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";

// The whole team flow in a real browser (issue: team inbox, item 6), on a fresh Parley with the
// simulator: setup → the Owner enrolls TOTP → connects the sandbox number → invites an Agent →
// the Agent joins → a simulated customer writes → the message appears live → the Owner assigns it
// to the Agent → the Agent replies → the simulator shows the reply delivered → the ticks reach
// read. Then the limits: the Agent cannot open an unassigned conversation by its URL, and the
// Agent's CSV export is refused — hidden in the UI and refused by the API. Screenshots on failure.

const AGENT_EMAIL = "agent@acme.test";
const CUSTOMER = "4915155500011";
const OTHER_CUSTOMER = "4915155500022";

let harness: BrowserHarness;
let owner: WatchedPage;
let agent: WatchedPage;

beforeAll(async () => {
  harness = await startBrowserHarness();
  owner = await harness.newSession();
  agent = await harness.newSession();
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

async function inviteAgent(page: Page): Promise<string> {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }).click();
  const invite = page.getByRole("form", { name: "Invite someone" });
  await invite.getByLabel("E-mail").fill(AGENT_EMAIL);
  await invite.getByLabel("Role").selectOption("agent");
  await invite.getByRole("button", { name: "Create invitation link" }).click();
  const link = await page.getByRole("textbox", { name: "Invitation link", exact: true }).inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return link;
}

/** Signs in through the API, as an integration would, to call routes the UI hides. */
async function apiSignIn(email: string, app: Authenticator | null): Promise<string> {
  const response = await fetch(`${harness.address}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: TEST_PASSWORD, ...(app ? { totp: await app.code() } : {}) }),
  });
  const answer = (await response.json()) as { accessToken?: string };
  if (!answer.accessToken) throw new Error(`API sign-in failed with HTTP ${response.status}`);
  return answer.accessToken;
}

describe("an Owner and an Agent in the team inbox", () => {
  it("invites, assigns, replies to delivered and read, and keeps the Agent within bounds", { timeout: 300_000 }, async () => {
    await screenshotOnFailure(
      "agent-flow",
      () => [owner.page, agent.page],
      async () => {
        const sandbox = harness.parley.services.sandbox!;

        // Owner: setup, TOTP, sandbox number.
        const workspaceId = await setUpSandboxOwner(harness, owner.page, { email: "owner@acme.test", workspaceName: "Acme Support" });

        // Owner invites the Agent; the Agent joins through the link (enrolling TOTP when the policy asks).
        const link = await inviteAgent(owner.page);
        await agent.page.goto(link);
        await agent.page.getByLabel("Choose a password (at least 12 characters)").fill(TEST_PASSWORD);
        await agent.page.getByLabel("Repeat the password").fill(TEST_PASSWORD);
        await agent.page.getByRole("button", { name: "Accept the invitation" }).click();
        const enrollment = agent.page.getByRole("heading", { name: "Set up two-factor authentication" });
        const inbox = agent.page.getByRole("navigation", { name: "Sections" });
        await Promise.race([enrollment.waitFor({ timeout: 20_000 }), inbox.waitFor({ timeout: 20_000 })]);
        const agentTotp = (await enrollment.count()) > 0 ? await enrollTotp(agent.page) : null;
        await agent.page.getByRole("status").filter({ hasText: "Live" }).waitFor();
        await agent.page.getByText("No conversations are assigned to you.").waitFor();

        // A customer writes; it appears live for the Owner.
        await owner.page.goto(`${harness.address}/w/${workspaceId}`);
        await owner.page.getByRole("status").filter({ hasText: "Live" }).waitFor();
        sandbox.sendFromCustomer({ type: "text", from: CUSTOMER, name: "Dana Customer", text: "Where is my parcel?" });
        const row = owner.page.getByRole("button", { name: /Dana Customer/ });
        await row.waitFor({ timeout: 30_000 });

        // The Owner assigns it to the Agent; it appears live in the Agent's "Mine".
        await row.click();
        await owner.page.getByRole("list", { name: "Messages" }).getByText("Where is my parcel?").waitFor();
        await owner.page.getByLabel("Assignee").selectOption({ label: AGENT_EMAIL });
        const agentRow = agent.page.getByRole("button", { name: /Dana Customer/ });
        await agentRow.waitFor({ timeout: 30_000 });

        // The Agent replies; the simulator receives it; the ticks reach read.
        await agentRow.click();
        await agent.page.getByRole("list", { name: "Messages" }).getByText("Where is my parcel?").waitFor();
        await agent.page.getByRole("textbox", { name: "Reply" }).fill("It arrives tomorrow morning.");
        await agent.page.getByRole("button", { name: "Send" }).click();
        await expect
          .poll(() => sandbox.listReceived(CUSTOMER).map((message) => (message.body.text as { body?: string } | undefined)?.body), {
            timeout: 30_000,
            interval: 250,
          })
          .toContain("It arrives tomorrow morning.");
        const reply = agent.page.locator(".message.out", { hasText: "It arrives tomorrow morning." });
        await expect
          .poll(
            async () => {
              sandbox.advanceStatuses({ to: "delivered" });
              await sandbox.flushWebhooks();
              return sandbox
                .listReceived(CUSTOMER)
                .find((message) => (message.body.text as { body?: string } | undefined)?.body === "It arrives tomorrow morning.")?.status;
            },
            { timeout: 30_000, interval: 500 },
          )
          .toMatch(/^(delivered|read)$/);
        await expect
          .poll(
            async () => {
              sandbox.settleStatuses();
              await sandbox.flushWebhooks();
              return reply
                .locator(".tick")
                .getAttribute("data-status")
                .catch(() => null);
            },
            { timeout: 30_000, interval: 500 },
          )
          .toBe("read");

        // Another customer's conversation stays unassigned: the Agent cannot open it by its URL.
        sandbox.sendFromCustomer({ type: "text", from: OTHER_CUSTOMER, name: "Eli Other", text: "Hello?" });
        const otherRow = owner.page.getByRole("button", { name: /Eli Other/ });
        await otherRow.waitFor({ timeout: 30_000 });
        const otherId = await otherRow.getAttribute("data-conversation-id");
        expect(otherId).toMatch(/^[0-9a-f-]{36}$/);
        await agent.page.goto(`${harness.address}/w/${workspaceId}/c/${otherId}`);
        await agent.page.getByText("This conversation does not exist or is no longer assigned to you.").waitFor();
        await expect(agent.page.getByText("Hello?").count()).resolves.toBe(0);

        // The Agent's CSV export: no button in the contacts screen, and the API refuses it.
        await agent.page.goto(`${harness.address}/w/${workspaceId}/contacts`);
        await agent.page.getByRole("heading", { name: "Contacts" }).waitFor();
        expect(await agent.page.getByRole("button", { name: "Export CSV" }).count()).toBe(0);
        const agentToken = await apiSignIn(AGENT_EMAIL, agentTotp);
        const exported = await fetch(`${harness.address}/api/v1/workspaces/${workspaceId}/contacts/export.csv`, {
          headers: { authorization: `Bearer ${agentToken}` },
        });
        expect(exported.status).toBe(403);
        expect(((await exported.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");

        for (const session of [owner, agent]) {
          expect(session.cspViolations).toEqual([]);
          expect(session.pageErrors).toEqual([]);
        }
      },
    );
  });
});
