import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import { formatCsvRow } from "./csv.ts";
import { countContacts, listContactProfiles, type ContactProfile } from "./repository.ts";
import type { ConsentStatus } from "./schema.ts";

// The contacts CSV export. Every cell goes through the formula-neutralizing encoder (csv.ts), so a
// name such as =HYPERLINK(…) opens in a spreadsheet as text, never as a formula. The file is read
// in short transactions of one page each (a long one would hold the embedded engine's only
// connection), then audited with the number of contacts before its first byte leaves. The columns
// import back unchanged (see import.ts).

export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 500;

export const EXPORT_COLUMNS = [
  "phone",
  "name",
  "whatsapp_name",
  "tags",
  "consent",
  "consent_source",
  "consent_updated_at",
  "created_at",
] as const;

export type ContactExport = { filename: string; rows: number; chunks: string[] };

export async function exportContactsFor(
  services: Services,
  caller: Caller,
  filter: { tag?: string; consent?: ConsentStatus },
  now = new Date(),
): Promise<ContactExport> {
  const total = await asCaller(services, caller, (trx) => countContacts(trx, caller.workspaceId, filter));
  if (total > MAX_EXPORT_ROWS) {
    throw new AppError(
      "UNPROCESSABLE",
      `More than ${MAX_EXPORT_ROWS.toLocaleString("en")} contacts match; export them in parts, filtered by tag or consent.`,
    );
  }
  const profiles: ContactProfile[] = [];
  let after: { key: string; id: string } | undefined;
  for (;;) {
    const page = await asCaller(services, caller, (trx) =>
      listContactProfiles(trx, services.keyring, caller.workspaceId, { ...filter, ...(after ? { after } : {}), limit: PAGE }),
    );
    profiles.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    if (profiles.length > MAX_EXPORT_ROWS)
      throw new AppError(
        "UNPROCESSABLE",
        `More than ${MAX_EXPORT_ROWS.toLocaleString("en")} contacts match; export them in parts, filtered by tag or consent.`,
      );
    after = { key: last.createdKey, id: last.id };
  }

  const keys = [...new Set(profiles.flatMap((profile) => Object.keys(profile.customFields)))].sort();
  const chunks = [formatCsvRow([...EXPORT_COLUMNS, ...keys.map((key) => `field:${key}`)])];
  for (let start = 0; start < profiles.length; start += PAGE) {
    chunks.push(
      profiles
        .slice(start, start + PAGE)
        .map((profile) =>
          formatCsvRow([
            profile.phone,
            profile.name,
            profile.waProfileName,
            profile.tags.join(";"),
            profile.consent.status,
            profile.consent.source,
            profile.consent.updatedAt?.toISOString() ?? null,
            profile.createdAt.toISOString(),
            ...keys.map((key) => profile.customFields[key] ?? null),
          ]),
        )
        .join(""),
    );
  }

  await asCaller(services, caller, (trx) =>
    recordCallerAudit(trx, caller, {
      action: "contacts.exported",
      metadata: { rows: profiles.length, filterTag: filter.tag !== undefined, filterConsent: filter.consent ?? null },
    }),
  );
  return { filename: `contacts-${now.toISOString().slice(0, 10)}.csv`, rows: profiles.length, chunks };
}
