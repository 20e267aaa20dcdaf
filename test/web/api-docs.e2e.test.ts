import { describe, expect, it } from "vitest";
import { setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// /docs in a real browser: the stylesheet applies under the strict CSP with no violation reported,
// and the page reads at phone width without scrolling sideways (long paths and schemas scroll inside
// their own boxes).

const dashboard = useDashboard();

describe("the API documentation page in a browser", () => {
  it("renders styled under the CSP, and fits a 360 px screen", async () => {
    const { page, cspViolations, pageErrors } = dashboard.owner;
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(`${dashboard.harness.address}/docs`);
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { name: "Authentication" }).waitFor();
    // The stylesheet is applied: the method badges get their colours from /docs/docs.css.
    const badge = await page.evaluate("getComputedStyle(document.querySelector('.method-get')).backgroundColor");
    expect(badge).toBe("rgb(9, 105, 218)");

    await page.setViewportSize({ width: 360, height: 740 });
    const widths = await page.evaluate<{ scroll: number; client: number }>(
      "({ scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth })",
    );
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);

    await page.getByRole("link", { name: "Error codes" }).click();
    expect(page.url()).toMatch(/#errors$/);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("is linked from the API keys screen", async () => {
    const { page, cspViolations } = dashboard.owner;
    await page.setViewportSize({ width: 1280, height: 900 });
    const workspaceId = await setUpSandboxOwner(dashboard.harness, page, { email: "docs-owner@example.com", workspaceName: "Docs" });
    await page.goto(`${dashboard.harness.address}/w/${workspaceId}/settings/api-keys`);
    const link = page.getByRole("link", { name: "API reference" });
    expect(await link.getAttribute("href")).toBe("/docs");
    await link.click();
    await page.getByRole("heading", { name: "Authentication" }).waitFor();
    expect(cspViolations).toEqual([]);
  });
});
