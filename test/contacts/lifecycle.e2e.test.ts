import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createContact } from "../../src/features/contacts/repository.ts";
import { publishInvalidation } from "../../src/identity/cache.ts";
import { totp } from "../../src/identity/totp.ts";
import { screenshotOnFailure, signIn, startBrowserHarness, type BrowserHarness, type WatchedPage } from "../support/browser.ts";
import { addMember, createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";

// The data lifecycle in a real browser: an Owner deletes a contact to the trash (it leaves the
// list), finds it in the Trash with its days left, restores it with the keyboard; previews and
// saves a retention policy (the preview says what it would delete; saving asks for the password
// again). An Admin sees the Trash but not Data retention. No CSP violation, no page error.

let harness: BrowserHarness;
let session: WatchedPage;
let page: Page;
let workspaceId: string;
let owner: TestUser;
let admin: TestUser;

beforeAll(async () => {
  harness = await startBrowserHarness();
  const created = await createWorkspaceWithOwner(harness.parley.services, { name: "Lifecycle Co" });
  workspaceId = created.workspaceId;
  owner = created.owner;
  admin = await addMember(harness.parley.services, workspaceId, "admin");
  const { services } = harness.parley;
  await withWorkspace(services.db, { workspaceId }, async (trx) => {
    await createContact(trx, services.keyring, { workspaceId, phone: "+4915170000001", name: "Tess Trash" });
    await createContact(trx, services.keyring, { workspaceId, phone: "+4915170000002", name: "Kim Keep" });
  });
  session = await harness.newSession();
  page = session.page;
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

/** Signs in and opens the contacts screen. */
async function signInToContacts(user: TestUser): Promise<void> {
  await signIn(page, `${harness.address}/w/${workspaceId}/contacts`, user);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Contacts" }).click();
  await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
}

describe("the data lifecycle in the dashboard", () => {
  it("deletes a contact to the trash and restores it", { timeout: 120_000 }, async () => {
    await screenshotOnFailure(
      "lifecycle-trash-e2e",
      () => [page],
      async () => {
        await signInToContacts(owner);
        const list = page.getByRole("list", { name: "Contact list" });
        await list.getByRole("button", { name: /Tess Trash/ }).click();
        await page.getByRole("heading", { name: "Tess Trash", level: 2 }).waitFor();
        await page.getByRole("button", { name: "Delete contact…" }).click();
        await page.getByRole("dialog", { name: "Move this contact to the trash?" }).getByRole("button", { name: "Move to trash" }).click();
        await page.getByText("Select a contact to see and edit its details.").waitFor();
        await list.getByRole("button", { name: /Kim Keep/ }).waitFor();
        expect(await list.getByRole("button", { name: /Tess Trash/ }).count()).toBe(0);

        await page.getByRole("button", { name: "Trash", exact: true }).click();
        const trash = page.getByRole("list", { name: "Contacts in the trash" });
        await trash.getByText("Tess Trash").waitFor();
        await trash.getByText("30 days left").waitFor();
        const restore = trash.getByRole("button", { name: "Restore Tess Trash" });
        await restore.focus();
        await page.keyboard.press("Enter");
        await page.getByRole("status").filter({ hasText: "Tess Trash is back in the contacts." }).waitFor();
        await page.getByText("The trash is empty.").waitFor();
        await page.getByRole("button", { name: "Back to contacts" }).click();
        await list.getByRole("button", { name: /Tess Trash/ }).waitFor();

        expect(session.cspViolations).toEqual([]);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });

  it("previews and saves a retention policy after confirming the password", { timeout: 120_000 }, async () => {
    await screenshotOnFailure(
      "lifecycle-retention-e2e",
      () => [page],
      async () => {
        await page.goto(`${harness.address}/w/${workspaceId}/settings/retention`);
        await page.getByRole("heading", { name: "Data retention", level: 1 }).waitFor();
        const form = page.getByRole("form", { name: "Data retention" });
        await form.waitFor();
        // Off by default: every kind unchecked, the days fields disabled.
        for (const box of await form.getByRole("checkbox").all()) expect(await box.isChecked()).toBe(false);
        await form.getByRole("group", { name: "Messages" }).getByRole("checkbox", { name: "Delete after" }).check();
        await form.getByLabel("Messages: days").fill("0");
        await form.getByRole("button", { name: "Preview" }).click();
        await form.getByText("Messages: give a whole number of days from 1 to 36,500.").waitFor();
        await form.getByLabel("Messages: days").fill("90");
        // Turning a kind on needs a preview first.
        expect(await form.getByRole("button", { name: "Save policy" }).isDisabled()).toBe(true);
        await form.getByRole("button", { name: "Preview" }).click();
        await form.getByRole("status", { name: "Preview" }).getByText("0 messages").waitFor();

        // The sign-in is fresh, so age it: saving then asks for the password (and a code).
        const { services } = harness.parley;
        const sessions = await services.db.owner.selectFrom("sessions").select("id").where("user_id", "=", owner.userId).execute();
        for (const { id } of sessions) {
          await services.db.owner
            .updateTable("sessions")
            .set({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) })
            .where("id", "=", id)
            .execute();
          await publishInvalidation(services, { type: "session", sessionId: id });
        }
        await form.getByRole("button", { name: "Save policy" }).click();
        const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
        await confirm.getByLabel("Your password").fill(owner.password);
        await confirm.getByLabel("Authentication code").fill(totp(owner.totpSecret!, Date.now() + 30_000));
        await confirm.getByRole("button", { name: "Confirm" }).click();
        await page.getByRole("status").filter({ hasText: "Saved. The policy is applied every hour, in batches." }).waitFor();
        const saved = await harness.parley.services.db.owner
          .selectFrom("retention_policies")
          .selectAll()
          .where("workspace_id", "=", workspaceId)
          .executeTakeFirstOrThrow();
        expect(saved).toMatchObject({ messages_days: 90, closed_conversations_days: null, notes_days: null, uploads_days: null });

        expect(session.cspViolations).toEqual([]);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });

  it("shows an Admin the trash but not the retention settings", { timeout: 60_000 }, async () => {
    await screenshotOnFailure(
      "lifecycle-admin-e2e",
      () => [page],
      async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByLabel("E-mail").waitFor();
        await signInToContacts(admin);
        await page.getByRole("button", { name: "Trash", exact: true }).waitFor();
        await page.goto(`${harness.address}/w/${workspaceId}/settings/members`);
        await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }).waitFor();
        expect(await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Data retention" }).count()).toBe(0);
      },
    );
  });
});
