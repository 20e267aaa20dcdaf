import type { ColumnType, Generated } from "kysely";

// Kysely row types for the audit log and its checkpoints (migration 0003).
// Keep in step with the SQL migration; src/db/schema.ts merges this into the full Schema.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type AuditEntriesTable = {
  workspace_id: string;
  seq: number;
  occurred_at: Timestamp;
  actor_type: "user" | "api_key" | "system";
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  metadata: ColumnType<Record<string, string | number | boolean | null>, string, string>;
  /** Hex SHA-256 of the RFC 9162 leaf (0x00 || canonical entry bytes). */
  leaf_hash: string;
};

export type AuditHeadsTable = {
  workspace_id: string;
  /** Entries in the workspace's log; the next entry gets tree_size + 1. */
  tree_size: number;
};

export type AuditCheckpointsTable = {
  workspace_id: string;
  tree_size: number;
  /** Hex SHA-256 Merkle tree head at tree_size. */
  root_hash: string;
  signed_at: Timestamp;
  key_id: string;
  /** Base64 Ed25519 signature over `note` (the checkpoint body). */
  signature: string;
  /** The complete signed note: body, blank line, signature line. */
  note: string;
};

export type AuditSigningKeysTable = {
  id: string;
  /** Base64 raw 32-byte Ed25519 public key. */
  public_key: string;
  /** PKCS#8 DER private key, wrapped by the KEK provider with AAD bound to the key id. */
  wrapped_private_key: string;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
};

export type AuditSchema = {
  audit_entries: AuditEntriesTable;
  audit_heads: AuditHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_signing_keys: AuditSigningKeysTable;
};
