// The contact tag rule, the one home for the server and the dashboard: the dashboard's build
// imports this file by relative path, so it imports nothing and holds only pure functions. The
// pattern is the check constraint of contact_tags.tag (migration 0009), after lower-casing; the
// inbox filters conversations by these tags.

export const TAG_PATTERN = /^[a-z0-9][a-z0-9 _.:-]{0,63}$/;

export const TAG_RULE = "Tags are 1–64 characters: lower-case letters, digits, spaces and . _ : - (starting with a letter or digit).";

/** Tags as stored: trimmed, lower case. */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase();
}

/** Whether a normalized tag may be stored. */
export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}
