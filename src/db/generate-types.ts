import { posix } from "node:path";
import { sql, type QueryExecutorProvider } from "kysely";
import { columnOverrides, excludedTables, writeOnceColumns, type ColumnOverride } from "./column-overrides.ts";

// Renders the Kysely row types of every table from the catalogue of a migrated database, so the
// types cannot drift from src/db/migrations. Reads information_schema only, which PGlite and
// PostgreSQL answer alike: the same file comes out of either engine.

export type CatalogColumn = {
  table: string;
  column: string;
  /** pg_type name: text, int4, timestamptz, _text (an array of text)… */
  udt: string;
  isNullable: boolean;
  hasDefault: boolean;
  /** Identity (generated always) and stored generated columns: the database writes them. */
  isGenerated: boolean;
};

export type SchemaOverrides = {
  columns: Record<string, ColumnOverride>;
  writeOnce: readonly string[];
  excludedTables: readonly string[];
};

const defaultOverrides: SchemaOverrides = { columns: columnOverrides, writeOnce: writeOnceColumns, excludedTables };

export const GENERATED_PATH = "src/db/generated/database.ts";

export async function readCatalogColumns(db: QueryExecutorProvider): Promise<CatalogColumn[]> {
  const result = await sql<{
    table_name: string;
    column_name: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
    identity_generation: string | null;
    is_generated: string;
  }>`
    select c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default, c.is_identity, c.identity_generation, c.is_generated
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  return result.rows.map((row) => ({
    table: row.table_name,
    column: row.column_name,
    udt: row.udt_name,
    isNullable: row.is_nullable === "YES",
    hasDefault: row.column_default !== null || row.is_identity === "YES",
    isGenerated: row.is_generated === "ALWAYS" || row.identity_generation === "ALWAYS",
  }));
}

/** What a value of each SQL type is when read (pg and PGlite parsers, int8 aligned on number) and when written. */
const sqlTypes: Record<string, { read: string; write: string }> = {
  uuid: { read: "string", write: "string" },
  text: { read: "string", write: "string" },
  int4: { read: "number", write: "number" },
  int8: { read: "number", write: "number" },
  bool: { read: "boolean", write: "boolean" },
  timestamptz: { read: "Date", write: "Date | string" },
  _text: { read: "string[]", write: "string[]" },
  _uuid: { read: "string[]", write: "string[]" },
  // Read back parsed; written as JSON text. The shape is not in the catalogue: an override says it.
  jsonb: { read: "unknown", write: "string" },
};

export function renderSchemaTypes(columns: readonly CatalogColumn[], overrides: SchemaOverrides = defaultOverrides): string {
  const tables = new Map<string, string[]>();
  const imports = new Map<string, Set<string>>();
  const unused = new Set(Object.keys(overrides.columns));
  const helpers = new Set<string>();
  for (const column of columns) {
    if (overrides.excludedTables.includes(column.table)) continue;
    const key = `${column.table}.${column.column}`;
    const override = overrides.columns[key];
    unused.delete(key);
    const sqlType = sqlTypes[column.udt];
    if (sqlType === undefined)
      throw new Error(`${key}: no TypeScript type for SQL type ${column.udt}; add it to sqlTypes in src/db/generate-types.ts`);
    if (column.udt === "jsonb" && override === undefined)
      throw new Error(`${key}: a jsonb column needs its shape in src/db/column-overrides.ts`);
    if (override?.imports !== undefined) {
      const names = imports.get(override.imports.from) ?? new Set<string>();
      names.add(override.imports.name);
      imports.set(override.imports.from, names);
    }
    const isNullable = column.isNullable && override?.isNeverNull !== true;
    const nullable = (type: string) => (isNullable ? `${type} | null` : type);
    const read = nullable(override?.type ?? sqlType.read);
    // An override narrows the written value too, except for JSON, which is written as text.
    const written = nullable(override !== undefined && column.udt !== "jsonb" ? override.type : sqlType.write);
    const isWriteOnce = overrides.writeOnce.includes(key) || overrides.writeOnce.includes(`*.${column.column}`);
    const insert = column.isGenerated ? "never" : column.hasDefault ? `${written} | undefined` : written;
    const update = column.isGenerated || isWriteOnce ? "never" : written;
    const lines = tables.get(column.table) ?? [];
    const rendered = renderColumnType(read, insert, update);
    for (const helper of ["ColumnType", "Generated"]) if (rendered.startsWith(`${helper}<`)) helpers.add(helper);
    lines.push(`  ${column.column}: ${rendered};`);
    tables.set(column.table, lines);
  }
  if (unused.size > 0) throw new Error(`overrides name no column of the migrated schema: ${[...unused].sort().join(", ")}`);

  const importLines = [...imports]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([from, names]) =>
        `import type { ${[...names].sort().join(", ")} } from "${posix.relative("db/generated", from).replace(/^(?!\.)/, "./")}";`,
    );
  const sortedTables = [...tables].sort(([a], [b]) => a.localeCompare(b));
  const out = [
    "// Generated by `npm run db:types` from the migrated schema (src/db/migrations) and",
    "// src/db/column-overrides.ts. Do not edit: change a migration or an override, then regenerate.",
    "",
    ...(helpers.size > 0 ? [`import type { ${[...helpers].sort().join(", ")} } from "kysely";`] : []),
    ...importLines,
    "",
  ];
  for (const [table, lines] of sortedTables) out.push(`export type ${tableTypeName(table)} = {`, ...lines, "};", "");
  out.push("export type Schema = {", ...sortedTables.map(([table]) => `  ${table}: ${tableTypeName(table)};`), "};", "");
  return out.join("\n");
}

function renderColumnType(read: string, insert: string, update: string): string {
  if (insert === read && update === read) return read;
  if (insert === `${read} | undefined` && update === read) return `Generated<${read}>`;
  return `ColumnType<${read}, ${insert}, ${update}>`;
}

function tableTypeName(table: string): string {
  return `${table.replace(/(^|_)([a-z0-9])/g, (_match, _separator: string, letter: string) => letter.toUpperCase())}Table`;
}
