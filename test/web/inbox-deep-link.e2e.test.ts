import { describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// The inbox filters are the inbox route's typed search params: an address with filters, loaded
// directly (a shared link, a bookmark), shows the filtered list and fills the filter bar; filters
// that are malformed or unknown are ignored and leave the address bar, never break the page; a
// phone number searched for stays as typed in the address (not JSON-encoded); and a conversation's
// address carries the same filters; leaving for another section leaves them behind; unknown
// addresses land where they always did. Runs on both passes; a missing Chromium fails the test.

const dashboard = useDashboard();

async function listedNames(): Promise<string[]> {
  const list = dashboard.owner.page.getByRole("list", { name: "Conversation list" });
  if ((await list.count()) === 0) return [];
  return list.locator(".conversation .name").allTextContents();
}

async function expectListed(names: string[]): Promise<void> {
  await expect.poll(listedNames, { timeout: 15_000 }).toEqual(names);
}

describe("a filtered inbox address in a browser", () => {
  it(
    "shows the filtered list when loaded directly, ignores what is malformed, and lands unknown addresses as before",
    { timeout: 180_000 },
    async () => {
      const { harness, owner } = dashboard;
      const { page, cspViolations, pageErrors } = owner;
      await screenshotOnFailure(
        "inbox-deep-link-e2e",
        () => [page],
        async () => {
          const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@deep-link.test", workspaceName: "Deep Link Co" });
          const inbox = `${harness.address}/w/${workspaceId}`;

          const sandbox = harness.parley.services.sandbox!;
          sandbox.sendFromCustomer({ type: "text", from: "4915112345678", name: "Dana Customer", text: "Where is my parcel?" });
          await page.getByRole("button", { name: /Dana Customer/ }).waitFor({ timeout: 20_000 });
          // WhatsApp timestamps are whole seconds: in the same second the two would tie on activity.
          await new Promise((resolve) => setTimeout(resolve, 1_100));
          sandbox.sendFromCustomer({ type: "text", from: "4915187654321", name: "Eli Buyer", text: "Do you ship to Austria?" });
          await expectListed(["Eli Buyer", "Dana Customer"]);
          const search = page.getByRole("searchbox", { name: "Search by name or phone number" });

          // A filtered address loaded directly: the list and the filter bar say what it says.
          await page.goto(`${inbox}?q=dana&status=open`);
          await expectListed(["Dana Customer"]);
          await expect.poll(() => search.inputValue()).toBe("dana");
          await expect.poll(() => page.getByLabel("Status").inputValue()).toBe("open");
          expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ q: "dana", status: "open" });

          // Malformed and unknown params are dropped (from the screen and the address); the rest applies.
          await page.goto(`${inbox}?status=pending&view=sideways&number=not-a-number&q=eli&utm_source=mail`);
          await expectListed(["Eli Buyer"]);
          await expect.poll(() => page.getByLabel("Status").inputValue()).toBe("all");
          await expect.poll(() => Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ q: "eli" });
          await page.getByRole("tab", { name: "All", selected: true }).waitFor();

          // A phone number stays as typed in the address, and searches exactly.
          await page.goto(`${inbox}?q=4915187654321`);
          await expectListed(["Eli Buyer"]);
          await page.getByText("Exact phone number search.").waitFor();
          expect(new URL(page.url()).search).toBe("?q=4915187654321");

          // A conversation's address with filters: the thread opens beside the filtered list.
          await page.getByRole("button", { name: /Eli Buyer/ }).click();
          await page.getByRole("heading", { name: "Eli Buyer" }).waitFor();
          const conversationPath = new URL(page.url()).pathname;
          expect(conversationPath).toMatch(/^\/w\/[0-9a-f-]{36}\/c\/[0-9a-f-]{36}$/);
          expect(new URL(page.url()).search).toBe("?q=4915187654321");
          await page.goto(`${harness.address}${conversationPath}?q=dana`);
          await page.getByRole("list", { name: "Messages" }).getByText("Do you ship to Austria?").waitFor();
          await expectListed(["Dana Customer"]);

          // Leaving a filtered inbox for another section stays there (the filters do not pull it back).
          await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Contacts" }).click();
          await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
          await page.waitForLoadState("networkidle");
          expect(new URL(page.url()).pathname).toBe(`/w/${workspaceId}/contacts`);
          expect(new URL(page.url()).search).toBe("");

          // Unknown addresses do what they always did: outside /w/ the first workspace; inside it, an
          // unknown page, conversation id or workspace shows the inbox (the address stays as typed).
          const list = page.getByRole("list", { name: "Conversation list" });
          await page.goto(`${harness.address}/nowhere`);
          await expect.poll(() => new URL(page.url()).pathname).toBe(`/w/${workspaceId}`);
          await list.waitFor();
          for (const path of [
            `/w/${workspaceId}/nowhere`,
            `/w/${workspaceId}/c/not-a-conversation`,
            `/w/00000000-0000-4000-8000-000000000000/contacts`,
          ]) {
            await page.goto(`${harness.address}${path}`);
            await list.waitFor();
            await page.getByText("Select a conversation.").waitFor();
            expect(new URL(page.url()).pathname).toBe(path);
          }

          expect(cspViolations).toEqual([]);
          expect(pageErrors).toEqual([]);
        },
      );
    },
  );
});
