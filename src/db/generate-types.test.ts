import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testEngine, type TestDatabase } from "../../test/support/engine.ts";
import { GENERATED_PATH, readCatalogColumns, renderSchemaTypes, type CatalogColumn } from "./generate-types.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

// Runs on both engines: the committed file must be what PGlite and PostgreSQL each generate.
describe(`generated row types (${testEngine})`, () => {
  it("src/db/generated/database.ts matches the freshly migrated schema", async () => {
    const committed = await readFile(resolve(GENERATED_PATH), "utf8").catch(() => "(missing)");
    const generated = renderSchemaTypes(await readCatalogColumns(db.owner));
    expect(committed === generated, `${GENERATED_PATH} is out of date: run \`npm run db:types\` and commit the result`).toBe(true);
  });
});

describe("renderSchemaTypes", () => {
  const column = (overrides: Partial<CatalogColumn>): CatalogColumn => ({
    table: "things",
    column: "name",
    udt: "text",
    isNullable: false,
    hasDefault: false,
    isGenerated: false,
    ...overrides,
  });
  const none = { columns: {}, writeOnce: [], excludedTables: [] };

  it("derives insert and update types from nullability, defaults, generation and write-once columns", () => {
    const text = renderSchemaTypes(
      [
        column({ column: "name" }),
        column({ column: "note", isNullable: true }),
        column({ column: "count", udt: "int4", hasDefault: true }),
        column({ column: "id", udt: "int8", hasDefault: true, isGenerated: true }),
        column({ column: "created_at", udt: "timestamptz", hasDefault: true }),
      ],
      { ...none, writeOnce: ["*.created_at"] },
    );
    expect(text).toContain(
      "  name: string;\n  note: string | null;\n  count: Generated<number>;\n  id: ColumnType<number, never, never>;\n  created_at: ColumnType<Date, Date | string | undefined, never>;\n",
    );
    expect(text).toContain("export type Schema = {\n  things: ThingsTable;\n};");
  });

  it("narrows a column with an override and imports the named type relative to the generated file", () => {
    const text = renderSchemaTypes([column({ column: "status" })], {
      ...none,
      columns: { "things.status": { type: "ThingStatus", imports: { name: "ThingStatus", from: "features/things/schema.ts" } } },
    });
    expect(text).toContain('import type { ThingStatus } from "../../features/things/schema.ts";');
    expect(text).toContain("  status: ThingStatus;");
  });

  it("refuses a jsonb column without a declared shape, an unknown SQL type and an override that names no column", () => {
    expect(() => renderSchemaTypes([column({ udt: "jsonb" })], none)).toThrow(/things\.name: a jsonb column needs its shape/);
    expect(() => renderSchemaTypes([column({ udt: "money" })], none)).toThrow(/no TypeScript type for SQL type money/);
    expect(() => renderSchemaTypes([column({})], { ...none, columns: { "things.gone": { type: "string" } } })).toThrow(/things\.gone/);
  });
});
