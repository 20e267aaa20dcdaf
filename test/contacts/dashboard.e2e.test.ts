import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type Parley } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { parseCsv } from "../../src/features/contacts/csv.ts";
import { publishInvalidation } from "../../src/identity/cache.ts";
import { totp } from "../../src/identity/totp.ts";
import { createLogger } from "../../src/log/logger.ts";
import { testEngine } from "../support/engine.ts";
import { addMember, createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";
import { createParleyEnvironment, type ParleyEnvironment } from "../support/parley-process.ts";
import { captureLogs } from "../support/services.ts";

// The contacts screen in a real browser (Debian's Chromium) against a real Parley: an Owner adds a
// contact and edits its name, tags, custom fields and consent; imports a CSV file (the dry-run
// report lists the bad rows, confirming imports the good ones); searches by phone, filters by tag
// and loads more; exports (after confirming the password once the sign-in is older than 5
// minutes) a file whose formula cells are neutralized; erases a contact. An Agent sees neither
// Import nor Export. No CSP violation, no page error.

const CHROMIUM = "/usr/bin/chromium";
const ROOT = new URL("../../", import.meta.url).pathname;

let env: ParleyEnvironment;
let parley: Parley | undefined;
let context: BrowserContext | undefined;
let userDataDir: string;
let page: Page;
let workspaceId: string;
let owner: TestUser;
let agent: TestUser;
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
  const created = await createWorkspaceWithOwner(parley.services, { name: "Contacts Co" });
  workspaceId = created.workspaceId;
  owner = created.owner;
  agent = await addMember(parley.services, workspaceId, "agent");
  userDataDir = await mkdtemp(join(tmpdir(), "parley-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
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

async function signIn(user: TestUser): Promise<void> {
  await page.goto(`${parley!.address}/w/${workspaceId}/contacts`);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (user.totpSecret) {
    await page.getByLabel("Authentication code").fill(totp(user.totpSecret, Date.now()));
    await page.getByRole("button", { name: "Verify" }).click();
  }
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Contacts" }).click();
  await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
}

const IMPORT_FILE = [
  "phone,name,tags,consent,field:city",
  '+4915160000001,"=HYPERLINK(""https://evil.example"",""x"")",vip;lead,opted_in,Berlin',
  "0151 60000002,No Country Code,,,",
  "+4915160000003,Bad Tag,not ok!,,",
  ...Array.from({ length: 55 }, (_, index) => `+49151610000${String(index).padStart(2, "0")},Bulk ${index},bulk,,`),
  "",
].join("\r\n");

describe("contacts in the dashboard", () => {
  it("adds, edits, imports, searches, filters, exports and erases contacts as an Owner", { timeout: 180_000 }, async () => {
    await screenshotOnFailure("contacts-e2e", async () => {
      await signIn(owner);
      await page.getByText("No contacts yet").waitFor();

      // 1. Add a contact, then edit its profile and consent.
      await page.getByRole("button", { name: "Add contact" }).click();
      await page.getByLabel("Phone number (with the country code)").fill("+44 20 7946 0999");
      await page.getByLabel("Name", { exact: true }).fill("Grace Hopper");
      await page.getByLabel("Tags (separated by commas)").fill("Navy, pioneer");
      await page.getByRole("button", { name: "Add contact" }).last().click();
      await page.getByRole("heading", { name: "Grace Hopper", level: 2 }).waitFor();
      expect(page.url()).toMatch(new RegExp(`/w/${workspaceId}/contacts/[0-9a-f-]{36}$`));
      await page.getByRole("list", { name: "Tags" }).getByText("navy").waitFor();

      await page.getByLabel("Add tags").fill("speaker");
      await page.getByLabel("Add tags").press("Enter");
      await page.getByRole("button", { name: "Remove tag pioneer" }).click();
      await page.getByRole("button", { name: "Add a field" }).click();
      await page.getByLabel("Field name 1").fill("rank");
      await page.getByLabel("Value of field 1").fill("Rear Admiral");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      await page.getByLabel("New state").selectOption("opted_in");
      await page.getByLabel("How it was given").selectOption("web_form");
      await page.getByRole("button", { name: "Record consent" }).click();
      await page.getByRole("form", { name: "Consent to messages" }).getByText(/Web form,/).waitFor();
      // What was saved is what the API now answers (the page reloads it).
      await page.reload();
      await page.getByRole("heading", { name: "Grace Hopper", level: 2 }).waitFor();
      await expect(page.getByRole("list", { name: "Tags" }).textContent()).resolves.toMatch(/navy.*speaker/);
      await expect(page.getByLabel("Value of field 1").inputValue()).resolves.toBe("Rear Admiral");
      await page.getByRole("form", { name: "Consent to messages" }).locator(".contact-consent", { hasText: "Opted in" }).waitFor();

      // 2. A bad field name is refused in plain words.
      await page.getByRole("button", { name: "Add a field" }).click();
      await page.getByLabel("Field name 2").fill("Bad Name");
      await page.getByLabel("Value of field 2").fill("x");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("alert").filter({ hasText: "field name is 1–64 characters" }).waitFor();
      await page.getByRole("button", { name: "Remove field Bad Name" }).click();

      // 3. Import: the dry run lists the bad rows, nothing is written until confirmed.
      await page.getByRole("button", { name: "Import CSV" }).click();
      const dialog = page.getByRole("dialog", { name: "Import contacts from CSV" });
      await dialog.getByLabel("CSV file").setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(IMPORT_FILE, "utf8") });
      await dialog.getByRole("button", { name: "Check file" }).click();
      await dialog.getByText("Nothing has been imported yet").waitFor();
      await dialog.getByText("2 with problems (not imported)").waitFor();
      const problems = dialog.getByRole("table");
      await expect(problems.getByRole("row").count()).resolves.toBe(3);
      await problems.getByText(/phone: Not an international phone number/).waitFor();
      await problems.getByText(/tags: Tags are 1–64 characters/).waitFor();
      await dialog.getByRole("button", { name: "Import 56 contacts" }).click();
      await dialog.getByText("Import finished.").waitFor();
      await dialog.getByText("56 created").waitFor();
      await dialog.getByRole("button", { name: "Done" }).click();

      // 4. Load more, search by phone, filter by tag.
      const list = page.getByRole("list", { name: "Contact list" });
      await expect.poll(() => list.getByRole("listitem").count()).toBe(50);
      await page.getByRole("button", { name: "Load more contacts" }).click();
      await expect.poll(() => list.getByRole("listitem").count()).toBe(57);
      await page.getByLabel("Phone number", { exact: true }).fill("+49 151 6000 0001");
      await page.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
      await list.getByText('=HYPERLINK("https://evil.example","x")').waitFor();
      await page.getByRole("button", { name: "Clear" }).click();
      await page.getByLabel("Tag", { exact: true }).fill("VIP");
      await page.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
      await page.getByLabel("Tag", { exact: true }).fill("nobody");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText("No contacts match these filters.").waitFor();
      await page.getByRole("button", { name: "Clear" }).click();
      await expect.poll(() => list.getByRole("listitem").count()).toBe(50);

      // 5. Export, once the sign-in is older than 5 minutes: the password is asked for first.
      const running = parley!;
      const sessions = await running.services.db.owner.selectFrom("sessions").select("id").where("user_id", "=", owner.userId).execute();
      for (const { id } of sessions) {
        await running.services.db.owner.updateTable("sessions").set({ reauthenticated_at: new Date(Date.now() - 10 * 60 * 1000) }).where("id", "=", id).execute();
        await publishInvalidation(running.services, { type: "session", sessionId: id });
      }
      await page.getByRole("button", { name: "Export CSV" }).click();
      const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
      await confirm.getByLabel("Password").fill(owner.password);
      await confirm.getByLabel("Authenticator code").fill(totp(owner.totpSecret!, Date.now() + 30_000));
      const [download] = await Promise.all([page.waitForEvent("download"), confirm.getByRole("button", { name: "Confirm" }).click()]);
      expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = readFileSync((await download.path())!, "utf8");
      const [header, ...rows] = parseCsv(text).map((record) => record.cells);
      expect(header!.slice(0, 2)).toEqual(["phone", "name"]);
      expect(rows).toHaveLength(57);
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(rows.find((row) => row[0] === "'+4915160000001")![1]).toBe(`'=HYPERLINK("https://evil.example","x")`);

      // 6. Erase the first contact, after a confirmation (the password was confirmed a moment ago).
      await page.getByLabel("Phone number", { exact: true }).fill("+442079460999");
      await page.getByRole("button", { name: "Search" }).click();
      await list.getByRole("button", { name: /Grace Hopper/ }).click();
      await page.getByRole("button", { name: "Erase contact…" }).click();
      await page.getByRole("dialog", { name: "Erase this contact?" }).getByRole("button", { name: "Erase for good" }).click();
      await page.getByText("Select a contact to see and edit its details.").waitFor();
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText("No contacts match these filters.").waitFor();

      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });

  it("shows an Agent the contacts without Import and Export", { timeout: 60_000 }, async () => {
    await screenshotOnFailure("contacts-agent-e2e", async () => {
      // A fresh page whatever the previous test left open, then sign out and in as the Agent.
      await page.goto(`${parley!.address}/w/${workspaceId}/contacts`);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("E-mail").waitFor();
      await signIn(agent);
      await page.getByRole("list", { name: "Contact list" }).getByRole("listitem").first().waitFor();
      await expect(page.getByRole("button", { name: "Add contact" }).count()).resolves.toBe(1);
      await expect(page.getByRole("button", { name: "Import CSV" }).count()).resolves.toBe(0);
      await expect(page.getByRole("button", { name: "Export CSV" }).count()).resolves.toBe(0);
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
