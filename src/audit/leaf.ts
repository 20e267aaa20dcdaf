import { createHash } from "node:crypto";
import type { AuditActorType } from "./actions.ts";

// The canonical bytes of an audit entry, the input of its Merkle leaf hash. Versioned and in a
// fixed field order, so that a verifier years later recomputes exactly the same bytes. Personal
// values (IP address, user agent) enter only as SHA-256 digests, so leaves and proofs can be
// handed to an outside auditor without disclosing them.

export const LEAF_VERSION = "parley.audit.v1";

/** The workspace id the platform log (events without a workspace) is kept under. */
export const PLATFORM_WORKSPACE_ID = "00000000-0000-0000-0000-000000000000";

export type AuditMetadata = Record<string, string | number | boolean | null>;

export type LeafFields = {
  workspaceId: string;
  seq: number;
  occurredAt: Date;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: AuditMetadata;
};

function digestOrNull(value: string | null): string | null {
  return value === null ? null : createHash("sha256").update(value, "utf8").digest("hex");
}

export function serializeLeaf(fields: LeafFields): Buffer {
  const metadata = Object.keys(fields.metadata)
    .sort()
    .map((key) => [key, fields.metadata[key] ?? null]);
  const canonical = [
    LEAF_VERSION,
    fields.workspaceId.toLowerCase(),
    String(fields.seq),
    fields.occurredAt.toISOString(),
    fields.actorType,
    fields.actorId,
    fields.action,
    fields.targetType,
    fields.targetId,
    digestOrNull(fields.ip),
    digestOrNull(fields.userAgent),
    metadata,
  ];
  return Buffer.from(JSON.stringify(canonical), "utf8");
}
