import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { loadNumberCredentials } from "../../src/features/numbers/repository.ts";
import { connectSandboxFromInbox, screenshotOnFailure, signIn, useDashboard } from "../support/browser.ts";
import { createWorkspaceWithOwner } from "../support/identity.ts";

// Structured message content in the thread, in a real browser against a real Parley in sandbox
// mode: a location from the simulated customer, and shared contacts (Meta's captured vCard payload,
// posted signed to the number's webhook), shown as what they are — not as "[location]" or nothing.

const CUSTOMER = "15550001234";

const dashboard = useDashboard();

describe("message content in the conversation view", () => {
  it("shows a location and a shared vCard in the thread", { timeout: 120_000 }, async () => {
    const { harness } = dashboard;
    const { page } = dashboard.owner;
    await screenshotOnFailure(
      "conversation-content-e2e",
      () => [page],
      async () => {
        const running = harness.parley;
        const sandbox = running.services.sandbox!;
        const { workspaceId, owner } = await createWorkspaceWithOwner(running.services, { name: "Acme Support" });
        await signIn(page, `${harness.address}/`, owner);
        await connectSandboxFromInbox(page);

        sandbox.sendFromCustomer({ type: "text", from: CUSTOMER, name: "Dana Customer", text: "Here is where I am" });
        sandbox.sendFromCustomer({
          type: "location",
          from: CUSTOMER,
          latitude: 37.4611978,
          longitude: -122.2164385,
          address: "1 Hacker Way, Menlo Park, CA 94025",
        });
        const number = await withWorkspace(running.services.db, { workspaceId }, (trx) =>
          trx
            .selectFrom("numbers")
            .select(["id", "waba_id", "phone_number_id", "webhook_key"])
            .where("workspace_id", "=", workspaceId)
            .executeTakeFirstOrThrow(),
        );
        const credentials = await withWorkspace(running.services.db, { workspaceId }, (trx) =>
          loadNumberCredentials(trx, running.services.keyring, workspaceId, number.id),
        );
        const fixture = readFileSync(new URL("../whatsapp/fixtures/meta/contacts.json", import.meta.url), "utf8")
          .replaceAll("102290129340398", number.waba_id)
          .replaceAll("1122334455667", number.phone_number_id);
        const payload = JSON.parse(fixture) as {
          entry: Array<{
            changes: Array<{ value: { contacts: Array<{ profile: { name: string } }>; messages: Array<{ timestamp: string }> } }>;
          }>;
        };
        const value = payload.entry[0]!.changes[0]!.value;
        value.contacts[0]!.profile.name = "Dana Customer";
        value.messages[0]!.timestamp = String(Math.floor(Date.now() / 1000) + 1);
        const body = serializeWireJson(payload);
        const delivered = await fetch(`${harness.address}/webhooks/whatsapp/${number.webhook_key}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(credentials!.appSecret, body) },
          body,
        });
        expect(delivered.status).toBe(200);

        const row = page.getByRole("button", { name: /Dana Customer/ });
        await row.waitFor({ timeout: 20_000 });
        await row.click();
        const thread = page.getByRole("list", { name: "Messages" });

        const location = thread.locator('[data-kind="location"]');
        await location.getByText("1 Hacker Way, Menlo Park, CA 94025").waitFor({ timeout: 20_000 });
        const map = location.getByRole("link", { name: /37\.46120, -122\.21644/ });
        await expect(map.getAttribute("href")).resolves.toMatch(
          /^https:\/\/www\.openstreetmap\.org\/\?mlat=37\.461198&mlon=-122\.21643\d#map=16\//,
        );

        const cards = thread.getByRole("list", { name: "Shared contacts" });
        await cards.getByText("Chandler Bing").waitFor({ timeout: 20_000 });
        await cards.getByText("Rachel Green").waitFor();
        await cards.getByText("+1 555-000-5555 (cell)").waitFor();
        expect(await cards.getByRole("listitem").count()).toBe(3);
      },
    );
  });
});
