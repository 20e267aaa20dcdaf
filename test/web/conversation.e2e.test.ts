import { describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { publishRealtimeEvents } from "../../src/realtime/events.ts";
import { connectSandboxFromInbox, screenshotOnFailure, signIn, useDashboard } from "../support/browser.ts";
import { createWorkspaceWithOwner } from "../support/identity.ts";

// The conversation view in a real browser (Debian's Chromium driven by playwright-core) against a
// real Parley in sandbox mode: an internal note (shown, marked internal, never sent to the
// customer), a quick reply created in its dialog and inserted with "/", an image from the simulated
// customer previewed inline under the strict CSP, a file attached and sent, and — once the
// 24-hour window is closed — an approved template picked, filled and sent, which the simulated
// customer receives with its parameters. Screenshots of a failure go to test-results/. It runs on
// both passes (PGlite + in-process pub/sub, then PostgreSQL + Redis).

const CUSTOMER = "4915112345678";
// A valid 1×1 PNG: the browser must be able to decode what it previews.
const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const dashboard = useDashboard();

describe("the conversation view in a browser", () => {
  it(
    "adds an internal note, uses a quick reply, previews a customer's image, sends a file and, with the window closed, a template",
    { timeout: 180_000 },
    async () => {
      const { harness, owner: session } = dashboard;
      const { page } = session;
      await screenshotOnFailure(
        "conversation-e2e",
        () => [page],
        async () => {
          const running = harness.parley;
          const sandbox = running.services.sandbox!;
          const { workspaceId, owner } = await createWorkspaceWithOwner(running.services, { name: "Acme Support" });

          // 1. Sign in, connect the sandbox number (its approved template is synced with it); a customer writes.
          await signIn(page, `${harness.address}/`, owner);
          await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
          await connectSandboxFromInbox(page);
          sandbox.sendFromCustomer({ type: "text", from: CUSTOMER, name: "Dana Customer", text: "Where is my order?" });
          const row = page.getByRole("button", { name: /Dana Customer/ });
          await row.waitFor({ timeout: 20_000 });
          await row.click();
          const thread = page.getByRole("list", { name: "Messages" });
          await thread.getByText("Where is my order?").waitFor();

          // 2. An internal note: shown in the thread, marked internal, never sent to the customer.
          await page.getByRole("tab", { name: "Internal note" }).click();
          await page.getByRole("textbox", { name: "Internal note" }).fill("VIP customer — <b>check the warehouse</b>");
          await page.getByRole("button", { name: "Add note" }).click();
          const note = thread.getByRole("listitem", { name: /Internal note by/ });
          await note.getByText("VIP customer — <b>check the warehouse</b>").waitFor();
          await expect(note.textContent()).resolves.toContain("only your team sees this");
          expect(await thread.locator("b").count()).toBe(0);
          expect(sandbox.listReceived(CUSTOMER).map((message) => JSON.stringify(message.body))).not.toContainEqual(
            expect.stringContaining("VIP customer"),
          );

          // 3. A quick reply, created in its dialog, then inserted with "/" and the keyboard.
          await page.getByRole("tab", { name: "Reply" }).click();
          await page.getByRole("button", { name: "Quick replies…" }).click();
          const dialog = page.getByRole("dialog", { name: "Quick replies" });
          await dialog.getByText("No quick replies yet.").waitFor();
          await dialog.getByRole("button", { name: "New quick reply" }).click();
          await dialog.getByLabel("Shortcut (typed after /)").fill("thanks");
          await dialog.getByLabel("Text").fill("Thank you for your patience, we are on it!");
          await dialog.getByRole("button", { name: "Save" }).click();
          await dialog.getByText("/thanks").waitFor();
          await dialog.getByRole("button", { name: "Close" }).click();
          const reply = page.getByRole("textbox", { name: "Reply" });
          await reply.click();
          await reply.pressSequentially("/tha");
          const option = page.getByRole("listbox", { name: "Quick replies" }).getByRole("option", { name: /\/thanks/ });
          await option.waitFor();
          await expect(option.getAttribute("aria-selected")).resolves.toBe("true");
          await reply.press("Enter");
          await expect(reply.inputValue()).resolves.toBe("Thank you for your patience, we are on it!");
          await reply.press("Enter");
          await page.locator(".message.out", { hasText: "Thank you for your patience, we are on it!" }).waitFor();
          await expect
            .poll(
              () =>
                sandbox
                  .listReceived(CUSTOMER)
                  .some((message) => message.type === "text" && JSON.stringify(message.body).includes("Thank you for your patience")),
              { timeout: 20_000 },
            )
            .toBe(true);

          // 4. The customer sends an image: a placeholder, then the preview, decoded under the CSP.
          sandbox.sendFromCustomer({
            type: "image",
            from: CUSTOMER,
            mimeType: "image/png",
            dataBase64: PIXEL_PNG,
            caption: "Photo of the parcel",
          });
          await thread.getByText("Photo of the parcel").waitFor({ timeout: 20_000 });
          const preview = thread.getByRole("img", { name: "Image from the customer" });
          await preview.waitFor({ timeout: 20_000 });
          await expect.poll(() => preview.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);

          // 5. Attach a file and send it: it goes up encrypted, then to the customer by media id.
          await page
            .locator(".composer input[type=file]")
            .setInputFiles({ name: "label.png", mimeType: "image/png", buffer: Buffer.from(PIXEL_PNG, "base64") });
          await page.getByRole("group", { name: "File to send" }).getByRole("textbox", { name: "Caption" }).fill("Your shipping label");
          await page.getByRole("button", { name: "Send image" }).click();
          await page
            .locator(".message.out", { hasText: "Your shipping label" })
            .getByRole("img", { name: "Image sent" })
            .waitFor({ timeout: 20_000 });
          await expect
            .poll(
              () => sandbox.listReceived(CUSTOMER).find((message) => message.type === "image")?.body.image as { id?: string } | undefined,
              { timeout: 20_000 },
            )
            .toMatchObject({ id: expect.stringMatching(/^\d+$/) });

          // 6. The window closes (the customer last wrote 25 hours ago): the banner offers templates.
          const conversationId = /\/c\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
          await withWorkspace(running.services.db, { workspaceId }, (trx) =>
            trx
              .updateTable("conversations")
              .set({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) })
              .where("id", "=", conversationId)
              .execute(),
          );
          await publishRealtimeEvents(running.services, workspaceId, [
            { type: "conversation.updated", data: { conversationId, change: "activity" } },
          ]);
          await page.getByText("The 24-hour customer service window is closed").waitFor({ timeout: 20_000 });
          await page.getByRole("button", { name: "Choose a template" }).click();
          await page.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US) · utility" });
          const preview2 = page.getByRole("figure", { name: "Preview" });
          await expect(preview2.textContent()).resolves.toContain("Hello {{1}}, your order {{2}} is on its way.");
          await page.getByLabel("Body {{1}}").fill("Dana");
          await page.getByLabel("Body {{2}}").fill("A-1042");
          await expect(preview2.textContent()).resolves.toContain("Hello Dana, your order A-1042 is on its way.");
          await page.getByRole("button", { name: "Send template" }).click();
          await page.locator(".message.out", { hasText: "Hello Dana, your order A-1042 is on its way." }).waitFor({ timeout: 20_000 });
          // Sent templates read as sent: the bubble holds the text the customer received, not the template's name.
          await expect(
            page.locator(".message.out", { hasText: "Hello Dana, your order A-1042 is on its way." }).textContent(),
          ).resolves.not.toContain("Template: order_update");
          await expect
            .poll(() => sandbox.listReceived(CUSTOMER).find((message) => message.type === "template")?.body.template, { timeout: 20_000 })
            .toEqual({
              name: "order_update",
              language: { code: "en_US" },
              components: [
                {
                  type: "body",
                  parameters: [
                    { type: "text", text: "Dana" },
                    { type: "text", text: "A-1042" },
                  ],
                },
              ],
            });

          // Nothing sent to the customer ever carried the note.
          expect(JSON.stringify(sandbox.listReceived(CUSTOMER))).not.toContain("VIP customer");
          expect(session.cspViolations).toEqual([]);
          expect(session.pageErrors).toEqual([]);
        },
      );
    },
  );
});
