import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createContactFor } from "../../src/features/contacts/service.ts";
import { readZip } from "../../src/features/subject-requests/zip.ts";
import { ownerCaller } from "../support/identity.ts";
import {
  screenshotOnFailure,
  setUpOwner,
  startBrowserHarness,
  withReauth,
  workspaceIdOf,
  type BrowserHarness,
  TEST_PASSWORD,
  type WatchedPage,
} from "../support/browser.ts";

// Settings → Privacy requests in a real browser against a running Parley (its worker builds the
// export): the empty state, recording an export and a back-dated erasure request (overdue,
// highlighted with the days), running the export and downloading the zip through its signed link,
// running the erasure, all by an Owner who re-authenticates when asked; and the screen at 390 px.

let harness: BrowserHarness;
let session: WatchedPage;
let page: Page;

beforeAll(async () => {
  harness = await startBrowserHarness();
  session = await harness.newSession({ acceptDownloads: true });
  page = session.page;
}, 180_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

async function fitsWidth(target: Page): Promise<boolean> {
  return target.evaluate<boolean>("document.documentElement.scrollWidth <= document.documentElement.clientWidth");
}

describe("privacy requests in the dashboard", () => {
  it("records, runs and downloads an export, erases from a request, and fits a phone", { timeout: 240_000 }, async () => {
    await screenshotOnFailure(
      "privacy-requests-e2e",
      () => [page],
      async () => {
        const { authenticator } = await setUpOwner(harness, page, { email: "owner@privacy.test", workspaceName: "Acme Privacy" });
        const workspaceId = workspaceIdOf(page);
        const services = harness.parley.services;
        const owner = await withWorkspace(services.db, { workspaceId }, (trx) =>
          trx.selectFrom("memberships").select("user_id").where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow(),
        );
        const caller = ownerCaller(workspaceId, owner.user_id);
        await createContactFor(services, caller, { phone: "+4915130000801", name: "Paula Portable" });
        await createContactFor(services, caller, { phone: "+4915130000802", name: "Egon Erase" });

        await page.goto(`${harness.address}/w/${workspaceId}/settings/privacy`);
        await page.getByRole("heading", { name: "Privacy requests", level: 1 }).waitFor();
        await page.getByText("No requests yet.").waitFor();

        const form = page.getByRole("form", { name: "Record a request" });
        await form.getByLabel("Contact").selectOption({ label: "Paula Portable · +4915130000801" });
        await form.getByRole("button", { name: "Record request" }).click();
        await form.getByText("Request recorded.").waitFor();
        const requests = page.getByRole("list", { name: "Privacy requests" });
        const exportItem = requests.getByRole("listitem", { name: "export request: Paula Portable" });
        await exportItem.getByText(/30 days left/).waitFor();

        // A back-dated erasure request, submitted from the keyboard: overdue, and listed first.
        await form.getByLabel("Kind").selectOption("erasure");
        await form.getByLabel("Contact").selectOption({ label: "Egon Erase · +4915130000802" });
        await form.getByLabel("Received on").fill(daysAgo(35));
        await form.getByLabel("Notes (optional)").fill("letter of 2 November");
        await form.getByLabel("Received on").focus();
        await page.keyboard.press("Enter");
        const erasureItem = requests.getByRole("listitem", { name: "erasure request: Egon Erase" });
        await erasureItem.getByText("Overdue by 5 days", { exact: false }).waitFor();
        expect(await erasureItem.getAttribute("class")).toContain("overdue");
        expect(await requests.getByRole("listitem").first().getAttribute("aria-label")).toBe("erasure request: Egon Erase");

        // The export: built by the worker, then downloaded as a zip through the signed link.
        await exportItem.getByRole("button", { name: "Run export" }).click();
        await withReauth(page, () => exportItem.getByText(/being prepared/).waitFor(), TEST_PASSWORD, authenticator);
        await expect
          .poll(
            async () => {
              await page.reload();
              // The list renders after its read answers: count once it is there, not before.
              await exportItem.waitFor();
              return exportItem.getByRole("button", { name: "Download" }).count();
            },
            { timeout: 60_000, interval: 1_000 },
          )
          .toBe(1);
        expect(await exportItem.getByText("Completed").count()).toBe(1);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          withReauth(page, () => exportItem.getByRole("button", { name: "Download" }).click(), TEST_PASSWORD, authenticator),
        ]);
        expect(download.suggestedFilename()).toMatch(/^subject-export-[0-9a-f-]{36}\.zip$/);
        const zip = readZip(await readFile(await download.path()));
        expect(zip.map((entry) => entry.name)).toEqual(["subject.json", "README.txt"]);
        expect(zip[0]!.bytes.toString("utf8")).toContain("Paula Portable");

        // The erasure: confirmed, the contact is gone, the request completed and PII-free.
        await erasureItem.getByRole("button", { name: "Run erasure for Egon Erase" }).click();
        const dialog = page.getByRole("dialog", { name: "Erase this contact?" });
        await dialog.getByRole("button", { name: "Erase now" }).click();
        await withReauth(page, () => dialog.waitFor({ state: "detached" }), TEST_PASSWORD, authenticator);
        const erased = requests.getByRole("listitem", { name: "erasure request: Erased contact" });
        await erased.getByText("Completed").waitFor();
        expect(await erased.getByText("letter of 2 November").count()).toBe(0);

        // At phone width the screen keeps to the width, and its actions stay reachable.
        await page.setViewportSize({ width: 390, height: 844 });
        await page.reload();
        await requests.waitFor();
        expect(await fitsWidth(page)).toBe(true);
        const button = exportItem.getByRole("button", { name: "Download" });
        expect((await button.boundingBox())!.x + (await button.boundingBox())!.width).toBeLessThanOrEqual(390);
        await form.getByRole("button", { name: "Record request" }).scrollIntoViewIfNeeded();
        expect(await fitsWidth(page)).toBe(true);
        expect(session.cspViolations).toEqual([]);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });
});
