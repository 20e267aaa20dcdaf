import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishInvalidation } from "../../src/identity/cache.ts";
import { REFRESH_COOKIE } from "../../src/identity/sessions.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import {
  screenshotOnFailure,
  signInThroughScreen,
  startBrowserHarness,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";
import { addMember, createWorkspaceWithOwner, type TestUser } from "../support/identity.ts";

// The dashboard's session in a real browser (Debian's Chromium driven by playwright-core) against a
// real Parley in sandbox mode. Signing out ends the session on the server: the refresh cookie the
// browser held, with its CSRF token, mints nothing afterwards, and the sign-out is audited. A
// sign-out the server refuses is told in words and the tab forgets the session anyway. A wrong
// password or code is answered in words after exactly one request: the dashboard does not take it
// for an expired session, refresh and send the same code again. Both passes.

let harness: BrowserHarness;
let session: WatchedPage;
let workspaceId: string;
let owner: TestUser;
let agent: TestUser;

beforeAll(async () => {
  harness = await startBrowserHarness();
  session = await harness.newSession();
  ({ workspaceId, owner } = await createWorkspaceWithOwner(harness.parley.services, { name: "Acme Sessions" }));
  agent = await addMember(harness.parley.services, workspaceId, "agent");
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

/** The refresh cookie and the CSRF token this browser holds for the session. */
async function heldCredentials(page: Page): Promise<{ cookie: string; csrf: string }> {
  const cookie = (await page.context().cookies(harness.address)).find((candidate) => candidate.name === REFRESH_COOKIE);
  const csrf = await page.evaluate<string | null>("sessionStorage.getItem('parley.csrf')");
  expect(cookie?.value).toBeTruthy();
  expect(csrf).toBeTruthy();
  return { cookie: cookie!.value, csrf: csrf! };
}

/** POST /api/v1/auth/refresh as the dashboard sends it (same origin, cookie, CSRF header), from outside the browser. */
async function refreshWith(cookie: string, csrf: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${harness.address}/api/v1/auth/refresh`, {
    method: "POST",
    headers: { cookie: `${REFRESH_COOKIE}=${cookie}`, "x-csrf-token": csrf, origin: harness.address, "sec-fetch-site": "same-origin" },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}

async function latestSessionId(user: TestUser): Promise<string> {
  const row = await harness.parley.services.db.owner
    .selectFrom("sessions")
    .select("id")
    .where("user_id", "=", user.userId)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every request to the API the page sends from now on, as "METHOD /path". */
function recordApiRequests(page: Page): { sent: string[]; stop(): void } {
  const sent: string[] = [];
  const onRequest = (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) sent.push(`${request.method()} ${url.pathname}`);
  };
  page.on("request", onRequest);
  return { sent, stop: () => page.off("request", onRequest) };
}

/** A six-digit code that is none of the codes the server accepts now (the current step and its neighbours). */
function wrongTotp(secret: Buffer): string {
  const now = Date.now();
  const accepted = new Set([-2, -1, 0, 1, 2].map((step) => totp(secret, now + step * 30_000)));
  for (let candidate = 123456; ; candidate += 1) {
    const code = String(candidate % 1_000_000).padStart(6, "0");
    if (!accepted.has(code)) return code;
  }
}

describe("the dashboard's session", () => {
  it(
    "signing out ends the session on the server: the old refresh cookie and CSRF token mint nothing, and the sign-out is audited",
    { timeout: 120_000 },
    async () => {
      const page = session.page;
      await screenshotOnFailure(
        "session-sign-out",
        () => [page],
        async () => {
          await signInThroughScreen(harness, page, owner);
          const sessionId = await latestSessionId(owner);
          const held = await heldCredentials(page);
          // The cookie names a live session: a refresh with a wrong CSRF token is refused as CSRF (403),
          // not as an unknown session (401), and consumes nothing.
          expect(await refreshWith(held.cookie, "x".repeat(43))).toEqual({ status: 403, code: "CSRF_REFUSED" });

          const logout = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/auth/logout");
          await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
          expect((await logout).status()).toBe(204);
          await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
          expect(await page.getByRole("alert").count()).toBe(0);

          // The cookie and CSRF token the browser held no longer mint an access token.
          expect(await refreshWith(held.cookie, held.csrf)).toEqual({ status: 401, code: "UNAUTHENTICATED" });
          const ended = await harness.parley.services.db.owner
            .selectFrom("sessions")
            .select(["revoked_at", "revoked_reason"])
            .where("id", "=", sessionId)
            .executeTakeFirstOrThrow();
          expect(ended.revoked_at).not.toBeNull();
          expect(ended.revoked_reason).toBe("logout");
          const audited = await harness.parley.services.db.owner
            .selectFrom("audit_entries")
            .select(["actor_type", "actor_id", "target_type"])
            .where("action", "=", "auth.logout")
            .where("target_id", "=", sessionId)
            .execute();
          expect(audited).toEqual([{ actor_type: "user", actor_id: owner.userId, target_type: "session" }]);

          // A reload stays signed out.
          await page.reload();
          await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
          expect(session.pageErrors).toEqual([]);
          expect(session.cspViolations).toEqual([]);
        },
      );
    },
  );

  it("a sign-out the server refuses is told in words, and the tab forgets the session anyway", { timeout: 120_000 }, async () => {
    const page = session.page;
    await screenshotOnFailure(
      "session-sign-out-refused",
      () => [page],
      async () => {
        await signInThroughScreen(harness, page, owner);
        // A CSRF token that is not the session's: the server refuses to end the session (403).
        await page.evaluate(`sessionStorage.setItem("parley.csrf", "${"x".repeat(43)}")`);
        const logout = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/auth/logout");
        await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
        expect((await logout).status()).toBe(403);
        await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
        const alert = page.getByRole("alert");
        await alert.waitFor();
        expect(await alert.textContent()).toMatch(
          /Parley could not end the session on the server: The request was refused \(cross-site request protection\)\./,
        );
        expect(await page.evaluate<string | null>("sessionStorage.getItem('parley.csrf')")).toBeNull();
        await page.reload();
        await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
        expect(await page.getByRole("navigation", { name: "Sections" }).count()).toBe(0);
        expect(session.pageErrors).toEqual([]);
      },
    );
  });

  it(
    "a wrong code in the password confirmation is answered in words after exactly one request, with no refresh",
    { timeout: 120_000 },
    async () => {
      const page = session.page;
      await screenshotOnFailure(
        "session-wrong-reauth-code",
        () => [page],
        async () => {
          await signInThroughScreen(harness, page, owner, `/w/${workspaceId}/settings/account`);
          // The session's last password proof is older than 5 minutes: the next sensitive action asks again.
          const sessionId = await latestSessionId(owner);
          await harness.parley.services.db.owner
            .updateTable("sessions")
            .set({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) })
            .where("id", "=", sessionId)
            .execute();
          await publishInvalidation(harness.parley.services, { type: "session", sessionId });

          const form = page.getByRole("form", { name: "Change password" });
          await form.getByLabel("New password (at least 12 characters)").fill("a brand new horse battery staple");
          await form.getByLabel("Repeat the new password").fill("a brand new horse battery staple");
          await form.getByRole("button", { name: "Change password" }).click();
          const prompt = page.getByRole("dialog", { name: "Confirm it's you" });
          await prompt.waitFor();

          const requests = recordApiRequests(page);
          await prompt.getByLabel("Your password").fill(owner.password);
          await prompt.getByLabel("Authentication code").fill(wrongTotp(owner.totpSecret!));
          await prompt.getByRole("button", { name: "Confirm" }).click();
          await prompt.getByRole("alert").getByText("The e-mail, password or code is not correct.").waitFor();
          // Let anything the page would still send arrive before counting.
          await page.waitForTimeout(1_000);
          requests.stop();
          expect(requests.sent).toEqual(["POST /api/v1/auth/reauthenticate"]);

          // A wrong password likewise.
          const again = recordApiRequests(page);
          await prompt.getByLabel("Your password").fill(`${owner.password} not`);
          await prompt.getByRole("button", { name: "Confirm" }).click();
          await expect.poll(() => again.sent.length).toBe(1);
          await page.waitForTimeout(1_000);
          again.stop();
          expect(again.sent).toEqual(["POST /api/v1/auth/reauthenticate"]);
          await prompt.getByRole("alert").getByText("The e-mail, password or code is not correct.").waitFor();
          expect(session.pageErrors).toEqual([]);
        },
      );
    },
  );

  it(
    "a wrong code when turning on two-factor authentication is answered in words after exactly one request, with no refresh",
    { timeout: 120_000 },
    async () => {
      const page = session.page;
      await screenshotOnFailure(
        "session-wrong-enrolment-code",
        () => [page],
        async () => {
          await page.context().clearCookies();
          await page.goto("about:blank");
          await signInThroughScreen(harness, page, agent, `/w/${workspaceId}/settings/account`);
          await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
          const key = (await page.getByLabel("Setup key").textContent())!.trim();

          const requests = recordApiRequests(page);
          const confirm = page.getByRole("form", { name: "Confirm two-factor authentication" });
          await confirm.getByLabel("6-digit code").fill(wrongTotp(decodeBase32(key)));
          await confirm.getByRole("button", { name: "Turn on" }).click();
          await page.getByRole("alert").getByText("The code is not correct.").waitFor();
          await page.waitForTimeout(1_000);
          requests.stop();
          expect(requests.sent).toEqual(["POST /api/v1/me/mfa/totp/confirm"]);
          await page.getByText("Off.").waitFor();
          expect(session.pageErrors).toEqual([]);
        },
      );
    },
  );
});
