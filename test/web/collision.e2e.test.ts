import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { totp } from "../../src/identity/totp.ts";
import { createLogger } from "../../src/log/logger.ts";
import { testEngine } from "../support/engine.ts";
import { addMember, createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";
import { createParleyEnvironment, type ParleyEnvironment } from "../support/parley-process.ts";
import { captureLogs } from "../support/services.ts";

// Collision detection in a real browser (Debian's Chromium driven by playwright-core) against a real
// Parley in sandbox mode, with two members in two separate browser contexts: an Owner and an Admin
// open the same conversation and each sees the other viewing; the Owner starts a reply and the
// Admin sees "typing…"; the Admin answers first; the Owner's send then asks for confirmation
// (who answered, how long ago), and confirming sends it and audits the takeover. Screenshots of a
// failure go to test-results/. Both passes (PGlite + in-process pub/sub, PostgreSQL + Redis).

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;

let env: ParleyEnvironment;
let parley: Parley | undefined;
let browser: Browser | undefined;
const pages: Array<{ name: string; page: Page }> = [];
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
  const sources = Math.max(newestMtime(join(ROOT, "web/src")), statSync(join(ROOT, "web/index.html")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, "scripts/build-web.mjs")], { cwd: ROOT, stdio: "pipe" });
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
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await parley?.stop().catch(() => undefined);
  await env?.cleanup();
}, 60_000);

/** A separate browser context (its own cookies and storage): one member's browser. */
async function openBrowserFor(name: string): Promise<Page> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${name}: ${message.text()}`);
  });
  page.on("pageerror", (error) => pageErrors.push(`${name}: ${error.message}`));
  pages.push({ name, page });
  return page;
}

async function screenshotOnFailure<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    for (const { name: who, page } of pages) {
      await page.screenshot({ path: join(ROOT, "test-results", `${name}-${who}-${testEngine}.png`), fullPage: true }).catch(() => undefined);
    }
    throw error;
  }
}

/** Signs in through the login screen with the member's password and current TOTP code. */
async function signIn(page: Page, address: string, user: TestUser): Promise<void> {
  await page.goto(`${address}/`);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Authentication code").fill(totp(user.totpSecret!, Date.now()));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
}

describe("collision detection in the team inbox, in two browsers", () => {
  it("shows who is viewing and typing, and asks before replying over a colleague's answer; the takeover is audited", { timeout: 180_000 }, async () => {
    await screenshotOnFailure("collision-e2e", async () => {
      const running = parley!;
      const address = running.address!;
      const { workspaceId, owner } = await createWorkspaceWithOwner(running.services, { name: "Acme Support" });
      const admin = await addMember(running.services, workspaceId, "admin");
      const ownerPage = await openBrowserFor("owner");
      const adminPage = await openBrowserFor("admin");

      // 1. Both sign in; the Owner connects the sandbox number; a customer writes.
      await signIn(ownerPage, address, owner);
      await ownerPage.getByRole("button", { name: "Connect the sandbox number" }).click();
      await ownerPage.getByRole("button", { name: "Connect the sandbox number" }).waitFor({ state: "detached" });
      await signIn(adminPage, address, admin);
      running.services.sandbox!.sendFromCustomer({ type: "text", from: "4915112345678", name: "Dana Customer", text: "Is my order on its way?" });

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
      await expect(dialog.textContent()).resolves.toMatch(new RegExp(`${admin.email.replace(/[.+]/g, "\\$&")} answered \\d+ s ago: send anyway\\?`));
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
      expect(entries[0]).toMatchObject({ actor_id: owner.userId, target_type: "conversation", metadata: { collision: true, answeredByUserId: admin.userId, assigneeId: null } });
      expect(JSON.stringify(entries)).not.toContain("Let me check");

      // 7. Closing the conversation (leaving the inbox) tells the other member at once.
      await adminPage.goto("about:blank");
      await ownerPage.locator(".presence-bar").getByText(`${admin.email} is viewing`).waitFor({ state: "detached", timeout: 20_000 });

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
