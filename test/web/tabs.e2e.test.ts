import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_COOKIE } from "../../src/identity/csrf.ts";
import { REFRESH_COOKIE } from "../../src/identity/sessions.ts";
import {
  screenshotOnFailure,
  signInThroughScreen,
  startBrowserHarness,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";
import { createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";

// One session across the tabs of a browser, in a real browser (Debian's Chromium driven by
// playwright-core) against a real Parley in sandbox mode. The session's CSRF token is also a
// readable __Host- cookie, so a tab opened later refreshes the session instead of asking for the
// password; tabs opened together take turns, so the rotating refresh cookie is never presented
// twice. Signing out in one tab signs out every tab, and the session ends on the server. Both passes.

let harness: BrowserHarness;
let browser: WatchedPage;
let workspaceId: string;
let owner: TestUser;

beforeAll(async () => {
  harness = await startBrowserHarness();
  browser = await harness.newSession();
  ({ workspaceId, owner } = await createWorkspaceWithOwner(harness.parley.services, { name: "Acme Tabs" }));
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

/** Another tab of the same browser (same cookies, its own sessionStorage and memory), watched for script errors. */
async function openTab(): Promise<{
  page: Page;
  errors: string[];
  requests: Array<{ method: string; path: string; authorization: string | undefined }>;
}> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  const requests: Array<{ method: string; path: string; authorization: string | undefined }> = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/"))
      requests.push({ method: request.method(), path: url.pathname, authorization: request.headers().authorization });
  });
  return { page, errors, requests };
}

async function cookie(name: string) {
  return (await browser.context.cookies(harness.address)).find((candidate) => candidate.name === name);
}

async function sessionsOf(user: TestUser): Promise<Array<{ id: string; revoked_at: Date | null; revoked_reason: string | null }>> {
  return harness.parley.services.db.owner
    .selectFrom("sessions")
    .select(["id", "revoked_at", "revoked_reason"])
    .where("user_id", "=", user.userId)
    .orderBy("created_at")
    .execute();
}

/** POST /api/v1/auth/refresh as a tab sends it (same origin, cookie, CSRF header), from outside the browser. */
async function refreshWith(refreshToken: string, csrf: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${harness.address}/api/v1/auth/refresh`, {
    method: "POST",
    headers: {
      cookie: `${REFRESH_COOKIE}=${refreshToken}`,
      "x-csrf-token": csrf,
      origin: harness.address,
      "sec-fetch-site": "same-origin",
    },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}

describe("tabs of one browser", () => {
  it(
    "a second tab opens signed in without a password, and tabs opened together share the session without ending it",
    { timeout: 120_000 },
    async () => {
      const first = browser.page;
      const opened: Page[] = [];
      await screenshotOnFailure(
        "tabs-second-tab",
        () => [first, ...opened],
        async () => {
          await signInThroughScreen(harness, first, owner);
          const before = await sessionsOf(owner);

          // The CSRF token is a readable __Host- cookie; the refresh token stays HttpOnly.
          const csrf = await cookie(CSRF_COOKIE);
          expect(csrf).toMatchObject({ path: "/", secure: true, httpOnly: false, sameSite: "Strict" });
          expect(csrf!.value).toBe(await first.evaluate<string | null>("sessionStorage.getItem('parley.csrf')"));
          expect(await cookie(REFRESH_COOKIE)).toMatchObject({ path: "/", secure: true, httpOnly: true, sameSite: "Strict" });
          const visible = await first.evaluate<string>("document.cookie");
          expect(visible).toContain(`${CSRF_COOKIE}=${csrf!.value}`);
          expect(visible).not.toContain(REFRESH_COOKIE);

          const second = await openTab();
          opened.push(second.page);
          await second.page.goto(`${harness.address}/w/${workspaceId}`);
          await second.page.getByRole("navigation", { name: "Sections" }).waitFor();
          expect(await second.page.getByRole("heading", { name: "Sign in to Parley" }).count()).toBe(0);
          const sent = second.requests.map((request) => `${request.method} ${request.path}`);
          expect(sent).toContain("POST /api/v1/auth/refresh");
          expect(sent.filter((line) => /auth\/login|reauthenticate/.test(line))).toEqual([]);

          // Two more tabs at once: each refresh waits for the other, so none presents a rotated cookie.
          const more = [await openTab(), await openTab()];
          opened.push(...more.map((tab) => tab.page));
          await Promise.all(more.map((tab) => tab.page.goto(`${harness.address}/w/${workspaceId}`)));
          await Promise.all(more.map((tab) => tab.page.getByRole("navigation", { name: "Sections" }).waitFor()));

          // Still the one session, live: no sign-in happened, no reuse was detected.
          const after = await sessionsOf(owner);
          expect(after).toEqual(before);
          expect(after.at(-1)!.revoked_at).toBeNull();
          // The first tab keeps working after the others rotated the refresh cookie.
          await first.reload();
          await first.getByRole("navigation", { name: "Sections" }).waitFor();
          expect([...second.errors, ...more.flatMap((tab) => tab.errors)]).toEqual([]);
          expect(browser.pageErrors).toEqual([]);
          expect(browser.cspViolations).toEqual([]);
          for (const page of opened) await page.close();
        },
      );
    },
  );

  it(
    "signing out in one tab signs out the other: it shows the sign-in screen, its calls are refused, and the refresh cookie is dead on the server",
    { timeout: 120_000 },
    async () => {
      const first = browser.page;
      const opened: Page[] = [];
      await screenshotOnFailure(
        "tabs-sign-out",
        () => [first, ...opened],
        async () => {
          await browser.context.clearCookies();
          await first.goto("about:blank");
          await signInThroughScreen(harness, first, owner);
          const sessionId = (await sessionsOf(owner)).at(-1)!.id;
          const other = await openTab();
          opened.push(other.page);
          await other.page.goto(`${harness.address}/w/${workspaceId}`);
          await other.page.getByRole("navigation", { name: "Sections" }).waitFor();
          // What the other tab holds: its access token (seen on its requests), and the browser's cookies.
          const bearer = other.requests.find((request) => request.authorization?.startsWith("Bearer "))?.authorization;
          expect(bearer).toBeTruthy();
          const refreshToken = (await cookie(REFRESH_COOKIE))!.value;
          const csrf = (await cookie(CSRF_COOKIE))!.value;

          const logout = first.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/auth/logout");
          await first.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
          expect((await logout).status()).toBe(204);
          await first.getByRole("heading", { name: "Sign in to Parley" }).waitFor();

          // The other tab, untouched, shows the sign-in screen and says why.
          await other.page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
          await other.page.getByRole("alert").getByText("You were signed out in another tab.").waitFor();
          expect(await other.page.getByRole("navigation", { name: "Sections" }).count()).toBe(0);
          expect(await other.page.evaluate<string | null>("sessionStorage.getItem('parley.csrf')")).toBeNull();
          expect(await cookie(CSRF_COOKIE)).toBeUndefined();
          expect(await cookie(REFRESH_COOKIE)).toBeUndefined();

          // Its calls are refused: the access token it held, and a refresh with the token it held.
          const refused = await other.page.evaluate(
            async ({ bearer, csrf }) => {
              const me = await fetch("/api/v1/me", { headers: { authorization: bearer } });
              const refresh = await fetch("/api/v1/auth/refresh", { method: "POST", headers: { "x-csrf-token": csrf } });
              return { me: me.status, refresh: refresh.status };
            },
            { bearer: bearer!, csrf },
          );
          expect(refused).toEqual({ me: 401, refresh: 401 });

          // The refresh cookie is dead on the server, and the session ended as a sign-out.
          expect(await refreshWith(refreshToken, csrf)).toEqual({ status: 401, code: "UNAUTHENTICATED" });
          const ended = (await sessionsOf(owner)).find((row) => row.id === sessionId)!;
          expect(ended.revoked_at).not.toBeNull();
          expect(ended.revoked_reason).toBe("logout");

          // A reload, or another new tab, stays signed out.
          await other.page.reload();
          await other.page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
          const late = await openTab();
          opened.push(late.page);
          await late.page.goto(`${harness.address}/`);
          await late.page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
          expect([...other.errors, ...late.errors]).toEqual([]);
          expect(browser.pageErrors).toEqual([]);
          for (const page of opened) await page.close();
        },
      );
    },
  );
});
