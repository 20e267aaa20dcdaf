import {
  checkpointOrigin,
  createCheckpoint,
  exportAuditPublicKeys,
  exportCheckpoints,
  listLogsNeedingCheckpoint,
  rotateAuditSigningKey,
  verifierKey,
} from "../audit/checkpoints.ts";
import { recordAudit } from "../audit/record.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { PLATFORM_WORKSPACE_ID } from "../audit/leaf.ts";
import { verifyAuditLog, type AuditVerification, type WorkspaceVerification } from "../audit/verify.ts";
import type { KeyProvider } from "../crypto/key-provider.ts";
import { createKeyring } from "../crypto/keyring.ts";
import type { Database } from "../db/database.ts";
import type { OutputStream } from "./progress.ts";

// `parley audit verify`, `parley audit checkpoint` and `parley audit export-checkpoints`, on the
// owner connection (verify) or the runtime role (checkpoints). Output holds ids, sequence numbers
// and hashes only — never entry contents.

/** `--workspace platform` selects the platform log. */
export function parseWorkspaceOption(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === "platform") return null;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
    throw new Error("--workspace must be a workspace id (uuid) or `platform`");
  return value.toLowerCase();
}

function describeScope(workspaceId: string): string {
  return workspaceId === PLATFORM_WORKSPACE_ID ? "platform log" : `workspace ${workspaceId}`;
}

export function formatVerification(result: AuditVerification): string {
  if (result.workspaces.length === 0) return "No audit log to verify.\n";
  const lines = result.workspaces.map((workspace: WorkspaceVerification) => {
    const counts = `${workspace.entries} entries, ${workspace.checkpoints} signed checkpoints`;
    if (!workspace.problem) return `ok    ${describeScope(workspace.workspaceId)}: ${counts}`;
    const { kind, seq, reason } = workspace.problem;
    return `FAIL  ${describeScope(workspace.workspaceId)}: first bad entry seq ${seq} (${kind}): ${reason}`;
  });
  const failed = result.workspaces.filter((workspace) => !workspace.ok).length;
  const summary =
    failed === 0
      ? `Audit log verified: ${result.workspaces.length} log(s) intact.`
      : `Audit log verification FAILED for ${failed} of ${result.workspaces.length} log(s).`;
  return `${lines.join("\n")}\n${summary}\n`;
}

export type AuditVerifyCommandOptions = {
  db: Database;
  provider: KeyProvider;
  /** One workspace (null: the platform log); all logs when omitted. */
  workspaceId?: string | null;
  out: OutputStream;
  json?: boolean;
};

/** Recomputes every log and checks its signed checkpoints. Returns false when any log fails (exit code 1). */
export async function runAuditVerify(options: AuditVerifyCommandOptions): Promise<boolean> {
  const result = await verifyAuditLog(options.db, {
    provider: options.provider,
    ...(options.workspaceId !== undefined ? { workspaceId: options.workspaceId } : {}),
  });
  options.out.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerification(result));
  return result.ok;
}

export type AuditCheckpointCommandOptions = {
  db: Database;
  provider: KeyProvider;
  /** One log (null: the platform log); every log with unsigned entries when omitted. */
  workspaceId?: string | null;
  out: OutputStream;
};

/**
 * Signs the current head of one log, or of every log that grew since its last checkpoint. A log
 * that fails its pre-signing check is reported and skipped (exit code 1), the others still signed.
 */
export async function runAuditCheckpoint(options: AuditCheckpointCommandOptions): Promise<{ signed: number; failed: number }> {
  const services = { db: options.db, keyring: createKeyring({ provider: options.provider }) };
  if (options.workspaceId !== undefined) {
    const checkpoint = await createCheckpoint(services, options.workspaceId);
    options.out.write(checkpoint ? checkpoint.note : "The log is empty; nothing to sign.\n");
    return { signed: checkpoint ? 1 : 0, failed: 0 };
  }
  let signed = 0;
  let failed = 0;
  for (const workspaceId of await listLogsNeedingCheckpoint(options.db)) {
    const scope = describeScope(workspaceId ?? PLATFORM_WORKSPACE_ID);
    try {
      const checkpoint = await createCheckpoint(services, workspaceId);
      if (checkpoint) options.out.write(`signed ${scope} at size ${checkpoint.treeSize}\n`);
      signed += 1;
    } catch (error) {
      failed += 1;
      options.out.write(`FAILED ${scope}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  options.out.write(`${signed} log(s) signed${failed > 0 ? `, ${failed} refused (run \`parley audit verify\`)` : ""}.\n`);
  return { signed, failed };
}

export type AuditExportCommandOptions = { db: Database; workspaceId: string | null; out: OutputStream };

/** Prints the signed checkpoints of one log and the verifier keys, as JSON, for an outside verifier. */
export async function runAuditExportCheckpoints(options: AuditExportCommandOptions): Promise<void> {
  const origin = checkpointOrigin(options.workspaceId);
  const [checkpoints, keys] = await Promise.all([exportCheckpoints(options.db, options.workspaceId), exportAuditPublicKeys(options.db)]);
  const document = {
    origin,
    keys: keys.map((key) => ({ ...key, verifierKey: verifierKey(origin, Buffer.from(key.publicKey, "base64")) })),
    checkpoints: checkpoints.map((checkpoint) => ({ ...checkpoint, signedAt: checkpoint.signedAt.toISOString() })),
  };
  options.out.write(`${JSON.stringify(document, null, 2)}\n`);
}

/**
 * `parley audit rotate-key`: a new checkpoint signing key signs from now on; the old one stays,
 * inactive, so the checkpoints it signed keep verifying and `export-checkpoints` still lists it.
 */
export async function runAuditRotateKey(options: { db: Database; provider: KeyProvider; out: OutputStream }): Promise<{ id: string }> {
  const { id, retired } = await rotateAuditSigningKey(options.db, options.provider);
  await withoutWorkspace(options.db, (trx) =>
    recordAudit(trx, {
      workspaceId: null,
      actor: { type: "system", id: null },
      action: "audit.key_rotated",
      metadata: { keyId: id, retired: retired.join(",") || null },
    }),
  );
  options.out.write(`New audit signing key ${id} signs checkpoints from now on.\n`);
  if (retired.length > 0)
    options.out.write(
      `Kept ${retired.join(", ")} for verification: the checkpoints it signed stay verifiable. Publish the new verifier key (parley audit export-checkpoints).\n`,
    );
  return { id };
}
