import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkspaceOption, runAuditCheckpoint, runAuditExportCheckpoints, runAuditVerify } from "../../src/cli/audit.ts";
import type { Keyring } from "../../src/crypto/keyring.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { createTestKeyring, seedAuditLog, tamperAsOwner } from "./helpers.ts";

// `parley audit verify|checkpoint|export-checkpoints`: what the operator reads, and the exit status.

let db: TestDatabase;
let keyring: Keyring;

beforeAll(async () => {
  db = await createTestDatabase();
  keyring = createTestKeyring();
});
afterAll(async () => {
  await db.drop();
});

function output() {
  let text = "";
  return { out: { write: (chunk: string) => void (text += chunk) }, text: () => text };
}

describe("parley audit", () => {
  it("verify passes on an intact log, then fails and names the first bad entry after an edit", async () => {
    const workspaceId = randomUUID();
    await seedAuditLog(db, workspaceId, 4);
    const signed = output();
    await runAuditCheckpoint({ db, provider: keyring.provider, workspaceId, out: signed.out });
    expect(signed.text()).toMatch(new RegExp(`^parley/${workspaceId}\\n4\\n`));

    const good = output();
    expect(await runAuditVerify({ db, provider: keyring.provider, workspaceId, out: good.out })).toBe(true);
    expect(good.text()).toContain(`ok    workspace ${workspaceId}: 4 entries, 1 signed checkpoints`);
    expect(good.text()).toContain("Audit log verified");

    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set actor_id = 'intruder' where workspace_id = ${workspaceId} and seq = 2`.execute(trx);
    });
    const bad = output();
    expect(await runAuditVerify({ db, provider: keyring.provider, out: bad.out })).toBe(false);
    expect(bad.text()).toContain(`FAIL  workspace ${workspaceId}: first bad entry seq 2 (edited)`);
    expect(bad.text()).toContain("verification FAILED");

    const json = output();
    expect(await runAuditVerify({ db, provider: keyring.provider, workspaceId, out: json.out, json: true })).toBe(false);
    expect(JSON.parse(json.text())).toMatchObject({ ok: false, workspaces: [{ workspaceId, problem: { kind: "edited", seq: 2 } }] });
  });

  it("export-checkpoints prints the signed notes and verifier keys as JSON", async () => {
    const workspaceId = randomUUID();
    await seedAuditLog(db, workspaceId, 2);
    await runAuditCheckpoint({ db, provider: keyring.provider, workspaceId, out: output().out });
    const exported = output();
    await runAuditExportCheckpoints({ db, workspaceId, out: exported.out });
    expect(JSON.parse(exported.text())).toMatchObject({
      origin: `parley/${workspaceId}`,
      keys: [{ verifierKey: expect.stringMatching(new RegExp(`^parley/${workspaceId}\\+`)) }],
      checkpoints: [{ treeSize: 2 }],
    });
  });

  it("checkpoint without --workspace signs every log that grew since its last checkpoint", async () => {
    const grown = randomUUID();
    await seedAuditLog(db, grown, 3);
    const first = output();
    const broken = randomUUID();
    await seedAuditLog(db, broken, 2);
    await tamperAsOwner(db, async (trx) => {
      await sql`update audit_entries set action = 'settings.changed' where workspace_id = ${broken} and seq = 1`.execute(trx);
    });
    expect(await runAuditCheckpoint({ db, provider: keyring.provider, out: first.out })).toEqual({ signed: 1, failed: 1 });
    expect(first.text()).toContain(`signed workspace ${grown} at size 3`);
    expect(first.text()).toContain(`FAILED workspace ${broken}`);
    const again = output();
    expect(await runAuditCheckpoint({ db, provider: keyring.provider, out: again.out })).toEqual({ signed: 0, failed: 1 });
  });

  it("parses --workspace", () => {
    expect(parseWorkspaceOption(undefined)).toBeUndefined();
    expect(parseWorkspaceOption("platform")).toBeNull();
    const id = randomUUID();
    expect(parseWorkspaceOption(id.toUpperCase())).toBe(id);
    expect(() => parseWorkspaceOption("x'; drop table")).toThrow();
  });
});
