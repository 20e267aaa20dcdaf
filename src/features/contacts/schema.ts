import type { ColumnType } from "kysely";

// Row types of migration 0009 (contact profile: custom fields, consent, tags).

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type ConsentStatus = "unknown" | "opted_in" | "opted_out";
export type ConsentSource = "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";

/** Columns migration 0009 adds to the foundation's contacts table. */
export type ContactProfileColumns = {
  custom_fields_ciphertext: string | null;
  consent_status: ColumnType<ConsentStatus, ConsentStatus | undefined, ConsentStatus>;
  consent_source: ConsentSource | null;
  consent_updated_at: ColumnType<Date, Date | string, Date | string> | null;
};

export type ContactTagsTable = {
  workspace_id: string;
  contact_id: string;
  tag: string;
  created_at: CreatedAt;
};

export type ContactProfileSchema = {
  contacts: ContactProfileColumns;
  contact_tags: ContactTagsTable;
};
