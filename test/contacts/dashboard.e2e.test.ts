import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/features/contacts/csv.ts";
import { publishInvalidation } from "../../src/identity/cache.ts";
import { totp } from "../../src/identity/totp.ts";
import { screenshotOnFailure, signIn, startBrowserHarness, type BrowserHarness, type WatchedPage } from "../support/browser.ts";
import { addMember, createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";

// The contacts screen in a real browser (Debian's Chromium) against a real Parley: an Owner adds a
// contact and edits its name, tags, custom fields and consent; imports a CSV file (the dry-run
// report lists the bad rows, confirming imports the good ones); searches by phone, filters by tag
// and loads more; exports (after confirming the password once the sign-in is older than 5
// minutes) a file whose formula cells are neutralized; erases a contact. An Agent sees neither
// Import nor Export. No CSP violation, no page error.

let harness: BrowserHarness;
let session: WatchedPage;
let page: Page;
let workspaceId: string;
let owner: TestUser;
let agent: TestUser;

beforeAll(async () => {
  harness = await startBrowserHarness();
  const created = await createWorkspaceWithOwner(harness.parley.services, { name: "Contacts Co" });
  workspaceId = created.workspaceId;
  owner = created.owner;
  agent = await addMember(harness.parley.services, workspaceId, "agent");
  session = await harness.newSession({ acceptDownloads: true });
  page = session.page;
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

/** Signs in on the contacts screen and waits for it. */
async function signInToContacts(user: TestUser): Promise<void> {
  await signIn(page, `${harness.address}/w/${workspaceId}/contacts`, user);
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
    await screenshotOnFailure(
      "contacts-e2e",
      () => [page],
      async () => {
        await signInToContacts(owner);
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
        const currentConsent = page.locator('dl[aria-label="Current consent"]');
        await currentConsent.getByText(/Web form,/).waitFor();
        await page.getByRole("list", { name: "Consent history" }).getByText("Marketing: Opted in").waitFor();
        // What was saved is what the API now answers (the page reloads it).
        await page.reload();
        await page.getByRole("heading", { name: "Grace Hopper", level: 2 }).waitFor();
        await expect(page.getByRole("list", { name: "Tags" }).textContent()).resolves.toMatch(/navy.*speaker/);
        await expect(page.getByLabel("Value of field 1").inputValue()).resolves.toBe("Rear Admiral");
        await currentConsent.locator(".contact-consent", { hasText: "Opted in" }).first().waitFor();

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
        await dialog
          .getByLabel("CSV file")
          .setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(IMPORT_FILE, "utf8") });
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
        const running = harness.parley;
        const sessions = await running.services.db.owner.selectFrom("sessions").select("id").where("user_id", "=", owner.userId).execute();
        for (const { id } of sessions) {
          await running.services.db.owner
            .updateTable("sessions")
            .set({ reauthenticated_at: new Date(Date.now() - 10 * 60 * 1000) })
            .where("id", "=", id)
            .execute();
          await publishInvalidation(running.services, { type: "session", sessionId: id });
        }
        await page.getByRole("button", { name: "Export CSV" }).click();
        const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
        await confirm.getByLabel("Your password").fill(owner.password);
        await confirm.getByLabel("Authentication code").fill(totp(owner.totpSecret!, Date.now() + 30_000));
        const [download] = await Promise.all([page.waitForEvent("download"), confirm.getByRole("button", { name: "Confirm" }).click()]);
        expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
        const text = readFileSync(await download.path(), "utf8");
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

        expect(session.cspViolations).toEqual([]);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });

  it("shows an Agent the contacts without Import and Export", { timeout: 60_000 }, async () => {
    await screenshotOnFailure(
      "contacts-agent-e2e",
      () => [page],
      async () => {
        // A fresh page whatever the previous test left open, then sign out and in as the Agent.
        await page.goto(`${harness.address}/w/${workspaceId}/contacts`);
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByLabel("E-mail").waitFor();
        await signInToContacts(agent);
        await page.getByRole("list", { name: "Contact list" }).getByRole("listitem").first().waitFor();
        await expect(page.getByRole("button", { name: "Add contact" }).count()).resolves.toBe(1);
        await expect(page.getByRole("button", { name: "Import CSV" }).count()).resolves.toBe(0);
        await expect(page.getByRole("button", { name: "Export CSV" }).count()).resolves.toBe(0);
        expect(session.cspViolations).toEqual([]);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });
});
