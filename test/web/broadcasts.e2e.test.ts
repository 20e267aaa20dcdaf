import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createContact } from "../../src/features/contacts/repository.ts";
import { assignWorkspacePlan, upsertPlan } from "../../src/identity/plan-repository.ts";
import { syncTemplatesFor } from "../../src/features/templates/catalogue.ts";
import { addMember, ownerCaller } from "../support/identity.ts";
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

// The Broadcasts section in a real browser against a running Parley with the sandbox number: the
// wizard (an estimate that names who is left out and why, a template with its parameters mapped,
// a preview), the live progress to completion and the report, pausing and resuming, the outcomes
// export, the screens at 390 px; an Agent has no Broadcasts section; a plan without broadcasts
// shows the lock with the plan that has them.

const dashboard = useDashboard();

async function fitsWidth(target: Page): Promise<boolean> {
  return target.evaluate<boolean>("document.documentElement.scrollWidth <= document.documentElement.clientWidth");
}

let phoneCounter = 0;

/** Contacts tagged `tag`, with the consent given (never asked: none recorded). */
async function seedContacts(workspaceId: string, tag: string, people: Array<{ name: string; consent: "opted_in" | "opted_out" | null }>) {
  const services = dashboard.harness.parley.services;
  await withWorkspace(services.db, { workspaceId }, async (trx) => {
    for (const person of people) {
      phoneCounter += 1;
      await createContact(trx, services.keyring, {
        workspaceId,
        phone: `+49151400${String(10_000 + phoneCounter)}`,
        name: person.name,
        tags: [tag],
        ...(person.consent ? { consent: { status: person.consent, source: "import" as const, at: new Date() } } : {}),
      });
    }
  });
}

/** Walks the wizard's Audience and Message steps for contacts tagged `tag` with the sandbox's order_update template. */
async function fillAudienceAndMessage(page: Page, name: string, tag: string): Promise<void> {
  await page.getByRole("button", { name: "New broadcast" }).click();
  await page.getByRole("heading", { name: "New broadcast", level: 1 }).waitFor();
  const form = page.getByRole("form", { name: "Audience step" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Tags (all of them, separated by commas)").fill(tag);
  await form
    .getByLabel("Estimate")
    .getByText(/will receive it/)
    .waitFor();
  // Submitted from the keyboard.
  await form.getByLabel("Tags (all of them, separated by commas)").press("Enter");
  const message = page.getByRole("form", { name: "Message step" });
  await message.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US)" });
  await message.getByLabel("Source of {{1}}").selectOption("name");
  await message.getByLabel("Fallback of {{1}} (when the contact has none)").fill("there");
  await message.getByLabel("Source of {{2}}").selectOption("text");
  await message.getByLabel("Text of {{2}}").fill("SPRING-24");
  await message
    .getByLabel("Preview")
    .getByText(/SPRING-24/)
    .waitFor();
  await message.getByRole("button", { name: "Next" }).click();
}

describe("broadcasts in the dashboard", () => {
  it(
    "creates a broadcast through the wizard, follows it live to completion, pauses and resumes, exports, and fits a phone",
    { timeout: 300_000 },
    async () => {
      const { harness, owner } = dashboard;
      const page = owner.page;
      await screenshotOnFailure(
        "broadcasts-e2e",
        () => [page],
        async () => {
          const { authenticator } = await setUpOwner(harness, page, { email: "owner@broadcasts.test", workspaceName: "Acme Broadcasts" });
          await connectSandboxFromInbox(page);
          const workspaceId = workspaceIdOf(page);
          // The sandbox number's templates (order_update among them), as a sync from WhatsApp brings them.
          const services = harness.parley.services;
          const { ownerId, numberId } = await withWorkspace(services.db, { workspaceId }, async (trx) => ({
            ownerId: (
              await trx.selectFrom("memberships").select("user_id").where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow()
            ).user_id,
            numberId: (await trx.selectFrom("numbers").select("id").where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow()).id,
          }));
          await syncTemplatesFor(services, ownerCaller(workspaceId, ownerId), numberId);
          await seedContacts(workspaceId, "spring", [
            { name: "Olga Optin", consent: "opted_in" },
            { name: "Igor Optin", consent: "opted_in" },
            { name: "Otto Optout", consent: "opted_out" },
            { name: "Nina Never", consent: null },
          ]);

          await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Broadcasts" }).click();
          await page.getByRole("heading", { name: "Broadcasts", level: 1 }).waitFor();
          await page.getByText("No broadcasts yet.").waitFor();

          // Audience: the estimate names who is left out, and why.
          await page.getByRole("button", { name: "New broadcast" }).click();
          const audience = page.getByRole("form", { name: "Audience step" });
          await audience.getByRole("button", { name: "Next" }).click();
          await audience.getByText("Give the broadcast a name.").waitFor();
          await audience.getByLabel("Name", { exact: true }).fill("Spring offer");
          await audience.getByLabel("Tags (all of them, separated by commas)").fill("spring");
          const estimate = audience.getByLabel("Estimate");
          await estimate.getByText("2 contacts will receive it").waitFor();
          await estimate.getByText("of 4 matching contacts").waitFor();
          const excluded = estimate.getByRole("list", { name: "Excluded" });
          await excluded.getByText("1 opted out").waitFor();
          await excluded.getByText("1 never opted in to marketing messages").waitFor();
          await audience.getByLabel("Tags (all of them, separated by commas)").press("Enter");

          // Message: a template, its parameters mapped, a preview; Back keeps what was entered.
          const message = page.getByRole("form", { name: "Message step" });
          await message.getByRole("button", { name: "Next" }).click();
          await message.getByText("Choose an approved template.").waitFor();
          await message.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US)" });
          await message.getByLabel("Source of {{1}}").selectOption("name");
          await message.getByLabel("Fallback of {{1}} (when the contact has none)").fill("there");
          await message.getByLabel("Source of {{2}}").selectOption("text");
          await message.getByLabel("Text of {{2}}").fill("SPRING-24");
          await message
            .getByLabel("Preview")
            .getByText(/\[name, else “there”\].*SPRING-24/)
            .waitFor();
          await message.getByRole("button", { name: "Back" }).click();
          await expect.poll(() => audience.getByLabel("Name", { exact: true }).inputValue()).toBe("Spring offer");
          await audience.getByRole("button", { name: "Next" }).click();
          await message.getByRole("button", { name: "Next" }).click();

          // Schedule: now. Review, then create and send.
          const schedule = page.getByRole("form", { name: "Schedule step" });
          await schedule.getByLabel("Send as soon as it is started").check();
          await schedule.getByRole("button", { name: "Next" }).click();
          const review = page.getByRole("form", { name: "Review step" });
          await review.getByText("2 contacts of 4 matching").waitFor();
          await review.getByRole("button", { name: "Create and send" }).click();

          // The detail follows it live to completion.
          await page.getByRole("heading", { name: "Spring offer", level: 1 }).waitFor();
          await page.locator(".broadcast-detail-state").getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });
          const bar = page.getByRole("progressbar", { name: "Broadcast progress" });
          await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("4");
          expect(await bar.getAttribute("aria-valuemax")).toBe("4");
          expect(await page.getByLabel("Recipients by state").locator("dd").first().textContent()).toBe("4");
          const skipped = page.getByRole("list", { name: "Skipped by reason" });
          await skipped.getByText("The contact opted out of marketing messages.").waitFor();
          await skipped.getByText("The contact never opted in to marketing messages.").waitFor();
          await page.getByLabel("Funnel").getByText("Handed to WhatsApp").waitFor();
          await expect.poll(() => page.getByRole("button", { name: /Pause|Resume/ }).count()).toBe(0);

          // The outcomes as CSV, after the password is confirmed when asked.
          await withReauth(
            page,
            async () => {
              await page.getByRole("button", { name: "Export outcomes (CSV)" }).click();
              await page.getByText("The outcomes were exported.").waitFor();
            },
            TEST_PASSWORD,
            authenticator,
          );

          // A scheduled broadcast is paused, then resumed: it sends at once.
          await page.getByRole("button", { name: "Back to broadcasts" }).click();
          await page.getByRole("list", { name: "Broadcasts" }).getByText("Spring offer").waitFor();
          await seedContacts(workspaceId, "later", [{ name: "Lara Later", consent: "opted_in" }]);
          await fillAudienceAndMessage(page, "Later offer", "later");
          const later = page.getByRole("form", { name: "Schedule step" });
          await later.getByLabel("Send at a date and time").check();
          await later.getByLabel("Date and time", { exact: true }).fill("2020-12-24T09:00");
          await later.getByLabel("Time zone").selectOption("Europe/Berlin");
          await later.getByRole("button", { name: "Next" }).click();
          // The server's refusal is said at the step it belongs to.
          await page.getByRole("form", { name: "Review step" }).getByRole("button", { name: "Create and schedule" }).click();
          await later.getByText("The scheduled time is in the past.").waitFor();
          await later.getByLabel("Date and time", { exact: true }).fill("2099-12-24T09:00");
          await later.getByRole("button", { name: "Next" }).click();
          await page.getByRole("form", { name: "Review step" }).getByRole("button", { name: "Create and schedule" }).click();
          await page.getByRole("heading", { name: "Later offer", level: 1 }).waitFor();
          await page.locator(".broadcast-detail-state").getByText("Scheduled", { exact: true }).waitFor();
          await page.getByRole("button", { name: "Pause" }).click();
          await page.locator(".broadcast-detail-state").getByText("Paused", { exact: true }).waitFor();
          await page.getByRole("status").getByText("Paused by a member.").waitFor();
          await page.getByRole("button", { name: "Resume" }).click();
          await page.locator(".broadcast-detail-state").getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });

          // A draft is cancelled after a confirmation.
          await page.getByRole("button", { name: "Back to broadcasts" }).click();
          await fillAudienceAndMessage(page, "Draft offer", "later");
          await page.getByRole("form", { name: "Schedule step" }).getByRole("button", { name: "Next" }).click();
          await page.getByRole("form", { name: "Review step" }).getByRole("button", { name: "Save as draft" }).click();
          await page.locator(".broadcast-detail-state").getByText("Draft", { exact: true }).waitFor();
          await page.getByRole("button", { name: "Cancel broadcast" }).click();
          await page.getByRole("dialog", { name: "Cancel this broadcast?" }).getByRole("button", { name: "Cancel broadcast" }).click();
          await page.locator(".broadcast-detail-state").getByText("Cancelled", { exact: true }).waitFor();

          // At 390 px: the list, a detail and the wizard without horizontal overflow.
          await page.setViewportSize({ width: 390, height: 844 });
          await page.getByRole("button", { name: "Back to broadcasts" }).click();
          const list = page.getByRole("list", { name: "Broadcasts" });
          await list.getByText("Draft offer").waitFor();
          expect(await list.getByRole("listitem").count()).toBe(3);
          expect(await fitsWidth(page)).toBe(true);
          await list.getByRole("button", { name: "Spring offer" }).click();
          await page.getByRole("heading", { name: "Spring offer", level: 1 }).waitFor();
          expect(await fitsWidth(page)).toBe(true);
          await page.getByRole("button", { name: "Back to broadcasts" }).click();
          await page.getByRole("button", { name: "New broadcast" }).click();
          await page
            .getByRole("form", { name: "Audience step" })
            .getByLabel("Estimate")
            .getByText(/will receive it/)
            .waitFor();
          expect(await fitsWidth(page)).toBe(true);
          await page.setViewportSize({ width: 1280, height: 900 });

          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );

  it(
    "sends to an uploaded CSV audience: each row's result with its reason, the estimate, and only the valid consenting row receives it",
    { timeout: 240_000 },
    async () => {
      const { harness, owner } = dashboard;
      const page = owner.page;
      const services = harness.parley.services;
      const workspaceId = workspaceIdOf(page);
      await screenshotOnFailure(
        "broadcasts-upload-e2e",
        () => [page],
        async () => {
          // One consenting contact; the file also names a number Parley has never seen (created
          // without consent), repeats the first number and carries a number that is not one.
          await withWorkspace(services.db, { workspaceId }, (trx) =>
            createContact(trx, services.keyring, {
              workspaceId,
              phone: "+4915140099001",
              name: "Vera Valid",
              tags: [],
              consent: { status: "opted_in", source: "import", at: new Date() },
            }),
          );
          const csv = [
            "phone,name",
            "+4915140099001,Vera",
            "+4915140099001,Vera again",
            "12345,Not a number",
            "+4915140099002,Newton",
          ].join("\n");

          await page.setViewportSize({ width: 390, height: 844 });
          await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Broadcasts" }).click();
          await page.getByRole("button", { name: "New broadcast" }).click();
          const audience = page.getByRole("form", { name: "Audience step" });
          await audience.getByLabel("Name", { exact: true }).fill("Uploaded offer");
          // Chosen from the keyboard.
          await audience.getByRole("radio", { name: "Contacts that match a filter" }).focus();
          await page.keyboard.press("ArrowDown");
          expect(await audience.getByRole("radio", { name: "Upload a CSV" }).isChecked()).toBe(true);
          await audience.getByText("No file uploaded yet.").waitFor();
          await audience.getByText("The audience is counted once a file is uploaded.").waitFor();
          await audience.getByRole("button", { name: "Next" }).click();
          await audience.getByText("Upload a CSV file of recipients, or choose contacts by filter.").waitFor();

          await audience
            .getByLabel("CSV file of recipients")
            .setInputFiles({ name: "spring-list.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
          await audience.getByText("spring-list.csv was uploaded.").waitFor();
          const summary = audience.getByRole("list", { name: "Upload summary" });
          await summary.getByText("4 rows in the file").waitFor();
          await summary.getByText("2 accepted").waitFor();
          await summary.getByText("1 invalid number", { exact: true }).waitFor();
          await summary.getByText("1 duplicate", { exact: true }).waitFor();
          // The rows left out, with their row numbers (the header is row 1) and reasons in words.
          const rows = audience.getByRole("group", { name: "Rows of the uploaded file" }).getByRole("row");
          await expect.poll(() => rows.count()).toBe(3);
          expect(await rows.nth(1).innerText()).toMatch(
            /^3\s+Left out: a duplicate of an earlier row\s+phone: The same phone number is already on row 2/,
          );
          expect(await rows.nth(2).innerText()).toMatch(
            /^4\s+Left out: not a valid phone number\s+phone: Not an international phone number/,
          );

          // The estimate counts the file's exclusions by reason.
          const estimate = audience.getByLabel("Estimate");
          await estimate.getByText("1 contact will receive it").waitFor();
          await estimate.getByText("of 4 matching contacts").waitFor();
          const excluded = estimate.getByRole("list", { name: "Excluded" });
          await excluded.getByText("1 never opted in to marketing messages").waitFor();
          await excluded.getByText("1 without a valid phone number").waitFor();
          await excluded.getByText("1 duplicates").waitFor();
          expect(await fitsWidth(page)).toBe(true);
          await audience.getByRole("button", { name: "Next" }).click();

          const message = page.getByRole("form", { name: "Message step" });
          await message.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US)" });
          await message.getByLabel("Source of {{1}}").selectOption("name");
          await message.getByLabel("Fallback of {{1}} (when the contact has none)").fill("there");
          await message.getByLabel("Source of {{2}}").selectOption("text");
          await message.getByLabel("Text of {{2}}").fill("LIST-1");
          await message.getByRole("button", { name: "Next" }).click();
          await page.getByRole("form", { name: "Schedule step" }).getByRole("button", { name: "Next" }).click();
          const review = page.getByRole("form", { name: "Review step" });
          await review.getByText("The file spring-list.csv: 1 contact of 4 matching").waitFor();
          await review.getByRole("button", { name: "Create and send" }).click();

          await page.getByRole("heading", { name: "Uploaded offer", level: 1 }).waitFor();
          await page.locator(".broadcast-detail-state").getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });
          await page
            .getByRole("list", { name: "Skipped by reason" })
            .getByText("The contact never opted in to marketing messages.")
            .waitFor();
          const broadcastId = /\/broadcasts\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
          const recipients = await withWorkspace(services.db, { workspaceId }, (trx) =>
            trx
              .selectFrom("broadcast_recipients")
              .select(["contact_id", "state", "skip_reason"])
              .where("broadcast_id", "=", broadcastId)
              .execute(),
          );
          const sent = recipients.filter((recipient) => recipient.state !== "skipped");
          expect(recipients).toHaveLength(2);
          expect(sent).toHaveLength(1);
          expect(["accepted", "sent", "delivered", "read"]).toContain(sent[0]!.state);
          expect(recipients.find((recipient) => recipient.state === "skipped")?.skip_reason).toBe("no_consent");
          expect(await fitsWidth(page)).toBe(true);
          await page.setViewportSize({ width: 1280, height: 900 });
          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );

  it(
    "shows no Broadcasts section to an Agent, and the lock with the plan that has them when the plan lacks them",
    { timeout: 180_000 },
    async () => {
      const { harness, owner } = dashboard;
      const services = harness.parley.services;
      const workspaceId = workspaceIdOf(owner.page);
      const agent = await addMember(services, workspaceId, "agent", { mfa: false });
      const session = await harness.newSession();
      await screenshotOnFailure(
        "broadcasts-access-e2e",
        () => [session.page, owner.page],
        async () => {
          await signInThroughScreen(harness, session.page, agent);
          const sections = session.page.getByRole("navigation", { name: "Sections" });
          await sections.getByRole("link").first().waitFor();
          expect(await sections.getByRole("link", { name: "Broadcasts" }).count()).toBe(0);
          await session.page.goto(`${harness.address}/w/${workspaceId}/broadcasts`);
          await sections.waitFor();
          expect(await session.page.getByRole("heading", { name: "Broadcasts", level: 1 }).count()).toBe(0);
          expect(session.cspViolations).toEqual([]);
          expect(session.pageErrors).toEqual([]);

          const noQuotas = { numbers: null, members: null, contacts: null, broadcast_recipients_per_month: null };
          await services.db.owner.transaction().execute(async (trx) => {
            await upsertPlan(trx, { name: "starter", features: ["api", "templates"], quotas: noQuotas }, new Date());
            await upsertPlan(trx, { name: "growth", features: ["api", "templates", "broadcasts"], quotas: noQuotas }, new Date());
          });
          await withWorkspace(services.db, { workspaceId }, (trx) => assignWorkspacePlan(trx, workspaceId, "starter", new Date()));
          await owner.page.goto(`${harness.address}/w/${workspaceId}/broadcasts`);
          const lock = owner.page.getByRole("region", { name: /not in the “starter” plan/ });
          await lock.waitFor();
          await lock.getByText(/Available on the .*“growth”/).waitFor();
          expect(await owner.page.getByRole("button", { name: "New broadcast" }).count()).toBe(0);
          expect(owner.cspViolations).toEqual([]);
          expect(owner.pageErrors).toEqual([]);
        },
      );
    },
  );
});
