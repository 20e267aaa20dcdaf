// The consent vocabulary of a contact (migration 0009); src/db/column-overrides.ts types the
// contacts.consent_status and consent_source columns with it.

export type ConsentStatus = "unknown" | "opted_in" | "opted_out";
export type ConsentSource = "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
