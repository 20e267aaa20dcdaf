import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  enrollTotp,
  screenshotOnFailure,
  setUpOwner,
  startBrowserHarness,
  withReauth,
  workspaceIdOf,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";

// Settings, invitations and the audit view in a real browser (Debian's Chromium driven by
// playwright-core) against a real Parley in sandbox mode. The Owner sets up, requires MFA for
// everyone, connects the sandbox number and invites an Agent; the link is shown once; the Agent
// opens it in a second browser context, chooses a password, enrolls TOTP and sees only what an
// Agent may (Members read-only, no Audit, no API keys). The Owner creates an API key (shown once,
// gone after a reload), revokes it, and the Audit view lists those actions, exports them as CSV
// and says "Verified". The Overview counts the sandbox customer's message without showing it.
// Screenshots of a failure go to test-results/. Runs on both passes. A missing Chromium fails the
// test: it is never skipped.

const OWNER_PASSWORD = "correct horse battery staple settings";
const AGENT_PASSWORD = "another horse battery staple agent";
const AGENT_EMAIL = "agent@acme.test";

let harness: BrowserHarness;
// Two separate browser profiles: nothing (cookies, storage) is shared between the two people.
let ownerSession: WatchedPage;
let agentSession: WatchedPage;
let owner: Page;
let agent: Page;

beforeAll(async () => {
  harness = await startBrowserHarness();
  ownerSession = await harness.newSession({ acceptDownloads: true });
  agentSession = await harness.newSession();
  owner = ownerSession.page;
  agent = agentSession.page;
}, 180_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

const settingsMenu = (page: Page) => page.getByRole("navigation", { name: "Settings" });
const sectionsNav = (page: Page) => page.getByRole("navigation", { name: "Sections" });
const linkNames = async (page: Page, nav: ReturnType<typeof settingsMenu>) =>
  (await nav.getByRole("link").allTextContents()).map((text) => text.trim());

describe("settings, invitations and the audit view in a browser", () => {
  it(
    "invites an Agent who sees only an Agent's settings; an API key is shown once and revoked; the audit view proves it",
    { timeout: 240_000 },
    async () => {
      await screenshotOnFailure(
        "settings-e2e",
        () => [owner, agent],
        async () => {
          const running = harness.parley;

          // 1. The Owner sets up and enrolls TOTP.
          const { authenticator: ownerApp } = await setUpOwner(harness, owner, {
            email: "owner@acme.test",
            workspaceName: "Acme Settings",
            password: OWNER_PASSWORD,
          });
          await sectionsNav(owner).getByRole("link", { name: "Settings" }).click();
          expect(await linkNames(owner, settingsMenu(owner))).toEqual([
            "Members",
            "WhatsApp numbers",
            "API keys",
            "Webhooks",
            "Audit log",
            "Access log",
            "Workspace security",
            "Data retention",
            "Privacy requests",
            "Opt-out keywords",
            "Blocked addresses",
            "Your account",
          ]);
          const workspaceId = workspaceIdOf(owner);

          // 2. Workspace security: two-factor authentication for everyone.
          await settingsMenu(owner).getByRole("link", { name: "Workspace security" }).click();
          await owner.getByRole("checkbox", { name: "Require two-factor authentication for every member" }).check();
          await owner.getByText("Members without it must set it up").waitFor();

          // 3. WhatsApp numbers: the sandbox number in one click; its secrets show as their last four characters.
          await settingsMenu(owner).getByRole("link", { name: "WhatsApp numbers" }).click();
          await owner.getByText("No WhatsApp number is connected yet.").waitFor();
          await owner.getByRole("button", { name: "Connect the sandbox number" }).click();
          const sandboxNumber = owner.getByRole("list", { name: "WhatsApp numbers" }).getByRole("listitem");
          await sandboxNumber.getByText("Sandbox number").waitFor();
          await sandboxNumber.getByText("Active").waitFor();
          expect(await sandboxNumber.getByText(/^••••\S{1,4} \(version 1\)$/).count()).toBe(1);
          expect(await owner.getByRole("button", { name: "Connect the sandbox number" }).count()).toBe(0);
          running.services.sandbox!.sendFromCustomer({
            type: "text",
            from: "4915112345678",
            name: "Dana Customer",
            text: "Hello from the overview test",
          });

          // 4. Members: invite an Agent. The link is shown once, then only the pending invitation remains.
          await settingsMenu(owner).getByRole("link", { name: "Members" }).click();
          const invite = owner.getByRole("form", { name: "Invite someone" });
          await invite.getByLabel("E-mail").fill(AGENT_EMAIL);
          await invite.getByLabel("Role").selectOption("agent");
          await invite.getByRole("button", { name: "Create invitation link" }).click();
          const linkField = owner.getByRole("textbox", { name: "Invitation link", exact: true });
          const link = await linkField.inputValue();
          expect(link).toMatch(
            new RegExp(`^${harness.address.replace(/[.]/g, "\\.")}/invitation#token=[0-9a-f-]{36}\\.[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}$`),
          );
          await owner.getByRole("button", { name: "Done" }).click();
          expect(await linkField.count()).toBe(0);
          expect(await owner.content()).not.toContain(link.split("#token=")[1]!);
          await owner.getByRole("table", { name: "Pending invitations" }).getByText(AGENT_EMAIL).waitFor();

          // 5. The Agent opens the link in another browser, chooses a password and must enroll TOTP.
          await agent.goto(link);
          // The token is read from the fragment and dropped from the address bar (and history) at once.
          await agent.getByRole("heading", { name: "Join a workspace" }).waitFor();
          await expect.poll(() => agent.url()).not.toContain("token=");
          await agent.getByLabel("Choose a password (at least 12 characters)").fill(AGENT_PASSWORD);
          await agent.getByLabel("Repeat the password").fill(AGENT_PASSWORD);
          await agent.getByRole("button", { name: "Accept the invitation" }).click();
          await agent.getByRole("heading", { name: "Set up two-factor authentication" }).waitFor({ timeout: 20_000 });
          await enrollTotp(agent);

          // 6. What an Agent sees: no Overview; in Settings, Members read-only and their own account.
          await sectionsNav(agent).getByRole("link", { name: "Settings" }).waitFor();
          expect(await linkNames(agent, sectionsNav(agent))).toEqual(["Inbox", "Contacts", "Settings"]);
          await sectionsNav(agent).getByRole("link", { name: "Settings" }).click();
          expect(await linkNames(agent, settingsMenu(agent))).toEqual(["Members", "Your account"]);
          const members = agent.getByRole("table", { name: "Members" });
          await members.getByText("owner@acme.test").waitFor();
          await members.getByText(AGENT_EMAIL).waitFor();
          expect(await agent.getByRole("form", { name: "Invite someone" }).count()).toBe(0);
          expect(await agent.getByRole("button", { name: /^Remove/ }).count()).toBe(0);
          expect(await members.getByRole("combobox").count()).toBe(0);
          expect(await agent.getByRole("heading", { name: "Pending invitations" }).count()).toBe(0);
          // Asking for the Audit section by URL shows what the Agent may see instead.
          await agent.goto(`${harness.address}/w/${workspaceId}/settings/audit`);
          await agent.getByRole("heading", { name: "Members", level: 1 }).waitFor();
          expect(await agent.getByText("Audit log").count()).toBe(0);
          await settingsMenu(agent).getByRole("link", { name: "Your account" }).click();
          await agent.getByText("On: signing in needs a code from your authenticator app.").waitFor();

          // The Owner sees the Agent as a member now, with a role they may change.
          await owner.reload();
          await owner.getByRole("table", { name: "Members" }).getByRole("cell", { name: AGENT_EMAIL, exact: true }).waitFor();
          expect(await owner.getByRole("combobox", { name: `Role of ${AGENT_EMAIL}` }).inputValue()).toBe("agent");
          await owner.getByText("No pending invitations.").waitFor();

          // 7. API keys: the key is shown once; after a reload it is gone; then it is revoked.
          await settingsMenu(owner).getByRole("link", { name: "API keys" }).click();
          const create = owner.getByRole("form", { name: "Create an API key" });
          await create.getByLabel("Name", { exact: true }).fill("CI export");
          await create.getByRole("checkbox", { name: /^audit\.read/ }).check();
          const keyField = owner.getByRole("textbox", { name: "API key", exact: true });
          await create.getByRole("button", { name: "Create API key" }).click();
          await withReauth(owner, () => keyField.waitFor(), OWNER_PASSWORD, ownerApp);
          const secret = await keyField.inputValue();
          expect(secret).toMatch(/^pk_/);
          await owner.reload();
          const keys = owner.getByRole("table", { name: "API keys" });
          await keys.getByText("CI export").waitFor();
          expect(await keyField.count()).toBe(0);
          expect(await owner.content()).not.toContain(secret);
          await owner.getByRole("button", { name: "Revoke CI export" }).click();
          const confirm = owner.getByRole("dialog", { name: "Revoke this API key?" });
          await confirm.getByRole("button", { name: "Revoke key" }).click();
          await keys.getByRole("cell", { name: "Revoked" }).waitFor();

          // 8. The audit view: those actions, a filter, the CSV export and the verified chain.
          await settingsMenu(owner).getByRole("link", { name: "Audit log" }).click();
          const verification = owner.getByRole("status", { name: "Audit chain verification" });
          await verification.getByText("Verified").waitFor();
          const entries = owner.getByRole("table", { name: "Audit entries" });
          for (const action of ["settings.changed", "invitation.created", "invitation.accepted", "api_key.created", "api_key.revoked"]) {
            await entries.getByText(action, { exact: true }).first().waitFor();
          }
          await owner.getByRole("combobox", { name: /^Action/ }).selectOption("api_key.created");
          await owner.getByRole("button", { name: "Apply filters" }).click();
          await expect.poll(async () => (await entries.locator("tbody tr").allTextContents()).length).toBe(1);
          expect(await entries.locator("tbody tr").first().textContent()).toContain("api_key.created");
          const [download] = await Promise.all([
            owner.waitForEvent("download", { timeout: 30_000 }),
            (async () => {
              await owner.getByRole("button", { name: "Export CSV" }).click();
              await withReauth(owner, () => owner.getByText(/^Exported \d+ entr/).waitFor(), OWNER_PASSWORD, ownerApp);
            })(),
          ]);
          expect(download.suggestedFilename()).toBe(`audit-${workspaceId}.csv`);
          await owner.getByText("Exported 1 entry.").waitFor();

          // 9. The Overview shows the workspace's aggregates.
          await sectionsNav(owner).getByRole("link", { name: "Overview" }).click();
          await owner.getByText("Median first response").waitFor();
          // The customer's message counts once the worker has stored it; the page shows counts only.
          await expect
            .poll(
              async () => {
                await owner.getByRole("button", { name: "Refresh" }).click();
                return owner.getByRole("img", { name: /^Messages per day: 1 received/ }).count();
              },
              { timeout: 30_000, interval: 1_000 },
            )
            .toBe(1);
          const overview = await owner.locator("main").textContent();
          for (const personal of ["Dana Customer", "Hello from the overview test", "4915112345678", "5678"])
            expect(overview).not.toContain(personal);

          for (const session of [ownerSession, agentSession]) {
            expect(session.cspViolations).toEqual([]);
            expect(session.pageErrors).toEqual([]);
          }
        },
      );
    },
  );
});
