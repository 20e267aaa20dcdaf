import { recordAudit } from "../audit/record.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { readFile, writeFile } from "node:fs/promises";
import type { KeyProviderConfig } from "../config.ts";
import { openKeyExport, sealKeyExport } from "../crypto/key-export.ts";
import { importIntoKeyFile, KeyProviderError, type KeyProvider } from "../crypto/key-provider.ts";
import {
  keyStatus,
  rewrapWorkspaceKeys,
  rotateKek,
  type Keyring,
  type KeyStatus,
  type RewrapResult,
  type RotationResult,
} from "../crypto/keyring.ts";
import type { Database } from "../db/database.ts";
import type { Coordination } from "../coordination/types.ts";
import { notifyKeysetChanged } from "../identity/cache.ts";
import { RETIRED_KEY_GRACE_MS, rotateStoredSigningKey } from "../identity/signing-keys.ts";
import { createProgressBar, type OutputStream } from "./progress.ts";

// `parley keys rotate`, `status`, `export` and `import`. Rotate and status run on the owner
// connection; none prints key material — only versions, counts and where the KEKs live (an export
// writes the keys sealed under a passphrase, to a file).

/** Takes the key provider, or a keyring (whose provider is used). */
export type KeysCommandOptions = { db: Database; out: OutputStream } & ({ provider: KeyProvider } | { keyring: Keyring });

function providerOf(options: KeysCommandOptions): KeyProvider {
  return "provider" in options ? options.provider : options.keyring.provider;
}

/**
 * Adds a KEK version (or, for PARLEY_MASTER_KEY, uses the one the operator added) and rewraps every
 * workspace key under it. With `resume`, only finishes an interrupted rewrap without adding a version.
 */
export async function runKeysRotate(options: KeysCommandOptions & { resume?: boolean; batchSize?: number }): Promise<RotationResult> {
  const { db, out } = options;
  const provider = providerOf(options);
  const where = describeProvider(provider);
  out.write(options.resume ? `Finishing the rewrap of workspace keys (${where})\n` : `Rotating the key-encryption key (${where})\n`);
  const bar = createProgressBar({ label: "Rewrapping workspace keys", stream: out });
  let result: RotationResult;
  try {
    const maintenance = { onProgress: (done: number, total: number) => bar.update(done, total), batchSize: options.batchSize };
    result = options.resume
      ? { addedVersion: undefined, ...(await rewrapWorkspaceKeys(db, provider, maintenance)) }
      : await rotateKek(db, provider, maintenance);
  } finally {
    bar.finish();
  }
  // Key rotation is a sensitive action: the platform audit log records it (no key material).
  await withoutWorkspace(db, (trx) =>
    recordAudit(trx, {
      workspaceId: null,
      actor: { type: "system", id: null },
      action: "keys.rotated",
      metadata: { kekVersion: result.primary, rewrapped: result.rewrapped, resumed: options.resume === true },
    }),
  );
  if (result.addedVersion !== undefined) out.write(`Added KEK version ${result.addedVersion}; it is now the primary version.\n`);
  else if (!options.resume) out.write(`Using KEK version ${result.primary}, the newest in ${where}.\n`);
  out.write(`${describeRewrap(result)} Data rows were not touched.\n`);
  if (provider.kind === "file") {
    out.write(
      `Back up ${provider.describe().location} now, separately from database backups; it keeps the older versions so existing backups stay readable.\n`,
    );
  }
  return result;
}

/** Prints the provider, its KEK versions and how many workspace keys each version wraps. */
export async function runKeysStatus(options: KeysCommandOptions & { json?: boolean }): Promise<KeyStatus> {
  const status = await keyStatus(options.db, providerOf(options));
  options.out.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatKeyStatus(status));
  return status;
}

export function formatKeyStatus(status: KeyStatus): string {
  const { provider, workspaceKeys } = status;
  const lines = [
    `Key provider:    ${provider.kind}${provider.location ? ` (${provider.location})` : ""}`,
    `KEK versions:    ${provider.versions.join(", ")} (primary ${provider.primary})`,
    `Workspaces:      ${status.workspaces}`,
    `Workspace keys:  ${workspaceKeys.total}`,
  ];
  for (const row of workspaceKeys.byKekVersion) {
    const notes = [row.kekVersion === provider.primary ? "primary" : "", row.available ? "" : "MISSING from the key provider"].filter(
      Boolean,
    );
    lines.push(`  KEK v${row.kekVersion}: ${row.count}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`);
  }
  if (workspaceKeys.byKekVersion.some((row) => !row.available)) {
    lines.push("Some workspace keys are wrapped by a KEK version the provider does not have: restore that version before anything else.");
  }
  if (workspaceKeys.pendingRewrap > 0) {
    lines.push(
      `${workspaceKeys.pendingRewrap} workspace key(s) are not yet under the primary version: run \`parley keys rotate --resume\`.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function describeRewrap(result: RewrapResult): string {
  if (result.rewrapped === 0) return `All workspace keys were already under KEK version ${result.primary}.`;
  return `Rewrapped ${result.rewrapped} workspace key${result.rewrapped === 1 ? "" : "s"} under KEK version ${result.primary}.`;
}

function describeProvider(provider: KeyProvider): string {
  const { kind, location } = provider.describe();
  return kind === "env" ? "PARLEY_MASTER_KEY" : `key file ${location}`;
}

/** The passphrase file's first line (a trailing newline is not part of it). */
export async function readPassphraseFile(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  return text.split(/\r?\n/)[0] ?? "";
}

/**
 * Writes every KEK version, sealed under the passphrase, to a new file (0600; an existing file is
 * never overwritten). Backups hold no keys: this file, kept apart from them, is what restores need.
 */
export async function runKeysExport(options: {
  provider: KeyProvider;
  passphrase: string;
  path: string;
  out: OutputStream;
}): Promise<number[]> {
  const versions = options.provider.exportVersions();
  const sealed = sealKeyExport(versions, options.passphrase);
  await writeFile(options.path, sealed, { mode: 0o600, flag: "wx" });
  const numbers = versions.map((entry) => entry.version);
  options.out.write(
    `Exported KEK version(s) ${numbers.join(", ")} (${describeProvider(options.provider)}) to ${options.path}, sealed with the passphrase.\n`,
  );
  options.out.write(
    "Store it and the passphrase apart from the backups: a backup is unreadable without them, and they are all an attacker would need besides it.\n",
  );
  return numbers;
}

/** Adds the exported KEK versions to the key file (a restore on a new machine starts here). */
export async function runKeysImport(options: {
  keys: KeyProviderConfig;
  passphrase: string;
  path: string;
  out: OutputStream;
}): Promise<number[]> {
  if (options.keys.kind !== "file") {
    throw new KeyProviderError(
      "PARLEY_MASTER_KEY is set: Parley does not change it. Unset it to import into the key file (PARLEY_KEY_FILE), or put the versions into PARLEY_MASTER_KEY yourself.",
    );
  }
  const versions = openKeyExport(await readFile(options.path, "utf8"), options.passphrase);
  const added = await importIntoKeyFile(options.keys.path, versions);
  options.out.write(
    added.length > 0
      ? `Added KEK version(s) ${added.join(", ")} to key file ${options.keys.path}.\n`
      : `Key file ${options.keys.path} already holds every version in the export.\n`,
  );
  return added;
}

/**
 * `parley keys rotate-signing`: a new JWT signing key becomes active; the retired one stays in the
 * JWKS and keeps verifying the tokens it signed for RETIRED_KEY_GRACE_MS (longer than an access
 * token lives), so nobody is signed out. Running instances are told to reload their keyset.
 */
export async function runKeysRotateSigning(options: {
  db: Database;
  provider: KeyProvider;
  coordination: Coordination;
  out: OutputStream;
}): Promise<{ kid: string }> {
  const { db, out } = options;
  const { kid, retired } = await rotateStoredSigningKey(db, options.provider);
  await notifyKeysetChanged(options.coordination);
  await withoutWorkspace(db, (trx) =>
    recordAudit(trx, {
      workspaceId: null,
      actor: { type: "system", id: null },
      action: "keys.signing_rotated",
      metadata: { kid, retired: retired.join(",") || null },
    }),
  );
  out.write(`New signing key ${kid} is active.\n`);
  if (retired.length > 0)
    out.write(`Retired ${retired.join(", ")}: still published and verifying its tokens for ${RETIRED_KEY_GRACE_MS / 60_000} minutes.\n`);
  return { kid };
}
