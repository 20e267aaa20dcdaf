import type { ColumnType } from "kysely";
import type { StoredTemplateComponents } from "./components.ts";

// Columns migration 0010 adds to `templates` (0008): the parameter format and the components as
// Meta lists them, reduced to what filling and previewing a template needs (./components.ts).

export type TemplateComponentColumns = {
  parameter_format: "POSITIONAL" | "NAMED" | null;
  /** JSON; written as a string (JSON.stringify), read back parsed. */
  components: ColumnType<StoredTemplateComponents | null, string | null, string | null>;
};

export type TemplateComponentsSchema = {
  templates: TemplateComponentColumns;
};
