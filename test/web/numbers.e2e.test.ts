import { describe, expect, it } from "vitest";
import {
  connectSandboxFromInbox,
  screenshotOnFailure,
  setUpOwner,
  signInThroughScreen,
  TEST_PASSWORD,
  useDashboard,
  withReauth,
  workspaceIdOf,
} from "../support/browser.ts";
import { addMember } from "../support/identity.ts";

// Settings → WhatsApp numbers in a real browser against a real Parley in sandbox mode (the
// simulator plays Meta): a number's health shown and read again from Meta; the two-step PIN set
// (and never shown back, nor logged); registering; the business profile edited and read back from
// Meta, with a refusal in words; disconnecting and reconnecting; Embedded Signup through the
// simulator's popup connecting a second number; the screen at 390 px; and an Agent, who cannot
// manage numbers, offered none of it. Runs on both passes.

const dashboard = useDashboard();
const PIN = "482915";

describe("managing WhatsApp numbers in the dashboard", () => {
  it(
    "shows and refreshes health, sets the PIN, edits the profile, disconnects and reconnects, and runs Embedded Signup",
    { timeout: 240_000 },
    async () => {
      const { harness, owner } = dashboard;
      const { page } = owner;
      await screenshotOnFailure(
        "numbers-e2e",
        () => [page],
        async () => {
          const { authenticator } = await setUpOwner(harness, page, { email: "owner@numbers.test", workspaceName: "Numbers Co" });
          await connectSandboxFromInbox(page);
          const workspaceId = workspaceIdOf(page);
          await page.goto(`${harness.address}/w/${workspaceId}/settings/numbers`);
          await page.getByRole("heading", { name: "WhatsApp numbers", level: 1 }).waitFor();

          // 1. Health, then read again from Meta.
          const health = page.getByRole("region", { name: "Health of Sandbox number" }).first();
          await health.getByText("Quality rating").waitFor();
          await health.getByRole("button", { name: "Refresh from Meta" }).click();
          const checked = health.locator("dt", { hasText: "Checked" }).locator("xpath=following-sibling::dd[1]");
          await expect.poll(() => checked.textContent(), { timeout: 15_000 }).not.toBe("Never");
          await health.getByText("Status at Meta").waitFor();
          // The simulator reports a connected number of high quality, standard throughput, an approved name.
          await health.getByText("High (green)").waitFor();
          await health.getByText("Standard (80 messages a second)").waitFor();
          await health.getByText("Approved", { exact: true }).waitFor();

          // 2. The two-step PIN: a mismatch is refused before anything is sent; then set, and never shown back.
          await health.getByRole("button", { name: "Set two-step PIN" }).click();
          const pinForm = page.getByRole("form", { name: "Two-step PIN of Sandbox number" });
          await pinForm.getByLabel("Six-digit PIN").fill(PIN);
          await pinForm.getByLabel("Repeat the PIN").fill("482916");
          await pinForm.getByRole("button", { name: "Save PIN" }).click();
          await pinForm.getByText("The two PINs differ").waitFor();
          expect(await pinForm.getByLabel("Six-digit PIN").getAttribute("type")).toBe("password");
          await pinForm.getByLabel("Repeat the PIN").fill(PIN);
          await pinForm.getByRole("button", { name: "Save PIN" }).click();
          await withReauth(
            page,
            () => health.getByRole("status").filter({ hasText: "The two-step PIN is set." }).waitFor(),
            TEST_PASSWORD,
            authenticator,
          );
          await health.getByText(/^Set /).waitFor();
          expect(await page.content()).not.toContain(PIN);
          const values = await Promise.all((await page.locator("input").all()).map((input) => input.inputValue()));
          expect(values).not.toContain(PIN);
          expect(harness.logs()).not.toContain(PIN);

          // 3. Registering with the PIN.
          await health.getByRole("button", { name: "Register", exact: true }).click();
          const registerForm = page.getByRole("form", { name: "Register Sandbox number" });
          await registerForm.getByLabel("Six-digit PIN").fill(PIN);
          await registerForm.getByLabel("Repeat the PIN").fill(PIN);
          await registerForm.getByRole("button", { name: "Register", exact: true }).click();
          await health.getByRole("status").filter({ hasText: "registered with the Cloud API" }).waitFor();
          expect(await page.content()).not.toContain(PIN);

          // 4. The business profile: a refusal in words, then a round trip through Meta.
          const profile = page.getByRole("region", { name: "Business profile of Sandbox number" });
          await profile.getByRole("button", { name: "Edit business profile" }).click();
          const profileForm = profile.getByRole("form", { name: "Business profile of Sandbox number" });
          await profileForm.getByLabel("About (up to 139 characters)").fill("Open every day, 9 to 5");
          await profileForm.getByLabel("Website", { exact: true }).fill("ftp://numbers.example");
          await profileForm.getByRole("button", { name: "Save profile" }).click();
          await profileForm.getByRole("alert").filter({ hasText: "must start with http:// or https://" }).waitFor();
          await profileForm.getByLabel("Website", { exact: true }).fill("https://numbers.example");
          await profileForm.getByLabel("Description (up to 512 characters)").fill("Bicycles, repaired while you wait.");
          await profileForm.getByLabel("E-mail").fill("hello@numbers.example");
          await profileForm.getByLabel("Industry").selectOption("RETAIL");
          await profileForm.getByRole("button", { name: "Save profile" }).click();
          await profileForm.getByRole("status").filter({ hasText: "Saved with Meta." }).waitFor();
          await page.reload();
          await profile.getByRole("button", { name: "Edit business profile" }).click();
          await expect.poll(() => profileForm.getByLabel("About (up to 139 characters)").inputValue()).toBe("Open every day, 9 to 5");
          expect(await profileForm.getByLabel("Website", { exact: true }).inputValue()).toBe("https://numbers.example");
          expect(await profileForm.getByLabel("E-mail").inputValue()).toBe("hello@numbers.example");
          expect(await profileForm.getByLabel("Industry").inputValue()).toBe("RETAIL");

          // 5. Disconnect (the dialog says sending stops and the history stays), then reconnect.
          const item = page.getByRole("list", { name: "WhatsApp numbers" }).getByRole("listitem").first();
          await page.getByRole("button", { name: "Disconnect Sandbox number" }).click();
          const dialog = page.getByRole("dialog", { name: "Disconnect this number?" });
          await dialog.getByText(/stops sending/).waitFor();
          await dialog.getByText(/history stay/).waitFor();
          await dialog.getByRole("button", { name: "Disconnect" }).click();
          await item.locator(".number-head").getByText("Disconnected", { exact: true }).waitFor();
          await item.getByRole("button", { name: "Reconnect" }).click();
          await item.locator(".number-head").getByText("Active", { exact: true }).waitFor();

          // 6. Embedded Signup through the simulator's popup connects a second number.
          await page.getByRole("button", { name: "Connect with Facebook" }).click();
          const signup = page.getByRole("dialog", { name: "Connect with Facebook" });
          await signup.getByLabel("Six-digit PIN").fill(PIN);
          await signup.getByLabel("Repeat the PIN").fill(PIN);
          await signup.getByRole("button", { name: "Continue with Facebook" }).click();
          await page.getByRole("status").filter({ hasText: "Connected the number ending in" }).waitFor({ timeout: 30_000 });
          await expect
            .poll(() => page.getByRole("list", { name: "WhatsApp numbers" }).getByRole("listitem").count())
            .toBeGreaterThanOrEqual(2);
          expect(await page.content()).not.toContain(PIN);
          expect(harness.logs()).not.toContain(PIN);

          // 7. At phone width nothing is wider than the screen.
          await page.setViewportSize({ width: 390, height: 844 });
          await page.reload();
          await health.getByRole("button", { name: "Refresh from Meta" }).waitFor();
          expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
          await page.setViewportSize({ width: 1280, height: 800 });

          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);

          // 8. An Agent cannot manage numbers: the section is not in the menu, and its address shows none of the controls.
          const agent = await addMember(harness.parley.services, workspaceId, "agent");
          const session = await harness.newSession();
          await signInThroughScreen(harness, session.page, agent, `/w/${workspaceId}/settings/numbers`);
          const menu = session.page.getByRole("navigation", { name: "Settings" });
          await menu.getByRole("link", { name: "Your account" }).waitFor();
          expect(await menu.getByRole("link", { name: "WhatsApp numbers" }).count()).toBe(0);
          expect(await session.page.getByRole("button", { name: "Refresh from Meta" }).count()).toBe(0);
          expect(await session.page.getByRole("button", { name: "Connect with Facebook" }).count()).toBe(0);
          expect(session.cspViolations).toEqual([]);
          expect(session.pageErrors).toEqual([]);
        },
      );
    },
  );
});
