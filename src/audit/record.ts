import { sql } from "kysely";
import type { Tx } from "../db/database.ts";
import type { AuditAction, AuditActorType } from "./actions.ts";
import { PLATFORM_WORKSPACE_ID, serializeLeaf, type AuditMetadata } from "./leaf.ts";
import { hashLeaf } from "./merkle.ts";
import { userAgentFamily } from "../privacy/minimize.ts";

export type AuditActor = { type: AuditActorType; id: string | null };

export type AuditEntryInput = {
  /** null → the platform log (account events with no workspace, e.g. a failed login). */
  workspaceId: string | null;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  ip?: string | null;
  userAgent?: string | null;
  /** Identifiers, counts and flags only — never personal values (e-mails, names, phone numbers). */
  metadata?: AuditMetadata;
};

export type RecordAuditOptions = {
  /** The entry's time (default: now); tests pin it. */
  now?: () => Date;
};

const MAX_IP = 64;
const MAX_METADATA_KEYS = 32;
const MAX_METADATA_STRING = 256;
const METADATA_KEY = /^[a-z][a-zA-Z0-9_.]{0,63}$/;
const IDENTIFIER = /^[A-Za-z0-9._:/-]{1,128}$/;

function validateMetadata(metadata: AuditMetadata): AuditMetadata {
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS) throw new RangeError(`audit metadata holds at most ${MAX_METADATA_KEYS} keys`);
  const clean: AuditMetadata = {};
  for (const key of keys) {
    if (!METADATA_KEY.test(key)) throw new RangeError("audit metadata keys must be short identifiers");
    const value = metadata[key];
    if (value === undefined) continue;
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      // jsonb and JSON.stringify agree on integers only; anything else could hash differently later.
      throw new RangeError("audit metadata numbers must be safe integers");
    }
    if (typeof value === "string" && value.length > MAX_METADATA_STRING) throw new RangeError("audit metadata string too long");
    clean[key] = value;
  }
  return clean;
}

function checkIdentifier(value: string | null, what: string): string | null {
  if (value !== null && !IDENTIFIER.test(value)) throw new RangeError(`audit ${what} must be an identifier`);
  return value;
}

/**
 * Appends one entry to the workspace's audit log inside the caller's transaction, so the entry
 * exists exactly when the action committed. The sequence number comes from the workspace's head
 * row, incremented under its row lock: writers of one workspace queue behind each other until
 * commit (so sequence numbers have no gaps, even across instances and rollbacks), while other
 * workspaces are not blocked.
 */
export async function recordAudit(trx: Tx, entry: AuditEntryInput, options: RecordAuditOptions = {}): Promise<void> {
  const workspaceId = entry.workspaceId ?? PLATFORM_WORKSPACE_ID;
  const metadata = validateMetadata(entry.metadata ?? {});
  const actorId = checkIdentifier(entry.actor.id, "actor id");
  const targetType = checkIdentifier(entry.target?.type ?? null, "target type");
  const targetId = checkIdentifier(entry.target?.id ?? null, "target id");
  const ip = entry.ip ? entry.ip.slice(0, MAX_IP) : null;
  // The client is kept as its family only (minimization); the address in full, to investigate abuse.
  const userAgent = userAgentFamily(entry.userAgent);
  // Millisecond precision: the stored timestamp must read back as exactly the hashed one.
  const occurredAt = new Date((options.now ?? (() => new Date()))().getTime());

  const head = await sql<{ tree_size: number }>`
    insert into audit_heads (workspace_id, tree_size) values (${workspaceId}, 1)
    on conflict (workspace_id) do update set tree_size = audit_heads.tree_size + 1
    returning tree_size`.execute(trx);
  const seq = Number(head.rows[0]!.tree_size);

  const leaf = serializeLeaf({
    workspaceId,
    seq,
    occurredAt,
    actorType: entry.actor.type,
    actorId,
    action: entry.action,
    targetType,
    targetId,
    ip,
    userAgent,
    metadata,
  });
  await trx
    .insertInto("audit_entries")
    .values({
      workspace_id: workspaceId,
      seq,
      occurred_at: occurredAt,
      actor_type: entry.actor.type,
      actor_id: actorId,
      action: entry.action,
      target_type: targetType,
      target_id: targetId,
      ip,
      user_agent: userAgent,
      metadata: JSON.stringify(metadata),
      leaf_hash: hashLeaf(leaf).toString("hex"),
    })
    .execute();
}
