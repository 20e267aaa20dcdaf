import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckpoint, exportAuditPublicKeys } from "../../src/audit/checkpoints.ts";
import { runAuditRotateKey } from "../../src/cli/audit.ts";
import { recomputeLeafHash } from "../../src/audit/entries.ts";
import { verifyAuditLog } from "../../src/audit/verify.ts";
import type { Keyring } from "../../src/crypto/keyring.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { createTestKeyring, seedAuditLog, tamperAsOwner } from "./helpers.ts";

// `parley audit verify` must notice every way the database owner can rewrite history and name the
// first entry that can no longer be trusted (DESIGN §7). Each case tampers with its own workspace.

let db: TestDatabase;
let keyring: Keyring;

beforeAll(async () => {
  db = await createTestDatabase();
  keyring = createTestKeyring();
});
afterAll(async () => {
  await db.drop();
});

/** A workspace with 8 entries and a signed checkpoint at size 6. */
async function seededWorkspace(): Promise<string> {
  const workspaceId = randomUUID();
  await seedAuditLog(db, workspaceId, 6);
  await createCheckpoint({ db, keyring }, workspaceId);
  await seedAuditLog(db, workspaceId, 2, new Date("2025-01-02T00:00:00.000Z"));
  return workspaceId;
}

async function firstProblem(workspaceId: string) {
  const result = await verifyAuditLog(db, { workspaceId, provider: keyring.provider });
  expect(result.workspaces).toHaveLength(1);
  return { ok: result.ok, problem: result.workspaces[0]!.problem };
}

describe("verifyAuditLog", () => {
  it("keeps checkpoints verifiable across a signing key rotation (parley audit rotate-key), each by its own key", async () => {
    const workspaceId = await seededWorkspace();
    const before = await createCheckpoint({ db, keyring }, workspaceId);
    const chunks: string[] = [];
    const { id } = await runAuditRotateKey({
      db,
      provider: keyring.provider,
      out: { isTTY: false, write: (chunk: string) => chunks.push(chunk) },
    });
    expect(chunks.join("")).toContain(id);
    expect(chunks.join("")).not.toMatch(/PRIVATE|BEGIN/);
    await seedAuditLog(db, workspaceId, 3, new Date("2025-01-03T00:00:00.000Z"));
    const after = await createCheckpoint({ db, keyring }, workspaceId);
    expect(after?.keyId).toBe(id);
    expect(before?.keyId).not.toBe(id);
    expect(await firstProblem(workspaceId)).toEqual({ ok: true, problem: null });
    const published = await exportAuditPublicKeys(db);
    expect(published.map((key) => key.keyId)).toEqual(expect.arrayContaining([before?.keyId, id]));
    expect(published.filter((key) => key.isActive).map((key) => key.keyId)).toEqual([id]);
  });

  it("passes on an intact log, for one workspace and for all", async () => {
    const workspaceId = await seededWorkspace();
    expect(await firstProblem(workspaceId)).toEqual({ ok: true, problem: null });
    const all = await verifyAuditLog(db, { provider: keyring.provider });
    expect(all.workspaces.find((workspace) => workspace.workspaceId === workspaceId)).toMatchObject({
      ok: true,
      entries: 8,
      checkpoints: 1,
    });
  });

  it("detects an edited field and names the entry", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set action = 'settings.changed', actor_id = 'someone-else' where workspace_id = ${workspaceId} and seq = 4`.execute(
        trx,
      );
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ ok: false, problem: { kind: "edited", seq: 4 } });
  });

  it("detects an edited metadata value or time", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set occurred_at = occurred_at + interval '1 millisecond' where workspace_id = ${workspaceId} and seq = 7`.execute(
        trx,
      );
      await sql`update audit_entries set metadata = '{"index": 2, "role": "owner"}'::jsonb where workspace_id = ${workspaceId} and seq = 3`.execute(
        trx,
      );
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ problem: { kind: "edited", seq: 3 } });
  });

  it("detects a deleted entry in the middle and at the end", async () => {
    const middle = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`delete from audit_entries where workspace_id = ${middle} and seq = 5`.execute(trx);
    });
    expect(await firstProblem(middle)).toMatchObject({ problem: { kind: "deleted", seq: 5 } });

    const tail = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`delete from audit_entries where workspace_id = ${tail} and seq >= 7`.execute(trx);
    });
    expect(await firstProblem(tail)).toMatchObject({ problem: { kind: "deleted", seq: 7 } });
  });

  it("detects deleted entries covered by a checkpoint even when the head was lowered too", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`alter table audit_heads disable trigger audit_heads_step`.execute(trx);
      await sql`delete from audit_entries where workspace_id = ${workspaceId} and seq >= 6`.execute(trx);
      await sql`update audit_heads set tree_size = 5 where workspace_id = ${workspaceId}`.execute(trx);
      await sql`alter table audit_heads enable trigger audit_heads_step`.execute(trx);
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ problem: { kind: "deleted", seq: 6, checkpointSize: 6 } });
  });

  it("detects a forged entry appended behind the application's back", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`insert into audit_entries (workspace_id, seq, occurred_at, actor_type, actor_id, action, metadata, leaf_hash)
        select workspace_id, 9, occurred_at, actor_type, actor_id, action, metadata, leaf_hash
        from audit_entries where workspace_id = ${workspaceId} and seq = 8`.execute(trx);
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ problem: { kind: "inserted", seq: 9 } });
  });

  it("detects a forged entry inserted in the middle with renumbering and recomputed hashes, through the checkpoint", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      // A careful attacker: shift seq 3..8 up by one, slip a well-formed entry in at 3, recompute
      // every leaf hash and bump the head. Only the signed checkpoint can tell.
      await sql`alter table audit_heads disable trigger audit_heads_step`.execute(trx);
      await sql`update audit_entries set seq = seq + 1000 where workspace_id = ${workspaceId} and seq >= 3`.execute(trx);
      await sql`update audit_entries set seq = seq - 999 where workspace_id = ${workspaceId} and seq >= 1000`.execute(trx);
      await sql`insert into audit_entries (workspace_id, seq, occurred_at, actor_type, actor_id, action, metadata, leaf_hash)
        values (${workspaceId}, 3, '2025-01-01T00:00:02.500Z', 'system', null, 'settings.changed', '{}'::jsonb, ${"0".repeat(64)})`.execute(
        trx,
      );
      const rows = await trx.selectFrom("audit_entries").selectAll().where("workspace_id", "=", workspaceId).execute();
      for (const row of rows) {
        await sql`update audit_entries set leaf_hash = ${recomputeLeafHash(row).toString("hex")} where workspace_id = ${workspaceId} and seq = ${row.seq}`.execute(
          trx,
        );
      }
      await sql`update audit_heads set tree_size = 9 where workspace_id = ${workspaceId}`.execute(trx);
      await sql`alter table audit_heads enable trigger audit_heads_step`.execute(trx);
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ problem: { kind: "inserted", seq: 1, checkpointSize: 6 } });
  });

  it("detects two swapped entries (reordered)", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set seq = 1000 where workspace_id = ${workspaceId} and seq = 2`.execute(trx);
      await sql`update audit_entries set seq = 2 where workspace_id = ${workspaceId} and seq = 5`.execute(trx);
      await sql`update audit_entries set seq = 5 where workspace_id = ${workspaceId} and seq = 1000`.execute(trx);
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ problem: { kind: "reordered", seq: 2 } });
  });

  it("detects swapped contents that left the hashes in place (reordered)", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries a set occurred_at = b.occurred_at, actor_id = b.actor_id, action = b.action, target_id = b.target_id, ip = b.ip, metadata = b.metadata
        from audit_entries b
        where a.workspace_id = ${workspaceId} and b.workspace_id = ${workspaceId}
          and ((a.seq = 7 and b.seq = 8) or (a.seq = 8 and b.seq = 7))`.execute(trx);
    });
    expect(await firstProblem(workspaceId)).toMatchObject({ problem: { kind: "reordered", seq: 7 } });
  });

  it("detects a changed checkpoint root or signature", async () => {
    const root = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_checkpoints set root_hash = ${"ab".repeat(32)} where workspace_id = ${root}`.execute(trx);
    });
    expect(await firstProblem(root)).toMatchObject({ problem: { kind: "checkpoint", seq: 1, checkpointSize: 6 } });

    const note = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      // Rewrite the root consistently in the column and the note: the signature no longer verifies.
      const row = await trx.selectFrom("audit_checkpoints").selectAll().where("workspace_id", "=", note).executeTakeFirstOrThrow();
      const forgedRoot = Buffer.alloc(32, 7);
      const lines = row.note.split("\n");
      lines[2] = forgedRoot.toString("base64");
      await sql`update audit_checkpoints set root_hash = ${forgedRoot.toString("hex")}, note = ${lines.join("\n")} where workspace_id = ${note}`.execute(
        trx,
      );
    });
    expect(await firstProblem(note)).toMatchObject({
      problem: { kind: "checkpoint", reason: expect.stringContaining("signature does not verify") },
    });

    const signature = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_checkpoints set signature = ${Buffer.alloc(64, 1).toString("base64")} where workspace_id = ${signature}`.execute(
        trx,
      );
    });
    expect(await firstProblem(signature)).toMatchObject({ problem: { kind: "checkpoint" } });
  });

  it("refuses a signing key planted without the KEK", async () => {
    const workspaceId = await seededWorkspace();
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_signing_keys set wrapped_private_key = 'forged' where is_active`.execute(trx);
    });
    try {
      expect(await firstProblem(workspaceId)).toMatchObject({
        problem: { kind: "checkpoint", reason: expect.stringContaining("not an authentic key") },
      });
    } finally {
      await sql`delete from audit_signing_keys`.execute(db.owner);
    }
  });
});
