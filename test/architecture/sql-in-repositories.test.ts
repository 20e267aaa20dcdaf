import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Routes declare, services decide, repositories query (STYLE 17): `npm run lint` reports a query
// builder call or a sql`` template in any module of a feature but its repositories, in the channel
// adapter's (src/whatsapp) routes, service, worker and process modules, and in the cross-cutting
// layers' routes and service modules (src/identity, src/audit, src/http/routes).

const root = path.resolve(import.meta.dirname, "../..");
const MESSAGE = /SQL lives in the feature's repository/;

async function lintFile(file: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
  return (result?.messages ?? []).filter((message) => MESSAGE.test(message.message)).map((message) => `${message.line}`);
}

async function lintProbe(name: string, source: string): Promise<string[]> {
  const file = path.join(root, "src/features/notes", name);
  await writeFile(file, source);
  try {
    return await lintFile(file);
  } finally {
    await rm(file, { force: true });
  }
}

/** A module named `name` in a fresh folder under `parent` (a real process.ts or routes.ts must not be overwritten). */
async function lintProbeIn(parent: string, name: string, source: string): Promise<string[]> {
  const dir = path.join(root, parent, `lint-probe-${randomUUID()}`);
  await mkdir(dir);
  try {
    const file = path.join(dir, name);
    await writeFile(file, source);
    return await lintFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const QUERIES = `import { sql } from "kysely";
import type { Tx } from "../../db/database.ts";
export async function probe(trx: Tx, workspaceId: string) {
  await trx.selectFrom("notes").select("id").where("workspace_id", "=", workspaceId).execute();
  await trx.deleteFrom("notes").where("workspace_id", "=", workspaceId).execute();
  await sql\`select 1\`.execute(trx);
}
`;

describe("SQL only in repositories", () => {
  it("reports queries in a routes module", async () => {
    expect(await lintProbe(`lint-probe-${randomUUID()}-routes.ts`, QUERIES)).toEqual(["4", "5", "6"]);
  }, 60_000);

  it("lets a repository module query", async () => {
    expect(await lintProbe(`lint-probe-${randomUUID()}-repository.ts`, QUERIES)).toEqual([]);
  }, 60_000);

  it("reports queries in a feature's other modules too: SQL in one place per feature", async () => {
    expect(await lintProbe(`lint-probe-${randomUUID()}.ts`, QUERIES)).toEqual(["4", "5", "6"]);
    expect(await lintProbeIn("src/features/notes", "collision.ts", QUERIES)).toEqual(["4", "5", "6"]);
  }, 60_000);

  it("reports queries in the channel adapter's inbound worker (process.ts) and its routes, service and worker modules", async () => {
    for (const name of ["process.ts", "routes.ts", "service.ts", "worker.ts"]) {
      expect(await lintProbeIn("src/whatsapp", name, QUERIES)).toEqual(["4", "5", "6"]);
    }
  }, 60_000);

  it("lets the channel adapter's repository modules query", async () => {
    expect(await lintProbeIn("src/whatsapp", "repository.ts", QUERIES)).toEqual([]);
  }, 60_000);

  it("reports queries in the cross-cutting layers' routes and service modules", async () => {
    expect(await lintProbeIn("src/identity", "routes.ts", QUERIES)).toEqual(["4", "5", "6"]);
    expect(await lintProbeIn("src/audit", "service.ts", QUERIES)).toEqual(["4", "5", "6"]);
    expect(await lintProbeIn("src/http/routes", "health.ts", QUERIES)).toEqual(["4", "5", "6"]);
    expect(await lintProbeIn("src/identity", "repository.ts", QUERIES)).toEqual([]);
  }, 60_000);
});
