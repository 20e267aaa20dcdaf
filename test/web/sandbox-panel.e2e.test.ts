import { describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// The sandbox customer panel in a real browser against a real Parley in sandbox mode: a new Owner
// connects the sandbox number, opens the panel from the empty inbox (it lives under Settings →
// WhatsApp numbers), writes as the
// customer (keyboard only), sees the message in the inbox, replies from the inbox, and the panel's
// view of the customer's phone shows the reply with its ticks. An image goes the same way. The
// panel fits a 390 px wide phone screen.

const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const dashboard = useDashboard();

describe("the sandbox customer panel in a browser", () => {
  it(
    "writes as the customer, the message reaches the inbox, and the inbox's reply reaches the customer's phone",
    { timeout: 180_000 },
    async () => {
      const { harness, owner } = dashboard;
      const { page } = owner;
      await screenshotOnFailure(
        "sandbox-panel-e2e",
        () => [page],
        async () => {
          const workspaceId = await setUpSandboxOwner(harness, page, { email: "owner@sandbox-panel.test", workspaceName: "Panel Co" });
          const openPanel = async () => {
            await page.goto(`${harness.address}/w/${workspaceId}/settings/numbers`);
            const toggle = page.getByRole("button", { name: "Try it as a customer" });
            await toggle.focus();
            await page.keyboard.press("Enter");
            await expect(toggle.getAttribute("aria-expanded")).resolves.toBe("true");
            return page.getByRole("region", { name: "Sandbox customer" });
          };

          // 1. The empty inbox links to the panel, which opens at once; at phone width it is empty at
          // first and nothing is wider than the screen.
          await page.getByRole("button", { name: "Write as a sandbox customer" }).click();
          let panel = page.getByRole("region", { name: "Sandbox customer" });
          await panel.waitFor();
          expect(new URL(page.url()).pathname).toBe(`/w/${workspaceId}/settings/numbers`);
          await page.setViewportSize({ width: 390, height: 844 });
          await panel.getByText("No messages with this customer yet").waitFor();
          expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
          const box = await panel.boundingBox();
          expect(box!.x + box!.width).toBeLessThanOrEqual(390);

          // 2. Write as the customer with the keyboard only: type, then Enter.
          await panel.getByLabel("Customer name").fill("Panel Customer");
          await panel.getByLabel("Message as the customer").focus();
          await page.keyboard.type("Hello from the sandbox panel");
          await page.keyboard.press("Enter");
          const phone = panel.getByRole("list", { name: "Customer's phone" });
          await phone.getByText("Hello from the sandbox panel").waitFor();
          await expect(panel.getByLabel("Message as the customer").inputValue()).resolves.toBe("");

          // An image from the customer, through the same panel.
          await panel
            .getByLabel("Image to send as the customer")
            .setInputFiles({ name: "parcel.png", mimeType: "image/png", buffer: Buffer.from(PIXEL_PNG, "base64") });
          await phone.locator('[data-direction="customer"]', { hasText: "Image" }).waitFor();

          // 3. The message is in the inbox; the Owner replies there.
          await page.setViewportSize({ width: 1280, height: 900 });
          await page.goto(`${harness.address}/w/${workspaceId}`);
          const row = page.getByRole("button", { name: /Panel Customer/ });
          await row.waitFor({ timeout: 20_000 });
          await row.click();
          await page.getByRole("list", { name: "Messages" }).getByText("Hello from the sandbox panel").waitFor({ timeout: 20_000 });
          await page.getByRole("textbox", { name: "Reply" }).fill("Thanks, we are on it.");
          await page.getByRole("button", { name: "Send" }).click();
          await page.locator(".message.out", { hasText: "Thanks, we are on it." }).waitFor();

          // 4. The panel shows what the customer received, with its ticks moving up to Read.
          await page.setViewportSize({ width: 390, height: 844 });
          panel = await openPanel();
          const received = panel
            .getByRole("list", { name: "Customer's phone" })
            .locator('[data-direction="business"]', { hasText: "Thanks, we are on it." });
          await received.waitFor({ timeout: 20_000 });
          await expect.poll(() => received.getByTestId("sandbox-status").textContent(), { timeout: 20_000, interval: 250 }).toBe("Read");
          expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);

          await panel.getByRole("button", { name: "Send an image" }).scrollIntoViewIfNeeded();
          await expect(panel.getByRole("button", { name: "Send an image" }).isVisible()).resolves.toBe(true);
          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );
});
