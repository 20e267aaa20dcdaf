import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpSandboxOwner, useDashboard } from "../support/browser.ts";

// The dashboard's colour theme in a real browser against a real Parley in sandbox mode. Left on
// "System" it follows the operating system's preference (emulated here as prefers-color-scheme):
// dark renders a dark page, light a light one. The "Colour theme" select in the top bar, reached
// and changed by keyboard, overrides that preference, writes data-theme on <html> and keeps the
// choice across a reload and on the sign-in screen. Body text and muted text keep WCAG AA
// contrast (4.5:1) on the surfaces they are drawn on in both themes; the select fits 360 px; and
// nothing of this breaks the CSP (no inline style or script).

type Paint = { theme: string | null; canvas: number; pairs: Array<{ what: string; ratio: number }> };

// Runs in the page (a string: the tests typecheck without the DOM library). The surface of a text
// is the first ancestor with an opaque background.
const PAINT = `(() => {
  const channels = (colour) => (colour.match(/[\\d.]+/g) ?? []).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = channels(colour).slice(0, 3).map((value) => {
      const channel = value / 255;
      return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const surfaceOf = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const background = getComputedStyle(node).backgroundColor;
      const alpha = channels(background)[3];
      if (background !== "transparent" && (alpha === undefined || alpha === 1)) return background;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  const ratio = (element) => {
    const [lighter, darker] = [luminance(getComputedStyle(element).color), luminance(surfaceOf(element))].sort((a, b) => b - a);
    return (lighter + 0.05) / (darker + 0.05);
  };
  const pairs = [];
  pairs.push({ what: "body text on the page", ratio: ratio(document.body) });
  for (const [what, selector] of [["muted text in the list", ".sidebar .muted"], ["the brand on the top bar", ".topbar .brand"], ["text in the top bar", ".topbar .workspace-name"], ["muted text in the top bar", ".topbar .who"], ["section links", ".topbar .section:not(.active)"], ["the current section", ".topbar .section.active"]]) {
    const element = document.querySelector(selector);
    if (!element) throw new Error("nothing matches " + selector);
    pairs.push({ what, ratio: ratio(element) });
  }
  return { theme: document.documentElement.getAttribute("data-theme"), canvas: luminance(getComputedStyle(document.body).backgroundColor), pairs };
})()`;

type Canvas = { theme: string | null; dark: boolean };
const CANVAS = `(() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  return { theme: document.documentElement.getAttribute("data-theme"), dark: r + g + b < 150 };
})()`;

async function paintOf(page: Page): Promise<Paint> {
  // Let the new colours settle (the attribute changes synchronously; React's commit may not have).
  await page.waitForTimeout(100);
  return page.evaluate<Paint>(PAINT);
}

function expectReadable(paint: Paint, theme: string): void {
  expect({ theme, belowAA: paint.pairs.filter((pair) => pair.ratio < 4.5) }).toEqual({ theme, belowAA: [] });
}

// A dark canvas has a relative luminance near black's; a light one near white's.
const isDark = (paint: Paint) => paint.canvas < 0.05;
const isLight = (paint: Paint) => paint.canvas > 0.8;

const dashboard = useDashboard();

describe("the dashboard's colour theme", () => {
  it("follows the system, is overridden by the keyboard-usable toggle, persists, and keeps AA contrast", { timeout: 180_000 }, async () => {
    const { harness, owner } = dashboard;
    const { page } = owner;
    await screenshotOnFailure(
      "theme-e2e",
      () => [page],
      async () => {
        await page.emulateMedia({ colorScheme: "dark" });
        await setUpSandboxOwner(harness, page, { email: "owner@theme.test", workspaceName: "Theme Co" });
        const toggle = page.getByRole("combobox", { name: "Colour theme", exact: true });
        await toggle.waitFor();

        // System, dark: the page is dark and readable.
        expect(await toggle.inputValue()).toBe("system");
        const systemDark = await paintOf(page);
        expect(systemDark.theme).toBe("system");
        expect(isDark(systemDark)).toBe(true);
        expectReadable(systemDark, "system dark");

        // System, light: the page turns light with the preference, no reload needed.
        await page.emulateMedia({ colorScheme: "light" });
        const systemLight = await paintOf(page);
        expect(isLight(systemLight)).toBe(true);
        expectReadable(systemLight, "system light");

        // The toggle by keyboard: Tab reaches it, the arrow keys change it (System → Light → Dark).
        let reached = false;
        for (let step = 0; step < 30 && !reached; step++) {
          await page.keyboard.press("Tab");
          reached = await page.evaluate<boolean>(
            "document.activeElement?.closest('.theme-toggle') !== null && document.activeElement?.tagName === 'SELECT'",
          );
        }
        expect(reached).toBe(true);
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("ArrowDown");
        expect(await toggle.inputValue()).toBe("dark");
        const chosenDark = await paintOf(page);
        expect(chosenDark.theme).toBe("dark");
        expect(isDark(chosenDark)).toBe(true);
        expectReadable(chosenDark, "chosen dark on a light system");
        expect(await page.evaluate<string | null>("localStorage.getItem('parley.theme')")).toBe("dark");

        // The choice survives a reload.
        await page.reload();
        await toggle.waitFor();
        expect(await toggle.inputValue()).toBe("dark");
        expect(isDark(await paintOf(page))).toBe(true);

        // Light chosen on a dark system wins over the system too.
        await page.emulateMedia({ colorScheme: "dark" });
        await toggle.selectOption("light");
        const chosenLight = await paintOf(page);
        expect(chosenLight.theme).toBe("light");
        expect(isLight(chosenLight)).toBe(true);
        expectReadable(chosenLight, "chosen light on a dark system");
        await page.reload();
        await toggle.waitFor();
        expect(await toggle.inputValue()).toBe("light");
        expect(isLight(await paintOf(page))).toBe(true);

        // At 360 px the toggle is on screen, usable, and the page still fits the width.
        await page.setViewportSize({ width: 360, height: 740 });
        await toggle.scrollIntoViewIfNeeded();
        const box = (await toggle.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(360);
        expect(box.height).toBeGreaterThanOrEqual(24);
        expect(await page.evaluate<boolean>("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")).toBe(true);
        await toggle.selectOption("dark");
        expect(isDark(await paintOf(page))).toBe(true);

        // Back to System: the stored choice is forgotten and the system decides again.
        await page.emulateMedia({ colorScheme: "dark" });
        await toggle.selectOption("system");
        expect(await page.evaluate<string | null>("localStorage.getItem('parley.theme')")).toBeNull();
        expect(await page.evaluate<Canvas>(CANVAS)).toEqual({ theme: "system", dark: true });
        await page.emulateMedia({ colorScheme: "light" });
        expect(await page.evaluate<Canvas>(CANVAS)).toEqual({ theme: "system", dark: false });

        // The sign-in screen carries no toggle, yet the stored choice holds there.
        await toggle.selectOption("dark");
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByLabel("E-mail").waitFor();
        await page.reload();
        await page.getByLabel("E-mail").waitFor();
        expect(await page.evaluate<Canvas>(CANVAS)).toEqual({ theme: "dark", dark: true });

        expect(owner.cspViolations).toEqual([]);
        expect(owner.pageErrors).toEqual([]);
      },
    );
  });
});
