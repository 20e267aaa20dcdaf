import type { ConsentSource, ConsentStatus } from "./schema.ts";

// What a contact's editable profile may hold, in one place for the API and the CSV import: the
// bounds keep one contact's encrypted profile small, and the tag pattern is the one migration 0009
// enforces (the inbox filters conversations by these tags), kept in tag-rule.ts, which the
// dashboard imports too.

export { isValidTag, normalizeTag, TAG_PATTERN, TAG_RULE } from "./tag-rule.ts";

export const consentStatuses = ["unknown", "opted_in", "opted_out"] as const satisfies readonly ConsentStatus[];
export const consentSources = ["whatsapp", "web_form", "import", "api", "agent", "other"] as const satisfies readonly ConsentSource[];

export const MAX_NAME_LENGTH = 200;
export const MAX_TAGS = 50;
export const MAX_CUSTOM_FIELDS = 50;
export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]*$/;
export const MAX_CUSTOM_FIELD_KEY_LENGTH = 64;
export const MAX_CUSTOM_FIELD_VALUE_LENGTH = 1_000;

/** Whether the text holds a C0 control character or DEL, apart from the ones `allowed`. */
function hasControlCharacter(text: string, allowed: readonly string[] = []): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(char)) return true;
  }
  return false;
}

export const KEY_RULE = `Custom field names are 1–${MAX_CUSTOM_FIELD_KEY_LENGTH} characters: lower-case letters, digits and _, starting with a letter.`;

export function isValidCustomFieldKey(key: string): boolean {
  return key.length <= MAX_CUSTOM_FIELD_KEY_LENGTH && CUSTOM_FIELD_KEY.test(key);
}

/** Why a name cannot be stored, or null when it can. Expects a trimmed, non-empty name. */
export function nameProblem(name: string): string | null {
  if (name.length > MAX_NAME_LENGTH) return `A name is at most ${MAX_NAME_LENGTH} characters.`;
  // Control characters have no place in a name (line breaks, NUL, escape sequences).
  if (hasControlCharacter(name)) return "A name cannot contain line breaks or other control characters.";
  return null;
}

/** Why a custom field value cannot be stored, or null when it can. */
export function valueProblem(value: string): string | null {
  if (value.length === 0) return "A custom field value cannot be empty.";
  if (value.length > MAX_CUSTOM_FIELD_VALUE_LENGTH)
    return `A custom field value is at most ${MAX_CUSTOM_FIELD_VALUE_LENGTH.toLocaleString("en")} characters.`;
  // Field values may span lines and hold tabs, nothing else from the control range.
  if (hasControlCharacter(value, ["\t", "\n", "\r"])) return "A custom field value cannot contain control characters.";
  return null;
}

/** Tags sorted and without duplicates, for storage and comparison. */
export function tagSet(tags: Iterable<string>): string[] {
  return [...new Set(tags)].sort();
}

/** Custom fields with sorted keys, so equal maps encrypt from equal JSON and compare equal. */
export function sortedFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(sortedFields(a)) === JSON.stringify(sortedFields(b));
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify(tagSet(a)) === JSON.stringify(tagSet(b));
}
