import { randomInt } from "node:crypto";
import type { SimContext } from "./context.ts";
import type { CustomerRecord } from "./state.ts";

/** A business-scoped user id as WhatsApp issues it: country prefix, ".", up to 128 alphanumerics. */
export const USER_ID_PATTERN = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;

function createUserId(): string {
  return `US.${String(randomInt(1e9, 1e10))}${String(randomInt(1e9, 1e10))}`;
}

function createCustomer(waId: string | undefined, userId: string, name: string): CustomerRecord {
  return {
    waId,
    name,
    userId,
    onWhatsApp: true,
    readsMessages: true,
    marketingStopped: false,
    reachable: true,
    lastInboundAt: undefined,
    pairTat: new Map(),
  };
}

// Recipients are created on first contact: every number is "on WhatsApp" unless configured otherwise.
export function findOrCreateCustomer(ctx: SimContext, waId: string, name?: string): CustomerRecord {
  let customer = ctx.state.customers.get(waId);
  if (!customer) {
    customer = createCustomer(waId, createUserId(), name ?? `Customer ${waId.slice(-4)}`);
    ctx.state.customers.set(waId, customer);
    ctx.state.customersByUserId.set(customer.userId, customer);
  } else if (name !== undefined) {
    customer.name = name;
  }
  return customer;
}

export function findCustomerByUserId(ctx: SimContext, userId: string): CustomerRecord | undefined {
  return ctx.state.customersByUserId.get(userId);
}

// A user who writes with a username and no phone shared: known to the business only by the BSUID.
export function findOrCreateUserIdCustomer(ctx: SimContext, userId: string, name?: string): CustomerRecord {
  let customer = ctx.state.customersByUserId.get(userId);
  if (!customer) {
    customer = createCustomer(undefined, userId, name ?? `User ${userId.slice(-4)}`);
    ctx.state.customersByUserId.set(userId, customer);
  } else if (name !== undefined) {
    customer.name = name;
  }
  return customer;
}

/** The customer a message is addressed to, by phone or by BSUID. */
export function findRecipient(
  ctx: SimContext,
  message: { to: string | undefined; recipientUserId: string | undefined },
): CustomerRecord | undefined {
  if (message.to !== undefined) return ctx.state.customers.get(message.to);
  return message.recipientUserId === undefined ? undefined : ctx.state.customersByUserId.get(message.recipientUserId);
}

export function isServiceWindowOpen(customer: CustomerRecord, now: number, windowMs: number): boolean {
  return customer.lastInboundAt !== undefined && now - customer.lastInboundAt < windowMs;
}

/**
 * The customer behind a simulated customer's message: by phone, by BSUID, or both (a phone user
 * whose BSUID the caller names, which then becomes theirs).
 */
export function findOrCreateSender(
  ctx: SimContext,
  input: { waId?: string | undefined; userId?: string | undefined; name?: string | undefined },
): CustomerRecord {
  if (input.waId === undefined) {
    if (input.userId === undefined) throw new Error("a customer needs a phone (from) or a business-scoped user id (userId)");
    return findOrCreateUserIdCustomer(ctx, input.userId, input.name);
  }
  const customer = findOrCreateCustomer(ctx, input.waId, input.name);
  if (input.userId !== undefined && customer.userId !== input.userId) {
    ctx.state.customersByUserId.delete(customer.userId);
    customer.userId = input.userId;
    ctx.state.customersByUserId.set(input.userId, customer);
  }
  return customer;
}

/** A customer named by phone (digits) or by BSUID, as the control API's paths name them. */
export function findOrCreateByKey(ctx: SimContext, key: string, name?: string): CustomerRecord {
  return USER_ID_PATTERN.test(key) ? findOrCreateUserIdCustomer(ctx, key, name) : findOrCreateCustomer(ctx, key, name);
}
