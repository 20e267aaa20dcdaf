import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeWireJson, signWebhookBody } from "../../sim/index.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { upsertOpenConversation } from "../../src/features/conversations/repository.ts";
import { applyRecordedStatuses } from "../../src/features/messages/repository.ts";
import { upsertWhatsAppContact } from "../../src/features/contacts/whatsapp-repository.ts";
import type { MessageStatus } from "../../src/whatsapp/schema.ts";
import { countRows, startChannelHarness, type ChannelHarness } from "./support.ts";

// 10,000 outbound messages whose status webhooks (sent/delivered/read/failed, some duplicated)
// arrive shuffled, in signed batches over HTTP: every message ends in its correct final state, and
// each (wamid, status) is recorded once. A tenth of the messages have no wamid yet (the send's HTTP
// answer was "lost") and are matched by Parley's send id in biz_opaque_callback_data.

const MESSAGES = 10_000;
const PER_DELIVERY = 1_000;

let h: ChannelHarness;
let seed = 42;
function random(): number {
  // mulberry32: a fixed shuffle keeps failures reproducible.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

type Plan = { wamid: string; sendId: string | null; statuses: Array<"sent" | "delivered" | "read" | "failed">; final: MessageStatus };

const scenarios: Array<Pick<Plan, "statuses" | "final">> = [
  { statuses: ["sent", "delivered", "read"], final: "read" },
  { statuses: ["sent", "delivered"], final: "delivered" },
  { statuses: ["sent"], final: "sent" },
  { statuses: ["sent", "failed"], final: "failed" },
  { statuses: ["sent", "read"], final: "read" },
];

beforeAll(async () => {
  h = await startChannelHarness();
}, 60_000);
afterAll(async () => {
  await h.close();
});

describe("status webhooks", () => {
  it(`${MESSAGES} messages with shuffled, duplicated statuses converge to the right final state`, async () => {
    const { workspaceId, number } = h;
    const plans: Plan[] = Array.from({ length: MESSAGES }, (_, index) => ({
      wamid: `wamid.HBgLTEST${String(index).padStart(6, "0")}`,
      sendId: index % 10 === 0 ? randomUUID() : null,
      ...scenarios[index % scenarios.length]!,
    }));

    await withWorkspace(h.db, { workspaceId }, async (trx) => {
      const contact = await upsertWhatsAppContact(trx, h.services.keyring, {
        workspaceId,
        waId: "16505550300",
        profileName: null,
        userId: null,
        at: new Date(),
      });
      const conversationId = await upsertOpenConversation(trx, {
        workspaceId,
        contactId: contact.id,
        numberId: number.id,
        inboundAt: new Date(),
      });
      for (let index = 0; index < plans.length; index += 1_000) {
        await trx
          .insertInto("messages")
          .values(
            plans.slice(index, index + 1_000).map((plan) => ({
              workspace_id: workspaceId,
              id: randomUUID(),
              conversation_id: conversationId,
              contact_id: contact.id,
              number_id: number.id,
              phone_number_id: number.phoneNumberId,
              direction: "out" as const,
              wamid: plan.sendId ? null : plan.wamid,
              type: "text",
              status: "accepted" as const,
              send_id: plan.sendId,
              occurred_at: new Date(),
            })),
          )
          .execute();
      }
    });

    const base = Math.floor(Date.now() / 1000);
    const statuses = plans.flatMap((plan) =>
      plan.statuses.map((status, step) => ({
        id: plan.wamid,
        status,
        timestamp: String(base + step),
        recipient_id: "16505550300",
        ...(plan.sendId ? { biz_opaque_callback_data: plan.sendId } : {}),
        ...(status === "failed"
          ? {
              errors: [
                {
                  code: 131026,
                  title: "Message undeliverable",
                  message: "Message undeliverable",
                  error_data: { details: "Message Undeliverable." },
                },
              ],
            }
          : {}),
      })),
    );
    const duplicates = statuses.filter(() => random() < 0.1);
    const all = [...statuses, ...duplicates];
    for (let index = all.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [all[index], all[other]] = [all[other]!, all[index]!];
    }

    const { appSecret } = h.sim.credentials();
    const bodies: string[] = [];
    for (let index = 0; index < all.length; index += PER_DELIVERY) {
      bodies.push(
        serializeWireJson({
          object: "whatsapp_business_account",
          entry: [
            {
              id: number.wabaId,
              changes: [
                {
                  value: {
                    messaging_product: "whatsapp",
                    metadata: { display_phone_number: "15550783881", phone_number_id: number.phoneNumberId },
                    statuses: all.slice(index, index + PER_DELIVERY),
                  },
                  field: "messages",
                },
              ],
            },
          ],
        }),
      );
    }
    // Four deliveries in flight at a time, like a busy webhook sender.
    const queue = [...bodies];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
          const response = await fetch(h.webhookUrl, {
            method: "POST",
            headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(appSecret, body) },
            body,
          });
          expect(response.status).toBe(200);
        }
      }),
    );
    await h.waitForJobs(120_000);

    // Every batch succeeded on its first attempt: concurrent batches take row locks in one order, so none deadlocked.
    const jobs = await withoutWorkspace(h.db, (trx) => trx.selectFrom("jobs").select(["status", "attempts"]).execute());
    expect(jobs.filter((job) => job.status !== "succeeded" || job.attempts !== 1)).toEqual([]);
    const rows = await withWorkspace(h.db, { workspaceId }, (trx) =>
      trx.selectFrom("messages").select(["wamid", "send_id", "status", "error_code"]).where("direction", "=", "out").execute(),
    );
    const byWamid = new Map(rows.map((row) => [row.wamid, row]));
    const wrong = plans.filter((plan) => byWamid.get(plan.wamid)?.status !== plan.final);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(rows.filter((row) => row.status === "failed").every((row) => row.error_code === 131026)).toBe(true);
    expect(rows.every((row) => row.wamid !== null)).toBe(true);
    expect(await countRows(h, "message_statuses")).toBe(statuses.length);
  }, 180_000);

  it("never downgrades, keeps failed terminal, and catches up a message whose wamid arrives after its statuses", async () => {
    const { workspaceId, number } = h;
    const sendId = randomUUID();
    const wamid = "wamid.HBgLLATE000001";
    const messageId = randomUUID();
    await withWorkspace(h.db, { workspaceId }, async (trx) => {
      const contact = await upsertWhatsAppContact(trx, h.services.keyring, {
        workspaceId,
        waId: "16505550301",
        profileName: null,
        userId: null,
        at: new Date(),
      });
      const conversationId = await upsertOpenConversation(trx, {
        workspaceId,
        contactId: contact.id,
        numberId: number.id,
        inboundAt: new Date(),
      });
      await trx
        .insertInto("messages")
        .values({
          workspace_id: workspaceId,
          id: messageId,
          conversation_id: conversationId,
          contact_id: contact.id,
          number_id: number.id,
          phone_number_id: number.phoneNumberId,
          direction: "out",
          wamid: null,
          type: "text",
          status: "sending",
          send_id: null,
          occurred_at: new Date(),
        })
        .execute();
    });
    // Statuses without biz_opaque_callback_data, before the sender knows the wamid.
    const body = serializeWireJson({
      object: "whatsapp_business_account",
      entry: [
        {
          id: number.wabaId,
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: number.phoneNumberId },
                statuses: [
                  { id: wamid, status: "delivered", timestamp: "1700000001", recipient_id: "16505550301" },
                  { id: wamid, status: "sent", timestamp: "1700000000", recipient_id: "16505550301" },
                ],
              },
              field: "messages",
            },
          ],
        },
      ],
    });
    const response = await fetch(h.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(h.sim.credentials().appSecret, body) },
      body,
    });
    expect(response.status).toBe(200);
    await h.waitForJobs();
    const status = await withWorkspace(h.db, { workspaceId }, async (trx) => {
      await trx.updateTable("messages").set({ wamid, send_id: sendId }).where("id", "=", messageId).execute();
      await applyRecordedStatuses(trx, workspaceId, messageId);
      return trx.selectFrom("messages").select(["status"]).where("id", "=", messageId).executeTakeFirstOrThrow();
    });
    expect(status.status).toBe("delivered");
  });
});
