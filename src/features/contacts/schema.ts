// The consent vocabulary of a contact (migrations 0009 and 0029); src/db/column-overrides.ts types
// the contacts.consent_* and contact_consent_events columns with it.

export type ConsentStatus = "unknown" | "opted_in" | "opted_out";
export type ConsentSource = "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
/** What a consent covers: marketing messages, or utility (transactional) messages. */
export type ConsentScope = "marketing" | "utility";
/** How a ledger entry came: recorded by a member or the API, a CSV import, a keyword the contact wrote, Meta's marketing opt-out. */
export type ConsentMethod = "recorded" | "import" | "keyword" | "meta_preference";

export const consentScopes = ["marketing", "utility"] as const satisfies readonly ConsentScope[];
export const consentMethods = ["recorded", "import", "keyword", "meta_preference"] as const satisfies readonly ConsentMethod[];
