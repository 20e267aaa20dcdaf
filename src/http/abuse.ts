import { isIP } from "node:net";
import { z } from "zod";
import type { Config } from "../config.ts";
import type { Coordination } from "../coordination/types.ts";

// Blocking addresses that keep failing (SECURITY: limits and abuse controls). Every 401 and 429
// an address collects is a strike; `strikes` within the strike window block it for a period that
// doubles with each block (1 min, 2, 4 … up to 24 h by default) and is forgotten a full maximum
// period after the last block ends. Strikes, blocks and levels live in the coordination store, so
// every instance counts toward and honours the same block (Redis in production). Like everything
// there they hold no truth: losing Redis forgets blocks, and meanwhile the limited routes refuse.
//
// A block is tied to the workspaces whose routes (`/workspaces/:workspaceId/…`) the strikes hit:
// those workspaces' Owners see it and may lift it when it concerns their workspace alone; the
// operator sees and lifts every block (`parley blocks`). Addresses are personal data: they are
// shown to those two, never logged.

export type AbuseSettings = Config["abuse"];

export type AddressBlock = {
  address: string;
  blockedAt: string;
  until: string;
  /** 1 for a first block, 2 for the next (twice as long) … */
  level: number;
  /** The workspaces whose routes the strikes hit (empty: sign-in, setup and other routes outside a workspace). */
  workspaceIds: string[];
};

const storedBlock = z.strictObject({
  address: z.string().max(64),
  blockedAt: z.string().max(40),
  until: z.string().max(40),
  level: z.number().int().min(1).max(64),
  workspaceIds: z.array(z.uuid()).max(100),
});

const BLOCKS = "abuse:blocks";
const LEVELS = "abuse:levels";
const workspaceBlocks = (workspaceId: string): string => `abuse:blocks:ws:${workspaceId}`;
const strikesOf = (address: string): string => `abuse:strikes:${address}`;
const strikeWorkspaces = (address: string): string => `abuse:strike-ws:${address}`;

/**
 * The address a block is kept under: IPv4-mapped IPv6 as plain IPv4, IPv6 in lower case, so one
 * client is one address however the socket reports it. Undefined for anything that is not an IP.
 */
export function normalizeAddress(address: string): string | undefined {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const candidate = mapped ? mapped[1]! : address.toLowerCase();
  return isIP(candidate) === 0 ? undefined : candidate;
}

function parseBlock(value: string | undefined): AddressBlock | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = storedBlock.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The address's block in force, if any. Throws CoordinationUnavailableError (the caller refuses: fail closed). */
export async function findBlock(coordination: Coordination, address: string): Promise<AddressBlock | undefined> {
  const key = normalizeAddress(address);
  if (!key) return undefined;
  return parseBlock(await coordination.ephemeral.get(BLOCKS, key));
}

/**
 * Counts one strike (an answer 401 or 429) against the address, noting the workspace whose route
 * it hit; blocks the address when the strikes reach the threshold. Returns the new block, if any.
 */
export async function recordStrike(
  coordination: Coordination,
  settings: AbuseSettings,
  address: string,
  workspaceId: string | undefined,
  now: Date = new Date(),
): Promise<AddressBlock | undefined> {
  const key = normalizeAddress(address);
  if (!key) return undefined;
  if (workspaceId) await coordination.ephemeral.put(strikeWorkspaces(key), workspaceId, "1", settings.strikeWindowMs);
  const strike = await coordination.rateLimiter.hit(strikesOf(key), { limit: settings.strikes, windowMs: settings.strikeWindowMs });
  // The hit that fills the window blocks (exactly one instance sees remaining 0: the count is
  // atomic); a refused hit means another instance is imposing that block right now.
  if (!strike.allowed || strike.remaining > 0) return undefined;
  await coordination.rateLimiter.reset(strikesOf(key));
  const previous = Number((await coordination.ephemeral.get(LEVELS, key)) ?? "0");
  const level = Number.isInteger(previous) && previous >= 0 ? Math.min(previous + 1, 64) : 1;
  const durationMs = Math.min(settings.firstBlockMs * 2 ** (level - 1), settings.maxBlockMs);
  const workspaceIds = [...(await coordination.ephemeral.list(strikeWorkspaces(key))).keys()].slice(0, 100);
  const block: AddressBlock = {
    address: key,
    blockedAt: now.toISOString(),
    until: new Date(now.getTime() + durationMs).toISOString(),
    level,
    workspaceIds,
  };
  const value = JSON.stringify(block);
  await coordination.ephemeral.put(BLOCKS, key, value, durationMs);
  for (const id of workspaceIds) await coordination.ephemeral.put(workspaceBlocks(id), key, value, durationMs);
  // The level decays a full maximum period after this block ends: a patient attacker starts over at the top.
  await coordination.ephemeral.put(LEVELS, key, String(level), durationMs + settings.maxBlockMs);
  return block;
}

/** Blocks in force: every one (the operator) or those tied to one workspace (its Owners), soonest to end last. */
export async function listBlocks(coordination: Coordination, scope: { workspaceId: string } | "all"): Promise<AddressBlock[]> {
  const members = await coordination.ephemeral.list(scope === "all" ? BLOCKS : workspaceBlocks(scope.workspaceId));
  const blocks = [...members.values()].map(parseBlock).filter((block): block is AddressBlock => block !== undefined);
  return blocks.sort((a, b) => b.until.localeCompare(a.until) || a.address.localeCompare(b.address));
}

/**
 * Lifts the address's block everywhere (its strikes too; its level stays, so a relapse blocks
 * for longer). Returns the block lifted, or undefined when none was in force.
 */
export async function liftBlock(coordination: Coordination, address: string): Promise<AddressBlock | undefined> {
  const key = normalizeAddress(address);
  if (!key) return undefined;
  const block = parseBlock(await coordination.ephemeral.get(BLOCKS, key));
  await coordination.ephemeral.remove(BLOCKS, key);
  for (const id of block?.workspaceIds ?? []) await coordination.ephemeral.remove(workspaceBlocks(id), key);
  await coordination.rateLimiter.reset(strikesOf(key));
  return block;
}

/** The block of `address` as one workspace's Owners see it: only when tied to that workspace. */
export async function findWorkspaceBlock(
  coordination: Coordination,
  workspaceId: string,
  address: string,
): Promise<AddressBlock | undefined> {
  const key = normalizeAddress(address);
  if (!key) return undefined;
  return parseBlock(await coordination.ephemeral.get(workspaceBlocks(workspaceId), key));
}
