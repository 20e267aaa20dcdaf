import { BlockList, isIP } from "node:net";
import type { Config, RateWindow } from "../config.ts";
import { normalizeAddress } from "./abuse.ts";

// The default limit of every authenticated route (SECURITY: limits and abuse controls): several
// windows at once per caller — per API key for integrations, per user for people (all their
// sessions together) — with the windows of the workspace's plan when it has one. Routes' own
// `rateLimit` (sign-in per address, sends per workspace …) applies on top.

export type LimitedCaller =
  { kind: "api_key"; apiKeyId: string; workspaceId: string } | { kind: "session"; userId: string; workspaceId: string | undefined };

/** The coordination key and windows that limit this caller. */
export function callerLimit(config: Config, caller: LimitedCaller): { key: string; rules: RateWindow[] } {
  const limits = config.rateLimits;
  const planName = caller.workspaceId === undefined ? undefined : limits.workspacePlans[caller.workspaceId];
  const plan = planName === undefined ? undefined : limits.plans[planName];
  if (caller.kind === "api_key") return { key: `caller:key:${caller.apiKeyId}`, rules: plan?.apiKey ?? limits.apiKey };
  return { key: `caller:user:${caller.userId}`, rules: plan?.session ?? limits.session };
}

/** Whether an address is inside the listed ranges (CIDRs or single addresses, IPv4 and IPv6). */
export function createAddressAllowList(ranges: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefix] = range.split("/") as [string, string | undefined];
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const normalized = normalizeAddress(address);
    if (!normalized) return false;
    return list.check(normalized, isIP(normalized) === 6 ? "ipv6" : "ipv4");
  };
}
