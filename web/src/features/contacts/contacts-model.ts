import { ApiError, describeError, type ApiAnswer, type Role } from "../../lib/api.ts";
import { can } from "../../lib/permissions.ts";

// The tag rule is the server's own module (pure, import-free), so the two cannot drift apart.
export { isValidTag, normalizeTag, TAG_RULE } from "../../../../src/features/contacts/tag-rule.ts";

// Shapes the contacts screens read from the API, the rules they check before sending (the server
// checks them again), and plain-word messages for what can go wrong.

export type ConsentStatus = "unknown" | "opted_in" | "opted_out";
export type ConsentSource = "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";

export type ContactSummary = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/contacts">["data"][number];

export type ContactDetail = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/contacts/{contactId}">;

export type TrashedContact = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/contacts/trash">["data"][number];

/** Days until the purge erases a contact in the trash, counting the day in progress (0 once it is due). */
export function daysLeft(purgeAfter: string, now: number = Date.now()): number {
  return Math.max(0, Math.ceil((Date.parse(purgeAfter) - now) / (24 * 60 * 60_000)));
}

export type ImportRow = {
  row: number;
  status: "created" | "updated" | "unchanged" | "invalid";
  errors: Array<{ column: string | null; message: string }>;
};
export type ImportReport = {
  rows: ImportRow[];
  summary: {
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    invalid: number;
    dryRun: boolean;
    ignoredColumns: string[];
  };
};

export const CONSENT_LABELS: Record<ConsentStatus, string> = { unknown: "Unknown", opted_in: "Opted in", opted_out: "Opted out" };
export const SOURCE_LABELS: Record<ConsentSource, string> = {
  agent: "Told a team member",
  whatsapp: "On WhatsApp",
  web_form: "Web form",
  import: "Import",
  api: "API",
  other: "Other",
};

export const MAX_TAGS = 50;
export const MAX_FIELDS = 50;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const KEY_RULE = "A field name is 1–64 characters: lower-case letters, digits and _, starting with a letter.";

export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** What the role may do here; the API enforces the same permission matrix. */
export function contactAbilities(role: Role): {
  canWrite: boolean;
  canDelete: boolean;
  canErase: boolean;
  canImport: boolean;
  canExport: boolean;
} {
  return {
    canWrite: can(role, "contacts.write"),
    canDelete: can(role, "contacts.delete"),
    canErase: can(role, "contacts.erase"),
    canImport: can(role, "contacts.import"),
    canExport: can(role, "contacts.export"),
  };
}

/** The name a person would recognize: the saved name, else the WhatsApp profile name, else the number. */
export function displayName(contact: Pick<ContactSummary, "name" | "whatsappName" | "phone">): string {
  return contact.name ?? contact.whatsappName ?? contact.phone ?? "Erased contact";
}

/** The API's message, plus the specific reasons a validation error lists. */
export function describeProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return describeError(error);
  const details = Array.isArray(error.details) ? (error.details as Array<{ message?: unknown; column?: unknown }>) : [];
  const reasons = details
    .map((detail) => (typeof detail.message === "string" ? detail.message : null))
    .filter((reason): reason is string => reason !== null);
  if (error.code === "VALIDATION_FAILED" && reasons.length > 0) return `Please check the form: ${[...new Set(reasons)].join(" ")}`;
  if (error.code === "NOT_FOUND") return "This contact does not exist any more (it may have been erased).";
  if (error.code === "CONFLICT") return "A contact with this phone number already exists.";
  return error.message;
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
