import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { issueSetupToken, setupUrl } from "../../src/features/setup/setup-token.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import { createLogger } from "../../src/log/logger.ts";
import { testEngine } from "../support/engine.ts";
import { createParleyEnvironment, type ParleyEnvironment } from "../support/parley-process.ts";
import { captureLogs } from "../support/services.ts";

// The inbox list in a real browser (Debian's Chromium) against a real Parley in sandbox mode: two
// customers write; the one search box narrows the list by name and by exact phone number; the
// status filter separates a closed conversation; "No conversations match" offers to clear the
// filters; the filters survive a reload (they live in the address bar); and the keyboard moves
// through the list (j / ArrowDown), opens the next conversation (Enter) and focuses the search
// (/). Runs on both passes; a missing Chromium fails the test.

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;
const PASSWORD = "correct horse battery staple inbox filters";

let env: ParleyEnvironment;
let parley: Parley | undefined;
let context: BrowserContext | undefined;
let userDataDir: string;
let page: Page;
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
  userDataDir = await mkdtemp(join(tmpdir(), "parley-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await parley?.stop().catch(() => undefined);
  await env?.cleanup();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
}, 60_000);

async function screenshotOnFailure<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    await page?.screenshot({ path: join(ROOT, "test-results", `${name}-${testEngine}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

/** The names of the conversations the list shows, top to bottom. */
async function listedNames(): Promise<string[]> {
  const list = page.getByRole("list", { name: "Conversation list" });
  if ((await list.count()) === 0) return [];
  return list.locator(".conversation .name").allTextContents();
}

async function expectListed(names: string[]): Promise<void> {
  await expect.poll(listedNames, { timeout: 15_000 }).toEqual(names);
}

describe("the inbox list's filters, search and keyboard in a browser", () => {
  it("narrows by name, by phone and by status, clears, survives a reload, and moves with the keyboard", { timeout: 180_000 }, async () => {
    await screenshotOnFailure("inbox-filters-e2e", async () => {
      const running = parley!;
      const issued = await issueSetupToken(running.services.db);
      expect(issued).not.toBeNull();

      // Setup, TOTP enrollment, the sandbox number (as in inbox.e2e.test.ts).
      await page.goto(setupUrl(running.address!, issued!.token));
      await page.getByLabel("Workspace name").fill("Filter Co");
      await page.getByLabel("Your e-mail").fill("owner@filters.test");
      await page.getByLabel(/^Password/).fill(PASSWORD);
      await page.getByRole("button", { name: "Create workspace" }).click();
      const key = (await page.getByLabel("Setup key").textContent())!.trim();
      await page.getByLabel("6-digit code").fill(totp(decodeBase32(key), Date.now()));
      await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
      await page.getByRole("button", { name: /I saved them/ }).click();
      await page.getByRole("button", { name: "Connect the sandbox number" }).click();
      await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

      // Two customers write; Eli last, so Eli is on top.
      const sandbox = running.services.sandbox!;
      sandbox.sendFromCustomer({ type: "text", from: "4915112345678", name: "Dana Customer", text: "Where is my parcel?" });
      await page.getByRole("button", { name: /Dana Customer/ }).waitFor({ timeout: 20_000 });
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
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press("/");
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("inbox-search");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: /Eli Buyer/ }).focus();
      await page.keyboard.press("j");
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toContain("Dana Customer");
      await page.keyboard.press("k");
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toContain("Eli Buyer");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Dana Customer" }).waitFor();
      await page.getByRole("list", { name: "Messages" }).getByText("Where is my parcel?").waitFor();
      expect(page.url()).toMatch(/\/c\/[0-9a-f-]{36}/);

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
