import { sql } from "kysely";
import type { KeyProvider } from "../crypto/key-provider.ts";
import type { Database, Tx } from "../db/database.ts";
import { checkpointOrigin, openSigningKey, verifyCheckpointNote, type SigningKey } from "./checkpoints.ts";
import { recomputeLeafHash, type AuditEntryRow } from "./entries.ts";
import { PLATFORM_WORKSPACE_ID } from "./leaf.ts";
import { computeRoot, type Hash } from "./merkle.ts";
import { withAuditLog } from "./scope.ts";

// `parley audit verify`: recomputes a workspace's log from its stored fields, as the owner role
// (which reads every workspace), and compares it with the signed checkpoints. It reports the first
// bad entry by sequence number, so an operator knows where the history stops being trustworthy.

export type AuditProblemKind = "edited" | "deleted" | "inserted" | "reordered" | "checkpoint";

export type AuditProblem = {
  kind: AuditProblemKind;
  /** The first sequence number that can no longer be trusted. */
  seq: number;
  /** The checkpoint involved, when a checkpoint found the problem. */
  checkpointSize?: number;
  reason: string;
};

export type WorkspaceVerification = {
  /** The nil UUID is the platform log. */
  workspaceId: string;
  entries: number;
  checkpoints: number;
  ok: boolean;
  /** The first problem by sequence number; null when the log verifies. */
  problem: AuditProblem | null;
};

export type AuditVerification = { ok: boolean; workspaces: WorkspaceVerification[] };

export type VerifyAuditLogOptions = {
  /** One workspace (null: the platform log); every log when omitted. */
  workspaceId?: string | null;
  provider: KeyProvider;
};

type CheckpointRow = { tree_size: number; root_hash: string; key_id: string; signature: string; note: string };

export async function verifyAuditLog(db: Database, options: VerifyAuditLogOptions): Promise<AuditVerification> {
  // One snapshot for the whole run, so appends committed meanwhile do not look like tampering.
  return db.owner
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const keys = await readSigningKeys(trx, options.provider);
      let scopes: string[];
      if (options.workspaceId !== undefined) {
        scopes = [options.workspaceId ?? PLATFORM_WORKSPACE_ID];
      } else {
        const found = await sql<{ workspace_id: string }>`
          select workspace_id from audit_entries
          union select workspace_id from audit_heads
          union select workspace_id from audit_checkpoints
          order by workspace_id`.execute(trx);
        scopes = found.rows.map((row) => row.workspace_id);
      }
      const workspaces: WorkspaceVerification[] = [];
      for (const scope of scopes) workspaces.push(await verifyScope(trx, scope, keys));
      return { ok: workspaces.every((workspace) => workspace.ok), workspaces };
    });
}

export type LatestCheckpoint = { treeSize: number; rootHash: string; signedAt: Date; keyId: string };

export type WorkspaceLogVerification = WorkspaceVerification & { latestCheckpoint: LatestCheckpoint | null };

/**
 * The same checks for one workspace's log, run as the runtime role inside that workspace (RLS
 * shows it that log only), in one snapshot: what the dashboard shows a workspace's Owners and
 * Admins, without the owner connection that `parley audit verify` uses.
 */
export async function verifyWorkspaceAuditLog(db: Database, workspaceId: string, provider: KeyProvider): Promise<WorkspaceLogVerification> {
  return withAuditLog(db, workspaceId, async (trx) => {
    const verification = await verifyScope(trx, workspaceId, await readSigningKeys(trx, provider));
    const latest = await trx
      .selectFrom("audit_checkpoints")
      .select(["tree_size", "root_hash", "signed_at", "key_id"])
      .where("workspace_id", "=", workspaceId)
      .orderBy("tree_size", "desc")
      .limit(1)
      .executeTakeFirst();
    return {
      ...verification,
      latestCheckpoint: latest
        ? { treeSize: Number(latest.tree_size), rootHash: latest.root_hash, signedAt: new Date(latest.signed_at), keyId: latest.key_id }
        : null,
    };
  });
}

/** Every checkpoint signing key, opened with the KEK; a key that does not open is kept as its error. */
async function readSigningKeys(trx: Tx, provider: KeyProvider): Promise<Map<string, SigningKey | Error>> {
  const keyRows = await trx.selectFrom("audit_signing_keys").selectAll().execute();
  const keys = new Map<string, SigningKey | Error>();
  for (const row of keyRows) {
    try {
      keys.set(row.id, openSigningKey(provider, row));
    } catch (error) {
      keys.set(row.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return keys;
}

async function verifyScope(trx: Tx, scope: string, keys: Map<string, SigningKey | Error>): Promise<WorkspaceVerification> {
  const rows = await trx.selectFrom("audit_entries").selectAll().where("workspace_id", "=", scope).orderBy("seq").execute();
  const head = await trx.selectFrom("audit_heads").select("tree_size").where("workspace_id", "=", scope).executeTakeFirst();
  const checkpoints = await trx
    .selectFrom("audit_checkpoints")
    .select(["tree_size", "root_hash", "key_id", "signature", "note"])
    .where("workspace_id", "=", scope)
    .orderBy("tree_size")
    .execute();
  const problem = findFirstProblem(scope, rows, head ? Number(head.tree_size) : 0, checkpoints, keys);
  return { workspaceId: scope, entries: rows.length, checkpoints: checkpoints.length, ok: problem === null, problem };
}

function entryProblem(rows: AuditEntryRow[], headSize: number): { problem: AuditProblem | null; leaves: Hash[] } {
  const leaves: Hash[] = [];
  for (const [index, row] of rows.entries()) {
    const expected = index + 1;
    const seq = Number(row.seq);
    if (seq < expected) {
      return { problem: { kind: "inserted", seq, reason: `seq ${seq} appears more than once` }, leaves };
    }
    if (seq > expected) {
      const missing = seq === expected + 1 ? `seq ${expected} is missing` : `seqs ${expected}..${seq - 1} are missing`;
      return { problem: { kind: "deleted", seq: expected, reason: missing }, leaves };
    }
    if (seq > headSize) {
      return {
        problem: {
          kind: "inserted",
          seq,
          reason: `seq ${seq} lies beyond the log's head (size ${headSize}): it was not appended by the application`,
        },
        leaves,
      };
    }
    const recomputed = recomputeLeafHash(row);
    const stored = Buffer.from(row.leaf_hash, "hex");
    if (!recomputed.equals(stored)) return { problem: classifyMismatch(rows, index), leaves };
    leaves.push(recomputed);
  }
  if (headSize > rows.length) {
    const first = rows.length + 1;
    return {
      problem: {
        kind: "deleted",
        seq: first,
        reason: `the log's head says ${headSize} entries, only ${rows.length} remain: seq ${first}..${headSize} are missing`,
      },
      leaves,
    };
  }
  return { problem: null, leaves };
}

/** A leaf mismatch is a reorder when the entry's fields hash correctly at another position. */
function classifyMismatch(rows: AuditEntryRow[], index: number): AuditProblem {
  const row = rows[index]!;
  const seq = Number(row.seq);
  for (const [otherIndex, other] of rows.entries()) {
    if (otherIndex === index) continue;
    const otherSeq = Number(other.seq);
    const movedHere = recomputeLeafHash(row, otherSeq);
    if (movedHere.toString("hex") === row.leaf_hash || movedHere.toString("hex") === other.leaf_hash) {
      return { kind: "reordered", seq, reason: `the entry at seq ${seq} was written as seq ${otherSeq}: entries were moved` };
    }
  }
  return { kind: "edited", seq, reason: `the entry at seq ${seq} does not match its leaf hash: a field was changed` };
}

function findFirstProblem(
  scope: string,
  rows: AuditEntryRow[],
  headSize: number,
  checkpoints: CheckpointRow[],
  keys: Map<string, SigningKey | Error>,
): AuditProblem | null {
  const { problem: entry, leaves } = entryProblem(rows, headSize);
  const origin = checkpointOrigin(scope === PLATFORM_WORKSPACE_ID ? null : scope);
  let firstUntrusted = 1;
  let checkpointProblem: AuditProblem | null = null;
  for (const checkpoint of checkpoints) {
    const size = Number(checkpoint.tree_size);
    const fail = (kind: AuditProblemKind, seq: number, reason: string): AuditProblem => ({ kind, seq, checkpointSize: size, reason });
    const key = keys.get(checkpoint.key_id);
    if (!key || key instanceof Error) {
      checkpointProblem = fail(
        "checkpoint",
        firstUntrusted,
        `checkpoint at size ${size} names signing key ${checkpoint.key_id}, which ${key ? "is not an authentic key" : "does not exist"}`,
      );
      break;
    }
    const note = verifyCheckpointNote(checkpoint.note, origin, key.publicKey);
    if (!note.ok) {
      checkpointProblem = fail("checkpoint", firstUntrusted, `checkpoint at size ${size}: ${note.reason}`);
      break;
    }
    if (note.checkpoint.treeSize !== size || note.checkpoint.root.toString("hex") !== checkpoint.root_hash) {
      checkpointProblem = fail(
        "checkpoint",
        firstUntrusted,
        `checkpoint at size ${size}: its stored size or root differs from the signed note`,
      );
      break;
    }
    if (!Buffer.from(checkpoint.signature, "base64").equals(note.checkpoint.signature)) {
      checkpointProblem = fail(
        "checkpoint",
        firstUntrusted,
        `checkpoint at size ${size}: its stored signature differs from the signed note`,
      );
      break;
    }
    if (entry === null && size > leaves.length) {
      checkpointProblem = fail(
        "deleted",
        leaves.length + 1,
        `the signed checkpoint at size ${size} covers entries that no longer exist (log has ${leaves.length})`,
      );
      break;
    }
    if (size <= leaves.length && computeRoot(leaves, size).toString("hex") !== checkpoint.root_hash) {
      checkpointProblem = fail(
        "inserted",
        firstUntrusted,
        `the log up to seq ${size} no longer has the root signed at size ${size}: an entry in ${firstUntrusted}..${size} was inserted, removed or rewritten with a recomputed hash`,
      );
      break;
    }
    firstUntrusted = size + 1;
  }
  if (entry && checkpointProblem) return checkpointProblem.seq < entry.seq ? checkpointProblem : entry;
  return entry ?? checkpointProblem;
}
