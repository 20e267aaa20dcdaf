import { createCheckpoint, exportAuditPublicKeys, exportCheckpoints, checkpointOrigin, verifierKey } from "../audit/checkpoints.ts";
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
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new Error("--workspace must be a workspace id (uuid) or `platform`");
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
  const summary = failed === 0 ? `Audit log verified: ${result.workspaces.length} log(s) intact.` : `Audit log verification FAILED for ${failed} of ${result.workspaces.length} log(s).`;
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

export type AuditCheckpointCommandOptions = { db: Database; provider: KeyProvider; workspaceId: string | null; out: OutputStream };

/** Signs the current head of one log now (the job `audit.checkpoint` does it on a schedule). */
export async function runAuditCheckpoint(options: AuditCheckpointCommandOptions): Promise<void> {
  const checkpoint = await createCheckpoint({ db: options.db, keyring: createKeyring({ provider: options.provider }) }, options.workspaceId);
  options.out.write(checkpoint ? checkpoint.note : "The log is empty; nothing to sign.\n");
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
