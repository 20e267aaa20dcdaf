import { randomInt } from "node:crypto";
import type { SimContext } from "./context.ts";
import type { CustomerRecord } from "./state.ts";

// Recipients are created on first contact: every number is "on WhatsApp" unless configured otherwise.
export function findOrCreateCustomer(ctx: SimContext, waId: string, name?: string): CustomerRecord {
  let customer = ctx.state.customers.get(waId);
  if (!customer) {
    customer = {
      waId,
      name: name ?? `Customer ${waId.slice(-4)}`,
      userId: `US.${String(randomInt(1e9, 1e10))}${String(randomInt(1e9, 1e10))}`,
      onWhatsApp: true,
      readsMessages: true,
      lastInboundAt: undefined,
      pairTat: new Map(),
    };
    ctx.state.customers.set(waId, customer);
  } else if (name !== undefined) {
    customer.name = name;
  }
  return customer;
}

export function isServiceWindowOpen(customer: CustomerRecord, now: number, windowMs: number): boolean {
  return customer.lastInboundAt !== undefined && now - customer.lastInboundAt < windowMs;
}
