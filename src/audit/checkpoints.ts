import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import type { KeyProvider } from "../crypto/key-provider.ts";
import { sql } from "kysely";
import type { Database, Tx } from "../db/database.ts";
import { withoutWorkspace } from "../db/with-workspace.ts";
import { z } from "zod";
import { defineJob, enqueueJob, type JobHandler } from "../jobs/definition.ts";
import type { JobDependencies } from "../services.ts";
import { defineSchedule } from "../jobs/schedule.ts";
import type { Services } from "../services.ts";
import { recomputeLeafHash } from "./entries.ts";
import { PLATFORM_WORKSPACE_ID } from "./leaf.ts";
import { computeRoot, type Hash } from "./merkle.ts";
import { withAuditLog } from "./scope.ts";

// Signed checkpoints (DESIGN §7): the tree head of a workspace's log, signed with the deployment's
// Ed25519 key as a C2SP signed note (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint):
//
//   parley/<workspace id>\n<tree size>\n<base64 root hash>\n\n— parley/<workspace id> <base64(key hash ‖ signature)>\n
//
// An outsider who keeps the checkpoints and the verifier key can later prove that the log was
// only appended to. The private key is wrapped by the KEK provider, so the database owner, who can
// rewrite rows, cannot sign a rewritten history.

export const AUDIT_CHECKPOINT_QUEUE = "audit.checkpoint";

/** The signed-note signature type of Ed25519. */
const ED25519_TYPE = 0x01;

export type AuditCheckpoint = {
  workspaceId: string;
  treeSize: number;
  /** Hex SHA-256 root. */
  rootHash: string;
  signedAt: Date;
  keyId: string;
  /** Base64 Ed25519 signature over the note body. */
  signature: string;
  note: string;
};

export type AuditPublicKey = {
  keyId: string;
  isActive: boolean;
  /** Base64 raw 32-byte Ed25519 public key. */
  publicKey: string;
  publicKeyPem: string;
};

export type SigningKey = { id: string; publicKey: Buffer; privateKey: KeyObject };

export function checkpointOrigin(workspaceId: string | null): string {
  return `parley/${workspaceId ?? PLATFORM_WORKSPACE_ID}`;
}

export function checkpointBody(origin: string, treeSize: number, root: Uint8Array): string {
  return `${origin}\n${treeSize}\n${Buffer.from(root).toString("base64")}\n`;
}

/** The signed-note key hash: SHA-256(name ‖ 0x0A ‖ type ‖ public key), first 4 bytes. */
export function noteKeyHash(name: string, publicKey: Uint8Array): Buffer {
  return createHash("sha256")
    .update(name, "utf8")
    .update(Buffer.from([0x0a, ED25519_TYPE]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The verifier key string of signed notes (`<name>+<hex key hash>+<base64(type ‖ key)>`). */
export function verifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${noteKeyHash(name, publicKey).toString("hex")}+${Buffer.concat([Buffer.from([ED25519_TYPE]), publicKey]).toString("base64")}`;
}

function signingKeyAad(id: string, publicKey: string): string {
  return `parley:audit-checkpoint-signing-key:${id}:${publicKey}`;
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("not an Ed25519 key");
  return Buffer.from(jwk.x, "base64url");
}

function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") }, format: "jwk" });
}

/**
 * Unwraps a stored signing key and checks that its public half is the stored public key. A key
 * row planted by someone without the KEK does not unwrap, so its signatures count for nothing.
 */
export function openSigningKey(provider: KeyProvider, row: { id: string; public_key: string; wrapped_private_key: string }): SigningKey {
  const der = provider.unwrap(row.wrapped_private_key, signingKeyAad(row.id, row.public_key));
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  if (publicKey.toString("base64") !== row.public_key) throw new Error(`audit signing key ${row.id} does not match its public key`);
  return { id: row.id, publicKey, privateKey };
}

/** The active signing key, created on first use (concurrent first uses agree on one key). */
export async function ensureSigningKey(db: Database, provider: KeyProvider): Promise<SigningKey> {
  return withoutWorkspace(db, async (trx) => {
    const existing = await trx.selectFrom("audit_signing_keys").selectAll().where("is_active", "=", true).executeTakeFirst();
    if (existing) return openSigningKey(provider, existing);
    const { privateKey } = generateKeyPairSync("ed25519");
    const id = `audit-${randomBytes(8).toString("hex")}`;
    const publicKey = rawPublicKey(createPublicKey(privateKey)).toString("base64");
    const der = privateKey.export({ format: "der", type: "pkcs8" });
    await trx
      .insertInto("audit_signing_keys")
      .values({ id, public_key: publicKey, wrapped_private_key: provider.wrap(der, signingKeyAad(id, publicKey)), is_active: true })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    const active = await trx.selectFrom("audit_signing_keys").selectAll().where("is_active", "=", true).executeTakeFirstOrThrow();
    return openSigningKey(provider, active);
  });
}

/**
 * `parley audit rotate-key`: a new active signing key; the old one stays (inactive), so every
 * checkpoint it signed keeps verifying by its key id, and `export-checkpoints` still lists it.
 * Needs the owner connection (the runtime role may not deactivate a key).
 */
export async function rotateAuditSigningKey(db: Database, provider: KeyProvider): Promise<{ id: string; retired: string[] }> {
  return db.owner.transaction().execute(async (trx) => {
    const retired = await trx
      .updateTable("audit_signing_keys")
      .set({ is_active: false })
      .where("is_active", "=", true)
      .returning("id")
      .execute();
    const { privateKey } = generateKeyPairSync("ed25519");
    const id = `audit-${randomBytes(8).toString("hex")}`;
    const publicKey = rawPublicKey(createPublicKey(privateKey)).toString("base64");
    const der = privateKey.export({ format: "der", type: "pkcs8" });
    await trx
      .insertInto("audit_signing_keys")
      .values({ id, public_key: publicKey, wrapped_private_key: provider.wrap(der, signingKeyAad(id, publicKey)), is_active: true })
      .execute();
    return { id, retired: retired.map((row) => row.id) };
  });
}

/** Signs a checkpoint body as a signed note named by its origin. */
export function signCheckpointNote(body: string, origin: string, key: SigningKey): { note: string; signature: Buffer } {
  const signature = sign(null, Buffer.from(body, "utf8"), key.privateKey);
  const line = `— ${origin} ${Buffer.concat([noteKeyHash(origin, key.publicKey), signature]).toString("base64")}\n`;
  return { note: `${body}\n${line}`, signature };
}

export type ParsedCheckpoint = { origin: string; treeSize: number; root: Buffer; body: string; signature: Buffer };

/**
 * Checks a signed note against one public key and returns its checkpoint, or the reason it does
 * not verify. The note must carry a signature line of `origin` by this key.
 */
export function verifyCheckpointNote(
  note: string,
  origin: string,
  publicKey: Uint8Array,
): { ok: true; checkpoint: ParsedCheckpoint } | { ok: false; reason: string } {
  const split = note.indexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) return { ok: false, reason: "not a signed note" };
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) return { ok: false, reason: "checkpoint body has fewer than three lines" };
  const [noteOrigin, sizeText, rootText] = lines as [string, string, string];
  if (noteOrigin !== origin) return { ok: false, reason: `origin is ${JSON.stringify(noteOrigin)}, expected ${JSON.stringify(origin)}` };
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) return { ok: false, reason: "tree size is not a decimal number" };
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) return { ok: false, reason: "root hash is not 32 bytes of base64" };
  const expectedHash = noteKeyHash(origin, publicKey);
  const key = ed25519PublicKey(publicKey);
  for (const line of note.slice(split + 2, -1).split("\n")) {
    const match = /^— (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (!match || match[1] !== origin) continue;
    const blob = Buffer.from(match[2]!, "base64");
    if (blob.length !== 4 + 64 || !blob.subarray(0, 4).equals(expectedHash)) continue;
    if (verify(null, Buffer.from(body, "utf8"), key, blob.subarray(4))) {
      return { ok: true, checkpoint: { origin, treeSize: Number(sizeText), root, body, signature: blob.subarray(4) } };
    }
    return { ok: false, reason: "signature does not verify" };
  }
  return { ok: false, reason: "no signature by the audit key" };
}

function toCheckpoint(row: {
  workspace_id: string;
  tree_size: number;
  root_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
  note: string;
}): AuditCheckpoint {
  return {
    workspaceId: row.workspace_id,
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    signedAt: new Date(row.signed_at),
    keyId: row.key_id,
    signature: row.signature,
    note: row.note,
  };
}

async function readCheckpoints(trx: Tx, workspaceId: string): Promise<AuditCheckpoint[]> {
  const rows = await trx.selectFrom("audit_checkpoints").selectAll().where("workspace_id", "=", workspaceId).orderBy("tree_size").execute();
  return rows.map(toCheckpoint);
}

export type CreateCheckpointOptions = { now?: () => Date };

/**
 * Signs the current head of a workspace's log (`null`: the platform log). Before signing it checks
 * what it vouches for: every entry since the last checkpoint recomputes to its leaf hash, sequence
 * numbers run 1..n, and the tree at the last checkpoint's size still has the signed root — a log
 * rewritten behind our back is refused, never re-signed. Returns the latest checkpoint (the
 * existing one when nothing was appended since). Idempotent, as job handlers must be.
 */
export async function createCheckpoint(
  services: Pick<Services, "db" | "keyring">,
  workspaceId: string | null,
  options: CreateCheckpointOptions = {},
): Promise<AuditCheckpoint | null> {
  const key = await ensureSigningKey(services.db, services.keyring.provider);
  const scope = workspaceId ?? PLATFORM_WORKSPACE_ID;
  const origin = checkpointOrigin(workspaceId);
  return withAuditLog(services.db, workspaceId, async (trx) => {
    const checkpoints = await readCheckpoints(trx, scope);
    const last = checkpoints.at(-1);
    const rows = await trx.selectFrom("audit_entries").selectAll().where("workspace_id", "=", scope).orderBy("seq").execute();
    if (rows.length === 0) return last ?? null;
    if (last && last.treeSize >= rows.length) return last;
    const leaves: Hash[] = [];
    for (const [index, row] of rows.entries()) {
      if (Number(row.seq) !== index + 1)
        throw new Error(`audit log of ${scope} is not contiguous at seq ${index + 1}; run \`parley audit verify\``);
      const stored = Buffer.from(row.leaf_hash, "hex");
      if (!last || index >= last.treeSize) {
        if (!recomputeLeafHash(row).equals(stored))
          throw new Error(`audit entry ${scope}#${index + 1} does not match its leaf hash; run \`parley audit verify\``);
      }
      leaves.push(stored);
    }
    if (last && computeRoot(leaves, last.treeSize).toString("hex") !== last.rootHash) {
      throw new Error(`audit log of ${scope} no longer matches its checkpoint at size ${last.treeSize}; run \`parley audit verify\``);
    }
    const root = computeRoot(leaves);
    const { note, signature } = signCheckpointNote(checkpointBody(origin, leaves.length, root), origin, key);
    const checkpoint: AuditCheckpoint = {
      workspaceId: scope,
      treeSize: leaves.length,
      rootHash: root.toString("hex"),
      signedAt: (options.now ?? (() => new Date()))(),
      keyId: key.id,
      signature: signature.toString("base64"),
      note,
    };
    const inserted = await trx
      .insertInto("audit_checkpoints")
      .values({
        workspace_id: scope,
        tree_size: checkpoint.treeSize,
        root_hash: checkpoint.rootHash,
        signed_at: checkpoint.signedAt,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
        note: checkpoint.note,
      })
      .onConflict((conflict) => conflict.columns(["workspace_id", "tree_size"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    // A concurrent run signed the same size first; a tree size has one root, so return that one.
    return inserted
      ? toCheckpoint(inserted)
      : toCheckpoint(
          await trx
            .selectFrom("audit_checkpoints")
            .selectAll()
            .where("workspace_id", "=", scope)
            .where("tree_size", "=", checkpoint.treeSize)
            .executeTakeFirstOrThrow(),
        );
  });
}

/** The signed checkpoints of a workspace's log (`null`: the platform log), oldest first. */
export async function exportCheckpoints(
  db: Database,
  workspaceId: string | null,
  options: { afterSize?: number } = {},
): Promise<AuditCheckpoint[]> {
  return withAuditLog(db, workspaceId, async (trx) => {
    const all = await readCheckpoints(trx, workspaceId ?? PLATFORM_WORKSPACE_ID);
    return all.filter((checkpoint) => checkpoint.treeSize > (options.afterSize ?? -1));
  });
}

/** Every checkpoint signing key ever used, for outside verifiers. Public halves only. */
export async function exportAuditPublicKeys(db: Database): Promise<AuditPublicKey[]> {
  const rows = await withoutWorkspace(db, (trx) =>
    trx.selectFrom("audit_signing_keys").select(["id", "public_key", "is_active"]).orderBy("created_at").execute(),
  );
  return rows.map((row) => ({
    keyId: row.id,
    isActive: row.is_active,
    publicKey: row.public_key,
    publicKeyPem: ed25519PublicKey(Buffer.from(row.public_key, "base64")).export({ format: "pem", type: "spki" }).toString(),
  }));
}

/**
 * Logs whose head is ahead of their latest checkpoint (null: the platform log). Reads every
 * workspace, so it runs on the owner connection: a maintenance command (`parley audit checkpoint
 * --all`, e.g. from cron) or a scheduler that enqueues one `audit.checkpoint` job per log.
 */
export async function listLogsNeedingCheckpoint(db: Database): Promise<Array<string | null>> {
  const rows = await sql<{ workspace_id: string }>`
    select h.workspace_id from audit_heads h
    where h.tree_size > coalesce((select max(c.tree_size) from audit_checkpoints c where c.workspace_id = h.workspace_id), 0)
    order by h.workspace_id`.execute(db.owner);
  return rows.rows.map((row) => (row.workspace_id === PLATFORM_WORKSPACE_ID ? null : row.workspace_id));
}

/** The job `audit.checkpoint` ({ workspaceId: uuid | null }), enqueued per log by the sweep below. */
export function createAuditCheckpointHandler(services: Pick<Services, "db" | "keyring">): JobHandler<{ workspaceId: string | null }> {
  return async (payload) => {
    const workspaceId = payload.workspaceId;
    if (workspaceId !== null && (typeof workspaceId !== "string" || !/^[0-9a-f-]{36}$/i.test(workspaceId))) {
      throw new Error("audit.checkpoint needs { workspaceId: uuid | null }");
    }
    await createCheckpoint(services, workspaceId);
  };
}

export const auditCheckpointJob = defineJob({
  queue: AUDIT_CHECKPOINT_QUEUE,
  payload: z.strictObject({ workspaceId: z.uuid().nullable() }),
  retry: { maxAttempts: 3 },
  createHandler: ({ services }: JobDependencies) => createAuditCheckpointHandler(services),
});

/** Enqueues one `audit.checkpoint` job per log that grew since its last signed checkpoint. */
export async function enqueueAuditCheckpoints(db: Database): Promise<number> {
  const logs = await listLogsNeedingCheckpoint(db);
  if (logs.length === 0) return 0;
  await withoutWorkspace(db, async (trx) => {
    for (const workspaceId of logs) await enqueueJob(trx, auditCheckpointJob, { workspaceId });
  });
  return logs.length;
}

export const auditCheckpointSweepJob = defineJob({
  queue: "audit.checkpoint.sweep",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await enqueueAuditCheckpoints(services.db);
    },
});

/** Every ten minutes, the logs that grew get a signed checkpoint. */
export const auditCheckpointSchedule = defineSchedule({
  name: "audit.checkpoints",
  every: 10 * 60_000,
  job: auditCheckpointSweepJob,
  payload: {},
});
