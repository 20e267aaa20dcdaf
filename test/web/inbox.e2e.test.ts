import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, readdirSync } from "node:fs";
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

// The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a real
// Parley in sandbox mode: first-run setup → the Owner enrolls TOTP → connects the sandbox number →
// a simulated customer writes → the message appears live in the inbox → the Owner opens it and
// replies → the reply's delivery ticks update live. A hostile message renders as text. Screenshots
// of a failure go to test-results/. It runs on both passes (PGlite + in-process pub/sub, then
// PostgreSQL + Redis). A missing Chromium fails the test: it is never skipped.

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;
const PASSWORD = "correct horse battery staple dashboard";

let env: ParleyEnvironment;
let parley: Parley | undefined;
let context: BrowserContext | undefined;
let userDataDir: string;
let page: Page;
const cspViolations: string[] = [];
const pageErrors: string[] = [];
let enrollmentStarts = 0;

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
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/v1/me/mfa/totp")) enrollmentStarts += 1;
  });
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

describe("the team inbox in a browser", () => {
  it("sets up, enrolls TOTP, connects the sandbox, shows a customer's message live and sends a reply", { timeout: 120_000 }, async () => {
    await screenshotOnFailure("inbox-e2e", async () => {
      const running = parley!;
      const address = running.address!;
      const issued = await issueSetupToken(running.services.db);
      expect(issued).not.toBeNull();

      // 1. First-run setup from the printed link (token in the fragment).
      const response = await page.goto(setupUrl(address, issued!.token));
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
      await page.getByLabel("Workspace name").fill("Acme Support");
      await page.getByLabel("Your e-mail").fill("owner@acme.test");
      await page.getByLabel(/^Password/).fill(PASSWORD);
      await page.getByRole("button", { name: "Create workspace" }).click();
      expect(page.url()).not.toContain("token=");

      // 2. The Owner must enroll TOTP: the key is read from the page, the QR code is an image.
      const key = (await page.getByLabel("Setup key").textContent())!.trim();
      await expect(page.getByRole("img", { name: /QR code/ }).getAttribute("src")).resolves.toMatch(/^data:image\/svg\+xml;base64,/);
      // One enrollment per visit: a second start would replace the seed behind the key shown.
      expect(enrollmentStarts).toBe(1);
      await page.getByLabel("6-digit code").fill(totp(decodeBase32(key), Date.now()));
      await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
      await page.getByRole("list", { name: "Recovery codes" }).waitFor();
      await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count()).resolves.toBe(10);
      await page.getByRole("button", { name: /I saved them/ }).click();

      // 3. The inbox: connect the sandbox number, wait for the live feed.
      await page.getByRole("button", { name: "Connect the sandbox number" }).click();
      await page.getByRole("button", { name: "Connect the sandbox number" }).waitFor({ state: "detached" });
      await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
      await page.getByText("No conversations yet").waitFor();

      // 4. A customer writes; the conversation appears without a reload.
      running.services.sandbox!.sendFromCustomer({ type: "text", from: "4915112345678", name: "Dana Customer", text: "Hello, is my order on its way?" });
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
        .poll(async () => {
          running.services.sandbox!.settleStatuses();
          await running.services.sandbox!.flushWebhooks();
          return reply.locator(".tick").getAttribute("data-status").catch(() => null);
        }, { timeout: 30_000, interval: 500 })
        .toMatch(/^(sent|delivered|read)$/);

      // 6. A hostile message is shown as text: no element is created from it.
      running.services.sandbox!.sendFromCustomer({ type: "text", from: "4915112345678", text: '<img src=x onerror="window.__xss=1">' });
      await page.getByRole("list", { name: "Messages" }).getByText('<img src=x onerror="window.__xss=1">').waitFor({ timeout: 20_000 });
      expect(await page.locator(".messages img").count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
