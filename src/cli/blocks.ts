import { isIP } from "node:net";
import { z } from "zod";
import { recordAudit } from "../audit/record.ts";
import type { Coordination } from "../coordination/types.ts";
import type { Database } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { liftBlock, listBlocks, normalizeAddress, type AddressBlock } from "../http/abuse.ts";
import type { OutputStream } from "./progress.ts";
import { formatTable } from "./table.ts";

// `parley blocks list|unblock`: the operator's view of the addresses blocked after repeated
// 401/429 answers (src/http/abuse.ts), across every workspace. Blocks live in the coordination
// store: with REDIS_URL this reaches every instance's blocks; without it, only the running
// `parley start` holds them, and these commands reach it through its control socket.

export const blockAddressSchema = z
  .string()
  .max(45)
  .refine((value) => isIP(value) !== 0, "an IPv4 or IPv6 address");

export function formatBlocksTable(blocks: readonly AddressBlock[]): string {
  if (blocks.length === 0) return "No address is blocked.\n";
  const rows = [
    ["ADDRESS", "UNTIL", "LEVEL", "WORKSPACES"],
    ...blocks.map((block) => [
      block.address,
      block.until,
      String(block.level),
      block.workspaceIds.length === 0 ? "-" : block.workspaceIds.join(","),
    ]),
  ];
  return formatTable(rows);
}

export async function runBlocksList(options: { coordination: Coordination; out: OutputStream; json: boolean }): Promise<number> {
  const blocks = await listBlocks(options.coordination, "all");
  options.out.write(options.json ? `${JSON.stringify({ blocks }, null, 2)}\n` : formatBlocksTable(blocks));
  return 0;
}

/** Lifts the block (audited in the platform log); exit code 1 when the address was not blocked. */
export async function runBlocksUnblock(options: {
  coordination: Coordination;
  db: Database;
  out: OutputStream;
  err: OutputStream;
  json: boolean;
  address: string;
}): Promise<number> {
  const address = normalizeAddress(options.address) ?? options.address;
  const lifted = await liftBlock(options.coordination, address);
  if (!lifted) {
    if (options.json) options.out.write(`${JSON.stringify({ unblocked: false, address }, null, 2)}\n`);
    else options.err.write(`${address} is not blocked.\n`);
    return 1;
  }
  await withoutWorkspace(options.db, (trx) =>
    recordAudit(trx, {
      workspaceId: null,
      actor: { type: "system", id: null },
      action: "address.unblocked",
      target: { type: "address", id: lifted.address },
      metadata: { level: lifted.level, workspaces: lifted.workspaceIds.length },
    }),
  );
  options.out.write(
    options.json
      ? `${JSON.stringify({ unblocked: true, address: lifted.address }, null, 2)}\n`
      : `Unblocked ${lifted.address} (it was blocked until ${lifted.until}).\n`,
  );
  return 0;
}
