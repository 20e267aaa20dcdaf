import { z } from "zod";
import type { SimContext } from "../context.ts";
import type { PhoneNumberRecord } from "../state.ts";
import { GraphError } from "./errors.ts";
import type { GraphResponse } from "./errors.ts";
import { parseGraphParams } from "./validation.ts";

const REGISTRATION_WINDOW_MS = 72 * 60 * 60 * 1000;
const REGISTRATION_CALLS_PER_WINDOW = 10;

const pinSchema = z.string().regex(/^\d{6}$/, "must be a 6-digit PIN");
const registerSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  pin: pinSchema,
  data_localization_region: z.string().length(2).optional(),
});
const deregisterSchema = z.looseObject({ messaging_product: z.literal("whatsapp").optional() });
const updateSchema = z.looseObject({ pin: pinSchema });

function countRecent(ctx: SimContext, calls: number[]): number[] {
  const now = ctx.clock.now();
  return calls.filter((t) => now - t < REGISTRATION_WINDOW_MS);
}

export function handleRegister(ctx: SimContext, phone: PhoneNumberRecord, body: unknown): GraphResponse {
  phone.registerCalls = countRecent(ctx, phone.registerCalls);
  if (phone.registerCalls.length >= REGISTRATION_CALLS_PER_WINDOW) throw new GraphError(133016);
  phone.registerCalls.push(ctx.clock.now());
  const request = parseGraphParams(registerSchema, body);
  // With two-step verification on, the PIN must match; otherwise the given PIN becomes the PIN.
  if (phone.pin !== undefined && phone.pin !== request.pin) throw new GraphError(133005);
  phone.pin = request.pin;
  phone.registered = true;
  return { status: 200, body: { success: true } };
}

export function handleDeregister(ctx: SimContext, phone: PhoneNumberRecord, body: unknown): GraphResponse {
  phone.deregisterCalls = countRecent(ctx, phone.deregisterCalls);
  if (phone.deregisterCalls.length >= REGISTRATION_CALLS_PER_WINDOW) throw new GraphError(133016);
  phone.deregisterCalls.push(ctx.clock.now());
  parseGraphParams(deregisterSchema, body ?? {});
  phone.registered = false;
  return { status: 200, body: { success: true } };
}

export function handleSetTwoStepPin(phone: PhoneNumberRecord, body: unknown): GraphResponse {
  const request = parseGraphParams(updateSchema, body);
  phone.pin = request.pin;
  return { status: 200, body: { success: true } };
}

export function handleGetPhoneNumber(ctx: SimContext, phone: PhoneNumberRecord, fields: string | undefined): GraphResponse {
  const full: Record<string, unknown> = {
    verified_name: phone.verifiedName,
    code_verification_status: "VERIFIED",
    display_phone_number: phone.displayPhoneNumber,
    quality_rating: "GREEN",
    platform_type: phone.registered ? "CLOUD_API" : "NOT_APPLICABLE",
    throughput: { level: phone.throughput === 1000 ? "HIGH" : "STANDARD" },
    webhook_configuration: { application: ctx.state.webhookUrl ?? "" },
    id: phone.id,
  };
  if (!fields) return { status: 200, body: full };
  const wanted = fields.split(",").map((f) => f.trim());
  return { status: 200, body: Object.fromEntries(Object.entries(full).filter(([key]) => key === "id" || wanted.includes(key))) };
}
