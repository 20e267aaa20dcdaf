import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Locator, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutWorkspace, withWorkspace } from "../../src/db/with-workspace.ts";
import { routes } from "../../src/http/routes.ts";
import { publishInvalidation } from "../../src/identity/cache.ts";
import { hasPermission, type MemberRole, type Permission } from "../../src/identity/permissions.ts";
import { decodeBase32, totp } from "../../src/identity/totp.ts";
import { publishRealtimeEvents } from "../../src/realtime/events.ts";
import { recordStrike } from "../../src/http/abuse.ts";
import {
  screenshotOnFailure,
  setUpOwner,
  startBrowserHarness,
  withReauth,
  workspaceIdOf,
  type Authenticator,
  type BrowserHarness,
  type WatchedPage,
} from "../support/browser.ts";
import { addMember, createUser, ownerCaller, type TestUser } from "../support/identity.ts";
import { createContactFor } from "../../src/features/contacts/service.ts";

// Every unsafe action the dashboard offers, walked in a real browser (Debian's Chromium driven by
// playwright-core) against a real Parley in sandbox mode, by an Owner, an Admin, an Agent and an
// Analyst, each in their own browser profile. Every non-GET request a page sends is recorded; none
// may be answered 401, 403 (other than the password confirmation the dashboard then asks for) or
// 5xx. The controls a role may not use are not offered. The write call sites of web/src are read
// from the source: a new one fails this test until it is listed here and walked. Both passes.

const ROOT = new URL("../../", import.meta.url).pathname;
const PASSWORD = "correct horse battery staple unsafe actions";
const NEW_PASSWORD = "a brand new horse battery staple unsafe";
const ROLES: readonly MemberRole[] = ["owner", "admin", "agent", "analyst"];
const WS = "/api/v1/workspaces/:workspaceId";
const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/**
 * Each write call site of the dashboard, file by file in source order, with the routes it reaches.
 * A call site whose path is computed (conversation actions) lists each route it may reach.
 */
const CALL_SITES: Record<string, Array<{ method: string; routes: string[] }>> = {
  "lib/api.ts": [{ method: "POST", routes: ["/api/v1/auth/logout"] }],
  "features/auth/auth-screens.tsx": [
    { method: "POST", routes: ["/api/v1/setup"] },
    { method: "POST", routes: ["/api/v1/auth/login"] },
    { method: "POST", routes: ["/api/v1/me/mfa/totp"] },
    { method: "POST", routes: ["/api/v1/me/mfa/totp/confirm"] },
  ],
  "features/composer/composer.tsx": [{ method: "POST", routes: [`${WS}/messages`] }],
  "features/contacts/contacts-detail.tsx": [
    { method: "PATCH", routes: [`${WS}/contacts/:contactId`] },
    { method: "POST", routes: [`${WS}/contacts/:contactId/trash`] },
    { method: "DELETE", routes: [`${WS}/contacts/:contactId`] },
  ],
  "features/contacts/contacts-consent.tsx": [{ method: "POST", routes: [`${WS}/contacts/:contactId/consent/entries`] }],
  "features/contacts/contacts-trash.tsx": [{ method: "POST", routes: [`${WS}/contacts/:contactId/restore`] }],
  "features/contacts/contacts-import.tsx": [{ method: "POST", routes: [`${WS}/contacts/import`] }],
  "features/contacts/contacts.tsx": [{ method: "POST", routes: [`${WS}/contacts`] }],
  "features/conversation/conversation.tsx": [
    { method: "POST", routes: [`${WS}/conversations/:conversationId/assign`] },
    { method: "POST", routes: ["close", "reopen"].map((action) => `${WS}/conversations/:conversationId/${action}`) },
  ],
  "ui/dialogs.tsx": [{ method: "POST", routes: ["/api/v1/auth/reauthenticate"] }],
  "lib/events.ts": [{ method: "POST", routes: [`${WS}/events/tickets`] }],
  "features/inbox/inbox.tsx": [{ method: "POST", routes: [`${WS}/numbers/sandbox`] }],
  "features/auth/invitation-screen.tsx": [{ method: "POST", routes: ["/api/v1/invitations/accept"] }],
  "features/conversation/media.tsx": [
    { method: "POST", routes: [`${WS}/media`] },
    { method: "POST", routes: [`${WS}/messages`] },
  ],
  "features/notes/notes.tsx": [{ method: "POST", routes: [`${WS}/conversations/:conversationId/notes`] }],
  "features/conversation/presence.tsx": [{ method: "POST", routes: [`${WS}/conversations/:conversationId/presence`] }],
  "features/quick-replies/quick-replies.tsx": [
    { method: "DELETE", routes: [`${WS}/quick-replies/:quickReplyId`] },
    { method: "PATCH", routes: [`${WS}/quick-replies/:quickReplyId`] },
    { method: "POST", routes: [`${WS}/quick-replies`] },
  ],
  "features/settings/settings-api-keys.tsx": [
    { method: "DELETE", routes: [`${WS}/api-keys/:apiKeyId`] },
    { method: "POST", routes: [`${WS}/api-keys`] },
  ],
  "features/settings/settings-audit.tsx": [{ method: "POST", routes: [`${WS}/audit/export`] }],
  "features/settings/settings-access-log.tsx": [{ method: "POST", routes: [`${WS}/access-log/export`] }],
  "features/settings/settings-blocked-addresses.tsx": [{ method: "DELETE", routes: [`${WS}/settings/blocked-addresses/:address`] }],
  "features/settings/settings-webhooks.tsx": [
    { method: "POST", routes: [`${WS}/webhooks`] },
    { method: "PATCH", routes: [`${WS}/webhooks/:endpointId`] },
    { method: "POST", routes: [`${WS}/webhooks/:endpointId/test`] },
    { method: "POST", routes: [`${WS}/webhooks/:endpointId/rotate-secret`] },
    { method: "DELETE", routes: [`${WS}/webhooks/:endpointId`] },
    { method: "POST", routes: [`${WS}/webhooks/:endpointId/deliveries/:deliveryId/replay`] },
  ],
  "features/settings/settings-members.tsx": [
    { method: "PATCH", routes: [`${WS}/members/:userId`] },
    { method: "DELETE", routes: [`${WS}/members/:userId`] },
    { method: "POST", routes: [`${WS}/invitations`] },
    { method: "DELETE", routes: [`${WS}/invitations/:invitationId`] },
  ],
  "features/settings/settings-numbers.tsx": [
    { method: "POST", routes: [`${WS}/numbers/sandbox`] },
    { method: "PUT", routes: [`${WS}/numbers/:numberId/access-token`] },
    { method: "POST", routes: [`${WS}/numbers`] },
  ],
  "features/settings/settings-number-health.tsx": [
    { method: "PUT", routes: [`${WS}/numbers/:numberId/two-step-pin`] },
    { method: "POST", routes: [`${WS}/numbers/:numberId/register`] },
    { method: "POST", routes: [`${WS}/numbers/:numberId/health/refresh`] },
    { method: "POST", routes: [`${WS}/numbers/:numberId/deregister`] },
    { method: "POST", routes: [`${WS}/numbers/:numberId/reconnect`] },
    { method: "POST", routes: [`${WS}/numbers/:numberId/disconnect`] },
  ],
  "features/settings/settings-number-profile.tsx": [{ method: "PUT", routes: [`${WS}/numbers/:numberId/profile`] }],
  "features/settings/settings-embedded-signup.tsx": [
    { method: "POST", routes: [`${WS}/numbers/embedded-signup/simulator`] },
    { method: "POST", routes: [`${WS}/numbers/embedded-signup`] },
  ],
  "features/settings/settings-consent-keywords.tsx": [{ method: "PUT", routes: [`${WS}/settings/consent-keywords`] }],
  "features/sandbox/sandbox-panel.tsx": [
    { method: "POST", routes: [`${WS}/numbers/:numberId/sandbox/messages`] },
    { method: "POST", routes: [`${WS}/numbers/:numberId/sandbox/messages`] },
  ],
  "features/settings/settings-security.tsx": [
    { method: "PATCH", routes: [`${WS}/settings/security`] },
    { method: "POST", routes: ["/api/v1/me/password"] },
    { method: "POST", routes: ["/api/v1/me/mfa/totp"] },
    { method: "POST", routes: ["/api/v1/me/mfa/totp/confirm"] },
    { method: "DELETE", routes: ["/api/v1/me/mfa/totp"] },
  ],
  "features/settings/settings-retention.tsx": [
    { method: "POST", routes: [`${WS}/settings/retention/preview`] },
    { method: "PUT", routes: [`${WS}/settings/retention`] },
  ],
  "features/settings/settings-privacy.tsx": [
    { method: "POST", routes: [`${WS}/privacy/requests/:requestId/export`] },
    { method: "POST", routes: [`${WS}/privacy/exports/:exportId/link`] },
    { method: "PATCH", routes: [`${WS}/privacy/requests/:requestId`] },
    { method: "POST", routes: [`${WS}/privacy/requests/:requestId/erase`] },
    { method: "POST", routes: [`${WS}/privacy/requests`] },
  ],
  "features/composer/template-picker.tsx": [
    { method: "POST", routes: [`${WS}/templates/sync`] },
    { method: "POST", routes: [`${WS}/messages`] },
  ],
  "features/templates/template-dialogs.tsx": [
    { method: "POST", routes: [`${WS}/templates/:templateId/duplicate`] },
    { method: "DELETE", routes: [`${WS}/templates/:templateId`] },
  ],
  "features/templates/template-editor.tsx": [
    { method: "POST", routes: [`${WS}/templates`] },
    { method: "PATCH", routes: [`${WS}/templates/:templateId`] },
    { method: "POST", routes: [`${WS}/templates/:templateId/languages`] },
    { method: "POST", routes: [`${WS}/templates/examples`] },
  ],
  "features/templates/templates.tsx": [{ method: "POST", routes: [`${WS}/templates/sync`] }],
  "features/broadcasts/broadcast-wizard.tsx": [
    { method: "POST", routes: [`${WS}/broadcasts/estimate`] },
    { method: "POST", routes: [`${WS}/broadcasts`] },
    { method: "POST", routes: [`${WS}/broadcasts/:broadcastId/start`] },
  ],
  "features/broadcasts/broadcast-audience-upload.tsx": [{ method: "POST", routes: [`${WS}/broadcasts/audiences`] }],
  "features/broadcasts/broadcast-detail.tsx": [
    { method: "POST", routes: [`${WS}/broadcasts/:broadcastId/start`] },
    { method: "POST", routes: [`${WS}/broadcasts/:broadcastId/pause`] },
    { method: "POST", routes: [`${WS}/broadcasts/:broadcastId/resume`] },
    { method: "POST", routes: [`${WS}/broadcasts/:broadcastId/retry`] },
    { method: "POST", routes: [`${WS}/broadcasts/:broadcastId/cancel`] },
  ],
};

/** The methods of the write call sites in each dashboard source file, in source order. */
function scanCallSites(): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const dir = join(ROOT, "web/src");
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name))
    .sort()) {
    const source = readFileSync(join(dir, file), "utf8");
    const sites: Array<{ at: number; method: string }> = [];
    for (const match of source.matchAll(/\bapi(?:<[^()]*?>)?\(\s*"(POST|PUT|PATCH|DELETE)"/g))
      sites.push({ at: match.index, method: match[1]! });
    // api.ts is the client itself: its own retries pass the method and path on.
    if (file !== "lib/api.ts") {
      for (const match of source.matchAll(/\bapiUpload(?:<[^()]*?>)?\(/g)) sites.push({ at: match.index, method: "POST" });
      // A method chosen at run time would escape this inventory: the dashboard names it at each call.
      expect(source, `${file}: a call with a computed method`).not.toMatch(/\bapi(?:<[^()]*?>)?\(\s*[a-z]/);
    }
    if (sites.length > 0) found[file] = sites.sort((a, b) => a.at - b.at).map((site) => site.method);
  }
  return found;
}

/** "METHOD /route/:pattern" of a request the page sent, matched against the server's routes. */
const ROUTE_PATTERNS = routes.map((route) => ({
  key: `${route.method} ${route.url}`,
  method: route.method,
  regex: new RegExp(`^${route.url.replace(/[.]/g, "\\.").replace(/:[A-Za-z]+/g, "[^/]+")}$`),
}));
function routeOf(method: string, path: string): string {
  return ROUTE_PATTERNS.find((route) => route.method === method && route.regex.test(path))?.key ?? `${method} ${path} (no route)`;
}

type Answered = { role: MemberRole; route: string; status: number; code: string | null };
const answered: Answered[] = [];
const pending: Array<Promise<void>> = [];

function recordWrites(role: MemberRole, page: Page): void {
  page.on("response", (response: Response) => {
    const request = response.request();
    const url = new URL(request.url());
    if (request.method() === "GET" || request.method() === "HEAD" || !url.pathname.startsWith("/api/")) return;
    pending.push(
      (async () => {
        let code: string | null = null;
        if (response.status() >= 400)
          code = ((await response.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code ?? null;
        answered.push({ role, route: routeOf(request.method(), url.pathname), status: response.status(), code });
      })(),
    );
  });
}

let harness: BrowserHarness;
const sessions = {} as Record<MemberRole, WatchedPage>;
const apps = {} as Partial<Record<MemberRole, Authenticator>>;
const emails: Record<MemberRole, string> = {
  owner: "owner@acme.test",
  admin: "admin@acme.test",
  agent: "agent@acme.test",
  analyst: "analyst@acme.test",
};
const customers: Record<"owner" | "admin" | "agent", { phone: string; name: string }> = {
  owner: { phone: "4915155501001", name: "Olga Customer" },
  admin: { phone: "4915155501002", name: "Adam Customer" },
  agent: { phone: "4915155501003", name: "Agnes Customer" },
};
let workspaceId = "";
const seeded = {} as Record<"owner" | "admin", { leaver: TestUser; changeling: TestUser }>;

// Outbound webhook endpoints the roles register point at this local receiver (allowed by
// PARLEY_WEBHOOKS_ALLOW_PRIVATE, which production refuses).
let receiver: Server;
let receiverUrl = "";
const receivedPaths: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const path = request.url ?? "/";
    receivedPaths.push(path);
    request.resume();
    // The first delivery to each endpoint is answered 410 Gone: it fails at once (and disables the
    // endpoint), so the walk can enable it again and replay the delivery.
    const first = receivedPaths.filter((seen) => seen === path).length === 1;
    request.on("end", () => response.writeHead(first ? 410 : 200).end(first ? "gone" : "ok"));
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  harness = await startBrowserHarness({ PARLEY_WEBHOOKS_ALLOW_PRIVATE: "true" });
  for (const role of ROLES) {
    sessions[role] = await harness.newSession();
    recordWrites(role, sessions[role].page);
  }
}, 180_000);

afterAll(async () => {
  await harness?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
}, 60_000);

const can = (role: MemberRole, permission: Permission) => hasPermission(role, permission);
const sectionsNav = (page: Page) => page.getByRole("navigation", { name: "Sections" });
const settingsMenu = (page: Page) => page.getByRole("navigation", { name: "Settings" });

/** The test's authenticator app: the current code, with the account's replay marker cleared (several proofs fit in one 30 s step). */
function appFor(userEmail: string, key: string): Authenticator {
  const secret = decodeBase32(key);
  return {
    key,
    async code() {
      await withoutWorkspace(harness.parley.services.db, (trx) =>
        trx.updateTable("users").set({ totp_last_step: null }).where("email", "=", userEmail).execute(),
      );
      return totp(secret, Date.now());
    },
  };
}

/** Offered exactly when allowed; waits for it when it should be there. */
async function expectOffered(locator: Locator, allowed: boolean, what: string): Promise<void> {
  if (allowed) await locator.first().waitFor();
  else expect(await locator.count(), `${what} is offered`).toBe(0);
}

/** Makes the session's last password proof older than 5 minutes: the next sensitive action asks for it again. */
async function ageReauthentication(email: string): Promise<void> {
  const db = harness.parley.services.db.owner;
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const live = await db.selectFrom("sessions").select("id").where("user_id", "=", user.id).where("revoked_at", "is", null).execute();
  for (const session of live) {
    await db
      .updateTable("sessions")
      .set({ reauthenticated_at: new Date(Date.now() - 10 * 60_000) })
      .where("id", "=", session.id)
      .execute();
    await publishInvalidation(harness.parley.services, { type: "session", sessionId: session.id });
  }
}

async function signInThroughScreen(page: Page, role: MemberRole, password: string): Promise<void> {
  await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
  await page.getByLabel("E-mail").fill(emails[role]);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const app = apps[role];
  if (app) {
    await page.getByLabel("Authentication code").fill(await app.code());
    await page.getByRole("button", { name: "Verify" }).click();
  }
}

async function acceptInvitation(role: MemberRole, link: string): Promise<void> {
  const page = sessions[role].page;
  await page.goto(link);
  await page.getByLabel("Choose a password (at least 12 characters)").fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  const enrollment = page.getByRole("heading", { name: "Set up two-factor authentication" });
  await Promise.race([enrollment.waitFor({ timeout: 20_000 }), sectionsNav(page).waitFor({ timeout: 20_000 })]);
  if ((await enrollment.count()) > 0) apps[role] = await enrollOnScreen(page, role);
  await sectionsNav(page).waitFor();
}

/** The enrollment screen (or panel): the key, a code, the recovery codes. */
async function enrollOnScreen(page: Page, role: MemberRole): Promise<Authenticator> {
  const app = appFor(emails[role], (await page.getByLabel("Setup key").textContent())!.trim());
  await page.getByLabel("6-digit code").fill(await app.code());
  await page.getByRole("button", { name: /^Turn on/ }).click();
  await page.getByRole("list", { name: "Recovery codes" }).waitFor();
  await page.getByRole("button", { name: /I saved them/ }).click();
  return app;
}

async function openSettings(page: Page, section: string): Promise<void> {
  await sectionsNav(page).getByRole("link", { name: "Settings" }).click();
  await settingsMenu(page).getByRole("link", { name: section }).click();
}

/** Settings: members, numbers, API keys, webhooks, audit, retention, workspace security, blocked addresses — each write the role may make. */
async function walkSettings(role: MemberRole): Promise<void> {
  const page = sessions[role].page;
  const app = apps[role] ?? null;
  await sectionsNav(page).getByRole("link", { name: "Settings" }).click();
  const expected = [
    ["Members", "members.read"],
    ["WhatsApp numbers", "numbers.manage"],
    ["API keys", "api_keys.manage"],
    ["Webhooks", "webhooks.manage"],
    ["Audit log", "audit.read"],
    ["Access log", "audit.read"],
    ["Workspace security", "settings.manage"],
    ["Data retention", "retention.manage"],
    ["Privacy requests", "privacy.manage"],
    ["Opt-out keywords", "settings.manage"],
    ["Blocked addresses", "blocked_addresses.manage"],
  ] as const;
  await settingsMenu(page).getByRole("link", { name: "Your account" }).waitFor();
  const links = (await settingsMenu(page).getByRole("link").allTextContents()).map((text) => text.trim());
  expect(links).toEqual([...expected.filter(([, permission]) => can(role, permission)).map(([label]) => label), "Your account"]);

  if (can(role, "members.read")) {
    await settingsMenu(page).getByRole("link", { name: "Members" }).click();
    const members = page.getByRole("table", { name: "Members" });
    await members.getByRole("cell", { name: new RegExp(`^${emails.owner}`) }).waitFor();
    await expectOffered(page.getByRole("form", { name: "Invite someone" }), can(role, "invitations.manage"), "the invitation form");
    await expectOffered(page.getByRole("button", { name: /^Remove / }), can(role, "members.manage"), "removing a member");
    await expectOffered(members.getByRole("combobox"), can(role, "members.manage"), "changing a role");
    if (can(role, "invitations.manage")) {
      const spare = `spare-${role}@acme.test`;
      const invite = page.getByRole("form", { name: "Invite someone" });
      await invite.getByLabel("E-mail").fill(spare);
      await invite.getByLabel("Role").selectOption("analyst");
      await invite.getByRole("button", { name: "Create invitation link" }).click();
      await page.getByRole("textbox", { name: "Invitation link", exact: true }).waitFor();
      await page.getByRole("button", { name: "Done" }).click();
      await page.getByRole("button", { name: `Revoke the invitation of ${spare}` }).click();
      await page.getByRole("dialog", { name: "Revoke this invitation?" }).getByRole("button", { name: "Revoke invitation" }).click();
      await page
        .getByRole("table", { name: "Pending invitations" })
        .getByRole("cell", { name: spare, exact: true })
        .waitFor({ state: "detached" });
    }
    if (can(role, "members.manage") && (role === "owner" || role === "admin")) {
      const { leaver, changeling } = seeded[role];
      await page.getByRole("combobox", { name: `Role of ${changeling.email}` }).selectOption("analyst");
      await expect.poll(() => page.getByRole("combobox", { name: `Role of ${changeling.email}` }).inputValue()).toBe("analyst");
      await page.getByRole("button", { name: `Remove ${leaver.email}` }).click();
      await page.getByRole("dialog", { name: "Remove this member?" }).getByRole("button", { name: "Remove member" }).click();
      await members.getByRole("cell", { name: leaver.email, exact: true }).waitFor({ state: "detached" });
    }
  }

  if (can(role, "numbers.manage")) {
    await settingsMenu(page).getByRole("link", { name: "WhatsApp numbers" }).click();
    const sandboxNumber = page.getByRole("list", { name: "WhatsApp numbers" }).getByRole("listitem").first();
    // The sandbox customer panel: a text and an image written as the customer.
    await sandboxNumber.getByRole("button", { name: "Try it as a customer" }).click();
    const panel = page.getByRole("region", { name: "Sandbox customer" });
    await panel.getByLabel("Customer phone number").fill(`1555010010${ROLES.indexOf(role)}`);
    await panel.getByLabel("Customer name").fill(`Panel customer of the ${role}`);
    await panel.getByLabel("Message as the customer").fill(`Hello from the panel, ${role}`);
    await panel.getByLabel("Message as the customer").press("Enter");
    const phone = panel.getByRole("list", { name: "Customer's phone" });
    await phone.getByText(`Hello from the panel, ${role}`).waitFor();
    await panel
      .getByLabel("Image to send as the customer")
      .setInputFiles({ name: "parcel.png", mimeType: "image/png", buffer: Buffer.from(PIXEL_PNG, "base64") });
    await phone.locator('[data-direction="customer"]', { hasText: "Image" }).waitFor();
    await sandboxNumber.getByRole("button", { name: "Try it as a customer" }).click();
    await sandboxNumber.getByRole("button", { name: "Replace access token" }).click();
    await sandboxNumber.getByLabel("New access token").fill(`not-a-token-of-the-simulator-${role}`);
    await sandboxNumber.getByRole("button", { name: "Replace token" }).click();
    // Refused by Meta (here: the simulator) or taken: an answer in words either way, never a 401/403.
    await Promise.race([sandboxNumber.getByRole("alert").waitFor(), sandboxNumber.getByText("The new access token is in use.").waitFor()]);
    await page.getByRole("button", { name: "Connect a live number" }).click();
    const live = page.getByRole("form", { name: "Connect a live number" });
    await live.getByLabel("WhatsApp Business account (WABA) id").fill("100000000000001");
    await live.getByLabel("Phone number id").fill("100000000000002");
    await live.getByLabel("Access token").fill("not-a-token-of-the-simulator");
    await live.getByLabel("App secret").fill("not-an-app-secret");
    await live.getByLabel("Verify token (choose one, at least 8 characters)").fill("verify-token-of-the-test");
    await live.getByRole("button", { name: "Connect number" }).click();
    await live.getByRole("alert").waitFor();
    await live.getByRole("button", { name: "Cancel" }).click();

    // The sandbox number's health, PIN, registration, profile and connection; Embedded Signup.
    const health = sandboxNumber.getByRole("region", { name: "Health of Sandbox number" });
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith("/health/refresh")),
      health.getByRole("button", { name: "Refresh from Meta" }).click(),
    ]);
    const pin = `2468${ROLES.indexOf(role)}1`;
    await health.getByRole("button", { name: /two-step PIN$/ }).click();
    const pinForm = health.getByRole("form", { name: "Two-step PIN of Sandbox number" });
    await pinForm.getByLabel("Six-digit PIN").fill(pin);
    await pinForm.getByLabel("Repeat the PIN").fill(pin);
    await pinForm.getByRole("button", { name: "Save PIN" }).click();
    await withReauth(page, () => health.getByText("The two-step PIN is set.").waitFor(), PASSWORD, app!);
    // Deregistered, then registered again: the walks after this one still send from it.
    await health.getByRole("button", { name: "Deregister Sandbox number" }).click();
    await page.getByRole("dialog", { name: "Deregister this number?" }).getByRole("button", { name: "Deregister" }).click();
    await withReauth(page, () => health.getByText(/The number is deregistered/).waitFor(), PASSWORD, app!);
    await health.getByRole("button", { name: "Register", exact: true }).click();
    const registerForm = health.getByRole("form", { name: "Register Sandbox number" });
    await registerForm.getByLabel("Six-digit PIN").fill(pin);
    await registerForm.getByLabel("Repeat the PIN").fill(pin);
    await registerForm.getByRole("button", { name: "Register", exact: true }).click();
    await withReauth(page, () => health.getByText(/registered with the Cloud API/).waitFor(), PASSWORD, app!);
    const profile = sandboxNumber.getByRole("region", { name: "Business profile of Sandbox number" });
    await profile.getByRole("button", { name: "Edit business profile" }).click();
    await profile.getByLabel("About (up to 139 characters)").fill(`About the business, by the ${role}`);
    await profile.getByRole("button", { name: "Save profile" }).click();
    await profile.getByText("Saved with Meta.").waitFor();
    await page.getByRole("button", { name: "Disconnect Sandbox number" }).first().click();
    await page.getByRole("dialog", { name: "Disconnect this number?" }).getByRole("button", { name: "Disconnect" }).click();
    await sandboxNumber.getByRole("button", { name: "Reconnect" }).click();
    await sandboxNumber.getByRole("button", { name: "Disconnect Sandbox number" }).waitFor();
    await page.getByRole("button", { name: "Connect with Facebook" }).click();
    const signup = page.getByRole("dialog", { name: "Connect with Facebook" });
    await signup.getByLabel("Six-digit PIN").fill(pin);
    await signup.getByLabel("Repeat the PIN").fill(pin);
    await signup.getByRole("button", { name: "Continue with Facebook" }).click();
    await page.getByText(/Connected the number ending in/).waitFor({ timeout: 30_000 });
  }

  if (can(role, "api_keys.manage")) {
    await settingsMenu(page).getByRole("link", { name: "API keys" }).click();
    const create = page.getByRole("form", { name: "Create an API key" });
    await create.getByLabel("Name", { exact: true }).fill(`Key of the ${role}`);
    await create.getByRole("checkbox", { name: /^contacts\.read/ }).check();
    await create.getByRole("button", { name: "Create API key" }).click();
    const keyField = page.getByRole("textbox", { name: "API key", exact: true });
    await withReauth(page, () => keyField.waitFor(), PASSWORD, app!);
    await page.getByRole("button", { name: `Revoke Key of the ${role}` }).click();
    await page.getByRole("dialog", { name: "Revoke this API key?" }).getByRole("button", { name: "Revoke key" }).click();
    await page.getByRole("table", { name: "API keys" }).getByRole("cell", { name: "Revoked" }).first().waitFor();
  }

  if (can(role, "webhooks.manage")) {
    await settingsMenu(page).getByRole("link", { name: "Webhooks" }).click();
    const url = `${receiverUrl}/hook-of-the-${role}`;
    const form = page.getByRole("form", { name: "Create a webhook endpoint" });
    await form.getByLabel("URL").fill(url);
    await form.getByRole("button", { name: "Create endpoint" }).click();
    await page.getByRole("textbox", { name: "Signing secret" }).waitFor();
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: `Send a test event to ${url}` }).click();
    await expect.poll(() => receivedPaths.filter((path) => path === `/hook-of-the-${role}`).length, { timeout: 15_000 }).toBe(1);
    await page.getByRole("button", { name: `Deliveries of ${url}` }).click();
    const log = page.getByRole("region", { name: "Delivery log" });
    for (let tries = 0; tries < 50 && (await log.getByRole("cell", { name: "failed" }).count()) === 0; tries += 1) {
      await log.getByRole("button", { name: "Refresh" }).click();
      await page.waitForTimeout(200);
    }
    await log.getByRole("cell", { name: "failed" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: `Enable ${url}` }).click();
    await page.getByRole("button", { name: `Disable ${url}` }).waitFor();
    await page.getByRole("button", { name: `Deliveries of ${url}` }).click();
    await log.getByRole("button", { name: "Replay" }).click();
    await expect.poll(() => receivedPaths.filter((path) => path === `/hook-of-the-${role}`).length, { timeout: 15_000 }).toBe(2);
    await page.getByRole("button", { name: `Rotate the secret of ${url}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("textbox", { name: "Signing secret" }).waitFor();
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: `Disable ${url}` }).click();
    await page.getByRole("button", { name: `Enable ${url}` }).waitFor();
    await page.getByRole("button", { name: `Delete ${url}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
    await page.getByRole("button", { name: `Delete ${url}` }).waitFor({ state: "detached" });
  }

  if (can(role, "audit.read")) {
    await settingsMenu(page).getByRole("link", { name: "Audit log" }).click();
    await expectOffered(page.getByRole("button", { name: "Export CSV" }), can(role, "audit.export"), "the audit export");
    if (can(role, "audit.export")) {
      await page.getByRole("button", { name: "Export CSV" }).click();
      await withReauth(page, () => page.getByText(/^Exported \d+ entr/).waitFor(), PASSWORD, app!);
    }
    await settingsMenu(page).getByRole("link", { name: "Access log" }).click();
    await expectOffered(page.getByRole("button", { name: "Export CSV" }), can(role, "audit.export"), "the access log export");
    if (can(role, "audit.export")) {
      await page.getByRole("button", { name: "Export CSV" }).click();
      await withReauth(page, () => page.getByText(/^Exported \d+ entr/).waitFor(), PASSWORD, app!);
    }
  }

  if (can(role, "retention.manage")) {
    await settingsMenu(page).getByRole("link", { name: "Data retention" }).click();
    const form = page.getByRole("form", { name: "Data retention" });
    await form.getByRole("group", { name: "Unsent uploads" }).getByRole("checkbox", { name: "Delete after" }).check();
    await form.getByLabel("Unsent uploads: days").fill("3650");
    await form.getByRole("button", { name: "Preview" }).click();
    await form.getByRole("status", { name: "Preview" }).waitFor();
    await form.getByRole("button", { name: "Save policy" }).click();
    await withReauth(page, () => page.getByText("Saved. The policy is applied every hour, in batches.").waitFor(), PASSWORD, app!);
  }

  if (can(role, "privacy.manage")) {
    // Two contacts of this role's own, made through the running Parley: one to export, one to erase.
    const index = ROLES.indexOf(role);
    const services = harness.parley.services;
    const ownerId = await withWorkspace(services.db, { workspaceId }, (trx) =>
      trx
        .selectFrom("memberships")
        .select("user_id")
        .where("workspace_id", "=", workspaceId)
        .where("role", "=", "owner")
        .executeTakeFirstOrThrow(),
    );
    const caller = ownerCaller(workspaceId, ownerId.user_id);
    await createContactFor(services, caller, { phone: `+44 20 7946 20${index}1`, name: `Export subject of the ${role}` });
    await createContactFor(services, caller, { phone: `+44 20 7946 20${index}2`, name: `Erasure subject of the ${role}` });
    await settingsMenu(page).getByRole("link", { name: "Privacy requests" }).click();
    const form = page.getByRole("form", { name: "Record a request" });
    const requests = page.getByRole("list", { name: "Privacy requests" });
    await form.getByLabel("Contact").selectOption({ label: `Export subject of the ${role} · +4420794620${index}1` });
    await form.getByRole("button", { name: "Record request" }).click();
    await form.getByText("Request recorded.").waitFor();
    const exportItem = requests.getByRole("listitem", { name: `export request: Export subject of the ${role}` });
    await exportItem.getByRole("button", { name: "Run export" }).click();
    await withReauth(page, () => exportItem.getByText(/being prepared/).waitFor(), PASSWORD, app!);
    await expect
      .poll(
        async () => {
          await page.reload();
          // The list renders after its read answers: count once it is there, not before.
          await exportItem.waitFor();
          return exportItem.getByRole("button", { name: "Download" }).count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1);
    await withReauth(
      page,
      async () => {
        await exportItem.getByRole("button", { name: "Download" }).click();
        await exportItem.getByText(/download has started/).waitFor();
      },
      PASSWORD,
      app!,
    );
    await form.getByLabel("Kind").selectOption("erasure");
    await form.getByLabel("Contact").selectOption({ label: `Erasure subject of the ${role} · +4420794620${index}2` });
    await form.getByRole("button", { name: "Record request" }).click();
    const erasureItem = requests.getByRole("listitem", { name: `erasure request: Erasure subject of the ${role}` });
    await erasureItem.getByRole("button", { name: "Mark in progress" }).click();
    await erasureItem.getByText("In progress").waitFor();
    await erasureItem.getByRole("button", { name: `Run erasure for Erasure subject of the ${role}` }).click();
    const dialog = page.getByRole("dialog", { name: "Erase this contact?" });
    await dialog.getByRole("button", { name: "Erase now" }).click();
    await withReauth(page, () => dialog.waitFor({ state: "detached" }), PASSWORD, app!);
  }

  if (can(role, "settings.manage")) {
    await settingsMenu(page).getByRole("link", { name: "Workspace security" }).click();
    const policy = page.getByRole("checkbox", { name: "Require two-factor authentication for every member" });
    await policy.check();
    await page.getByText("Members without it must set it up").waitFor();
    await policy.uncheck();
    await expect.poll(() => policy.isChecked()).toBe(false);
    await expect.poll(() => policy.isDisabled()).toBe(false);

    await settingsMenu(page).getByRole("link", { name: "Opt-out keywords" }).click();
    const keywords = page.getByRole("form", { name: "Opt-out and opt-in keywords" });
    await keywords.getByLabel("Opt-out keywords (one a line)").fill(`stop\nhalt ${role}`);
    await keywords.getByRole("button", { name: "Save keywords" }).click();
    await keywords.getByText(/^Saved\./).waitFor();
  }

  if (can(role, "blocked_addresses.manage")) {
    // A block this workspace's routes earned, made in the running Parley's store (one strike suffices here).
    const address = "203.0.113.77";
    const { coordination, config } = harness.parley.services;
    await recordStrike(coordination, { ...config.abuse, strikes: 1 }, address, workspaceId);
    await settingsMenu(page).getByRole("link", { name: "Blocked addresses" }).click();
    await page.getByRole("button", { name: `Unblock ${address}` }).click();
    await page.getByRole("dialog", { name: "Unblock this address?" }).getByRole("button", { name: "Unblock" }).click();
    await page.getByText("No address is blocked.").waitFor();
  }
}

/** Contacts: add, edit, record consent, import, erase — as far as the role may. */
async function walkContacts(role: MemberRole): Promise<void> {
  const page = sessions[role].page;
  await expectOffered(sectionsNav(page).getByRole("link", { name: "Contacts" }), can(role, "contacts.read"), "the contacts section");
  if (!can(role, "contacts.read")) return;
  await sectionsNav(page).getByRole("link", { name: "Contacts" }).click();
  await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
  await expectOffered(page.getByRole("button", { name: "Add contact" }), can(role, "contacts.write"), "adding a contact");
  await expectOffered(page.getByRole("button", { name: "Import CSV" }), can(role, "contacts.import"), "the contact import");
  await expectOffered(page.getByRole("button", { name: "Export CSV" }), can(role, "contacts.export"), "the contact export");
  const index = ROLES.indexOf(role);
  const name = `Contact of the ${role}`;
  await page.getByRole("button", { name: "Add contact" }).click();
  await page.getByLabel("Phone number (with the country code)").fill(`+44 20 7946 10${index}0`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Add contact" }).last().click();
  await page.getByRole("heading", { name, level: 2 }).waitFor();
  await page.getByLabel("Add tags").fill("walked");
  await page.getByLabel("Add tags").press("Enter");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await page.getByLabel("New state").selectOption("opted_in");
  await page.getByLabel("How it was given").selectOption("web_form");
  await page.getByRole("button", { name: "Record consent" }).click();
  await page
    .getByRole("region", { name: "Consent to messages" })
    .getByText(/Web form,/)
    .waitFor();
  await expectOffered(page.getByRole("button", { name: "Delete contact…" }), can(role, "contacts.delete"), "moving a contact to the trash");
  if (can(role, "contacts.delete")) {
    await page.getByRole("button", { name: "Delete contact…" }).click();
    await page.getByRole("dialog", { name: "Move this contact to the trash?" }).getByRole("button", { name: "Move to trash" }).click();
    await page.getByRole("heading", { name, level: 2 }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Trash", exact: true }).click();
    await page.getByRole("button", { name: `Restore ${name}` }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `${name} is back in the contacts.` })
      .waitFor();
    await page.getByRole("button", { name: "Back to contacts" }).click();
    await page
      .getByRole("list", { name: "Contact list" })
      .getByRole("button", { name: new RegExp(name) })
      .click();
    await page.getByRole("heading", { name, level: 2 }).waitFor();
  }
  await expectOffered(page.getByRole("button", { name: "Erase contact…" }), can(role, "contacts.erase"), "erasing a contact");
  if (can(role, "contacts.erase")) {
    await page.getByRole("button", { name: "Erase contact…" }).click();
    await page.getByRole("dialog", { name: "Erase this contact?" }).getByRole("button", { name: "Erase for good" }).click();
    await withReauth(page, () => page.getByRole("heading", { name, level: 2 }).waitFor({ state: "detached" }), PASSWORD, apps[role]!);
  }
  if (can(role, "contacts.import")) {
    await page.getByRole("button", { name: "Import CSV" }).click();
    const dialog = page.getByRole("dialog", { name: "Import contacts from CSV" });
    const csv = `phone,name\n+4915160001${index}00,Imported by the ${role}\n`;
    await dialog.getByLabel("CSV file").setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await dialog.getByRole("button", { name: "Check file" }).click();
    await dialog.getByRole("button", { name: "Import 1 contact" }).click();
    await dialog.getByText("Import finished.").waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
  }
}

/**
 * Templates (templates.manage): sync, a new template with an image header (its example uploaded),
 * an edit once WhatsApp approved it, another language, a copy, and the copy deleted.
 */
async function walkTemplates(role: MemberRole): Promise<void> {
  const page = sessions[role].page;
  await expectOffered(sectionsNav(page).getByRole("link", { name: "Templates" }), can(role, "templates.manage"), "the templates section");
  if (!can(role, "templates.manage")) return;
  await sectionsNav(page).getByRole("link", { name: "Templates" }).click();
  await page.getByRole("heading", { name: "Templates", level: 1 }).waitFor();
  await page.getByRole("button", { name: "Sync from Meta" }).click();
  await page.getByRole("status").filter({ hasText: "Synced from Meta" }).waitFor();
  const name = `walked_by_${role}`;
  await page.getByRole("button", { name: "New template" }).click();
  const form = page.getByRole("form", { name: "New template" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Header type").selectOption("IMAGE");
  await form
    .getByLabel("Example image")
    .setInputFiles({ name: "example.png", mimeType: "image/png", buffer: Buffer.from(PIXEL_PNG, "base64") });
  await form.getByText("Example uploaded.").waitFor();
  await form.getByLabel("Body text").fill("Hello {{1}}, your order is ready.");
  await form.getByLabel("Body example {{1}}").fill("Ana");
  await form.getByRole("button", { name: "Submit for review" }).click();
  const detail = page.getByRole("region", { name: new RegExp(`^${name} en_US`) });
  // The simulator's review approves it within seconds (the page reads the list again while it is pending).
  await detail.locator("[data-status=APPROVED]").waitFor({ timeout: 30_000 });
  await detail.getByLabel("Body text").fill("Hello {{1}}, your order is ready to collect.");
  await detail.getByRole("button", { name: "Save and submit for review" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${name} was changed` })
    .waitFor();
  await detail.getByRole("button", { name: "Add a language" }).click();
  const language = page.getByRole("form", { name: `Add a language to ${name}` });
  await language.getByLabel("Language").fill("es");
  await language.getByLabel("Body text").fill("Hola {{1}}, tu pedido está listo.");
  await language.getByRole("button", { name: "Submit for review" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${name} (es) was submitted` })
    .waitFor();
  await page
    .getByRole("region", { name: new RegExp(`^${name} es`) })
    .getByRole("button", { name: "Duplicate" })
    .click();
  const duplicate = page.getByRole("dialog", { name: "Duplicate template" });
  await duplicate.getByLabel("New name").fill(`${name}_copy`);
  await duplicate.getByRole("button", { name: "Duplicate" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${name}_copy was submitted` })
    .waitFor();
  await page
    .getByRole("region", { name: new RegExp(`^${name}_copy`) })
    .getByRole("button", { name: "Delete" })
    .click();
  await page.getByRole("dialog", { name: "Delete this template?" }).getByRole("button", { name: "Delete" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${name}_copy was deleted.` })
    .waitFor();
}

/** The inbox: a customer's conversation, and every write in it the role may make. */
async function walkInbox(role: MemberRole): Promise<void> {
  const page = sessions[role].page;
  await expectOffered(sectionsNav(page).getByRole("link", { name: "Inbox" }), can(role, "conversations.read_assigned"), "the inbox");
  if (role === "analyst") return;
  const customer = customers[role];
  await sectionsNav(page).getByRole("link", { name: "Inbox" }).click();
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  if (can(role, "conversations.read_all")) await page.getByRole("tab", { name: "All" }).click();
  const row = page.getByRole("button", { name: new RegExp(customer.name) });
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  const thread = page.getByRole("list", { name: "Messages" });
  await thread.getByText(`Hello from ${customer.name}`).waitFor();
  const pane = page.getByRole("region", { name: `Conversation with ${customer.name}` });

  await expectOffered(pane.getByLabel("Assignee"), can(role, "conversations.assign"), "assigning");
  if (can(role, "conversations.assign")) {
    await pane.getByLabel("Assignee").selectOption({ label: emails[role] });
    await expect.poll(() => pane.getByLabel("Assignee").inputValue()).not.toBe("");
  }
  await pane.getByRole("button", { name: "Close" }).click();
  await pane.getByRole("button", { name: "Reopen" }).click();
  await pane.getByRole("button", { name: "Close" }).waitFor();

  await page.getByRole("tab", { name: "Internal note" }).click();
  await page.getByRole("textbox", { name: "Internal note" }).fill(`A note by the ${role}`);
  await page.getByRole("button", { name: "Add note" }).click();
  await thread.getByText(`A note by the ${role}`).waitFor();
  await page.getByRole("tab", { name: "Reply" }).click();

  await expectOffered(page.getByRole("button", { name: "Quick replies…" }), can(role, "quick_replies.manage"), "managing quick replies");
  if (can(role, "quick_replies.manage")) {
    await page.getByRole("button", { name: "Quick replies…" }).click();
    const dialog = page.getByRole("dialog", { name: "Quick replies" });
    await dialog.getByRole("button", { name: "New quick reply" }).click();
    await dialog.getByLabel("Shortcut (typed after /)").fill(`hi${role}`);
    await dialog.getByLabel("Text").fill(`Hello from the ${role}`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByRole("button", { name: `Edit /hi${role}` }).click();
    await dialog.getByLabel("Text").fill(`Hello again from the ${role}`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText(`Hello again from the ${role}`).waitFor();
    await dialog.getByRole("button", { name: `Delete /hi${role}` }).click();
    await dialog
      .getByRole("group", { name: `Delete /hi${role}?` })
      .getByRole("button", { name: "Delete for good" })
      .click();
    await dialog.getByText(`/hi${role}`).waitFor({ state: "detached" });
    await dialog.getByRole("button", { name: "Close" }).click();
  }

  await page.getByRole("textbox", { name: "Reply" }).fill(`A reply by the ${role}`);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator(".message.out", { hasText: `A reply by the ${role}` }).waitFor();
  await page
    .locator(".composer input[type=file]")
    .setInputFiles({ name: "label.png", mimeType: "image/png", buffer: Buffer.from(PIXEL_PNG, "base64") });
  await page.getByRole("group", { name: "File to send" }).getByRole("textbox", { name: "Caption" }).fill(`A file from the ${role}`);
  await page.getByRole("button", { name: "Send image" }).click();
  await page.locator(".message.out", { hasText: `A file from the ${role}` }).waitFor({ timeout: 20_000 });

  // The customer last wrote 25 hours ago: only a template may be sent.
  const conversationId = /\/c\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
  await withWorkspace(harness.parley.services.db, { workspaceId }, (trx) =>
    trx
      .updateTable("conversations")
      .set({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) })
      .where("id", "=", conversationId)
      .execute(),
  );
  await publishRealtimeEvents(harness.parley.services, workspaceId, [
    { type: "conversation.updated", data: { conversationId, change: "activity" } },
  ]);
  await page.getByText("The 24-hour customer service window is closed").waitFor({ timeout: 20_000 });
  await page.getByRole("button", { name: "Choose a template" }).click();
  await expectOffered(page.getByRole("button", { name: "Sync from WhatsApp" }), can(role, "templates.manage"), "the template sync");
  if (can(role, "templates.manage")) {
    await page.getByRole("button", { name: "Sync from WhatsApp" }).click();
    await page.getByRole("button", { name: "Sync from WhatsApp" }).waitFor();
    await expect.poll(() => page.getByRole("button", { name: "Sync from WhatsApp" }).isDisabled()).toBe(false);
  }
  await page.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US) · utility" });
  await page.getByLabel("Body {{1}}").fill("Dana");
  await page.getByLabel("Body {{2}}").fill("A-1042");
  await page.getByRole("button", { name: "Send template" }).click();
  await page.locator(".message.out", { hasText: "Hello Dana, your order A-1042 is on its way." }).waitFor({ timeout: 20_000 });
}

/**
 * Walks the new-broadcast wizard to its Review step: all contacts, or the rows of an uploaded CSV
 * file when `csv` is given, and the sandbox's order_update template.
 */
async function fillBroadcastWizard(page: Page, name: string, later: boolean, csv?: string): Promise<void> {
  await page.getByRole("button", { name: "New broadcast" }).click();
  const audience = page.getByRole("form", { name: "Audience step" });
  await audience.getByLabel("Name", { exact: true }).fill(name);
  if (csv !== undefined) {
    await audience.getByRole("radio", { name: "Upload a CSV" }).check();
    await audience
      .getByLabel("CSV file of recipients")
      .setInputFiles({ name: "audience.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await audience.getByRole("list", { name: "Upload summary" }).getByText("1 accepted").waitFor();
  }
  await audience
    .getByLabel("Estimate")
    .getByText(/will receive it/)
    .waitFor();
  await audience.getByRole("button", { name: "Next" }).click();
  const message = page.getByRole("form", { name: "Message step" });
  await message.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US)" });
  await message.getByLabel("Fallback of {{1}} (when the contact has none)").fill("there");
  await message.getByLabel("Text of {{2}}").fill("W-1");
  await message.getByRole("button", { name: "Next" }).click();
  const schedule = page.getByRole("form", { name: "Schedule step" });
  if (later) {
    await schedule.getByLabel("Send at a date and time").check();
    await schedule.getByLabel("Date and time", { exact: true }).fill("2099-12-24T09:00");
  }
  await schedule.getByRole("button", { name: "Next" }).click();
}

/** Broadcasts: create and schedule, pause, resume, retry a failure, save a draft, start it, cancel one. */
async function walkBroadcasts(role: MemberRole): Promise<void> {
  const page = sessions[role].page;
  const allowed = can(role, "broadcasts.manage");
  await expectOffered(sectionsNav(page).getByRole("link", { name: "Broadcasts" }), allowed, "the broadcasts section");
  if (!allowed) return;
  const state = page.locator(".broadcast-detail-state");
  await sectionsNav(page).getByRole("link", { name: "Broadcasts" }).click();
  await page.getByRole("heading", { name: "Broadcasts", level: 1 }).waitFor();
  await fillBroadcastWizard(page, `Scheduled by the ${role}`, true);
  await page.getByRole("form", { name: "Review step" }).getByRole("button", { name: "Create and schedule" }).click();
  await state.getByText("Scheduled", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Pause" }).click();
  await state.getByText("Paused", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Resume" }).click();
  await state.getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });
  // A failure WhatsApp may let pass on another attempt: offered for a retry.
  const broadcastId = /\/broadcasts\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
  await withWorkspace(harness.parley.services.db, { workspaceId }, (trx) =>
    trx
      .updateTable("broadcast_recipients")
      .set({ state: "failed", error_code: 131000, skip_reason: null, failed_at: new Date() })
      .where("broadcast_id", "=", broadcastId)
      .execute(),
  );
  await page.reload();
  await page.getByRole("button", { name: /Retry failed/ }).click();
  await page.getByRole("button", { name: /Retry failed/ }).waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Back to broadcasts" }).click();
  // The draft goes to an uploaded audience: a customer who wrote in.
  await fillBroadcastWizard(page, `Draft by the ${role}`, true, `phone,name\n+${customers.owner.phone},Olga\n`);
  await page.getByRole("form", { name: "Review step" }).getByRole("button", { name: "Save as draft" }).click();
  await state.getByText("Draft", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Schedule" }).click();
  await state.getByText("Scheduled", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Cancel broadcast" }).click();
  await page.getByRole("dialog", { name: "Cancel this broadcast?" }).getByRole("button", { name: "Cancel broadcast" }).click();
  await state.getByText("Cancelled", { exact: true }).waitFor();
}

/** Your account: the password, two-factor authentication on and off, signing out. */
async function walkAccount(role: MemberRole): Promise<void> {
  const page = sessions[role].page;
  await openSettings(page, "Your account");
  // The password confirmation, asked because the last proof is old.
  await ageReauthentication(emails[role]);
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("New password (at least 12 characters)").fill(NEW_PASSWORD);
  await form.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  const prompt = page.getByRole("dialog", { name: "Confirm it's you" });
  await prompt.waitFor();
  await prompt.getByLabel("Your password").fill(PASSWORD);
  const app = apps[role];
  if (app) await prompt.getByLabel("Authentication code").fill(await app.code());
  await prompt.getByRole("button", { name: "Confirm" }).click();
  const signedOut = page.getByRole("dialog", { name: "Signed out everywhere" });
  await signedOut.getByRole("button", { name: "Sign in again" }).click();
  await signInThroughScreen(page, role, NEW_PASSWORD);
  await sectionsNav(page).waitFor();

  await openSettings(page, "Your account");
  if (!apps[role]) {
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    apps[role] = await enrollOnScreen(page, role);
  }
  await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await page.getByRole("dialog", { name: "Turn off two-factor authentication?" }).getByRole("button", { name: "Turn off" }).click();
  await withReauth(page, () => signedOut.waitFor(), NEW_PASSWORD, apps[role]);
  await signedOut.getByRole("button", { name: "Sign in again" }).click();
  delete apps[role];
  await signInThroughScreen(page, role, NEW_PASSWORD);
  if (role === "owner" || role === "admin") {
    await page.getByRole("heading", { name: "Set up two-factor authentication" }).waitFor();
    apps[role] = await enrollOnScreen(page, role);
  }
  await sectionsNav(page).waitFor();
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
  expect(await page.getByRole("alert").count()).toBe(0);
}

describe("every unsafe action the dashboard offers, for each role", () => {
  it("lists every write call site of the dashboard", () => {
    expect(scanCallSites()).toEqual(
      Object.fromEntries(Object.entries(CALL_SITES).map(([file, sites]) => [file, sites.map((site) => site.method)])),
    );
  });

  it(
    "walks each role's write actions: none is refused for a role the matrix allows, none not allowed is offered, every call site is reached",
    { timeout: 600_000 },
    async () => {
      await screenshotOnFailure(
        "unsafe-actions",
        () => ROLES.map((role) => sessions[role].page),
        async () => {
          const running = harness.parley;
          const owner = sessions.owner.page;

          // The Owner sets up (setup, TOTP enrollment) and connects the sandbox number from the inbox.
          const { authenticator } = await setUpOwner(harness, owner, {
            email: emails.owner,
            workspaceName: "Acme Unsafe",
            password: PASSWORD,
          });
          apps.owner = appFor(emails.owner, authenticator.key);
          await owner.waitForURL(/\/w\/[0-9a-f-]{36}/);
          workspaceId = workspaceIdOf(owner);
          await owner.getByRole("button", { name: "Connect the sandbox number" }).click();
          await owner.getByRole("status").filter({ hasText: "Live" }).waitFor();
          for (const role of ["owner", "admin"] as const) {
            seeded[role] = {
              leaver: await addMember(running.services, workspaceId, "agent"),
              changeling: await addMember(running.services, workspaceId, "agent"),
            };
          }

          // The Owner invites the Admin and the Agent; each joins in their own browser. (Accepting is
          // limited per address: the Analyst's account is made directly and signs in.)
          await openSettings(owner, "Members");
          for (const role of ["admin", "agent"] as const) {
            const invite = owner.getByRole("form", { name: "Invite someone" });
            await invite.getByLabel("E-mail").fill(emails[role]);
            await invite.getByLabel("Role").selectOption(role);
            await invite.getByRole("button", { name: "Create invitation link" }).click();
            const link = await owner.getByRole("textbox", { name: "Invitation link", exact: true }).inputValue();
            await owner.getByRole("button", { name: "Done" }).click();
            await acceptInvitation(role, link);
          }
          await createUser(running.services, { email: emails.analyst, password: PASSWORD, role: "analyst", workspaceId, mfa: false });
          await sessions.analyst.page.goto(`${harness.address}/`);
          await signInThroughScreen(sessions.analyst.page, "analyst", PASSWORD);
          await sectionsNav(sessions.analyst.page).waitFor();

          // A customer for each role that answers conversations; the Agent's is assigned to them.
          for (const role of ["owner", "admin", "agent"] as const) {
            running.services.sandbox!.sendFromCustomer({
              type: "text",
              from: customers[role].phone,
              name: customers[role].name,
              text: `Hello from ${customers[role].name}`,
            });
          }
          await sectionsNav(owner).getByRole("link", { name: "Inbox" }).click();
          await owner.getByRole("tab", { name: "All" }).click();
          const agentsCustomer = owner.getByRole("button", { name: new RegExp(customers.agent.name) });
          await agentsCustomer.waitFor({ timeout: 30_000 });
          await agentsCustomer.click();
          await owner.getByLabel("Assignee").selectOption({ label: emails.agent });
          await expect.poll(() => owner.getByLabel("Assignee").inputValue()).not.toBe("");

          for (const role of ROLES) {
            const page = sessions[role].page;
            await expectOffered(sectionsNav(page).getByRole("link", { name: "Overview" }), can(role, "analytics.read"), "the overview");
            await walkInbox(role);
            await walkContacts(role);
            await walkTemplates(role);
            await walkBroadcasts(role);
            await walkSettings(role);
            await walkAccount(role);
          }
          await Promise.all(pending);

          // No write was refused. Two answers are steps the dashboard takes, not refusals: the password
          // confirmation it then asks for, and the sign-in's request for the authenticator code.
          const isStep = (entry: Answered) =>
            entry.code === "REAUTHENTICATION_REQUIRED" || (entry.code === "MFA_CODE_REQUIRED" && entry.route === "POST /api/v1/auth/login");
          const refused = answered.filter(
            (entry) => (entry.status === 401 || entry.status === 403 || entry.status >= 500) && !isStep(entry),
          );
          expect(refused).toEqual([]);
          // Every call site's routes were reached, by some role.
          const reached = new Set(answered.map((entry) => entry.route));
          const listed = new Set(
            Object.values(CALL_SITES).flatMap((sites) => sites.flatMap((site) => site.routes.map((route) => `${site.method} ${route}`))),
          );
          expect([...listed].filter((route) => !reached.has(route))).toEqual([]);
          // And nothing the page sent falls outside the inventory (a call site the scan cannot see).
          expect([...reached].filter((route) => !listed.has(route) && route !== "POST /api/v1/auth/refresh")).toEqual([]);

          for (const role of ROLES) {
            expect(sessions[role].pageErrors, role).toEqual([]);
            expect(sessions[role].cspViolations, role).toEqual([]);
          }
        },
      );
    },
  );
});
