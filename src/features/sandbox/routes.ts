import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { readCustomerThread, writeAsCustomer } from "./service.ts";

// The sandbox customer panel's API, under a sandbox number: write as a customer, read what the
// customer's phone shows. Owners and Admins (numbers.manage) only: it reads what a customer
// received across conversations, and makes messages arrive as if from anyone.

const numberParams = z.strictObject({ workspaceId: z.uuid(), numberId: z.uuid() });
const customerPhone = safeString(15).regex(/^\d{5,15}$/, "must be the customer's phone number in digits, with the country code");
const wamid = safeString(256)
  .min(1)
  .regex(/^[\x21-\x7e]+$/);
// An image of at most 1 MB, base64.
const MAX_IMAGE_BASE64 = Math.ceil((1024 * 1024) / 3) * 4;

const customer = { customerPhone, customerName: safeString(100).trim().min(1).optional() };
const writeBody = z.discriminatedUnion("type", [
  z.strictObject({ ...customer, type: z.literal("text"), text: safeString(4096).trim().min(1) }),
  z.strictObject({
    ...customer,
    type: z.literal("button_reply"),
    replyTo: wamid,
    buttonId: safeString(256).min(1),
    title: safeString(20).min(1),
  }),
  z.strictObject({
    ...customer,
    type: z.literal("image"),
    mimeType: z.enum(["image/jpeg", "image/png"]),
    dataBase64: safeString(MAX_IMAGE_BASE64)
      .min(4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64"),
    caption: safeString(1024).trim().optional(),
  }),
]);

const status = z.enum(["accepted", "sent", "delivered", "read", "failed"]);
const threadMessage = z.object({
  direction: z.enum(["customer", "business"]),
  wamid: z.string(),
  type: z.string(),
  text: z.string().nullable(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })),
  status: status.nullable(),
  statuses: z.array(z.object({ status, at: z.iso.datetime() })),
  at: z.iso.datetime(),
});

export const sandboxRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/sandbox/messages",
    summary:
      "Sandbox numbers only: a simulated customer sends the number a text, a button reply or an image (it arrives like any WhatsApp message).",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    bodyLimit: MAX_IMAGE_BASE64 + 16 * 1024,
    rateLimit: { limit: 120, windowMs: 60_000, key: "workspace" },
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: numberParams, body: writeBody, response: { 201: z.object({ wamid: z.string() }) } },
    handler: async ({ services, params, body, reply }) => {
      const { customerPhone: phone, customerName: name, ...message } = body;
      const sent = await writeAsCustomer(services, params.workspaceId, params.numberId, { phone, name }, message);
      reply.code(201);
      return { wamid: sent.wamid };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/numbers/:numberId/sandbox/customers/:customerPhone/messages",
    summary:
      "Sandbox numbers only: what a simulated customer's phone shows — what they wrote, and what the number sent them with its delivery statuses.",
    tags: ["numbers"],
    permission: "numbers.manage",
    caller: true,
    errors: ["NOT_FOUND", "UNPROCESSABLE"],
    schema: { params: numberParams.extend({ customerPhone }), response: { 200: z.object({ messages: z.array(threadMessage) }) } },
    handler: async ({ services, params }) => {
      return { messages: await readCustomerThread(services, params.workspaceId, params.numberId, params.customerPhone) };
    },
  }),
];
