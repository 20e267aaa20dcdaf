import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotOnFailure, setUpOwner, startBrowserHarness, type BrowserHarness } from "../support/browser.ts";

// Settings → Webhooks in a real browser against a real Parley (web and worker roles, sandbox mode,
// PARLEY_WEBHOOKS_ALLOW_PRIVATE=true so that the receiver may listen on 127.0.0.1). The Owner
// registers an endpoint, copies its secret (shown once), sends a test event that the receiver
// verifies with the reference `standardwebhooks` library, reads the delivery log, sees an endpoint
// answering 410 disabled, enables it and replays the dead letter, rotates a secret, disables and
// deletes. A missing Chromium fails the test: it is never skipped.

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

let harness: BrowserHarness;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let goneAnswers = 0;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      // The first call to /gone answers 410 Gone, later ones 200 (the receiver came back).
      if (path === "/gone" && goneAnswers++ === 0) response.writeHead(410).end();
      else response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  harness = await startBrowserHarness({ PARLEY_WEBHOOKS_ALLOW_PRIVATE: "true" });
  page = (await harness.newSession()).page;
}, 180_000);

afterAll(async () => {
  await harness?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
}, 60_000);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function createEndpoint(url: string): Promise<string> {
  const form = page.getByRole("form", { name: "Create a webhook endpoint" });
  await form.getByLabel("URL").fill(url);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  const secret = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

describe("webhooks in the dashboard", () => {
  it(
    "registers an endpoint with a secret shown once, delivers a signed test event, shows the log, replays, rotates and deletes",
    { timeout: 240_000 },
    async () => {
      await screenshotOnFailure(
        "webhooks-e2e",
        () => [page],
        async () => {
          await setUpOwner(harness, page, { email: "owner@hooks.test", workspaceName: "Acme Hooks" });
          await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Settings" }).click();
          await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
          await page.getByText("No webhook endpoints yet.").waitFor();

          // Created: the secret is shown once, then gone from the page.
          const secret = await createEndpoint(`${receiverUrl}/hook`);
          expect(secret).toMatch(/^whsec_/);
          expect(await page.content()).not.toContain(secret.slice(6));
          const endpoints = page.getByRole("table", { name: "Webhook endpoints" });
          await endpoints.getByRole("cell", { name: "Enabled" }).waitFor();

          // A test event, signed the Standard Webhooks way, delivered by the worker role.
          await page.getByRole("button", { name: `Send a test event to ${receiverUrl}/hook` }).click();
          await waitFor(() => received.some((request) => request.path === "/hook"), "the test delivery");
          const delivery = received.find((request) => request.path === "/hook")!;
          expect(new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>)).toMatchObject({
            type: "webhook.test",
          });

          // The delivery log.
          await page.getByRole("button", { name: `Deliveries of ${receiverUrl}/hook` }).click();
          const log = page.getByRole("region", { name: "Delivery log" });
          await log.getByRole("cell", { name: "webhook.test" }).waitFor();
          await log.getByRole("cell", { name: "succeeded" }).waitFor();

          // An endpoint answering 410 is disabled; enabled again, its dead letter is replayed.
          await createEndpoint(`${receiverUrl}/gone`);
          await page.getByRole("button", { name: `Send a test event to ${receiverUrl}/gone` }).click();
          await waitFor(() => received.some((request) => request.path === "/gone"), "the 410 answer");
          await page.getByRole("button", { name: `Deliveries of ${receiverUrl}/gone` }).click();
          for (let tries = 0; tries < 50 && (await log.getByRole("cell", { name: "failed" }).count()) === 0; tries += 1) {
            await log.getByRole("button", { name: "Refresh" }).click();
            await page.waitForTimeout(200);
          }
          await log.getByRole("cell", { name: "failed" }).waitFor();
          await page.reload();
          await endpoints.getByText("Disabled: the receiver answered 410 Gone").waitFor();
          await page.getByRole("button", { name: `Enable ${receiverUrl}/gone` }).click();
          await page.getByRole("button", { name: `Deliveries of ${receiverUrl}/gone` }).click();
          await log.getByRole("button", { name: "Replay" }).click();
          await waitFor(() => received.filter((request) => request.path === "/gone").length === 2, "the replayed delivery");

          // Rotation: a new secret, once.
          await page.getByRole("button", { name: `Rotate the secret of ${receiverUrl}/hook` }).click();
          await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
          const rotated = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
          expect(rotated).toMatch(/^whsec_/);
          expect(rotated).not.toBe(secret);
          await page.getByRole("button", { name: "Done" }).click();

          // Disable, then delete.
          await page.getByRole("button", { name: `Disable ${receiverUrl}/hook` }).click();
          await page.getByRole("button", { name: `Enable ${receiverUrl}/hook` }).waitFor();
          await page.getByRole("button", { name: `Delete ${receiverUrl}/hook` }).click();
          await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
          await page.getByRole("button", { name: `Delete ${receiverUrl}/gone` }).click();
          await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
          await page.getByText("No webhook endpoints yet.").waitFor();

          // Meta's format: the form says it carries personal data, offers the inbound events only, and
          // creates the endpoint with the personal-data option on.
          const form = page.getByRole("form", { name: "Create a webhook endpoint" });
          await form.getByRole("radio", { name: /Meta's format/ }).check();
          await form.getByText("this endpoint always receives personal data").waitFor();
          expect(await form.getByRole("checkbox", { name: "template.status" }).count()).toBe(0);
          await createEndpoint(`${receiverUrl}/meta`);
          await endpoints.getByText("Meta's format").waitFor();
          await endpoints.getByText("with personal data").waitFor();
        },
      );
    },
  );
});
