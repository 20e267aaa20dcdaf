import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { issueSetupToken, setupUrl } from "../../src/features/setup/setup-token.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import { createLogger } from "../../src/log/logger.ts";
import { testEngine } from "../support/engine.ts";
import { createParleyEnvironment, type ParleyEnvironment } from "../support/parley-process.ts";
import { captureLogs } from "../support/services.ts";

// Settings, invitations and the audit view in a real browser (Debian's Chromium driven by
// playwright-core) against a real Parley in sandbox mode. The Owner sets up, requires MFA for
// everyone, connects the sandbox number and invites an Agent; the link is shown once; the Agent
// opens it in a second browser context, chooses a password, enrolls TOTP and sees only what an
// Agent may (Members read-only, no Audit, no API keys). The Owner creates an API key (shown once,
// gone after a reload), revokes it, and the Audit view lists those actions, exports them as CSV
// and says "Verified". The Overview counts the sandbox customer's message without showing it.
// Screenshots of a failure go to test-results/. Runs on both passes. A missing Chromium fails the
// test: it is never skipped.

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;
const OWNER_PASSWORD = "correct horse battery staple settings";
const AGENT_PASSWORD = "another horse battery staple agent";
const AGENT_EMAIL = "agent@acme.test";

let env: ParleyEnvironment;
let parley: Parley | undefined;
let browser: Browser | undefined;
let ownerContext: BrowserContext;
let agentContext: BrowserContext;
let owner: Page;
let agent: Page;
const cspViolations: string[] = [];
const pageErrors: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than the sources, so the browser tests this code. */
function ensureDashboardBuilt(): void {
  const index = join(ROOT, "web/dist/index.html");
  const sources = Math.max(newestMtime(join(ROOT, "web/src")), statSync(join(ROOT, "web/index.html")).mtimeMs, statSync(join(ROOT, "src/audit/actions.ts")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, "scripts/build-web.mjs")], { cwd: ROOT, stdio: "pipe" });
}

function watch(page: Page): void {
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
}

/** TOTP codes are single use: wait for a time step no code of this seed was used in yet. */
function authenticator(seed: string) {
  const key = decodeBase32(seed);
  let lastStep = -1;
  return async (): Promise<string> => {
    while (Math.floor(Date.now() / 30_000) <= lastStep) await new Promise((resolve) => setTimeout(resolve, 250));
    lastStep = Math.floor(Date.now() / 30_000);
    return totp(key, Date.now());
  };
}

/**
 * Runs a sensitive action; when the session's last password proof is over 5 minutes old the
 * dashboard asks for it again, and this answers the prompt.
 */
async function withReauth(page: Page, done: () => Promise<unknown>, password: string, code: () => Promise<string>): Promise<void> {
  const prompt = page.getByRole("dialog", { name: "Confirm it's you" });
  const first = await Promise.race([done().then(() => "done" as const), prompt.waitFor().then(() => "prompt" as const)]);
  if (first === "prompt") {
    await prompt.getByLabel("Your password").fill(password);
    await prompt.getByLabel("Authentication code").fill(await code());
    await prompt.getByRole("button", { name: "Confirm" }).click();
    await done();
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (the browser test is never skipped).`);
  }
  ensureDashboardBuilt();
  const port = await freePort();
  env = await createParleyEnvironment({ PARLEY_PORT: String(port), PARLEY_HOST: "127.0.0.1", PARLEY_WHATSAPP_MODE: "sandbox" });
  const config = loadConfig({ PARLEY_ENV: "development", ...env.env });
  parley = await startParley(config, createLogger({ level: "warn", destination: captureLogs().destination }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // Two separate browser profiles: nothing (cookies, storage) is shared between the two people.
  ownerContext = await browser.newContext({ acceptDownloads: true });
  agentContext = await browser.newContext();
  owner = await ownerContext.newPage();
  agent = await agentContext.newPage();
  watch(owner);
  watch(agent);
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await parley?.stop().catch(() => undefined);
  await env?.cleanup();
}, 60_000);

async function screenshotOnFailure<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    await owner?.screenshot({ path: join(ROOT, "test-results", `${name}-owner-${testEngine}.png`), fullPage: true }).catch(() => undefined);
    await agent?.screenshot({ path: join(ROOT, "test-results", `${name}-agent-${testEngine}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

const settingsMenu = (page: Page) => page.getByRole("navigation", { name: "Settings" });
const sectionsNav = (page: Page) => page.getByRole("navigation", { name: "Sections" });
const linkNames = async (page: Page, nav: ReturnType<typeof settingsMenu>) => (await nav.getByRole("link").allTextContents()).map((text) => text.trim());

describe("settings, invitations and the audit view in a browser", () => {
  it("invites an Agent who sees only an Agent's settings; an API key is shown once and revoked; the audit view proves it", { timeout: 240_000 }, async () => {
    await screenshotOnFailure("settings-e2e", async () => {
      const running = parley!;
      const issued = await issueSetupToken(running.services.db);
      expect(issued).not.toBeNull();

      // 1. The Owner sets up and enrolls TOTP.
      await owner.goto(setupUrl(running.address!, issued!.token));
      await owner.getByLabel("Workspace name").fill("Acme Settings");
      await owner.getByLabel("Your e-mail").fill("owner@acme.test");
      await owner.getByLabel(/^Password/).fill(OWNER_PASSWORD);
      await owner.getByRole("button", { name: "Create workspace" }).click();
      const ownerCode = authenticator((await owner.getByLabel("Setup key").textContent())!.trim());
      await owner.getByLabel("6-digit code").fill(await ownerCode());
      await owner.getByRole("button", { name: "Turn on two-factor authentication" }).click();
      await owner.getByRole("button", { name: /I saved them/ }).click();
      await sectionsNav(owner).getByRole("link", { name: "Settings" }).click();
      expect(await linkNames(owner, settingsMenu(owner))).toEqual(["Members", "WhatsApp numbers", "API keys", "Audit log", "Workspace security", "Your account"]);
      const workspaceId = /\/w\/([0-9a-f-]{36})\//.exec(owner.url())![1]!;

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
      running.services.sandbox!.sendFromCustomer({ type: "text", from: "4915112345678", name: "Dana Customer", text: "Hello from the overview test" });

      // 4. Members: invite an Agent. The link is shown once, then only the pending invitation remains.
      await settingsMenu(owner).getByRole("link", { name: "Members" }).click();
      const invite = owner.getByRole("form", { name: "Invite someone" });
      await invite.getByLabel("E-mail").fill(AGENT_EMAIL);
      await invite.getByLabel("Role").selectOption("agent");
      await invite.getByRole("button", { name: "Create invitation link" }).click();
      const linkField = owner.getByRole("textbox", { name: "Invitation link", exact: true });
      const link = await linkField.inputValue();
      expect(link).toMatch(new RegExp(`^${running.address!.replace(/[.]/g, "\\.")}/invitation#token=[0-9a-f-]{36}\\.[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}$`));
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
      const agentCode = authenticator((await agent.getByLabel("Setup key").textContent())!.trim());
      await agent.getByLabel("6-digit code").fill(await agentCode());
      await agent.getByRole("button", { name: "Turn on two-factor authentication" }).click();
      await agent.getByRole("button", { name: /I saved them/ }).click();

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
      await agent.goto(`${running.address!}/w/${workspaceId}/settings/audit`);
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
      await withReauth(owner, () => keyField.waitFor(), OWNER_PASSWORD, ownerCode);
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
          await withReauth(owner, () => owner.getByText(/^Exported \d+ entr/).waitFor(), OWNER_PASSWORD, ownerCode);
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
      for (const personal of ["Dana Customer", "Hello from the overview test", "4915112345678", "5678"]) expect(overview).not.toContain(personal);

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
