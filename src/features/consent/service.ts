import { createHash } from "node:crypto";
import { recordAudit } from "../../audit/record.ts";
import type { Tx } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import type { Services } from "../../services.ts";
import type { ConsentMethod, ConsentScope, ConsentSource, ConsentStatus } from "../contacts/schema.ts";
import { recordWebhookEvent } from "../webhooks/outbox.ts";
import { DEFAULT_KEYWORDS, matchKeyword, prepareKeywords, type ConsentKeywords } from "./keywords.ts";
import {
  appendConsentEntries,
  findConsentKeywords,
  findLatestConsentEntry,
  listConsentEntries,
  lockMarketingConsent,
  saveConsentKeywords,
  type ConsentEntry,
  type ConsentState,
} from "./repository.ts";

// Consent: the ledger of every opt-in and opt-out of a contact, the rule every business-initiated
// marketing send obeys, and the contact's own opt-outs (keywords, Meta's marketing opt-out).
//
// - contacts.consent_status is the CURRENT marketing consent, written with each marketing ledger
//   entry in the same transaction (other features read it, e.g. a broadcast's audience).
// - A marketing message (a MARKETING template, a broadcast) needs `opted_in`: assertMarketingConsent
//   throws CONSENT_REQUIRED otherwise, before anything is queued. Utility and authentication
//   templates, and replies inside the 24-hour window, do not need marketing consent, so an
//   opted-out contact still gets them; the utility scope is recorded for evidence and shown.
// - Each change is audited (ids, states, source and method; never a phone number, a name or the
//   text the contact wrote) and emitted as the outbound webhook event contact.consent_changed.

export const MAX_LEDGER_ENTRIES = 200;

export type ConsentActor = { kind: "caller"; caller: Caller } | { kind: "system" };

export type ConsentChange = {
  contactId: string;
  scope: ConsentScope;
  status: ConsentStatus;
  source: ConsentSource;
  method: ConsentMethod;
  /** For changes from webhooks: the report's identity, hashed into the ledger's dedupe key. */
  dedupe?: string;
  at?: Date;
};

/** The SHA-256 a webhook-born ledger entry is deduplicated by (never the raw report: it names the phone). */
export function consentDedupeKey(workspaceId: string, report: string): string {
  return createHash("sha256").update(`${workspaceId}|${report}`).digest("hex");
}

/**
 * Appends one change to the ledger (and, for marketing, makes it the contact's current state),
 * audits it and emits contact.consent_changed, all in `trx`. Answers undefined when the contact
 * does not exist or the change was already recorded (same dedupe key).
 */
export async function recordConsentChange(
  trx: Tx,
  workspaceId: string,
  actor: ConsentActor,
  change: ConsentChange,
): Promise<ConsentEntry | undefined> {
  const current = await lockMarketingConsent(trx, workspaceId, change.contactId);
  if (!current) return undefined;
  const previous =
    change.scope === "marketing"
      ? current.status
      : ((await findLatestConsentEntry(trx, workspaceId, change.contactId, "utility"))?.status ?? "unknown");
  const [entry] = await appendConsentEntries(trx, workspaceId, [
    {
      contactId: change.contactId,
      scope: change.scope,
      status: change.status,
      source: change.source,
      method: change.method,
      recordedByUserId: actor.kind === "caller" ? actor.caller.userId : null,
      dedupeKey: change.dedupe === undefined ? null : consentDedupeKey(workspaceId, change.dedupe),
      at: change.at ?? new Date(),
    },
  ]);
  if (!entry) return undefined;
  const audit = {
    action: "contact.consent_changed" as const,
    target: { type: "contact", id: entry.contactId },
    metadata: { scope: entry.scope, status: entry.status, previousStatus: previous, source: entry.source, method: entry.method },
  };
  if (actor.kind === "caller") await recordCallerAudit(trx, actor.caller, audit);
  else await recordAudit(trx, { ...audit, workspaceId, actor: { type: "system", id: null } });
  await emitConsentChanged(trx, workspaceId, entry);
  return entry;
}

/** Imported consent: ledger entries and webhook events; the import itself is audited with counts. */
export async function recordImportedConsent(
  trx: Tx,
  caller: Caller,
  changes: ReadonlyArray<{ contactId: string; status: ConsentStatus; at: Date }>,
): Promise<void> {
  const entries = await appendConsentEntries(
    trx,
    caller.workspaceId,
    changes.map((change) => ({
      contactId: change.contactId,
      scope: "marketing" as const,
      status: change.status,
      source: "import" as const,
      method: "import" as const,
      recordedByUserId: caller.userId,
      at: change.at,
    })),
  );
  for (const entry of entries) await emitConsentChanged(trx, caller.workspaceId, entry);
}

async function emitConsentChanged(trx: Tx, workspaceId: string, entry: ConsentEntry): Promise<void> {
  await recordWebhookEvent(
    trx,
    workspaceId,
    {
      type: "contact.consent_changed",
      data: {
        workspaceId,
        contactId: entry.contactId,
        entryId: entry.id,
        scope: entry.scope,
        status: entry.status,
        source: entry.source,
        method: entry.method,
        at: entry.occurredAt.toISOString(),
      },
    },
    { occurredAt: entry.occurredAt },
  );
}

/**
 * The rule of every business-initiated marketing send (composer, API, Graph-compatible proxy,
 * broadcasts): the contact's current marketing consent must be `opted_in`. Throws CONSENT_REQUIRED
 * otherwise; call it in the send's transaction, before anything is written. The contact's row is
 * locked, so an opt-out committing meanwhile is either seen here or waits for the send.
 */
export async function assertMarketingConsent(trx: Tx, workspaceId: string, contactId: string): Promise<void> {
  const current = await lockMarketingConsent(trx, workspaceId, contactId);
  if (current?.status === "opted_in") return;
  if (current?.status === "opted_out") {
    throw new AppError("CONSENT_REQUIRED", "The contact opted out of marketing messages; only utility messages and replies can be sent.", {
      details: { reason: "opted_out" },
    });
  }
  throw new AppError(
    "CONSENT_REQUIRED",
    "The contact has not opted in to marketing messages. Record their consent before sending a marketing template.",
    { details: { reason: "no_consent" } },
  );
}

// ——— The contact's own words ———

/** The keywords in force for a workspace: its own, or the defaults. */
export async function loadConsentKeywords(trx: Tx, workspaceId: string): Promise<ConsentKeywords> {
  return (await findConsentKeywords(trx, workspaceId)) ?? DEFAULT_KEYWORDS;
}

/**
 * An inbound text that is only an opt-out (or opt-in) keyword changes the contact's marketing
 * consent. Keyed by the message's id, so a redelivered message changes nothing twice.
 */
export async function applyInboundKeyword(
  trx: Tx,
  workspaceId: string,
  input: { contactId: string; text: string; wamid: string },
  keywords: ConsentKeywords,
): Promise<ConsentEntry | undefined> {
  const match = matchKeyword(input.text, keywords);
  if (match === null) return undefined;
  return recordConsentChange(
    trx,
    workspaceId,
    { kind: "system" },
    {
      contactId: input.contactId,
      scope: "marketing",
      status: match === "opt_out" ? "opted_out" : "opted_in",
      source: "whatsapp",
      method: "keyword",
      dedupe: `keyword|${input.wamid}`,
      // Recorded when Parley learns it: the ledger's order is the order the state changed in.
      at: new Date(),
    },
  );
}

/** Meta reported that the contact stopped (or resumed) marketing messages in WhatsApp's settings. */
export async function applyMetaMarketingPreference(
  trx: Tx,
  workspaceId: string,
  input: { contactId: string; value: "stop" | "resume"; report: string },
): Promise<ConsentEntry | undefined> {
  return recordConsentChange(
    trx,
    workspaceId,
    { kind: "system" },
    {
      contactId: input.contactId,
      scope: "marketing",
      status: input.value === "stop" ? "opted_out" : "opted_in",
      source: "whatsapp",
      method: "meta_preference",
      dedupe: `meta|${input.report}`,
      // Recorded when Parley learns it: the ledger's order is the order the state changed in.
      at: new Date(),
    },
  );
}

// ——— For members and API keys ———

export type ContactConsent = { marketing: ConsentState; utility: ConsentState; history: ConsentEntry[] };

function notFound(): AppError {
  return new AppError("NOT_FOUND", "The contact does not exist.");
}

async function readConsent(trx: Tx, workspaceId: string, contactId: string): Promise<ContactConsent | undefined> {
  const marketing = await lockMarketingConsent(trx, workspaceId, contactId, false);
  if (!marketing) return undefined;
  const utility = await findLatestConsentEntry(trx, workspaceId, contactId, "utility");
  return {
    marketing,
    utility: utility
      ? { status: utility.status, source: utility.source, updatedAt: utility.occurredAt }
      : { status: "unknown", source: null, updatedAt: null },
    history: await listConsentEntries(trx, workspaceId, contactId, MAX_LEDGER_ENTRIES),
  };
}

/** A contact's consent: the current state per scope and the ledger, newest first. */
export async function getContactConsentFor(services: Services, caller: Caller, contactId: string): Promise<ContactConsent> {
  if (!isUuid(contactId)) throw notFound();
  const consent = await asCaller(services, caller, (trx) => readConsent(trx, caller.workspaceId, contactId));
  if (!consent) throw notFound();
  return consent;
}

/**
 * Records a decision for a contact (a member in the contact view, or an API key): always a new
 * ledger entry, also when the state stays the same (a renewed opt-in is evidence too).
 */
export async function recordConsentFor(
  services: Services,
  caller: Caller,
  contactId: string,
  decision: { scope: ConsentScope; status: ConsentStatus; source: ConsentSource },
): Promise<ContactConsent> {
  if (!isUuid(contactId)) throw notFound();
  return asCaller(services, caller, async (trx) => {
    const entry = await recordConsentChange(
      trx,
      caller.workspaceId,
      { kind: "caller", caller },
      { contactId, ...decision, method: "recorded" },
    );
    if (!entry) throw notFound();
    const consent = await readConsent(trx, caller.workspaceId, contactId);
    if (!consent) throw notFound();
    return consent;
  });
}

export type KeywordSettings = ConsentKeywords & { isDefault: boolean; defaults: ConsentKeywords };

export async function getKeywordSettingsFor(services: Services, caller: Caller): Promise<KeywordSettings> {
  const own = await asCaller(services, caller, (trx) => findConsentKeywords(trx, caller.workspaceId));
  return { ...(own ?? DEFAULT_KEYWORDS), isDefault: own === undefined, defaults: DEFAULT_KEYWORDS };
}

/** Sets the workspace's keywords (stored normalized); audited with the counts, not the words. */
export async function setKeywordSettingsFor(services: Services, caller: Caller, input: ConsentKeywords): Promise<KeywordSettings> {
  const { keywords, problems } = prepareKeywords(input);
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", undefined, {
      details: problems.map((problem) => ({ path: ["body", ...problem.path], message: problem.message })),
    });
  }
  if (keywords.optOut.length === 0) {
    throw new AppError("VALIDATION_FAILED", undefined, {
      details: [
        { path: ["body", "optOut"], message: "Keep at least one opt-out keyword: contacts must be able to stop marketing messages." },
      ],
    });
  }
  await asCaller(services, caller, async (trx) => {
    await saveConsentKeywords(trx, caller.workspaceId, keywords, caller.userId, new Date());
    await recordCallerAudit(trx, caller, {
      action: "consent.keywords_changed",
      metadata: { optOut: keywords.optOut.length, optIn: keywords.optIn.length },
    });
  });
  return { ...keywords, isDefault: false, defaults: DEFAULT_KEYWORDS };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value: string): boolean {
  return UUID.test(value);
}
