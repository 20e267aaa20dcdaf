import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBlock, recordStrike } from "../../src/http/abuse.ts";
import {
  screenshotOnFailure,
  setUpOwner,
  startBrowserHarness,
  workspaceIdOf,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";

// Settings → Blocked addresses in a real browser: the Owner sees the empty state, then the
// addresses blocked for this workspace's routes, lifts one (the list empties, the address is
// accepted again) and cannot lift one that other workspaces' routes blocked too. The blocks are
// made through the running Parley's own coordination store: how strikes earn them over HTTP is
// test/http/limits.test.ts's to prove, and 401s from this browser's own address would block it.
// Runs on both passes (in-process store, Redis); a missing Chromium fails the test.

let harness: BrowserHarness;
let session: WatchedPage;
let page: Page;

beforeAll(async () => {
  harness = await startBrowserHarness();
  session = await harness.newSession();
  page = session.page;
}, 180_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

async function block(address: string, workspaceIds: readonly string[]): Promise<void> {
  const { coordination, config } = harness.parley.services;
  // One strike is enough here: the threshold is config, not what this screen is about.
  const settings = { ...config.abuse, strikes: workspaceIds.length };
  for (const workspaceId of workspaceIds) await recordStrike(coordination, settings, address, workspaceId);
}

describe("blocked addresses in the dashboard", () => {
  it("the Owner sees the workspace's blocked addresses and lifts one; a shared block is the operator's", { timeout: 180_000 }, async () => {
    await screenshotOnFailure(
      "blocked-addresses-e2e",
      () => [page],
      async () => {
        await setUpOwner(harness, page, { email: "owner@blocks.test", workspaceName: "Acme Blocks" });
        const workspaceId = workspaceIdOf(page);
        await page.goto(`${harness.address}/w/${workspaceId}/settings/blocked-addresses`);
        await page.getByRole("heading", { name: "Blocked addresses", level: 2 }).waitFor();
        await page.getByText("No address is blocked.").waitFor();

        await block("203.0.113.9", [workspaceId]);
        await block("198.51.100.20", [workspaceId, randomUUID()]);
        await page.reload();
        const table = page.getByRole("table", { name: "Blocked addresses" });
        await table.waitFor();
        expect(await table.getByRole("row").count()).toBe(3);
        await table.getByText("Also blocked for other workspaces: ask your operator.").waitFor();
        expect(await table.getByRole("button", { name: "Unblock 198.51.100.20" }).count()).toBe(0);

        await table.getByRole("button", { name: "Unblock 203.0.113.9" }).click();
        const dialog = page.getByRole("dialog", { name: "Unblock this address?" });
        await dialog.getByRole("button", { name: "Unblock" }).click();
        await dialog.waitFor({ state: "detached" });
        await table.getByText("203.0.113.9").waitFor({ state: "detached" });
        expect(await table.getByText("198.51.100.20").count()).toBe(1);
        expect(await findBlock(harness.parley.services.coordination, "203.0.113.9")).toBeUndefined();
        expect(session.cspViolations).toEqual([]);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });
});
