import { z } from "zod";
import type { SimContext } from "../context.ts";
import type { BusinessProfileRecord, PhoneNumberRecord } from "../state.ts";
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
    quality_rating: phone.qualityRating ?? "GREEN",
    platform_type: phone.registered ? "CLOUD_API" : "NOT_APPLICABLE",
    throughput: { level: phone.throughput === 1000 ? "HIGH" : "STANDARD" },
    webhook_configuration: { application: ctx.state.webhookUrl ?? "" },
    id: phone.id,
  };
  // Asked for by name only (the default field set is id, display_phone_number, verified_name, quality_rating).
  const extra: Record<string, unknown> = {
    status: phone.status ?? (phone.registered ? "CONNECTED" : "PENDING"),
    name_status: phone.nameStatus ?? "APPROVED",
    whatsapp_business_manager_messaging_limit: phone.messagingLimit ?? "TIER_250",
    is_pin_enabled: phone.pin !== undefined,
  };
  if (!fields) return { status: 200, body: full };
  const wanted = fields.split(",").map((f) => f.trim());
  const all = { ...full, ...extra };
  return { status: 200, body: Object.fromEntries(Object.entries(all).filter(([key]) => key === "id" || wanted.includes(key))) };
}

// Business profile (reference messaging-and-integrations §4.3): the limits Meta enforces.
export const PROFILE_VERTICALS = [
  "UNDEFINED",
  "OTHER",
  "AUTO",
  "BEAUTY",
  "APPAREL",
  "EDU",
  "ENTERTAIN",
  "EVENT_PLAN",
  "FINANCE",
  "GROCERY",
  "GOVT",
  "HOTEL",
  "HEALTH",
  "NONPROFIT",
  "PROF_SERVICES",
  "RETAIL",
  "TRAVEL",
  "RESTAURANT",
  "NOT_A_BIZ",
] as const;
const PROFILE_FIELDS = ["about", "address", "description", "email", "profile_picture_url", "websites", "vertical"] as const;
const profileUpdateSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  about: z.string().min(1).max(139).optional(),
  address: z.string().max(256).optional(),
  description: z.string().max(512).optional(),
  email: z.union([z.literal(""), z.email().max(128)]).optional(),
  websites: z
    .array(
      z
        .string()
        .max(256)
        .regex(/^https?:\/\//),
    )
    .max(2)
    .optional(),
  vertical: z.enum(PROFILE_VERTICALS).optional(),
  profile_picture_handle: z.string().min(1).max(1024).optional(),
});

export function handleGetBusinessProfile(phone: PhoneNumberRecord, fields: string | undefined): GraphResponse {
  const profile = phone.businessProfile ?? {};
  const wanted = fields ? fields.split(",").map((f) => f.trim()) : ["about"];
  const data: Record<string, unknown> = {};
  for (const key of PROFILE_FIELDS) if (wanted.includes(key) && profile[key] !== undefined) data[key] = profile[key];
  return { status: 200, body: { data: [{ ...data, messaging_product: "whatsapp" }] } };
}

export function handleUpdateBusinessProfile(ctx: SimContext, phone: PhoneNumberRecord, body: unknown): GraphResponse {
  const request = parseGraphParams(profileUpdateSchema, body);
  const profile: BusinessProfileRecord = { ...phone.businessProfile };
  if (request.about !== undefined) profile.about = request.about;
  if (request.address !== undefined) profile.address = request.address;
  if (request.description !== undefined) profile.description = request.description;
  if (request.email !== undefined) profile.email = request.email;
  if (request.websites !== undefined) profile.websites = request.websites;
  if (request.vertical !== undefined) profile.vertical = request.vertical;
  if (request.profile_picture_handle !== undefined)
    profile.profile_picture_url = `https://pps.whatsapp.net/v/sim-${phone.id}-${ctx.clock.now()}.jpg`;
  phone.businessProfile = profile;
  return { status: 200, body: { success: true } };
}
