import { isIP } from "node:net";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { findWorkspaceBlock, liftBlock, listBlocks, type AddressBlock } from "../../http/abuse.ts";
import { defineRoute, type RouteDefinition } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { asCaller, recordCallerAudit } from "../../identity/caller.ts";

// The addresses blocked for abusing this workspace's routes (src/http/abuse.ts), for its Owners:
// see them, and lift a block that concerns this workspace alone. A block that other workspaces'
// routes earned too is the operator's to lift (`parley blocks unblock`): one tenant does not let
// an address back in on another's behalf, and never learns which other workspaces it hit.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const addressParams = z.strictObject({
  workspaceId: z.uuid(),
  address: safeString(45).refine((value) => isIP(value) !== 0, "must be an IPv4 or IPv6 address"),
});

const blockBody = z.object({
  address: z.string(),
  blockedAt: z.iso.datetime(),
  until: z.iso.datetime(),
  level: z.number().int(),
  /** The strikes also hit other workspaces' routes: only the operator can lift this block. */
  isShared: z.boolean(),
});

const present = (workspaceId: string) => (block: AddressBlock) => ({
  address: block.address,
  blockedAt: block.blockedAt,
  until: block.until,
  level: block.level,
  isShared: block.workspaceIds.some((id) => id !== workspaceId),
});

export const blockedAddressRoutes: RouteDefinition[] = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/settings/blocked-addresses",
    summary: "Lists the addresses blocked after repeated 401/429 answers on this workspace's routes, with when each block ends.",
    tags: ["settings"],
    permission: "blocked_addresses.manage",
    caller: true,
    errors: ["COORDINATION_UNAVAILABLE"],
    schema: { params: workspaceParams, response: { 200: z.object({ items: z.array(blockBody) }) } },
    handler: async ({ services, caller }) => {
      const blocks = await listBlocks(services.coordination, { workspaceId: caller.workspaceId });
      return { items: blocks.map(present(caller.workspaceId)) };
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/v1/workspaces/:workspaceId/settings/blocked-addresses/:address",
    summary: "Lifts the block of an address blocked for this workspace's routes alone (audited); shared blocks are the operator's to lift.",
    tags: ["settings"],
    permission: "blocked_addresses.manage",
    caller: true,
    errors: ["NOT_FOUND", "CONFLICT", "COORDINATION_UNAVAILABLE"],
    schema: { params: addressParams, response: { 204: z.undefined() } },
    handler: async ({ services, caller, params, reply }) => {
      const block = await findWorkspaceBlock(services.coordination, caller.workspaceId, params.address);
      if (!block) throw new AppError("NOT_FOUND");
      if (block.workspaceIds.some((id) => id !== caller.workspaceId)) {
        throw new AppError(
          "CONFLICT",
          "This address was also blocked for other workspaces' routes; the operator can lift it (parley blocks unblock).",
        );
      }
      // Audited first, lifted inside the same transaction: no lift goes unrecorded.
      await asCaller(services, caller, async (trx) => {
        await recordCallerAudit(trx, caller, {
          action: "address.unblocked",
          target: { type: "address", id: block.address },
          metadata: { level: block.level },
        });
        await liftBlock(services.coordination, block.address);
      });
      reply.code(204);
      return undefined;
    },
  }),
];
