import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { excludedTables } from "../db/column-overrides.ts";
import { readCatalogColumns, type CatalogColumn } from "../db/generate-types.ts";
import { dataInventory, declarationsOf, SENSITIVE_COLUMN, type TableDeclaration } from "./data-inventory.ts";
import { DATA_INVENTORY_DOC_PATH, renderDataInventory } from "./data-inventory-doc.ts";

/** What is wrong with `inventory` against the schema's columns, in words; empty when it covers the schema. */
function inventoryProblems(columns: CatalogColumn[], inventory: Readonly<Record<string, TableDeclaration>>): string[] {
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
  }
  for (const table of Object.keys(inventory)) {
    if (!tables.has(table)) problems.push(`declared table ${table} does not exist`);
  }
  return problems;
}

let db: TestDatabase;
let columns: CatalogColumn[];
beforeAll(async () => {
  db = await createTestDatabase();
  columns = await readCatalogColumns(db.owner);
});
afterAll(async () => {
  await db.drop();
});

describe(`data inventory (${testEngine})`, () => {
  it("declares every table of the migrated schema and every column that looks personal", () => {
    expect(inventoryProblems(columns, dataInventory)).toEqual([]);
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
