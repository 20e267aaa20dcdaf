import { createPublicKey, randomUUID, verify } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditCheckpointJob,
  createAuditCheckpointHandler,
  createCheckpoint,
  ensureSigningKey,
  exportAuditPublicKeys,
  exportCheckpoints,
  noteKeyHash,
  verifierKey,
  verifyCheckpointNote,
} from "../../src/audit/checkpoints.ts";
import { computeRoot, consistencyProof, verifyConsistency } from "../../src/audit/merkle.ts";
import { recordAudit } from "../../src/audit/record.ts";
import { listAuditEntries } from "../../src/audit/service.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import type { Keyring } from "../../src/crypto/keyring.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { bindJob, enqueueJob } from "../../src/jobs/definition.ts";
import { createWorker } from "../../src/jobs/queue.ts";
import { createLogger } from "../../src/log/logger.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs } from "../support/services.ts";
import { createTestKeyring, seedAuditLog, tamperAsOwner } from "./helpers.ts";

let db: TestDatabase;
let keyring: Keyring;

beforeAll(async () => {
  db = await createTestDatabase();
  keyring = createTestKeyring();
});
afterAll(async () => {
  await db.drop();
});

async function leafHashesOf(workspaceId: string): Promise<Buffer[]> {
  const page = await withWorkspace(db, { workspaceId }, (trx) => listAuditEntries(trx, workspaceId, { limit: 200 }));
  return page.entries.reverse().map((entry) => Buffer.from(entry.leafHash, "hex"));
}

describe("signed checkpoints", () => {
  it("sign the tree head as a C2SP signed note that an outsider verifies with the exported key", async () => {
    const workspaceId = randomUUID();
    expect(await createCheckpoint({ db, keyring }, workspaceId)).toBeNull();
    await seedAuditLog(db, workspaceId, 5);
    const checkpoint = (await createCheckpoint({ db, keyring }, workspaceId))!;
    const origin = `parley/${workspaceId}`;
    const root = computeRoot(await leafHashesOf(workspaceId));
    expect(checkpoint).toMatchObject({ workspaceId, treeSize: 5, rootHash: root.toString("hex") });

    const [body, signatureLine] = checkpoint.note.split("\n\n") as [string, string];
    expect(`${body}\n`).toBe(`${origin}\n5\n${root.toString("base64")}\n`);
    expect(signatureLine).toMatch(new RegExp(`^— ${origin} [A-Za-z0-9+/]+=*\\n$`));

    // What an outside verifier holds: the exported checkpoint and public key, and node:crypto.
    const [exported] = await exportCheckpoints(db, workspaceId);
    const [key] = await exportAuditPublicKeys(db);
    expect(exported).toEqual(checkpoint);
    const blob = Buffer.from(signatureLine.trim().split(" ").at(-1)!, "base64");
    const raw = Buffer.from(key!.publicKey, "base64");
    expect(blob.subarray(0, 4).equals(noteKeyHash(origin, raw))).toBe(true);
    expect(verify(null, Buffer.from(`${body}\n`), createPublicKey(key!.publicKeyPem), blob.subarray(4))).toBe(true);
    expect(verifierKey(origin, raw)).toMatch(new RegExp(`^${origin}\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]+=*$`));
    expect(verifyCheckpointNote(checkpoint.note, origin, raw)).toMatchObject({ ok: true, checkpoint: { treeSize: 5 } });
    expect(verifyCheckpointNote(checkpoint.note.replace("\n5\n", "\n6\n"), origin, raw)).toMatchObject({ ok: false });
    expect(verifyCheckpointNote(checkpoint.note, `parley/${randomUUID()}`, raw)).toMatchObject({ ok: false });
  });

  it("are idempotent and append-only: a later checkpoint is provably consistent with an earlier one", async () => {
    const workspaceId = randomUUID();
    await seedAuditLog(db, workspaceId, 5);
    const first = (await createCheckpoint({ db, keyring }, workspaceId))!;
    expect(await createCheckpoint({ db, keyring }, workspaceId)).toEqual(first);
    await seedAuditLog(db, workspaceId, 3, new Date("2025-02-01T00:00:00.000Z"));
    const second = (await createCheckpoint({ db, keyring }, workspaceId))!;
    expect(second.treeSize).toBe(8);
    const leaves = await leafHashesOf(workspaceId);
    const proof = consistencyProof(leaves, 5, 8);
    expect(verifyConsistency(5, 8, proof, Buffer.from(first.rootHash, "hex"), Buffer.from(second.rootHash, "hex"))).toBe(true);
    expect((await exportCheckpoints(db, workspaceId)).map((checkpoint) => checkpoint.treeSize)).toEqual([5, 8]);
    expect((await exportCheckpoints(db, workspaceId, { afterSize: 5 })).map((checkpoint) => checkpoint.treeSize)).toEqual([8]);
    expect((await verifyAuditLog(db, { workspaceId, provider: keyring.provider })).ok).toBe(true);
  });

  it("refuse to sign a log that was rewritten", async () => {
    const workspaceId = randomUUID();
    await seedAuditLog(db, workspaceId, 4);
    await createCheckpoint({ db, keyring }, workspaceId);
    await seedAuditLog(db, workspaceId, 2, new Date("2025-03-01T00:00:00.000Z"));
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set action = 'settings.changed' where workspace_id = ${workspaceId} and seq = 6`.execute(trx);
    });
    await expect(createCheckpoint({ db, keyring }, workspaceId)).rejects.toThrow(/does not match its leaf hash/);
  });

  it("cover the platform log too", async () => {
    await withoutWorkspace(db, (trx) =>
      recordAudit(trx, { workspaceId: null, actor: { type: "system", id: null }, action: "auth.login.failed" }),
    );
    const checkpoint = (await createCheckpoint({ db, keyring }, null))!;
    expect(checkpoint.note.startsWith("parley/00000000-0000-0000-0000-000000000000\n")).toBe(true);
    expect((await verifyAuditLog(db, { workspaceId: null, provider: keyring.provider })).ok).toBe(true);
  });

  it("keep the private key wrapped by the KEK, bound to its key id", async () => {
    const key = await ensureSigningKey(db, keyring.provider);
    const row = await withoutWorkspace(db, (trx) =>
      trx.selectFrom("audit_signing_keys").selectAll().where("id", "=", key.id).executeTakeFirstOrThrow(),
    );
    const der = key.privateKey.export({ format: "der", type: "pkcs8" });
    expect(row.wrapped_private_key).not.toContain(der.toString("base64"));
    expect(() => keyring.provider.unwrap(row.wrapped_private_key, `parley:audit-checkpoint-signing-key:other:${row.public_key}`)).toThrow();
    await expect(ensureSigningKey(db, createTestKeyring().provider)).rejects.toThrow();
  });

  it("are made by the audit.checkpoint job", async () => {
    const workspaceId = randomUUID();
    await seedAuditLog(db, workspaceId, 3);
    const handler = createAuditCheckpointHandler({ db, keyring });
    await expect(handler({ workspaceId: "not-a-uuid" }, { jobId: 0, attempt: 1, signal: new AbortController().signal })).rejects.toThrow();
    const jobId = await withoutWorkspace(db, (trx) => enqueueJob(trx, auditCheckpointJob, { workspaceId }));
    const logs = captureLogs();
    const worker = createWorker({
      db,
      jobs: [bindJob(auditCheckpointJob, handler)],
      concurrency: 1,
      pollIntervalMs: 20,
      visibilityTimeoutMs: 5_000,
      logger: createLogger({ level: "info", destination: logs.destination }),
    });
    worker.start();
    try {
      await expect
        .poll(
          async () =>
            (await withoutWorkspace(db, (trx) => trx.selectFrom("jobs").select("status").where("id", "=", jobId).executeTakeFirstOrThrow()))
              .status,
          { timeout: 5_000 },
        )
        .toBe("succeeded");
    } finally {
      await worker.stop();
    }
    expect((await exportCheckpoints(db, workspaceId)).map((checkpoint) => checkpoint.treeSize)).toEqual([3]);
  });
});
