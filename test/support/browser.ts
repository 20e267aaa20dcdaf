import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { issueSetupToken, setupUrl } from "../../src/identity/setup/setup-token.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import { createLogger } from "../../src/log/logger.ts";
import { testEngine } from "./engine.ts";
import { currentTotp, type TestUser } from "./identity.ts";
import { createParleyEnvironment, freePort, type ParleyEnvironment } from "./parley-process.ts";
import { ensureDashboardBuilt } from "./dashboard-build.ts";
import { captureLogs } from "./services.ts";

// Browser tests: Debian's Chromium driven by playwright-core against a real Parley in sandbox mode
// (PGlite + in-process pub/sub on the first pass, PostgreSQL + Redis on the second). A missing
// Chromium fails the test: it is never skipped. Screenshots of failures go to test-results/.

export const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;
export const TEST_PASSWORD = "correct horse battery staple dashboard";

export type BrowserHarness = {
  parley: Parley;
  /** The dashboard's origin, e.g. http://127.0.0.1:41234 */
  address: string;
  browser: Browser;
  /** What the running Parley logged so far (warn and above), for proofs that a secret was never logged. */
  logs(): string;
  /** A fresh browser profile (its own cookies and storage) with its page, watched for CSP violations, script errors and dialogs. */
  newSession(options?: { acceptDownloads?: boolean }): Promise<WatchedPage>;
  close(): Promise<void>;
};

export type WatchedPage = { context: BrowserContext; page: Page; cspViolations: string[]; pageErrors: string[]; dialogs: string[] };

/** A sandbox-mode Parley and a Chromium to drive it. */
export async function startBrowserHarness(extraEnv: Record<string, string> = {}): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (browser tests are never skipped).`,
    );
  }
  ensureDashboardBuilt();
  const port = await freePort();
  const env: ParleyEnvironment = await createParleyEnvironment({
    PARLEY_PORT: String(port),
    PARLEY_HOST: "127.0.0.1",
    PARLEY_WHATSAPP_MODE: "sandbox",
    ...extraEnv,
  });
  const config = loadConfig({ PARLEY_ENV: "development", ...env.env });
  let parley: Parley | undefined;
  let browser: Browser | undefined;
  const logs = captureLogs();
  try {
    parley = await startParley(config, createLogger({ level: "warn", destination: logs.destination }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (error) {
    await parley?.stop().catch(() => undefined);
    await env.cleanup();
    throw error;
  }
  const running = parley;
  const launched = browser;
  const contexts: BrowserContext[] = [];
  return {
    parley: running,
    address: running.address!,
    browser: launched,
    logs: () => logs.text(),
    async newSession(options = {}) {
      const context = await launched.newContext({ acceptDownloads: options.acceptDownloads ?? false });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const watched: WatchedPage = { context, page, cspViolations: [], pageErrors: [], dialogs: [] };
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) watched.cspViolations.push(message.text());
      });
      page.on("pageerror", (error) => watched.pageErrors.push(error.message));
      page.on("dialog", (dialog) => {
        watched.dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      return watched;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await launched.close().catch(() => undefined);
      await running.stop().catch(() => undefined);
      await env.cleanup();
    },
  };
}

export type DashboardFixture = { readonly harness: BrowserHarness; readonly owner: WatchedPage };

/**
 * The file's dashboard: before its tests a sandbox-mode Parley, a Chromium and one browser session
 * (`owner`); after them all closed. Read `harness` and `owner` inside the tests.
 */
export function useDashboard(): DashboardFixture {
  let harness: BrowserHarness | undefined;
  let owner: WatchedPage | undefined;
  beforeAll(async () => {
    harness = await startBrowserHarness();
    owner = await harness.newSession();
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  }, 60_000);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the dashboard is not started: read it inside a test");
    return value;
  };
  return {
    get harness() {
      return started(harness);
    },
    get owner() {
      return started(owner);
    },
  };
}

/** Runs `run`; on failure saves a full-page screenshot of every given page to test-results/ and rethrows. */
export async function screenshotOnFailure<T>(name: string, pages: () => Page[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    let index = 0;
    for (const page of pages()) {
      await page
        .screenshot({ path: join(ROOT, "test-results", `${name}-${testEngine}-${index++}.png`), fullPage: true })
        .catch(() => undefined);
    }
    throw error;
  }
}

export type Authenticator = { key: string; code(): Promise<string> };

/** An authenticator app for a base32 seed. Codes are single use: it waits for a time step none of its codes was used in yet. */
export function authenticator(key: string): Authenticator {
  const secret = decodeBase32(key);
  let lastStep = -1;
  return {
    key,
    async code() {
      while (Math.floor(Date.now() / 30_000) <= lastStep) await new Promise((resolve) => setTimeout(resolve, 250));
      lastStep = Math.floor(Date.now() / 30_000);
      return totp(secret, Date.now());
    },
  };
}

/**
 * Runs a sensitive action; when the session's last password proof is too old the dashboard asks
 * for it again ("Confirm it's you"), and this answers the prompt.
 */
export async function withReauth(page: Page, done: () => Promise<unknown>, password: string, app: Authenticator): Promise<void> {
  const prompt = page.getByRole("dialog", { name: "Confirm it's you" });
  const first = await Promise.race([done().then(() => "done" as const), prompt.waitFor().then(() => "prompt" as const)]);
  if (first === "prompt") {
    await prompt.getByLabel("Your password").fill(password);
    await prompt.getByLabel("Authentication code").fill(await app.code());
    await prompt.getByRole("button", { name: "Confirm" }).click();
    await done();
  }
}

/** Enrolls TOTP on the enrollment screen the dashboard shows; returns the authenticator. */
export async function enrollTotp(page: Page): Promise<Authenticator> {
  const app = authenticator((await page.getByLabel("Setup key").textContent())!.trim());
  await page.getByLabel("6-digit code").fill(await app.code());
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await page.getByRole("list", { name: "Recovery codes" }).waitFor();
  await page.getByRole("button", { name: /I saved them/ }).click();
  return app;
}

/** First-run setup through the setup link, then TOTP enrollment; the page ends in the inbox. */
export async function setUpOwner(
  harness: BrowserHarness,
  page: Page,
  owner: { email: string; workspaceName: string; password?: string },
): Promise<{ authenticator: Authenticator }> {
  const issued = await issueSetupToken(harness.parley.services.db);
  expect(issued).not.toBeNull();
  await page.goto(setupUrl(harness.address, issued!.token));
  await page.getByLabel("Workspace name").fill(owner.workspaceName);
  await page.getByLabel("Your e-mail").fill(owner.email);
  await page.getByLabel(/^Password/).fill(owner.password ?? TEST_PASSWORD);
  await page.getByRole("button", { name: "Create workspace" }).click();
  return { authenticator: await enrollTotp(page) };
}

/** A new Owner (setup link, TOTP) who connects the sandbox number from the empty inbox; returns the workspace id. */
export async function setUpSandboxOwner(
  harness: BrowserHarness,
  page: Page,
  owner: { email: string; workspaceName: string },
): Promise<string> {
  await setUpOwner(harness, page, owner);
  await connectSandboxFromInbox(page);
  return workspaceIdOf(page);
}

/**
 * Signs in through the login screen at `url` (any dashboard address: the screen shows there when
 * signed out) with the member's password and, when enrolled, their current TOTP code.
 */
export async function signIn(page: Page, url: string, user: Pick<TestUser, "email" | "password" | "totpSecret">): Promise<void> {
  await page.goto(url);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (user.totpSecret) {
    await page.getByLabel("Authentication code").fill(totp(user.totpSecret, Date.now()));
    await page.getByRole("button", { name: "Verify" }).click();
  }
}

/**
 * Signs in through the login screen (clearing the test user's TOTP replay marker first, so several
 * sign-ins within one 30 s step work) and waits for the sections; then, given a `path`, reloads
 * there: the tab trades its refresh cookie for a new access token.
 */
export async function signInThroughScreen(harness: BrowserHarness, page: Page, user: TestUser, path?: string): Promise<void> {
  await page.goto(`${harness.address}/`);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (user.totpSecret) {
    await page.getByLabel("Authentication code").fill(await currentTotp(user));
    await page.getByRole("button", { name: "Verify" }).click();
  }
  await page.getByRole("navigation", { name: "Sections" }).waitFor();
  if (path) {
    await page.goto(`${harness.address}${path}`);
    await page.getByRole("navigation", { name: "Sections" }).waitFor();
  }
}

/** Connects the sandbox number from the inbox's empty state and waits for the live feed. */
export async function connectSandboxFromInbox(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Connect the sandbox number" }).click();
  await page.getByRole("button", { name: "Connect the sandbox number" }).waitFor({ state: "detached" });
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
}

/** The workspace id in the page's address (/w/<id>…). */
export function workspaceIdOf(page: Page): string {
  const match = /\/w\/([0-9a-f-]{36})/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`not on a workspace page: ${page.url()}`);
  return match[1]!;
}
