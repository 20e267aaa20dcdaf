import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Routes declare, services decide, repositories query (STYLE 17): `npm run lint` reports a query
// builder call or a sql`` template in a feature's routes, service or worker module.

const root = path.resolve(import.meta.dirname, "../..");
const MESSAGE = /SQL lives in the feature's repository/;

async function lintProbe(name: string, source: string): Promise<string[]> {
  const file = path.join(root, "src/features/notes", name);
  await writeFile(file, source);
  try {
    const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
    return (result?.messages ?? []).filter((message) => MESSAGE.test(message.message)).map((message) => `${message.line}`);
  } finally {
    await rm(file, { force: true });
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
    expect(await lintProbe(`probe-${randomUUID()}-routes.ts`, QUERIES)).toEqual(["4", "5", "6"]);
  }, 60_000);

  it("lets a repository module query", async () => {
    expect(await lintProbe(`probe-${randomUUID()}-repository.ts`, QUERIES)).toEqual([]);
  }, 60_000);
});
