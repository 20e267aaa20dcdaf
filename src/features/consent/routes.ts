import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { safeString } from "../../http/safe-string.ts";
import { consentMethods, consentScopes } from "../contacts/schema.ts";
import { consentSources, consentStatuses } from "../contacts/rules.ts";
import { MAX_KEYWORD_LENGTH, MAX_KEYWORDS } from "./keywords.ts";
import type { ConsentEntry, ConsentState } from "./repository.ts";
import {
  getContactConsentFor,
  getKeywordSettingsFor,
  recordConsentFor,
  setKeywordSettingsFor,
  type ContactConsent,
  type KeywordSettings,
} from "./service.ts";

// Consent over HTTP. A contact's consent and its ledger: contacts.read reads (Owners, Admins and
// Agents, like the contact itself), contacts.write records (the same members: whether an Agent may
// record consent follows contacts.write). The opt-out and opt-in keywords are workspace settings
// (settings.manage: Owners and Admins).

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });
const contactParams = z.strictObject({ workspaceId: z.uuid(), contactId: z.uuid() });

const stateResponse = z.object({
  status: z.enum(consentStatuses),
  source: z.enum(consentSources).nullable(),
  updatedAt: z.iso.datetime().nullable(),
});

const entryResponse = z.object({
  id: z.uuid(),
  scope: z.enum(consentScopes),
  status: z.enum(consentStatuses),
  source: z.enum(consentSources),
  method: z
    .enum(consentMethods)
    .describe(
      "recorded: by a member or the API; import: a CSV import; keyword: the contact wrote an opt-out or opt-in keyword; meta_preference: the contact stopped or resumed marketing messages in WhatsApp (Meta's marketing opt-out).",
    ),
  recordedByUserId: z.uuid().nullable().describe("The member who recorded it; null for the contact's own words."),
  occurredAt: z.iso.datetime(),
});

const consentResponse = z.object({
  marketing: stateResponse.describe("The current marketing consent: a marketing template or broadcast needs opted_in."),
  utility: stateResponse.describe("The latest utility consent recorded (evidence; utility messages are not refused)."),
  history: z.array(entryResponse).describe("The ledger, newest first (the latest 200 entries)."),
});

const keyword = safeString(MAX_KEYWORD_LENGTH * 2)
  .trim()
  .min(1);
const keywordsBody = z.strictObject({
  optOut: z.array(keyword).min(1).max(MAX_KEYWORDS),
  optIn: z.array(keyword).max(MAX_KEYWORDS),
});
const keywordList = z.array(z.string());
const keywordsResponse = z.object({
  optOut: keywordList,
  optIn: keywordList,
  isDefault: z.boolean().describe("The workspace has not set its own keywords: the defaults apply."),
  defaults: z.object({ optOut: keywordList, optIn: keywordList }),
});

function presentState(state: ConsentState): z.input<typeof stateResponse> {
  return { status: state.status, source: state.source, updatedAt: state.updatedAt?.toISOString() ?? null };
}

function presentEntry(entry: ConsentEntry): z.input<typeof entryResponse> {
  return {
    id: entry.id,
    scope: entry.scope,
    status: entry.status,
    source: entry.source,
    method: entry.method,
    recordedByUserId: entry.recordedByUserId,
    occurredAt: entry.occurredAt.toISOString(),
  };
}

function presentConsent(consent: ContactConsent): z.input<typeof consentResponse> {
  return {
    marketing: presentState(consent.marketing),
    utility: presentState(consent.utility),
    history: consent.history.map(presentEntry),
  };
}

function presentKeywords(settings: KeywordSettings): z.input<typeof keywordsResponse> {
  return { optOut: settings.optOut, optIn: settings.optIn, isDefault: settings.isDefault, defaults: settings.defaults };
}

export const consentRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId/consent",
    summary:
      "A contact's consent: the current state per scope (marketing, utility) and the consent ledger, newest first — every opt-in and opt-out with its scope, source, method and time.",
    tags: ["contacts"],
    permission: "contacts.read",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: { params: contactParams, response: { 200: consentResponse } },
    handler: async ({ services, caller, params }) => presentConsent(await getContactConsentFor(services, caller, params.contactId)),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/contacts/:contactId/consent/entries",
    summary:
      "Records a consent decision as a ledger entry (scope, state, source; the time is now) and answers the contact's consent. A marketing entry becomes the contact's current marketing consent. Audited without personal data; emits contact.consent_changed.",
    tags: ["contacts"],
    permission: "contacts.write",
    caller: true,
    errors: ["NOT_FOUND"],
    schema: {
      params: contactParams,
      body: z.strictObject({ scope: z.enum(consentScopes), status: z.enum(consentStatuses), source: z.enum(consentSources) }),
      response: { 201: consentResponse },
    },
    handler: async ({ services, caller, params, body, reply }) => {
      const consent = await recordConsentFor(services, caller, params.contactId, body);
      reply.code(201);
      return presentConsent(consent);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/settings/consent-keywords",
    summary:
      "The opt-out and opt-in keywords: an inbound message that is only one of them (compared case-folded, trimmed, Arabic spelling variants and diacritics normalized) opts the contact out of marketing, or back in.",
    tags: ["settings"],
    permission: "settings.manage",
    caller: true,
    schema: { params: workspaceParams, response: { 200: keywordsResponse } },
    handler: async ({ services, caller }) => presentKeywords(await getKeywordSettingsFor(services, caller)),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/v1/workspaces/:workspaceId/settings/consent-keywords",
    summary: `Sets the opt-out and opt-in keywords (each list at most ${MAX_KEYWORDS}, each keyword at most ${MAX_KEYWORD_LENGTH} characters once normalized; at least one opt-out keyword; a word in one list only). Stored normalized; audited with the counts.`,
    tags: ["settings"],
    permission: "settings.manage",
    caller: true,
    errors: ["VALIDATION_FAILED"],
    schema: { params: workspaceParams, body: keywordsBody, response: { 200: keywordsResponse } },
    handler: async ({ services, caller, body }) => presentKeywords(await setKeywordSettingsFor(services, caller, body)),
  }),
];
