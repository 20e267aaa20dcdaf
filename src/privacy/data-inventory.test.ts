import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { excludedTables } from "../db/column-overrides.ts";
import { readCatalogColumns, type CatalogColumn } from "../db/generate-types.ts";
import { dataInventory, declarationsOf, SENSITIVE_COLUMN, type TableDeclaration } from "./data-inventory.ts";
import { DATA_INVENTORY_DOC_PATH, renderDataInventory } from "./data-inventory-doc.ts";

/** What is wrong with `inventory` against the schema's columns, in words; empty when it covers the schema. */
function inventoryProblems(
  columns: CatalogColumn[],
  inventory: Readonly<Record<string, TableDeclaration>>,
  freeText: ReadonlyArray<{ table: string; column: string }> = [],
): string[] {
  const problems: string[] = [];
  const tables = new Map<string, Set<string>>();
  for (const { table, column } of columns) {
    if (excludedTables.includes(table)) continue;
    if (!tables.has(table)) tables.set(table, new Set());
    tables.get(table)!.add(column);
  }
  for (const [table, names] of tables) {
    const declaration = inventory[table];
    if (!declaration) {
      problems.push(`table ${table} has no declaration in src/privacy/data-inventory.ts`);
      continue;
    }
    for (const column of names) {
      if (SENSITIVE_COLUMN.test(column) && !(column in declaration.columns) && !(column in (declaration.notPersonal ?? {}))) {
        problems.push(`column ${table}.${column} looks like personal data or a credential and is not declared`);
      }
    }
    for (const column of [...Object.keys(declaration.columns), ...Object.keys(declaration.notPersonal ?? {})]) {
      if (!names.has(column)) problems.push(`declared column ${table}.${column} does not exist`);
    }
    for (const [column, what] of Object.entries(declaration.columns)) {
      if (what.kind === "personal" && what.protection === "plaintext" && !what.minimized?.trim()) {
        problems.push(`personal column ${table}.${column} is stored in clear without saying why it is needed and how it is reduced`);
      }
    }
  }
  for (const table of Object.keys(inventory)) {
    if (!tables.has(table)) problems.push(`declared table ${table} does not exist`);
  }
  for (const { table, column } of freeText) {
    const declaration = inventory[table];
    if (!declaration || excludedTables.includes(table)) continue;
    if (!(column in declaration.columns) && !(column in (declaration.notPersonal ?? {}))) {
      problems.push(`free-text column ${table}.${column} is not reviewed: declare what it holds, or why it holds no personal data`);
    }
  }
  return problems;
}

/**
 * Text and JSON columns that no check constraint limits to a closed list or a pattern, ids, ciphertexts,
 * hashes, keys and times aside: whatever a person types or a client sends can land there, so each is
 * reviewed in the inventory (minimization).
 */
async function readFreeTextColumns(db: TestDatabase["owner"]): Promise<Array<{ table: string; column: string }>> {
  const result = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
      and not exists (
        select 1 from pg_constraint k
        join pg_class r on r.oid = k.conrelid
        join pg_namespace n on n.oid = r.relnamespace and n.nspname = 'public'
        join pg_attribute a on a.attrelid = r.oid and a.attnum = any (k.conkey)
        where r.relname = c.table_name and a.attname = c.column_name and k.contype = 'c'
          and pg_get_constraintdef(k.oid) ~ '( IN \\(|= ANY|~)')
    order by c.table_name, c.column_name`.execute(db);
  return result.rows
    .map((row) => ({ table: row.table_name, column: row.column_name }))
    .filter(({ column }) => !/(^id|_id|_ids|_ciphertext|_hash|_index|_wrapped|_key|_at)$/.test(column));
}

let db: TestDatabase;
let columns: CatalogColumn[];
let freeText: Array<{ table: string; column: string }>;
beforeAll(async () => {
  db = await createTestDatabase();
  columns = await readCatalogColumns(db.owner);
  freeText = await readFreeTextColumns(db.owner);
});
afterAll(async () => {
  await db.drop();
});

describe(`data inventory (${testEngine})`, () => {
  it("declares every table of the migrated schema and every column that looks personal", () => {
    expect(inventoryProblems(columns, dataInventory)).toEqual([]);
  });

  it("reviews every free-text column, and says why each personal column kept in clear is needed and how it is reduced", () => {
    expect(freeText.length).toBeGreaterThan(20);
    expect(inventoryProblems(columns, dataInventory, freeText)).toEqual([]);
  });

  it("fails for an unreviewed free-text column, and for a personal column in clear without its minimization", () => {
    const { minimized: _minimized, ...email } = dataInventory.users.columns.email;
    const { name: _name, ...workspacesNotPersonal } = dataInventory.workspaces.notPersonal;
    const inventory = {
      ...dataInventory,
      users: { ...dataInventory.users, columns: { ...dataInventory.users.columns, email } },
      workspaces: { ...dataInventory.workspaces, notPersonal: workspacesNotPersonal },
    };
    expect(inventoryProblems(columns, inventory, freeText).sort()).toEqual(
      [
        "free-text column workspaces.name is not reviewed: declare what it holds, or why it holds no personal data",
        "personal column users.email is stored in clear without saying why it is needed and how it is reduced",
      ].sort(),
    );
  });

  it("fails for a new table without a declaration, an undeclared sensitive column and a declared column that is gone", () => {
    const extra: CatalogColumn[] = [
      { table: "campaign_audit_samples", column: "id", udt: "uuid", isNullable: false, hasDefault: false, isGenerated: false },
      { table: "contacts", column: "email_ciphertext", udt: "text", isNullable: true, hasDefault: false, isGenerated: false },
    ];
    const withoutPhone = columns.filter((c) => !(c.table === "contacts" && c.column === "phone_ciphertext"));
    expect(inventoryProblems([...withoutPhone, ...extra], dataInventory).sort()).toEqual(
      [
        "table campaign_audit_samples has no declaration in src/privacy/data-inventory.ts",
        "column contacts.email_ciphertext looks like personal data or a credential and is not declared",
        "declared column contacts.phone_ciphertext does not exist",
      ].sort(),
    );
  });

  it("fails for a declared table the schema does not have", () => {
    expect(inventoryProblems(columns, { ...dataInventory, gone: dataInventory.workspaces })).toEqual([
      "declared table gone does not exist",
    ]);
  });

  it("says what erasure does wherever contact data lives: no table about contacts is left unaffected", () => {
    for (const [table, declaration] of declarationsOf()) {
      if (declaration.subject === "contact") expect(declaration.erasure, table).not.toBe("unaffected");
      for (const [column, what] of Object.entries(declaration.columns)) {
        if (what.kind === "personal" && what.protection === "contact-key") expect(declaration.erasure, `${table}.${column}`).toBe("shred");
      }
    }
  });
});

describe("docs/data-inventory.md", () => {
  it("is what the inventory renders", async () => {
    const committed = await readFile(resolve(DATA_INVENTORY_DOC_PATH), "utf8").catch(() => "(missing)");
    expect(
      committed === renderDataInventory(),
      `${DATA_INVENTORY_DOC_PATH} is out of date: run \`npm run data-inventory\` and commit the result`,
    ).toBe(true);
  });
});
