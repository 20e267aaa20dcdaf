import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { z } from "zod";

// Timing a page load in Chromium up to the painted inbox list, for bench/dashboard.bench.ts.
//
// When is the list "painted"? A script added before any of the page's own (an init script) watches
// the DOM with a MutationObserver. Once the list holds a full first page of rows it asks for an
// animation frame: the callback runs in the rendering step of the first frame that contains the
// rows, just before that frame's style, layout and paint. From the callback it posts a message to
// itself; the message is handled as the next task, after the frame's paint has run on the main
// thread and gone to the compositor. That moment, `performance.now()` relative to the navigation's
// start, is what is reported. The alternatives measure something else: Element Timing needs an
// `elementtiming` attribute on the rows, which the dashboard does not set; Largest Contentful Paint
// picks the largest element, which need not be the list, and first-contentful-paint fires for the
// sign-in check's first text. The same probe times the static baseline page.

export const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/**
 * How the benchmark finds the inbox list: the accessible name the browser tests use
 * (`getByRole("list", { name: "Conversation list" })`).
 */
export const LIST_SELECTOR = '[aria-label="Conversation list"]';
const PROBE_KEY = "__parleyListPainted";

const span = z.strictObject({ start: z.number().nonnegative(), end: z.number().nonnegative() }).nullable();
const probeResult = z.strictObject({
  rows: z.number().int().min(0),
  /** The rows are in the DOM. */
  inDom: z.number().nonnegative(),
  /** The animation frame that renders them starts. */
  frame: z.number().nonnegative(),
  /** That frame has been painted (the task after it). */
  painted: z.number().nonnegative(),
  responseStart: z.number().nonnegative(),
  domContentLoaded: z.number().nonnegative(),
  firstContentfulPaint: z.number().nonnegative().nullable(),
  /** The dashboard's first requests on the way to the list (absent from a page that makes none): the session's refresh, /me, the list. */
  requests: z.strictObject({ refresh: span, me: span, list: span }),
  transferBytes: z.number().int().nonnegative(),
});
export type PaintTiming = z.infer<typeof probeResult>;

function probeScript(rows: number): string {
  return `(() => {
  const selector = ${JSON.stringify(`${LIST_SELECTOR} li`)};
  let seen = false;
  const check = () => {
    if (seen) return;
    const count = document.querySelectorAll(selector).length;
    if (count < ${rows}) return;
    seen = true;
    observer.disconnect();
    const inDom = performance.now();
    requestAnimationFrame(() => {
      const frame = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const painted = performance.now();
        const navigation = performance.getEntriesByType("navigation")[0];
        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
        const resources = performance.getEntriesByType("resource");
        const span = (test) => {
          const entry = resources.find((candidate) => {
            const url = new URL(candidate.name);
            return test(url.pathname + url.search);
          });
          return entry ? { start: entry.startTime, end: entry.responseEnd } : null;
        };
        const transferBytes = resources.reduce((sum, entry) => sum + (entry.transferSize || 0), navigation ? navigation.transferSize || 0 : 0);
        window.${PROBE_KEY} = {
          rows: count, inDom, frame, painted,
          responseStart: navigation ? navigation.responseStart : 0,
          domContentLoaded: navigation ? navigation.domContentLoadedEventEnd : 0,
          firstContentfulPaint: fcp ? fcp.startTime : null,
          requests: {
            refresh: span((path) => path === "/api/v1/auth/refresh"),
            me: span((path) => path === "/api/v1/me"),
            list: span((path) => path.includes("/conversations?")),
          },
          transferBytes,
        };
      };
      channel.port2.postMessage(null);
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();`;
}

export type PaintBrowser = {
  page: Page;
  context: BrowserContext;
  /** Navigates to `url` and answers when the list holds `rows` rows and has been painted. */
  timeLoad(url: string, options: { coldCache: boolean }): Promise<PaintTiming>;
  close(): Promise<void>;
};

/** Chromium with a fresh profile (its own directory, removed on close) and the paint probe on every page. */
export async function launchPaintBrowser(rows: number): Promise<PaintBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "parley-bench-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    await context.addInitScript({ content: probeScript(rows) });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const opened = context;
    return {
      page,
      context: opened,
      async timeLoad(url, { coldCache }) {
        // Leave the previous page first, so its unload is not part of the next navigation's time.
        await page.goto("about:blank");
        if (coldCache) await cdp.send("Network.clearBrowserCache");
        await page.goto(url, { waitUntil: "commit" });
        // Functions, not strings: the dashboard's CSP refuses string evaluation in the page.
        const answer = await page.waitForFunction((key) => (globalThis as Record<string, unknown>)[key], PROBE_KEY, { polling: 50 });
        return probeResult.parse(await answer.jsonValue());
      },
      async close() {
        await opened.close().catch(() => undefined);
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
