// Generated from docs/openapi.json by scripts/write-api-types.ts (`npm run api-types`). Do not edit.
/* eslint-disable */

export type paths = {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public keys that sign access tokens (JWKS). */
        get: operations["getWellKnownJwksJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Signs in with e-mail and password (and a TOTP or recovery code when enrolled). */
        post: operations["postApiV1AuthLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the session (refresh cookie with CSRF header, or bearer access token). */
        post: operations["postApiV1AuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/reauthenticate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirms the password (and TOTP when enrolled) for sensitive actions in the next 5 minutes. */
        post: operations["postApiV1AuthReauthenticate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchanges the refresh cookie for a new access token and a new refresh cookie (rotation). */
        post: operations["postApiV1AuthRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accepts an invitation: an existing account confirms its password, a new one chooses it. Answers the account's e-mail to sign in with. */
        post: operations["postApiV1InvitationsAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user and their workspace memberships. */
        get: operations["getApiV1Me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts TOTP enrollment: an otpauth:// URI and its QR code (needs a re-authentication). */
        post: operations["postApiV1MeMfaTotp"];
        /** Removes TOTP and the recovery codes (needs a re-authentication); every session is signed out. */
        delete: operations["deleteApiV1MeMfaTotp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/mfa/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirms TOTP enrollment with a first code; answers the 10 recovery codes, shown only this once. */
        post: operations["postApiV1MeMfaTotpConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Changes the password (needs a re-authentication); every session is signed out. */
        post: operations["postApiV1MePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates the first Owner and workspace with the one-time setup token, and signs them in. */
        post: operations["postApiV1Setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates a workspace; the caller becomes its Owner. */
        post: operations["postApiV1Workspaces"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reads the workspace. */
        get: operations["getApiV1WorkspacesByWorkspaceId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Renames the workspace. */
        patch: operations["patchApiV1WorkspacesByWorkspaceId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/access-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists who read customer data (conversations, messages, contacts, media, searches, exports), newest first: by contact, by member or API key, by kind and time range; paginated by cursor. Ids only, never content. */
        get: operations["getApiV1WorkspacesByWorkspaceIdAccessLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/access-log/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exports the filtered access log as CSV (formula cells neutralized). The export is itself recorded in the access log. */
        post: operations["postApiV1WorkspacesByWorkspaceIdAccessLogExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/analytics/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Aggregates of the last 14 days (UTC): conversations open/closed/unassigned, messages in and out per day, median first-response time, delivery and read rates of outbound messages. Counts only. */
        get: operations["getApiV1WorkspacesByWorkspaceIdAnalyticsSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists API keys: last four characters, scopes, expiry, last use; never the secret. */
        get: operations["getApiV1WorkspacesByWorkspaceIdApiKeys"];
        put?: never;
        /** Creates an API key (scopes within the caller's permissions). The key is in this response only. */
        post: operations["postApiV1WorkspacesByWorkspaceIdApiKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/api-keys/{apiKeyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revokes an API key; its next request is refused. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdApiKeysByApiKeyId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the workspace's audit log, newest first, filtered by actor, action and time range; paginated by cursor. */
        get: operations["getApiV1WorkspacesByWorkspaceIdAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace log's signed checkpoints (C2SP signed notes) and the verifier keys to check them outside Parley. */
        get: operations["getApiV1WorkspacesByWorkspaceIdAuditCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exports the filtered audit log as CSV (formula cells neutralized). The export is itself audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdAuditExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/audit/verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recomputes the workspace's log against its leaf hashes and signed checkpoints: ok, or the first entry that can no longer be trusted. */
        get: operations["getApiV1WorkspacesByWorkspaceIdAuditVerification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's broadcasts, newest first (at most 100), with their recipient counts. */
        get: operations["getApiV1WorkspacesByWorkspaceIdBroadcasts"];
        put?: never;
        /** Creates a draft broadcast: an audience filter (marketing consent is always required), an approved template with its body parameters mapped from contact fields with fallbacks, one or several numbers, and optionally a local send time in an IANA time zone. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcasts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A broadcast with its state, the reason it is paused or waiting, and its recipient counts. */
        get: operations["getApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastId"];
        put?: never;
        post?: never;
        /** Deletes a draft broadcast (one that was started is kept for its report). Audited. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancels a broadcast: recipients not yet sent to are skipped. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/outcomes.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Exports each recipient's outcome (phone, state, reason, error, times) as a CSV attachment; formula cells are neutralized. Needs a recent re-authentication; audited with the count. */
        get: operations["getApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdOutcomesCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pauses a running or scheduled broadcast; messages already queued still go out. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A broadcast's funnel (targeted, handed over, sent, delivered, read, replied), failures by error code in words, and skips by reason. */
        get: operations["getApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resumes a paused broadcast (after a manual or automatic pause). Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sends again to failed recipients whose error may pass on another attempt (limits, Meta's transient errors, no answer); never to opt-outs or after 131049. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts a draft broadcast: now, or at its scheduled time. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/audiences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Uploads a CSV audience for broadcasts (columns phone, name and field:<key>, whose values fill the template's parameters; at most 5 MB and 10,000 rows). Each row is validated as the contacts import validates it and reported with its row number; invalid numbers and repeated numbers are excluded. Valid rows match or create contacts (without consent: an upload never grants it); the names and fields are stored encrypted. Use the id as audience.uploadId. Audited with counts. */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsAudiences"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/audiences/{uploadId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An uploaded audience's counts: rows, accepted, excluded by reason, and its field columns. */
        get: operations["getApiV1WorkspacesByWorkspaceIdBroadcastsAudiencesByUploadId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/broadcasts/estimate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Counts an audience before sending: how many contacts match, how many would be sent to, and the exclusions by reason (no consent, opted out, invalid number, duplicate, beyond the portfolio's remaining messaging limit). */
        post: operations["postApiV1WorkspacesByWorkspaceIdBroadcastsEstimate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists contacts, newest first: by exact phone number (any spelling with the country code), tag and consent status; `nextCursor` pages on. */
        get: operations["getApiV1WorkspacesByWorkspaceIdContacts"];
        put?: never;
        /** Creates a contact. Consent given here is recorded with its source and time, and audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdContacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact: phone, names, tags, custom fields, consent and how many conversations the caller can see. */
        get: operations["getApiV1WorkspacesByWorkspaceIdContactsByContactId"];
        put?: never;
        post?: never;
        /** Erases a contact at once (right to be forgotten), also from the trash: its conversations, messages, notes and media go, its data key is destroyed so no copy (backups included) can be read, and a PII-free erasure record remains. Needs a recent re-authentication; audited. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdContactsByContactId"];
        options?: never;
        head?: never;
        /** Changes a contact's name, tags (the whole set) and/or custom fields (the whole map). */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdContactsByContactId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A contact's consent: the current state per scope (marketing, utility) and the consent ledger, newest first — every opt-in and opt-out with its scope, source, method and time. */
        get: operations["getApiV1WorkspacesByWorkspaceIdContactsByContactIdConsent"];
        put?: never;
        /** Records the contact's consent for a scope (`marketing` unless given; `utility`): the state, its source and the time (now), as a consent ledger entry. The contact's `consent` is its current marketing consent. Audited without personal data; emits contact.consent_changed. */
        post: operations["postApiV1WorkspacesByWorkspaceIdContactsByContactIdConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/consent/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Records a consent decision as a ledger entry (scope, state, source; the time is now) and answers the contact's consent. A marketing entry becomes the contact's current marketing consent. Audited without personal data; emits contact.consent_changed. */
        post: operations["postApiV1WorkspacesByWorkspaceIdContactsByContactIdConsentEntries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Takes a contact out of the trash, with its conversations, messages and notes. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdContactsByContactIdRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/{contactId}/trash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deletes a contact to the trash: hidden from lists, search and the inbox, and refused as a recipient (CONTACT_IN_TRASH); restorable for 30 days, then erased by the purge (crypto-shredded, PII-free erasure record). A message the contact sends meanwhile restores it. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdContactsByContactIdTrash"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Exports contacts (optionally by tag and consent) as a CSV attachment; cells that a spreadsheet would run as formulas are neutralized. Needs a recent re-authentication; audited with the count. */
        get: operations["getApiV1WorkspacesByWorkspaceIdContactsExportCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Imports contacts from CSV (phone, name, tags, consent, field:<key>; at most 5 MB and 10,000 rows) and answers a report for every row; `dryRun` validates without writing. Audited with counts. */
        post: operations["postApiV1WorkspacesByWorkspaceIdContactsImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/contacts/trash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the contacts in the trash, soonest purge first: each is erased for good at `purgeAfter` (30 days after it was deleted) unless restored; `nextCursor` pages on. */
        get: operations["getApiV1WorkspacesByWorkspaceIdContactsTrash"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists conversations, newest activity first: mine, unassigned or all (as permissions allow), filtered by number, status, contact tag, exact phone (blind index) or part of the contact's name (a bounded scan of encrypted names: see `name`). */
        get: operations["getApiV1WorkspacesByWorkspaceIdConversations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One conversation (not found when it is not visible to the caller). */
        get: operations["getApiV1WorkspacesByWorkspaceIdConversationsByConversationId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assigns the conversation to a member (null unassigns). Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdAssign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Closes the conversation. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdClose"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A conversation's messages, newest first, decrypted, up to 500 per page; `nextCursor` pages to older ones. */
        get: operations["getApiV1WorkspacesByWorkspaceIdConversationsByConversationIdMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A conversation's internal notes, newest first, decrypted; `nextCursor` pages to older ones. */
        get: operations["getApiV1WorkspacesByWorkspaceIdConversationsByConversationIdNotes"];
        put?: never;
        /** Adds an internal note (seen by the team only, never sent to the customer). Encrypted under the contact's key; audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdNotes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who else is viewing the conversation or typing in it now (ids and states only). */
        get: operations["getApiV1WorkspacesByWorkspaceIdConversationsByConversationIdPresence"];
        put?: never;
        /** Reports the caller's presence in a conversation they may read and answers who else is there. `viewing` is a heartbeat (lapses after 30 s), `typing` lasts 6 s unless renewed, `idle` ends typing, `left` ends presence. Others get a `presence` event (ids and state only), at most one per member every 3 s. */
        post: operations["postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdPresence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/conversations/{conversationId}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reopens a closed conversation (refused while the contact has another open one on that number). Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdReopen"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's event stream (text/event-stream): message.created, message.status, conversation.updated, presence, broadcast.progress (to those who manage broadcasts), resync. */
        get: operations["getApiV1WorkspacesByWorkspaceIdEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/events/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issues a ticket (60 s, single use) to open the event stream of this workspace. */
        post: operations["postApiV1WorkspacesByWorkspaceIdEventsTickets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists invitations with their status (never their links). */
        get: operations["getApiV1WorkspacesByWorkspaceIdInvitations"];
        put?: never;
        /** Invites someone by link (single use, 7 days). The link is in this response only. */
        post: operations["postApiV1WorkspacesByWorkspaceIdInvitations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revokes a pending invitation. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdInvitationsByInvitationId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a file to send in a conversation: the raw bytes as the body, with the file's Content-Type. Meta's types and sizes apply (images 5 MB, video and audio 16 MB, documents 100 MB, stickers 500 KB). Stored encrypted under the contact's key. */
        post: operations["postApiV1WorkspacesByWorkspaceIdMedia"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the workspace's members and their roles. */
        get: operations["getApiV1WorkspacesByWorkspaceIdMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Removes a member (never one above the caller; the last Owner stays) and revokes their API keys here. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdMembersByUserId"];
        options?: never;
        head?: never;
        /** Changes a member's role (never above the caller's own; the last Owner stays). Binds on the member's next request. */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdMembersByUserId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a WhatsApp message (text, template, media, interactive, reaction) to a conversation or a phone number. A reply may carry `ifLastMessageId` (the conversation's newest message when it was started): if someone else has sent a message since, it is refused with 409 REPLY_COLLISION (who and when, never the text) unless it carries `takeover: true`. Sending anyway, or in a conversation assigned to another member, is audited as conversation.takeover with the message; the assignment does not change. */
        post: operations["postApiV1WorkspacesByWorkspaceIdMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/messages/{messageId}/media-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a short-lived signed URL (5 minutes) for a message's media */
        get: operations["getApiV1WorkspacesByWorkspaceIdMessagesByMessageIdMediaUrl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the workspace's WhatsApp numbers (secrets shown by their last four characters only). */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbers"];
        put?: never;
        /** Connect a WhatsApp number: the credentials are verified with Meta, then stored encrypted. */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One WhatsApp number. */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbersByNumberId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/access-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace a number's access token without downtime (verified with Meta first). */
        put: operations["putApiV1WorkspacesByWorkspaceIdNumbersByNumberIdAccessToken"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/deregister": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deregisters the number from the Cloud API: it stops sending and receiving until registered again. Needs a recent re-authentication. */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdDeregister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/disconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disconnects the number: sends are refused, queued ones fail, its webhooks are refused (404); its history stays. */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdDisconnect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Errors and unsupported changes Meta reported for the number (newest first), with their counts. */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbersByNumberIdEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/health/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reads the number's health from Meta now (the schedule does it hourly). */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdHealthRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The number's WhatsApp business profile, as Meta holds it. */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbersByNumberIdProfile"];
        /** Updates the business profile (about ≤ 139, description ≤ 512, address, email, up to 2 websites, vertical, picture by upload handle). */
        put: operations["putApiV1WorkspacesByWorkspaceIdNumbersByNumberIdProfile"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/reconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reconnects a disconnected number once Meta accepts its stored credentials again. */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdReconnect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Registers the number with the Cloud API using its two-step PIN (Meta allows 10 calls per 72 hours). Needs a recent re-authentication. */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdRegister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/sandbox/customers/{customerPhone}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sandbox numbers only: what a simulated customer's phone shows — what they wrote, and what the number sent them with its delivery statuses. */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbersByNumberIdSandboxCustomersByCustomerPhoneMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/sandbox/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sandbox numbers only: a simulated customer sends the number a text, a button reply or an image (it arrives like any WhatsApp message). */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdSandboxMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/two-step-pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Sets or changes the number's two-step verification PIN with Meta. The PIN is never stored or logged; audited without it. Needs a recent re-authentication. */
        put: operations["putApiV1WorkspacesByWorkspaceIdNumbersByNumberIdTwoStepPin"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/embedded-signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How the dashboard opens Embedded Signup: Meta's popup (app and configuration ids), the simulator (sandbox mode), or off. */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbersEmbeddedSignup"];
        put?: never;
        /** Finishes Embedded Signup: exchanges the popup's code, stores the number, subscribes the app to its webhooks and registers it with the PIN. */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersEmbeddedSignup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/embedded-signup/simulator": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sandbox mode: the simulator plays Meta's popup and answers what it would (code, WABA and phone number ids). */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersEmbeddedSignupSimulator"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every number's health (status, quality rating, messaging limit, throughput, display-name review), for every member. */
        get: operations["getApiV1WorkspacesByWorkspaceIdNumbersHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/numbers/sandbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sandbox mode: connect the built-in simulator's number in one step (credentials verified and stored like a real one). */
        post: operations["postApiV1WorkspacesByWorkspaceIdNumbersSandbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reads the workspace's plan: its features, its quotas, and where the features it lacks are available. */
        get: operations["getApiV1WorkspacesByWorkspaceIdPlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/privacy/exports/{exportId}/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A signed link (5 minutes) to download a ready export bundle as a zip. Needs a recent re-authentication; the download is audited as the caller's. */
        post: operations["postApiV1WorkspacesByWorkspaceIdPrivacyExportsByExportIdLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/privacy/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists data subjects' export and erasure requests: open ones first by deadline (received + 30 days, with days left and overdue), then finished ones, newest first; at most 200. */
        get: operations["getApiV1WorkspacesByWorkspaceIdPrivacyRequests"];
        put?: never;
        /** Records a data subject's export or erasure request for a contact, received on a day (today or up to 365 days back); its deadline is 30 days later. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdPrivacyRequests"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reads one request with its latest exports. */
        get: operations["getApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Moves an open request to in progress or rejected (an export request also to completed, once the bundle was handed over) and edits its notes. A completed or rejected request is final (409); an erasure request completes by running the erasure. Audited. */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Runs an erasure request: the contact is erased (conversations, messages, notes, media, export bundles; its data key destroyed) and the request completes in the same transaction, keeping ids and dates only. Needs a recent re-authentication; audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestIdErase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/privacy/requests/{requestId}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts the contact's export for an export request: a job builds the bundle (subject.json, README.txt, media/), seals it and keeps it 7 days; the request completes when it is ready. Needs a recent re-authentication; audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestIdExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/quick-replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's quick replies (at most 200), by shortcut. */
        get: operations["getApiV1WorkspacesByWorkspaceIdQuickReplies"];
        put?: never;
        /** Creates a quick reply (shortcut unique in the workspace; at most 200). Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdQuickReplies"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/quick-replies/{quickReplyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes a quick reply. Audited. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdQuickRepliesByQuickReplyId"];
        options?: never;
        head?: never;
        /** Changes a quick reply's shortcut or text. Audited. */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdQuickRepliesByQuickReplyId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/settings/blocked-addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the addresses blocked after repeated 401/429 answers on this workspace's routes, with when each block ends. */
        get: operations["getApiV1WorkspacesByWorkspaceIdSettingsBlockedAddresses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/settings/blocked-addresses/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Lifts the block of an address blocked for this workspace's routes alone (audited); shared blocks are the operator's to lift. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdSettingsBlockedAddressesByAddress"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/settings/consent-keywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The opt-out and opt-in keywords: an inbound message that is only one of them (compared case-folded, trimmed, Arabic spelling variants and diacritics normalized) opts the contact out of marketing, or back in. */
        get: operations["getApiV1WorkspacesByWorkspaceIdSettingsConsentKeywords"];
        /** Sets the opt-out and opt-in keywords (each list at most 50, each keyword at most 64 characters once normalized; at least one opt-out keyword; a word in one list only). Stored normalized; audited with the counts. */
        put: operations["putApiV1WorkspacesByWorkspaceIdSettingsConsentKeywords"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/settings/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reads the workspace's retention policy: each kind is off (null, the default) or deleted after N days. The audit log is never subject to retention: it is the tamper-evident record (hash chain with signed checkpoints) that deletions would break, it must outlive what it records, and it holds ids and counts only, never content. */
        get: operations["getApiV1WorkspacesByWorkspaceIdSettingsRetention"];
        /** Saves the retention policy; a schedule applies it hourly in bounded batches, audited with counts. Needs a recent re-authentication; audited with the settings. The audit log is never subject to retention: it is the tamper-evident record (hash chain with signed checkpoints) that deletions would break, it must outlive what it records, and it holds ids and counts only, never content. */
        put: operations["putApiV1WorkspacesByWorkspaceIdSettingsRetention"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/settings/retention/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Counts what a proposed policy would delete if it were applied now, per kind (closed conversations count as conversations). Deletes nothing. */
        post: operations["postApiV1WorkspacesByWorkspaceIdSettingsRetentionPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/settings/security": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reads the workspace's security policy. */
        get: operations["getApiV1WorkspacesByWorkspaceIdSettingsSecurity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Changes the workspace's security policy (e.g. MFA for every member); audited. */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdSettingsSecurity"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Message templates by name and language: a number's (its WABA's) when `numberId` is given, APPROVED unless `status` says otherwise (ALL for every status). */
        get: operations["getApiV1WorkspacesByWorkspaceIdTemplates"];
        put?: never;
        /** Submits a new template (or a new language of an existing name) to WhatsApp for review through the number's WABA. Meta's limits are checked first; each problem names its field. Audited (ids and names only). */
        post: operations["postApiV1WorkspacesByWorkspaceIdTemplates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/templates/{templateId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes a template at WhatsApp and here: `scope=language` this language only (by its id), `scope=all` every language of its name. Disabled templates cannot be deleted. Audited. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdTemplatesByTemplateId"];
        options?: never;
        head?: never;
        /** Edits a template within Meta's rules: only approved, rejected or paused ones; an approved template keeps its category and may be edited once in 24 hours and 10 times in 30 days. A new content or category goes back to review; a new message TTL alone does not. Audited. */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdTemplatesByTemplateId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/templates/{templateId}/duplicate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Copies a template's content under a new name (and optionally another language) and submits the copy for review. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdTemplatesByTemplateIdDuplicate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/templates/{templateId}/languages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Adds a language to a template: the same name, category and parameter format with its own content, submitted for review. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdTemplatesByTemplateIdLanguages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/templates/examples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Uploads a media header's example (the raw bytes as the body, with the file's Content-Type: JPEG, PNG, MP4 or PDF) through WhatsApp's Resumable Upload API; answers the handle to put in `header.handle`. */
        post: operations["postApiV1WorkspacesByWorkspaceIdTemplatesExamples"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/templates/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reads the number's WABA templates (status and components) from WhatsApp and stores them. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdTemplatesSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's outbound webhook endpoints (never their secrets). */
        get: operations["getApiV1WorkspacesByWorkspaceIdWebhooks"];
        put?: never;
        /** Registers an endpoint (at most 20) and answers its signing secret, once. The URL is checked against the SSRF guard. Audited (a Meta-format endpoint's personal data on its own). */
        post: operations["postApiV1WorkspacesByWorkspaceIdWebhooks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One endpoint: its settings, and whether and why it is disabled. */
        get: operations["getApiV1WorkspacesByWorkspaceIdWebhooksByEndpointId"];
        put?: never;
        post?: never;
        /** Deletes an endpoint with its delivery log. Audited. */
        delete: operations["deleteApiV1WorkspacesByWorkspaceIdWebhooksByEndpointId"];
        options?: never;
        head?: never;
        /** Changes an endpoint's URL, description, events, enabled flag or personal-data option. Enabling clears an automatic disable. Audited (the personal-data option on its own). */
        patch: operations["patchApiV1WorkspacesByWorkspaceIdWebhooksByEndpointId"];
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The endpoint's delivery log, newest first: status, attempts, latency, response code and the start of the answer. */
        get: operations["getApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/deliveries/{deliveryId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts a new attempt series for one finished delivery (same webhook-id). The endpoint must be enabled. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdDeliveriesByDeliveryIdReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replays the endpoint's failed deliveries created in [since, until) (at most 1,000, oldest first). The endpoint must be enabled. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replaces the signing secret and answers the new one, once. Until the overlap ends (default 24 h) deliveries carry both signatures. Audited. */
        post: operations["postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workspaces/{workspaceId}/webhooks/{endpointId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queues a `webhook.test` ping to this endpoint; its delivery shows in the log. */
        post: operations["postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{mediaId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Graph-compatible media lookup (GET /{media-id}): type, size, sha256 and a download URL on Parley's own host, valid 5 minutes (never Meta's URL, so the client's key is never sent to Meta). Errors in Graph's shape. */
        get: operations["getGraphByMediaId"];
        put?: never;
        post?: never;
        /** Graph-compatible media deletion (DELETE /{media-id}), at Meta through the number's token. Errors in Graph's shape. */
        delete: operations["deleteGraphByMediaId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{phoneNumberId}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Graph-compatible media upload (POST /{phone-number-id}/media, multipart/form-data with file, type and messaging_product): the file is uploaded to Meta for the number and Meta's media id is answered, to send by id. Errors in Graph's shape. */
        post: operations["postGraphByPhoneNumberIdMedia"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{phoneNumberId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Graph-compatible send (POST /{phone-number-id}/messages): text, media by id or link, template, interactive, reaction, sticker, or a read receipt ({status: read, message_id}). Queued through Parley's send path, then answered with Meta's wamid (or Meta's error) once the send worker has Meta's answer, at most 30 s later; past that, error code 2 with HTTP 504 says the message is still queued (do not resend). Also served at /{version}/… without the /graph prefix. Errors in Graph's shape. */
        post: operations["postGraphByPhoneNumberIdMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{version}/{mediaId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Graph-compatible media lookup (GET /{media-id}): type, size, sha256 and a download URL on Parley's own host, valid 5 minutes (never Meta's URL, so the client's key is never sent to Meta). Errors in Graph's shape. */
        get: operations["getGraphByVersionByMediaId"];
        put?: never;
        post?: never;
        /** Graph-compatible media deletion (DELETE /{media-id}), at Meta through the number's token. Errors in Graph's shape. */
        delete: operations["deleteGraphByVersionByMediaId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{version}/{phoneNumberId}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Graph-compatible media upload (POST /{phone-number-id}/media, multipart/form-data with file, type and messaging_product): the file is uploaded to Meta for the number and Meta's media id is answered, to send by id. Errors in Graph's shape. */
        post: operations["postGraphByVersionByPhoneNumberIdMedia"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{version}/{phoneNumberId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Graph-compatible send (POST /{phone-number-id}/messages): text, media by id or link, template, interactive, reaction, sticker, or a read receipt ({status: read, message_id}). Queued through Parley's send path, then answered with Meta's wamid (or Meta's error) once the send worker has Meta's answer, at most 30 s later; past that, error code 2 with HTTP 504 says the message is still queued (do not resend). Also served at /{version}/… without the /graph prefix. Errors in Graph's shape. */
        post: operations["postGraphByVersionByPhoneNumberIdMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{version}/{wabaId}/message_templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Graph-compatible template list (GET /{waba-id}/message_templates; a phone-number id is accepted too): the templates of the number's WABA from Parley's catalogue, filtered by status and name. Errors in Graph's shape. */
        get: operations["getGraphByVersionByWabaIdMessageTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/{wabaId}/message_templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Graph-compatible template list (GET /{waba-id}/message_templates; a phone-number id is accepted too): the templates of the number's WABA from Parley's catalogue, filtered by status and name. Errors in Graph's shape. */
        get: operations["getGraphByWabaIdMessageTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graph/media/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download media through a proxy link from GET /{media-id} (binary bytes with their Content-Type; fetched from Meta with the number's token). Errors in Graph's shape. */
        get: operations["getGraphMediaByToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers (the older name of /livez). */
        get: operations["getHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/livez": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers. */
        get: operations["getLivez"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download media through a signed URL (the binary bytes, with their stored Content-Type) */
        get: operations["getMediaByToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/privacy-exports/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Downloads an export bundle (application/zip) through a signed link; audited as a download by the member it was issued to. */
        get: operations["getPrivacyExportsByToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers (as the runtime role); the coordination store is reported, degraded when down. */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/whatsapp/{webhookKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Meta's webhook verification handshake: echoes hub.challenge when the verify token matches. */
        get: operations["getWebhooksWhatsappByWebhookKey"];
        put?: never;
        /** Receives Meta's signed webhooks (X-Hub-Signature-256) and stores them for processing. */
        post: operations["postWebhooksWhatsappByWebhookKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = {
    "broadcast.progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A broadcast changed state (started, paused, resumed, cancelled, completed) or made progress while running (at most every 10 s): its state and recipient counts. */
        post: operations["webhookBroadcastProgress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "contact.consent_changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A contact's consent changed: recorded by a member or the API, imported, or the contact's own opt-out or opt-in (a keyword, Meta's marketing opt-out). `method` says which; ids and states only. */
        post: operations["webhookContactConsentChanged"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "contact.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A contact was created (by its first inbound message or through the API; not yet by a CSV import). */
        post: operations["webhookContactCreated"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "contact.erased": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A contact was erased with every conversation and message (crypto-shredding). */
        post: operations["webhookContactErased"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "contact.updated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A contact's profile changed through the API; `changed` names the fields (name, tags, customFields). */
        post: operations["webhookContactUpdated"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.assigned": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A conversation was assigned to a member, or unassigned (assignedUserId null). */
        post: operations["webhookConversationAssigned"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.closed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A conversation was closed. */
        post: operations["webhookConversationClosed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "conversation.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new conversation was opened with a contact on a number. */
        post: operations["webhookConversationCreated"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "message.received": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A contact's message arrived (text, media, reaction, …). */
        post: operations["webhookMessageReceived"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "message.status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An outbound message was sent, delivered, read or failed (as WhatsApp reported). */
        post: operations["webhookMessageStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "number.quality": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Meta reported a change of a number's quality rating or messaging limit (phone_number_quality_update): `quality` is Meta's event (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE…), `tier` its current limit (TIER_1K…). */
        post: operations["webhookNumberQuality"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "template.status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A message template's review status, category or quality score changed (from Meta's template webhooks or a sync); the data holds the template's states after the change. */
        post: operations["webhookTemplateStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook.test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A ping sent on request (POST …/webhooks/{endpointId}/test) to check an endpoint; delivered to that endpoint only. */
        post: operations["webhookWebhookTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type components = {
    schemas: {
        Error: {
            error: {
                /** @enum {string} */
                code: "VALIDATION_FAILED" | "MALFORMED_BODY" | "UNAUTHENTICATED" | "FORBIDDEN" | "PLAN_REQUIRED" | "PLAN_QUOTA_EXCEEDED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "UNPROCESSABLE" | "RATE_LIMITED" | "INTERNAL" | "COORDINATION_UNAVAILABLE" | "NOT_READY" | "HEADERS_TOO_LARGE" | "BAD_REQUEST" | "INVALID_CREDENTIALS" | "MFA_CODE_REQUIRED" | "MFA_ENROLLMENT_REQUIRED" | "REAUTHENTICATION_REQUIRED" | "CSRF_REFUSED" | "PASSWORD_REJECTED" | "REPLY_COLLISION" | "CONTACT_IN_TRASH" | "CONSENT_REQUIRED" | "ADDRESS_BLOCKED" | "ADDRESS_NOT_ALLOWED" | "SETUP_TOKEN_INVALID" | "WEBHOOK_URL_REFUSED";
                details?: unknown;
                message: string;
                requestId: string;
            };
        };
        ValidationDetail: {
            message: string;
            path: (string | number)[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    getWellKnownJwksJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            /** @constant */
                            alg: "RS256";
                            e: string;
                            kid: string;
                            /** @constant */
                            kty: "RSA";
                            n: string;
                            /** @constant */
                            use: "sig";
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    recoveryCode?: string;
                    totp?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        csrfToken: string;
                        /** Format: date-time */
                        expiresAt: string;
                        /** @constant */
                        tokenType: "Bearer";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `INVALID_CREDENTIALS`: Sign-in or re-authentication failed; the same answer whether or not the account exists.
             *
             *     `MFA_CODE_REQUIRED`: The password was right and the account has two-factor authentication; send `totp` or `recoveryCode`.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CSRF_REFUSED`: A cookie-authenticated request lacks the session's `x-csrf-token` header or does not come from the app's own origin. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthReauthenticate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    recoveryCode?: string;
                    totp?: string;
                };
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked.
             *
             *     `INVALID_CREDENTIALS`: Sign-in or re-authentication failed; the same answer whether or not the account exists.
             *
             *     `MFA_CODE_REQUIRED`: The password was right and the account has two-factor authentication; send `totp` or `recoveryCode`.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `MFA_ENROLLMENT_REQUIRED`: The account's role (Owner, Admin) or the workspace policy requires MFA and none is enrolled; only MFA enrollment routes answer.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        csrfToken: string;
                        /** Format: date-time */
                        expiresAt: string;
                        /** @constant */
                        tokenType: "Bearer";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CSRF_REFUSED`: A cookie-authenticated request lacks the session's `x-csrf-token` header or does not come from the app's own origin. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1InvitationsAccept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    token: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        newAccount: boolean;
                        /** @enum {string} */
                        role: "owner" | "admin" | "agent" | "analyst";
                        /** Format: uuid */
                        workspaceId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVALID_CREDENTIALS`: Sign-in or re-authentication failed; the same answer whether or not the account exists. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PASSWORD_REJECTED`: A new password is shorter than 12 or longer than 128 characters, or is on the list of common passwords; `details.reason` says which. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1Me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        memberships: {
                            /** @enum {string} */
                            role: "owner" | "admin" | "agent" | "analyst";
                            workspaceId: string;
                            workspaceName: string | null;
                        }[];
                        user: {
                            email: string;
                            id: string;
                            mfaEnrolled: boolean;
                            mfaRequired: boolean;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1MeMfaTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        otpauthUri: string;
                        qrCodeSvg: string;
                        secret: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1MeMfaTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `MFA_ENROLLMENT_REQUIRED`: The account's role (Owner, Admin) or the workspace policy requires MFA and none is enrolled; only MFA enrollment routes answer.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1MeMfaTotpConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recoveryCodes: string[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked.
             *
             *     `INVALID_CREDENTIALS`: Sign-in or re-authentication failed; the same answer whether or not the account exists.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1MePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `MFA_ENROLLMENT_REQUIRED`: The account's role (Owner, Admin) or the workspace policy requires MFA and none is enrolled; only MFA enrollment routes answer.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PASSWORD_REJECTED`: A new password is shorter than 12 or longer than 128 characters, or is on the list of common passwords; `details.reason` says which. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Setup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                    token: string;
                    workspaceName: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        csrfToken: string;
                        /** Format: date-time */
                        expiresAt: string;
                        /** @constant */
                        tokenType: "Bearer";
                        userId: string;
                        workspaceId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SETUP_TOKEN_INVALID`: The one-time setup token is unknown, used, revoked or expired (setup may already be complete). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PASSWORD_REJECTED`: A new password is shorter than 12 or longer than 128 characters, or is on the list of common passwords; `details.reason` says which. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Workspaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        region: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        region: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        region: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdAccessLog: {
        parameters: {
            query?: {
                action?: "conversation.viewed" | "messages.viewed" | "contact.viewed" | "media.viewed" | "conversations.searched" | "contacts.exported" | "audit.exported" | "access_log.exported";
                actorId?: string;
                contactId?: string;
                cursor?: string;
                from?: string;
                limit?: number;
                to?: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            action: string;
                            actor: {
                                id: string | null;
                                /** @enum {string} */
                                type: "user" | "api_key" | "system";
                            };
                            contactId: string | null;
                            conversationId: string | null;
                            leafHash: string;
                            messageId: string | null;
                            /** @description The caller's address reduced to its /24 (IPv4) or /48 (IPv6). */
                            network: string | null;
                            /** Format: date-time */
                            occurredAt: string;
                            seq: number;
                            target: {
                                id: string;
                                type: string;
                            } | null;
                            userAgentFamily: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdAccessLogExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    action?: "conversation.viewed" | "messages.viewed" | "contact.viewed" | "media.viewed" | "conversations.searched" | "contacts.exported" | "audit.exported" | "access_log.exported";
                    /** @description Entries of this member (user id) or API key (key id). */
                    actorId?: string;
                    /**
                     * Format: uuid
                     * @description Entries naming this contact (views, messages, media) and bulk contact exports.
                     */
                    contactId?: string;
                    /** Format: date-time */
                    from?: string;
                    /** Format: date-time */
                    to?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        contentType: "text/csv; charset=utf-8";
                        csv: string;
                        filename: string;
                        rows: number;
                        truncated: boolean;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdAnalyticsSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        conversations: {
                            closed: number;
                            open: number;
                            unassigned: number;
                        };
                        days: number;
                        firstResponse: {
                            answered: number;
                            medianSeconds: number | null;
                            waiting: number;
                        };
                        /** Format: date-time */
                        generatedAt: string;
                        messagesPerDay: {
                            /** Format: date */
                            day: string;
                            inbound: number;
                            outbound: number;
                        }[];
                        outbound: {
                            delivered: number;
                            deliveryRate: number | null;
                            failed: number;
                            read: number;
                            readRate: number | null;
                            total: number;
                        };
                        /** Format: date-time */
                        since: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apiKeys: {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string;
                            expiresAt: string | null;
                            /** Format: uuid */
                            id: string;
                            lastFour: string | null;
                            lastUsedAt: string | null;
                            /** @description The network (/24 for IPv4, /48 for IPv6) the key was last used from; never the address. */
                            lastUsedIp: string | null;
                            name: string;
                            revokedAt: string | null;
                            scopes: string[];
                            /** @enum {string} */
                            status: "active" | "expired" | "revoked";
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expiresInDays?: number;
                    name: string;
                    scopes: ("workspace.read" | "workspace.manage" | "members.read" | "members.manage" | "invitations.manage" | "api_keys.manage" | "audit.read" | "audit.export" | "settings.manage" | "contacts.read" | "contacts.write" | "contacts.erase" | "contacts.delete" | "contacts.export" | "contacts.import" | "conversations.read_assigned" | "conversations.read_all" | "conversations.assign" | "messages.send" | "quick_replies.manage" | "templates.manage" | "analytics.read" | "numbers.manage" | "keys.manage" | "retention.manage" | "blocked_addresses.manage" | "broadcasts.manage" | "privacy.manage" | "webhooks.manage")[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string;
                        expiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        key: string;
                        lastFour: string | null;
                        lastUsedAt: string | null;
                        /** @description The network (/24 for IPv4, /48 for IPv6) the key was last used from; never the address. */
                        lastUsedIp: string | null;
                        name: string;
                        revokedAt: string | null;
                        scopes: string[];
                        /** @enum {string} */
                        status: "active" | "expired" | "revoked";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdApiKeysByApiKeyId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                apiKeyId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdAudit: {
        parameters: {
            query?: {
                action?: "auth.login.succeeded" | "auth.login.failed" | "auth.lockout" | "auth.logout" | "auth.password.changed" | "auth.mfa.enrolled" | "auth.mfa.reset" | "auth.recovery_code.used" | "setup.completed" | "workspace.created" | "invitation.created" | "invitation.revoked" | "invitation.accepted" | "member.role_changed" | "member.removed" | "api_key.created" | "api_key.revoked" | "number.connected" | "number.token_updated" | "keys.rotated" | "keys.signing_rotated" | "audit.key_rotated" | "export.created" | "contact.erased" | "settings.changed" | "audit.exported" | "number.credentials_invalid" | "conversation.assigned" | "conversation.closed" | "conversation.reopened" | "conversation.takeover" | "note.created" | "quick_reply.created" | "quick_reply.updated" | "quick_reply.deleted" | "templates.synced" | "templates.created" | "templates.edited" | "templates.deleted" | "contact.consent_changed" | "contacts.imported" | "contacts.exported" | "contact.number_changed" | "contact.user_id_changed" | "contact.trashed" | "contact.restored" | "retention.changed" | "retention.applied" | "address.unblocked" | "webhook.endpoint.created" | "webhook.endpoint.updated" | "webhook.endpoint.deleted" | "webhook.endpoint.personal_data_changed" | "webhook.endpoint.auto_disabled" | "webhook.secret.rotated" | "webhook.deliveries.replayed" | "broadcast.created" | "broadcast.deleted" | "broadcast.started" | "broadcast.paused" | "broadcast.resumed" | "broadcast.cancelled" | "broadcast.retried" | "broadcast.exported" | "broadcast.auto_paused" | "broadcast.audience_uploaded" | "conversation.viewed" | "messages.viewed" | "contact.viewed" | "media.viewed" | "conversations.searched" | "access_log.exported" | "plan.defined" | "plan.assigned" | "number.pin_set" | "number.registered" | "number.deregistered" | "number.profile_updated" | "number.disconnected" | "number.reconnected" | "number.embedded_signup" | "consent.keywords_changed" | "subject_request.created" | "subject_request.updated" | "subject_export.requested" | "subject_export.completed" | "subject_export.failed" | "subject_export.downloaded" | "subject_export.expired";
                actorId?: string;
                cursor?: string;
                from?: string;
                limit?: number;
                to?: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            action: string;
                            actor: {
                                id: string | null;
                                /** @enum {string} */
                                type: "user" | "api_key" | "system";
                            };
                            ip: string | null;
                            leafHash: string;
                            metadata: {
                                [key: string]: string | number | boolean | null;
                            };
                            /** Format: date-time */
                            occurredAt: string;
                            seq: number;
                            target: {
                                id: string;
                                type: string;
                            } | null;
                            userAgent: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdAuditCheckpoints: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checkpoints: {
                            keyId: string;
                            note: string;
                            rootHash: string;
                            signature: string;
                            /** Format: date-time */
                            signedAt: string;
                            treeSize: number;
                        }[];
                        keys: {
                            isActive: boolean;
                            keyId: string;
                            publicKey: string;
                            publicKeyPem: string;
                            verifierKey: string;
                        }[];
                        origin: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdAuditExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    action?: "auth.login.succeeded" | "auth.login.failed" | "auth.lockout" | "auth.logout" | "auth.password.changed" | "auth.mfa.enrolled" | "auth.mfa.reset" | "auth.recovery_code.used" | "setup.completed" | "workspace.created" | "invitation.created" | "invitation.revoked" | "invitation.accepted" | "member.role_changed" | "member.removed" | "api_key.created" | "api_key.revoked" | "number.connected" | "number.token_updated" | "keys.rotated" | "keys.signing_rotated" | "audit.key_rotated" | "export.created" | "contact.erased" | "settings.changed" | "audit.exported" | "number.credentials_invalid" | "conversation.assigned" | "conversation.closed" | "conversation.reopened" | "conversation.takeover" | "note.created" | "quick_reply.created" | "quick_reply.updated" | "quick_reply.deleted" | "templates.synced" | "templates.created" | "templates.edited" | "templates.deleted" | "contact.consent_changed" | "contacts.imported" | "contacts.exported" | "contact.number_changed" | "contact.user_id_changed" | "contact.trashed" | "contact.restored" | "retention.changed" | "retention.applied" | "address.unblocked" | "webhook.endpoint.created" | "webhook.endpoint.updated" | "webhook.endpoint.deleted" | "webhook.endpoint.personal_data_changed" | "webhook.endpoint.auto_disabled" | "webhook.secret.rotated" | "webhook.deliveries.replayed" | "broadcast.created" | "broadcast.deleted" | "broadcast.started" | "broadcast.paused" | "broadcast.resumed" | "broadcast.cancelled" | "broadcast.retried" | "broadcast.exported" | "broadcast.auto_paused" | "broadcast.audience_uploaded" | "conversation.viewed" | "messages.viewed" | "contact.viewed" | "media.viewed" | "conversations.searched" | "access_log.exported" | "plan.defined" | "plan.assigned" | "number.pin_set" | "number.registered" | "number.deregistered" | "number.profile_updated" | "number.disconnected" | "number.reconnected" | "number.embedded_signup" | "consent.keywords_changed" | "subject_request.created" | "subject_request.updated" | "subject_export.requested" | "subject_export.completed" | "subject_export.failed" | "subject_export.downloaded" | "subject_export.expired";
                    actorId?: string;
                    /** Format: date-time */
                    from?: string;
                    /** Format: date-time */
                    to?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        contentType: "text/csv; charset=utf-8";
                        csv: string;
                        filename: string;
                        rows: number;
                        truncated: boolean;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdAuditVerification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        checkedAt: string;
                        checkpoints: number;
                        entries: number;
                        latestCheckpoint: {
                            keyId: string;
                            rootHash: string;
                            /** Format: date-time */
                            signedAt: string;
                            treeSize: number;
                        } | null;
                        problem: {
                            checkpointSize: number | null;
                            /** @enum {string} */
                            kind: "edited" | "deleted" | "inserted" | "reordered" | "checkpoint";
                            reason: string;
                            seq: number;
                        } | null;
                        /** @enum {string} */
                        status: "ok" | "failed";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdBroadcasts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            audience: {
                                [key: string]: unknown;
                            };
                            audienceResolved: boolean;
                            counts: {
                                accepted: number;
                                delivered: number;
                                failed: number;
                                pending: number;
                                read: number;
                                sending: number;
                                sent: number;
                                skipped: number;
                                total: number;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            name: string;
                            numberIds: string[];
                            parameters: {
                                [key: string]: string;
                            }[];
                            pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                            scheduledAt: string | null;
                            startedAt: string | null;
                            /** @enum {string} */
                            state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                            /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                            statusText: string | null;
                            template: {
                                language: string;
                                name: string;
                            };
                            timeZone: string;
                            waitingUntil: string | null;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcasts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    audience: {
                        customFields?: {
                            key: string;
                            value: string;
                        }[];
                        /** Format: date-time */
                        lastActivityAfter?: string;
                        /** Format: date-time */
                        lastActivityBefore?: string;
                        /** Format: uuid */
                        numberId?: string;
                        tags?: string[];
                        /** Format: uuid */
                        uploadId?: string;
                    };
                    name: string;
                    numberIds: string[];
                    /** @default [] */
                    parameters?: ({
                        fallback: string;
                        /** @constant */
                        source: "name";
                    } | {
                        fallback: string;
                        field: string;
                        /** @constant */
                        source: "field";
                    } | {
                        /** @constant */
                        source: "text";
                        text: string;
                    })[];
                    scheduledAt?: string;
                    template: {
                        language: string;
                        name: string;
                    };
                    /** @default UTC */
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdOutcomesCsv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        failures: {
                            code: number | null;
                            count: number;
                            description: string;
                            retryable: boolean;
                        }[];
                        funnel: {
                            delivered: number;
                            handedOver: number;
                            read: number;
                            replied: number;
                            sent: number;
                            targeted: number;
                        };
                        skips: {
                            count: number;
                            description: string;
                            reason: ("no_consent" | "opted_out" | "contact_deleted" | "cancelled" | "number_unavailable" | "refused") | null;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsByBroadcastIdStart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                broadcastId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            [key: string]: unknown;
                        };
                        audienceResolved: boolean;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        name: string;
                        numberIds: string[];
                        parameters: {
                            [key: string]: string;
                        }[];
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        scheduledAt: string | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** @description Why it is paused, or until when it waits for the messaging limit, in words. */
                        statusText: string | null;
                        template: {
                            language: string;
                            name: string;
                        };
                        timeZone: string;
                        waitingUntil: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsAudiences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    csv: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rows: {
                            errors: {
                                column: string | null;
                                message: string;
                            }[];
                            reason: ("invalid_number" | "duplicate" | "invalid_row") | null;
                            /** @description The row's number in the file (the header is row 1). */
                            row: number;
                            /** @enum {string} */
                            status: "accepted" | "excluded";
                        }[];
                        upload: {
                            /** @description Rows matched to or created as a contact; consent is still checked when sending. */
                            accepted: number;
                            /** Format: date-time */
                            createdAt: string;
                            excluded: {
                                duplicate: number;
                                invalidNumber: number;
                                invalidRow: number;
                            };
                            /** @description The file's field:<name> columns, usable as parameters with source field. */
                            fieldKeys: string[];
                            /** Format: uuid */
                            id: string;
                            /** @description Data rows of the file. */
                            rows: number;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdBroadcastsAudiencesByUploadId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uploadId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Rows matched to or created as a contact; consent is still checked when sending. */
                        accepted: number;
                        /** Format: date-time */
                        createdAt: string;
                        excluded: {
                            duplicate: number;
                            invalidNumber: number;
                            invalidRow: number;
                        };
                        /** @description The file's field:<name> columns, usable as parameters with source field. */
                        fieldKeys: string[];
                        /** Format: uuid */
                        id: string;
                        /** @description Data rows of the file. */
                        rows: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdBroadcastsEstimate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    audience: {
                        customFields?: {
                            key: string;
                            value: string;
                        }[];
                        /** Format: date-time */
                        lastActivityAfter?: string;
                        /** Format: date-time */
                        lastActivityBefore?: string;
                        /** Format: uuid */
                        numberId?: string;
                        tags?: string[];
                        /** Format: uuid */
                        uploadId?: string;
                    };
                    numberIds: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        eligible: number;
                        excluded: {
                            duplicate: number;
                            invalidNumber: number;
                            /** @description Rows of an uploaded audience with another problem (a bad name or field, a contact in the trash). */
                            invalidRow: number;
                            noConsent: number;
                            optedOut: number;
                            outsideMessagingLimit: number;
                        };
                        matched: number;
                        remainingQuota: number | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdContacts: {
        parameters: {
            query?: {
                consent?: "unknown" | "opted_in" | "opted_out";
                cursor?: string;
                limit?: number;
                phone?: string;
                tag?: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            consent: {
                                source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                                /** @enum {string} */
                                status: "unknown" | "opted_in" | "opted_out";
                                updatedAt: string | null;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            name: string | null;
                            /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                            phone: string | null;
                            tags: string[];
                            whatsappName: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdContacts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    consent?: {
                        /** @enum {string} */
                        source: "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
                        /** @enum {string} */
                        status: "unknown" | "opted_in" | "opted_out";
                    };
                    customFields?: {
                        [key: string]: string;
                    };
                    name?: string | null;
                    phone: string;
                    tags?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        conversationCount: number;
                        /** Format: date-time */
                        createdAt: string;
                        customFields: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        name: string | null;
                        /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                        phone: string | null;
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                        whatsappName: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdContactsByContactId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        conversationCount: number;
                        /** Format: date-time */
                        createdAt: string;
                        customFields: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        name: string | null;
                        /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                        phone: string | null;
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                        whatsappName: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdContactsByContactId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdContactsByContactId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    customFields?: {
                        [key: string]: string;
                    };
                    name?: string | null;
                    tags?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        conversationCount: number;
                        /** Format: date-time */
                        createdAt: string;
                        customFields: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        name: string | null;
                        /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                        phone: string | null;
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                        whatsappName: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdContactsByContactIdConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The ledger, newest first (the latest 200 entries). */
                        history: {
                            /** Format: uuid */
                            id: string;
                            /**
                             * @description recorded: by a member or the API; import: a CSV import; keyword: the contact wrote an opt-out or opt-in keyword; meta_preference: the contact stopped or resumed marketing messages in WhatsApp (Meta's marketing opt-out).
                             * @enum {string}
                             */
                            method: "recorded" | "import" | "keyword" | "meta_preference";
                            /** Format: date-time */
                            occurredAt: string;
                            /** @description The member who recorded it; null for the contact's own words. */
                            recordedByUserId: string | null;
                            /** @enum {string} */
                            scope: "marketing" | "utility";
                            /** @enum {string} */
                            source: "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                        }[];
                        /** @description The current marketing consent: a marketing template or broadcast needs opted_in. */
                        marketing: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        /** @description The latest utility consent recorded (evidence; utility messages are not refused). */
                        utility: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdContactsByContactIdConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    scope?: "marketing" | "utility";
                    /** @enum {string} */
                    source: "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
                    /** @enum {string} */
                    status: "unknown" | "opted_in" | "opted_out";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        conversationCount: number;
                        /** Format: date-time */
                        createdAt: string;
                        customFields: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        name: string | null;
                        /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                        phone: string | null;
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                        whatsappName: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdContactsByContactIdConsentEntries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    scope: "marketing" | "utility";
                    /** @enum {string} */
                    source: "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
                    /** @enum {string} */
                    status: "unknown" | "opted_in" | "opted_out";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The ledger, newest first (the latest 200 entries). */
                        history: {
                            /** Format: uuid */
                            id: string;
                            /**
                             * @description recorded: by a member or the API; import: a CSV import; keyword: the contact wrote an opt-out or opt-in keyword; meta_preference: the contact stopped or resumed marketing messages in WhatsApp (Meta's marketing opt-out).
                             * @enum {string}
                             */
                            method: "recorded" | "import" | "keyword" | "meta_preference";
                            /** Format: date-time */
                            occurredAt: string;
                            /** @description The member who recorded it; null for the contact's own words. */
                            recordedByUserId: string | null;
                            /** @enum {string} */
                            scope: "marketing" | "utility";
                            /** @enum {string} */
                            source: "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                        }[];
                        /** @description The current marketing consent: a marketing template or broadcast needs opted_in. */
                        marketing: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        /** @description The latest utility consent recorded (evidence; utility messages are not refused). */
                        utility: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdContactsByContactIdRestore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consent: {
                            source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                            /** @enum {string} */
                            status: "unknown" | "opted_in" | "opted_out";
                            updatedAt: string | null;
                        };
                        conversationCount: number;
                        /** Format: date-time */
                        createdAt: string;
                        customFields: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        name: string | null;
                        /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                        phone: string | null;
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                        whatsappName: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdContactsByContactIdTrash: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        purgeAfter: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdContactsExportCsv: {
        parameters: {
            query?: {
                consent?: "unknown" | "opted_in" | "opted_out";
                tag?: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdContactsImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    csv: string;
                    /** @default false */
                    dryRun?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rows: {
                            errors: {
                                column: string | null;
                                message: string;
                            }[];
                            row: number;
                            /** @enum {string} */
                            status: "created" | "updated" | "unchanged" | "invalid";
                        }[];
                        summary: {
                            created: number;
                            dryRun: boolean;
                            ignoredColumns: string[];
                            invalid: number;
                            rows: number;
                            unchanged: number;
                            updated: number;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdContactsTrash: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            consent: {
                                source: ("whatsapp" | "web_form" | "import" | "api" | "agent" | "other") | null;
                                /** @enum {string} */
                                status: "unknown" | "opted_in" | "opted_out";
                                updatedAt: string | null;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            deletedAt: string;
                            /** Format: uuid */
                            id: string;
                            name: string | null;
                            /** @description E.164; null for a contact WhatsApp identified only by a business-scoped user id (a username, no phone). */
                            phone: string | null;
                            /**
                             * Format: date-time
                             * @description When the purge erases the contact for good (30 days after it was moved to the trash).
                             */
                            purgeAfter: string;
                            tags: string[];
                            whatsappName: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdConversations: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                name?: string;
                numberId?: string;
                phone?: string;
                status?: "open" | "closed";
                tag?: string;
                view?: "mine" | "unassigned" | "all";
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            assignedUserId: string | null;
                            contact: {
                                /** Format: uuid */
                                id: string;
                                name: string | null;
                                phone: string | null;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            lastActivityAt: string;
                            lastMessage: {
                                /** @enum {string} */
                                direction: "in" | "out";
                                /** Format: uuid */
                                id: string;
                                /** Format: date-time */
                                occurredAt: string;
                                status: string;
                                text: string | null;
                                type: string;
                            } | null;
                            /** Format: uuid */
                            numberId: string;
                            /** @enum {string} */
                            status: "open" | "closed";
                            window: {
                                expiresAt: string | null;
                                open: boolean;
                            };
                        }[];
                        /** @description For a name search: how many conversations were looked at, and whether the scan cap stopped the search before the page was full (null without `name`). */
                        nameScan: {
                            capped: boolean;
                            scanned: number;
                        } | null;
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdConversationsByConversationId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assignedUserId: string | null;
                        contact: {
                            /** Format: uuid */
                            id: string;
                            name: string | null;
                            phone: string | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        lastActivityAt: string;
                        lastMessage: {
                            /** @enum {string} */
                            direction: "in" | "out";
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            occurredAt: string;
                            status: string;
                            text: string | null;
                            type: string;
                        } | null;
                        /** Format: uuid */
                        numberId: string;
                        /** @enum {string} */
                        status: "open" | "closed";
                        window: {
                            expiresAt: string | null;
                            open: boolean;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdAssign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    userId: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assignedUserId: string | null;
                        contact: {
                            /** Format: uuid */
                            id: string;
                            name: string | null;
                            phone: string | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        lastActivityAt: string;
                        lastMessage: {
                            /** @enum {string} */
                            direction: "in" | "out";
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            occurredAt: string;
                            status: string;
                            text: string | null;
                            type: string;
                        } | null;
                        /** Format: uuid */
                        numberId: string;
                        /** @enum {string} */
                        status: "open" | "closed";
                        window: {
                            expiresAt: string | null;
                            open: boolean;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdClose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assignedUserId: string | null;
                        contact: {
                            /** Format: uuid */
                            id: string;
                            name: string | null;
                            phone: string | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        lastActivityAt: string;
                        lastMessage: {
                            /** @enum {string} */
                            direction: "in" | "out";
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            occurredAt: string;
                            status: string;
                            text: string | null;
                            type: string;
                        } | null;
                        /** Format: uuid */
                        numberId: string;
                        /** @enum {string} */
                        status: "open" | "closed";
                        window: {
                            expiresAt: string | null;
                            open: boolean;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdConversationsByConversationIdMessages: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description What the message holds, by kind; `unsupported` names a type Parley does not read yet. Null when the content is gone (an erased contact). */
                            content: ({
                                body: string;
                                /** @constant */
                                kind: "text";
                            } | {
                                /** @description An animated sticker. */
                                animated: boolean;
                                caption: string | null;
                                filename: string | null;
                                /** @constant */
                                kind: "media";
                                mediaType: string;
                                /** @description An audio message recorded as a voice note. */
                                voice: boolean;
                            } | {
                                address: string | null;
                                /** @constant */
                                kind: "location";
                                latitude: number | null;
                                longitude: number | null;
                                name: string | null;
                                url: string | null;
                            } | {
                                contacts: {
                                    emails: {
                                        email: string | null;
                                        type: string | null;
                                    }[];
                                    name: string | null;
                                    organization: string | null;
                                    phones: {
                                        phone: string | null;
                                        type: string | null;
                                        waId: string | null;
                                    }[];
                                    urls: {
                                        type: string | null;
                                        url: string | null;
                                    }[];
                                }[];
                                /** @constant */
                                kind: "contacts";
                            } | {
                                description: string | null;
                                id: string | null;
                                /** @constant */
                                kind: "reply";
                                /** @enum {string} */
                                replyType: "button_reply" | "list_reply";
                                title: string | null;
                            } | {
                                body: string | null;
                                /** @constant */
                                kind: "flow_reply";
                                name: string | null;
                                /** @description The flow's answers, each as text (`flow_token` left out). */
                                response: {
                                    [key: string]: string;
                                };
                            } | {
                                /** @constant */
                                kind: "button";
                                payload: string | null;
                                text: string | null;
                            } | {
                                catalogId: string | null;
                                items: {
                                    currency: string | null;
                                    itemPrice: number | null;
                                    productRetailerId: string | null;
                                    quantity: number | null;
                                }[];
                                /** @constant */
                                kind: "order";
                                text: string | null;
                            } | {
                                emoji: string;
                                /** @constant */
                                kind: "reaction";
                                messageWamid: string | null;
                            } | {
                                body: string | null;
                                /** @constant */
                                kind: "system";
                                systemType: string | null;
                            } | {
                                /** @constant */
                                kind: "template";
                                language: string | null;
                                name: string | null;
                                /** @description Null for a template Parley had not synced when it was sent (or sent before rendering). */
                                rendered: {
                                    body: string | null;
                                    buttons: {
                                        text: string;
                                        /** @enum {string} */
                                        type: "quick_reply" | "url" | "phone_number" | "copy_code" | "other";
                                        url: string | null;
                                    }[];
                                    footer: string | null;
                                    header: ({
                                        /** @constant */
                                        kind: "text";
                                        text: string;
                                    } | {
                                        filename: string | null;
                                        /** @constant */
                                        kind: "media";
                                        link: string | null;
                                        /** @enum {string} */
                                        mediaType: "image" | "video" | "document";
                                    } | {
                                        address: string | null;
                                        /** @constant */
                                        kind: "location";
                                        latitude: number;
                                        longitude: number;
                                        name: string | null;
                                    }) | null;
                                } | null;
                            } | {
                                body: string | null;
                                interactiveType: string | null;
                                /** @constant */
                                kind: "interactive";
                            } | {
                                errors: {
                                    code: number | null;
                                    title: string | null;
                                }[];
                                /** @constant */
                                kind: "unsupported";
                                /** @description The message type as WhatsApp named it. */
                                type: string;
                            }) | null;
                            /** Format: uuid */
                            conversationId: string;
                            /** @enum {string} */
                            direction: "in" | "out";
                            errorCode: number | null;
                            /** Format: uuid */
                            id: string;
                            media: {
                                available: boolean;
                                error: string | null;
                                filename: string | null;
                                mimeType: string | null;
                                sizeBytes: number | null;
                                status: ("pending" | "stored" | "refused" | "failed") | null;
                            } | null;
                            /** Format: date-time */
                            occurredAt: string;
                            sentByUserId: string | null;
                            status: string;
                            text: string | null;
                            type: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdConversationsByConversationIdNotes: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            authorUserId: string | null;
                            /** Format: uuid */
                            conversationId: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            text: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    text: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        authorUserId: string | null;
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        text: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdConversationsByConversationIdPresence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: date-time */
                            expiresAt: string;
                            /** @enum {string} */
                            state: "viewing" | "typing";
                            /** Format: uuid */
                            userId: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdPresence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    state: "viewing" | "typing" | "idle" | "left";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: date-time */
                            expiresAt: string;
                            /** @enum {string} */
                            state: "viewing" | "typing";
                            /** Format: uuid */
                            userId: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdConversationsByConversationIdReopen: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                conversationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assignedUserId: string | null;
                        contact: {
                            /** Format: uuid */
                            id: string;
                            name: string | null;
                            phone: string | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        lastActivityAt: string;
                        lastMessage: {
                            /** @enum {string} */
                            direction: "in" | "out";
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            occurredAt: string;
                            status: string;
                            text: string | null;
                            type: string;
                        } | null;
                        /** Format: uuid */
                        numberId: string;
                        /** @enum {string} */
                        status: "open" | "closed";
                        window: {
                            expiresAt: string | null;
                            open: boolean;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdEvents: {
        parameters: {
            query: {
                lastEventId?: string;
                ticket: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdEventsTickets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        ticket: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        invitations: {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            invitedBy: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "agent" | "analyst";
                            /** @enum {string} */
                            status: "pending" | "accepted" | "revoked" | "expired";
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    /** @enum {string} */
                    role: "owner" | "admin" | "agent" | "analyst";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        email: string;
                        /** Format: date-time */
                        expiresAt: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        invitedBy: string;
                        /** Format: uri */
                        link: string;
                        /** @enum {string} */
                        role: "owner" | "admin" | "agent" | "analyst";
                        /** @enum {string} */
                        status: "pending" | "accepted" | "revoked" | "expired";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdInvitationsByInvitationId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invitationId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdMedia: {
        parameters: {
            query: {
                conversationId: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/msword": string;
                "application/pdf": string;
                "application/vnd.ms-excel": string;
                "application/vnd.ms-powerpoint": string;
                "application/vnd.openxmlformats-officedocument.presentationml.presentation": string;
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": string;
                "audio/aac": string;
                "audio/amr": string;
                "audio/mp4": string;
                "audio/mpeg": string;
                "audio/ogg": string;
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
                "text/plain": string;
                "video/3gpp": string;
                "video/mp4": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: uuid
                         * @description The media reference to send (image.upload, document.upload, …).
                         */
                        id: string;
                        mimeType: string;
                        sizeBytes: number;
                        /**
                         * @description The message type the file is sent as, from its Content-Type.
                         * @enum {string}
                         */
                        type: "image" | "video" | "audio" | "document" | "sticker";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            email: string;
                            /** Format: date-time */
                            joinedAt: string;
                            /** @enum {string} */
                            role: "owner" | "admin" | "agent" | "analyst";
                            /** Format: uuid */
                            userId: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdMembersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdMembersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "owner" | "admin" | "agent" | "analyst";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "owner" | "admin" | "agent" | "analyst";
                        /** Format: uuid */
                        userId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    audio?: {
                        id?: string;
                        /** Format: uri */
                        link?: string;
                        /** Format: uuid */
                        upload?: string;
                    };
                    /** Format: uuid */
                    conversationId?: string;
                    document?: {
                        caption?: string;
                        filename?: string;
                        id?: string;
                        /** Format: uri */
                        link?: string;
                        /** Format: uuid */
                        upload?: string;
                    };
                    /** @description The conversation's newest message when the reply was started (null: it had none). If someone else has sent a message in the conversation since, the send is refused with 409 REPLY_COLLISION. */
                    ifLastMessageId?: string | null;
                    image?: {
                        caption?: string;
                        id?: string;
                        /** Format: uri */
                        link?: string;
                        /** Format: uuid */
                        upload?: string;
                    };
                    interactive?: {
                        body: string;
                        buttons: {
                            id: string;
                            title: string;
                        }[];
                        footer?: string;
                        header?: {
                            text: string;
                            /** @constant */
                            type: "text";
                        } | {
                            image: {
                                id?: string;
                                /** Format: uri */
                                link?: string;
                            };
                            /** @constant */
                            type: "image";
                        } | {
                            /** @constant */
                            type: "video";
                            video: {
                                id?: string;
                                /** Format: uri */
                                link?: string;
                            };
                        } | {
                            document: {
                                id?: string;
                                /** Format: uri */
                                link?: string;
                            };
                            /** @constant */
                            type: "document";
                        };
                        /** @constant */
                        type: "button";
                    } | {
                        body: string;
                        button: string;
                        footer?: string;
                        header?: string;
                        sections: {
                            rows: {
                                description?: string;
                                id: string;
                                title: string;
                            }[];
                            title?: string;
                        }[];
                        /** @constant */
                        type: "list";
                    };
                    location?: {
                        address?: string;
                        latitude: number;
                        longitude: number;
                        name?: string;
                    };
                    /** Format: uuid */
                    numberId?: string;
                    reaction?: {
                        emoji: string;
                        /** Format: uuid */
                        messageId: string;
                    };
                    sticker?: {
                        id?: string;
                        /** Format: uri */
                        link?: string;
                        /** Format: uuid */
                        upload?: string;
                    };
                    /** @description Send even though someone else answered since `ifLastMessageId` (after the person confirmed). Audited as conversation.takeover. */
                    takeover?: boolean;
                    template?: {
                        components?: ({
                            parameters: ({
                                parameterName?: string;
                                text: string;
                                /** @constant */
                                type: "text";
                            } | {
                                payload: string;
                                /** @constant */
                                type: "payload";
                            } | {
                                image: {
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                                /** @constant */
                                type: "image";
                            } | {
                                /** @constant */
                                type: "video";
                                video: {
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                            } | {
                                document: {
                                    filename?: string;
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                                /** @constant */
                                type: "document";
                            } | {
                                currency: {
                                    amount1000: number;
                                    code: string;
                                    fallbackValue: string;
                                };
                                /** @constant */
                                type: "currency";
                            } | {
                                dateTime: {
                                    fallbackValue: string;
                                };
                                /** @constant */
                                type: "dateTime";
                            } | {
                                location: {
                                    address?: string;
                                    latitude: number;
                                    longitude: number;
                                    name?: string;
                                };
                                /** @constant */
                                type: "location";
                            })[];
                            /** @constant */
                            type: "header";
                        } | {
                            parameters: ({
                                parameterName?: string;
                                text: string;
                                /** @constant */
                                type: "text";
                            } | {
                                payload: string;
                                /** @constant */
                                type: "payload";
                            } | {
                                image: {
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                                /** @constant */
                                type: "image";
                            } | {
                                /** @constant */
                                type: "video";
                                video: {
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                            } | {
                                document: {
                                    filename?: string;
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                                /** @constant */
                                type: "document";
                            } | {
                                currency: {
                                    amount1000: number;
                                    code: string;
                                    fallbackValue: string;
                                };
                                /** @constant */
                                type: "currency";
                            } | {
                                dateTime: {
                                    fallbackValue: string;
                                };
                                /** @constant */
                                type: "dateTime";
                            } | {
                                location: {
                                    address?: string;
                                    latitude: number;
                                    longitude: number;
                                    name?: string;
                                };
                                /** @constant */
                                type: "location";
                            })[];
                            /** @constant */
                            type: "body";
                        } | {
                            index: number;
                            parameters: ({
                                parameterName?: string;
                                text: string;
                                /** @constant */
                                type: "text";
                            } | {
                                payload: string;
                                /** @constant */
                                type: "payload";
                            } | {
                                image: {
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                                /** @constant */
                                type: "image";
                            } | {
                                /** @constant */
                                type: "video";
                                video: {
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                            } | {
                                document: {
                                    filename?: string;
                                    id?: string;
                                    /** Format: uri */
                                    link?: string;
                                };
                                /** @constant */
                                type: "document";
                            } | {
                                currency: {
                                    amount1000: number;
                                    code: string;
                                    fallbackValue: string;
                                };
                                /** @constant */
                                type: "currency";
                            } | {
                                dateTime: {
                                    fallbackValue: string;
                                };
                                /** @constant */
                                type: "dateTime";
                            } | {
                                location: {
                                    address?: string;
                                    latitude: number;
                                    longitude: number;
                                    name?: string;
                                };
                                /** @constant */
                                type: "location";
                            })[];
                            /** @enum {string} */
                            subType: "quick_reply" | "url" | "copy_code";
                            /** @constant */
                            type: "button";
                        })[];
                        language: string;
                        name: string;
                    };
                    text?: {
                        body: string;
                        previewUrl?: boolean;
                    };
                    to?: string;
                    /** @enum {string} */
                    type: "text" | "template" | "image" | "video" | "audio" | "document" | "sticker" | "interactive" | "reaction" | "location";
                    video?: {
                        caption?: string;
                        id?: string;
                        /** Format: uri */
                        link?: string;
                        /** Format: uuid */
                        upload?: string;
                    };
                };
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        numberId: string;
                        /** @constant */
                        status: "queued";
                        /** @enum {string} */
                        type: "text" | "template" | "image" | "video" | "audio" | "document" | "sticker" | "interactive" | "reaction" | "location";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `CONFLICT`: A unique value is taken, or a concurrent change won.
             *
             *     `REPLY_COLLISION`: A send with `ifLastMessageId` finds an outbound message sent by someone else after that message; `details` says who (`answeredByUserId`, null for an automated send) and when (`answeredAt`), never the text. Resending with `takeover: true` sends anyway (audited).
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule.
             *
             *     `CONSENT_REQUIRED`: A business-initiated marketing message (a template of category MARKETING, from the composer, the API or the Graph-compatible proxy, or a broadcast) addresses a contact whose current marketing consent is not `opted_in`; `details.reason` is `opted_out` or `no_consent`. Nothing is queued. Utility and authentication templates and replies inside the 24-hour window are not refused, also to an opted-out contact.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdMessagesByMessageIdMediaUrl: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                messageId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        url: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        numbers: {
                            accessTokenLast4: string;
                            accessTokenVersion: number;
                            appId: string | null;
                            appSecretLast4: string;
                            /** Format: date-time */
                            createdAt: string;
                            displayPhoneLast4: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            mode: "sandbox" | "live";
                            phoneNumberId: string;
                            /** @enum {string} */
                            status: "active" | "credentials_invalid" | "disconnected";
                            tier: 80 | 1000;
                            /** Format: date-time */
                            updatedAt: string;
                            verifiedAt: string | null;
                            verifyTokenLast4: string;
                            wabaId: string;
                            webhookUrl: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    accessToken: string;
                    appId?: string;
                    appSecret: string;
                    phoneNumberId: string;
                    verifyToken: string;
                    wabaId: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessTokenLast4: string;
                        accessTokenVersion: number;
                        appId: string | null;
                        appSecretLast4: string;
                        /** Format: date-time */
                        createdAt: string;
                        displayPhoneLast4: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        phoneNumberId: string;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        tier: 80 | 1000;
                        /** Format: date-time */
                        updatedAt: string;
                        verifiedAt: string | null;
                        verifyTokenLast4: string;
                        wabaId: string;
                        webhookUrl: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbersByNumberId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessTokenLast4: string;
                        accessTokenVersion: number;
                        appId: string | null;
                        appSecretLast4: string;
                        /** Format: date-time */
                        createdAt: string;
                        displayPhoneLast4: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        phoneNumberId: string;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        tier: 80 | 1000;
                        /** Format: date-time */
                        updatedAt: string;
                        verifiedAt: string | null;
                        verifyTokenLast4: string;
                        wabaId: string;
                        webhookUrl: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putApiV1WorkspacesByWorkspaceIdNumbersByNumberIdAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    accessToken: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessTokenLast4: string;
                        accessTokenVersion: number;
                        appId: string | null;
                        appSecretLast4: string;
                        /** Format: date-time */
                        createdAt: string;
                        displayPhoneLast4: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        phoneNumberId: string;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        tier: 80 | 1000;
                        /** Format: date-time */
                        updatedAt: string;
                        verifiedAt: string | null;
                        verifyTokenLast4: string;
                        wabaId: string;
                        webhookUrl: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdDeregister: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdDisconnect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The access token was stored more than 90 days ago: rotate it. */
                        accessTokenOld: boolean;
                        /** Format: date-time */
                        accessTokenStoredAt: string;
                        /** @description The last account_update event about the number's account. */
                        accountEvent: string | null;
                        disconnectedAt: string | null;
                        displayPhoneLast4: string | null;
                        healthCheckedAt: string | null;
                        /** @description Why the last read from Meta failed, in words. */
                        healthError: string | null;
                        /** Format: uuid */
                        id: string;
                        messagingLimit: ("TIER_250" | "TIER_2K" | "TIER_10K" | "TIER_100K" | "TIER_UNLIMITED") | null;
                        /** @description Meta's status of the number (e.g. CONNECTED). */
                        metaStatus: string | null;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        /** @description The display name's review: APPROVED, PENDING_REVIEW, DECLINED, … */
                        nameStatus: string | null;
                        pinSetAt: string | null;
                        /** @enum {string} */
                        qualityRating: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        /** @description STANDARD (80 messages/s), HIGH (1,000) or NOT_APPLICABLE. */
                        throughputLevel: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbersByNumberIdEvents: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Errors recorded for the number, all time. */
                        errorCount: number;
                        events: {
                            /** @description Meta's error code (e.g. 131047), for errors. */
                            code: number | null;
                            /** @description Meta's explanation, scrubbed of phone numbers and the like. */
                            detail: string | null;
                            /** @description The webhook field, message type or status the event came with. */
                            field: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            kind: "webhook_error" | "status_error" | "message_error" | "unsupported_field" | "unparsed_item";
                            /** Format: date-time */
                            occurredAt: string;
                            title: string | null;
                            wamid: string | null;
                        }[];
                        /** @description Changes and items Parley kept without applying them. */
                        unsupportedCount: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdHealthRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The access token was stored more than 90 days ago: rotate it. */
                        accessTokenOld: boolean;
                        /** Format: date-time */
                        accessTokenStoredAt: string;
                        /** @description The last account_update event about the number's account. */
                        accountEvent: string | null;
                        disconnectedAt: string | null;
                        displayPhoneLast4: string | null;
                        healthCheckedAt: string | null;
                        /** @description Why the last read from Meta failed, in words. */
                        healthError: string | null;
                        /** Format: uuid */
                        id: string;
                        messagingLimit: ("TIER_250" | "TIER_2K" | "TIER_10K" | "TIER_100K" | "TIER_UNLIMITED") | null;
                        /** @description Meta's status of the number (e.g. CONNECTED). */
                        metaStatus: string | null;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        /** @description The display name's review: APPROVED, PENDING_REVIEW, DECLINED, … */
                        nameStatus: string | null;
                        pinSetAt: string | null;
                        /** @enum {string} */
                        qualityRating: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        /** @description STANDARD (80 messages/s), HIGH (1,000) or NOT_APPLICABLE. */
                        throughputLevel: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbersByNumberIdProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        about: string | null;
                        address: string | null;
                        description: string | null;
                        email: string | null;
                        profilePictureUrl: string | null;
                        vertical: string | null;
                        websites: string[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putApiV1WorkspacesByWorkspaceIdNumbersByNumberIdProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    about?: string;
                    address?: string;
                    description?: string;
                    email?: "" | string;
                    /** @description The handle (`h`) of a picture uploaded with Meta's Resumable Upload API. */
                    profilePictureHandle?: string;
                    /** @enum {string} */
                    vertical?: "UNDEFINED" | "OTHER" | "AUTO" | "BEAUTY" | "APPAREL" | "EDU" | "ENTERTAIN" | "EVENT_PLAN" | "FINANCE" | "GROCERY" | "GOVT" | "HOTEL" | "HEALTH" | "NONPROFIT" | "PROF_SERVICES" | "RETAIL" | "TRAVEL" | "RESTAURANT";
                    websites?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        about: string | null;
                        address: string | null;
                        description: string | null;
                        email: string | null;
                        profilePictureUrl: string | null;
                        vertical: string | null;
                        websites: string[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdReconnect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The access token was stored more than 90 days ago: rotate it. */
                        accessTokenOld: boolean;
                        /** Format: date-time */
                        accessTokenStoredAt: string;
                        /** @description The last account_update event about the number's account. */
                        accountEvent: string | null;
                        disconnectedAt: string | null;
                        displayPhoneLast4: string | null;
                        healthCheckedAt: string | null;
                        /** @description Why the last read from Meta failed, in words. */
                        healthError: string | null;
                        /** Format: uuid */
                        id: string;
                        messagingLimit: ("TIER_250" | "TIER_2K" | "TIER_10K" | "TIER_100K" | "TIER_UNLIMITED") | null;
                        /** @description Meta's status of the number (e.g. CONNECTED). */
                        metaStatus: string | null;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        /** @description The display name's review: APPROVED, PENDING_REVIEW, DECLINED, … */
                        nameStatus: string | null;
                        pinSetAt: string | null;
                        /** @enum {string} */
                        qualityRating: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        /** @description STANDARD (80 messages/s), HIGH (1,000) or NOT_APPLICABLE. */
                        throughputLevel: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdRegister: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    pin: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbersByNumberIdSandboxCustomersByCustomerPhoneMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerPhone: string;
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        messages: {
                            /** Format: date-time */
                            at: string;
                            buttons: {
                                id: string;
                                title: string;
                            }[];
                            /** @enum {string} */
                            direction: "customer" | "business";
                            status: ("accepted" | "sent" | "delivered" | "read" | "failed") | null;
                            statuses: {
                                /** Format: date-time */
                                at: string;
                                /** @enum {string} */
                                status: "accepted" | "sent" | "delivered" | "read" | "failed";
                            }[];
                            text: string | null;
                            type: string;
                            wamid: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersByNumberIdSandboxMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    customerName?: string;
                    customerPhone: string;
                    text: string;
                    /** @constant */
                    type: "text";
                } | {
                    buttonId: string;
                    customerName?: string;
                    customerPhone: string;
                    replyTo: string;
                    title: string;
                    /** @constant */
                    type: "button_reply";
                } | {
                    caption?: string;
                    customerName?: string;
                    customerPhone: string;
                    dataBase64: string;
                    /** @enum {string} */
                    mimeType: "image/jpeg" | "image/png";
                    /** @constant */
                    type: "image";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        wamid: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putApiV1WorkspacesByWorkspaceIdNumbersByNumberIdTwoStepPin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                numberId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    pin: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbersEmbeddedSignup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        appId?: string;
                        configId?: string;
                        graphApiVersion?: string;
                        /** @enum {string} */
                        mode: "facebook" | "simulator" | "off";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersEmbeddedSignup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    phoneNumberId: string;
                    pin: string;
                    wabaId: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        number: {
                            /** @description The access token was stored more than 90 days ago: rotate it. */
                            accessTokenOld: boolean;
                            /** Format: date-time */
                            accessTokenStoredAt: string;
                            /** @description The last account_update event about the number's account. */
                            accountEvent: string | null;
                            disconnectedAt: string | null;
                            displayPhoneLast4: string | null;
                            healthCheckedAt: string | null;
                            /** @description Why the last read from Meta failed, in words. */
                            healthError: string | null;
                            /** Format: uuid */
                            id: string;
                            messagingLimit: ("TIER_250" | "TIER_2K" | "TIER_10K" | "TIER_100K" | "TIER_UNLIMITED") | null;
                            /** @description Meta's status of the number (e.g. CONNECTED). */
                            metaStatus: string | null;
                            /** @enum {string} */
                            mode: "sandbox" | "live";
                            /** @description The display name's review: APPROVED, PENDING_REVIEW, DECLINED, … */
                            nameStatus: string | null;
                            pinSetAt: string | null;
                            /** @enum {string} */
                            qualityRating: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
                            registeredAt: string | null;
                            /** @enum {string} */
                            status: "active" | "credentials_invalid" | "disconnected";
                            /** @description STANDARD (80 messages/s), HIGH (1,000) or NOT_APPLICABLE. */
                            throughputLevel: string | null;
                        };
                        /** @description What is left to do, in words, when a step after storing the number failed. */
                        problem: string | null;
                        registered: boolean;
                        subscribed: boolean;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersEmbeddedSignupSimulator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        phoneNumberId: string;
                        wabaId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdNumbersHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        numbers: {
                            /** @description The access token was stored more than 90 days ago: rotate it. */
                            accessTokenOld: boolean;
                            /** Format: date-time */
                            accessTokenStoredAt: string;
                            /** @description The last account_update event about the number's account. */
                            accountEvent: string | null;
                            disconnectedAt: string | null;
                            displayPhoneLast4: string | null;
                            healthCheckedAt: string | null;
                            /** @description Why the last read from Meta failed, in words. */
                            healthError: string | null;
                            /** Format: uuid */
                            id: string;
                            messagingLimit: ("TIER_250" | "TIER_2K" | "TIER_10K" | "TIER_100K" | "TIER_UNLIMITED") | null;
                            /** @description Meta's status of the number (e.g. CONNECTED). */
                            metaStatus: string | null;
                            /** @enum {string} */
                            mode: "sandbox" | "live";
                            /** @description The display name's review: APPROVED, PENDING_REVIEW, DECLINED, … */
                            nameStatus: string | null;
                            pinSetAt: string | null;
                            /** @enum {string} */
                            qualityRating: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
                            registeredAt: string | null;
                            /** @enum {string} */
                            status: "active" | "credentials_invalid" | "disconnected";
                            /** @description STANDARD (80 messages/s), HIGH (1,000) or NOT_APPLICABLE. */
                            throughputLevel: string | null;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdNumbersSandbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessTokenLast4: string;
                        accessTokenVersion: number;
                        appId: string | null;
                        appSecretLast4: string;
                        /** Format: date-time */
                        createdAt: string;
                        displayPhoneLast4: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        mode: "sandbox" | "live";
                        phoneNumberId: string;
                        /** @enum {string} */
                        status: "active" | "credentials_invalid" | "disconnected";
                        tier: 80 | 1000;
                        /** Format: date-time */
                        updatedAt: string;
                        verifiedAt: string | null;
                        verifyTokenLast4: string;
                        wabaId: string;
                        webhookUrl: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For each feature the plan lacks, the plans that include it (empty: none does). */
                        availableOn: {
                            [key: string]: string[];
                        };
                        /** @description The features the plan includes. */
                        features: ("api" | "audit_log" | "webhooks" | "graph_proxy" | "broadcasts" | "templates")[];
                        name: string;
                        /** @description Each quota's limit; null is no limit. */
                        quotas: {
                            broadcast_recipients_per_month: number | null;
                            contacts: number | null;
                            members: number | null;
                            numbers: number | null;
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdPrivacyExportsByExportIdLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                exportId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        url: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdPrivacyRequests: {
        parameters: {
            query?: {
                kind?: "export" | "erasure";
                status?: "received" | "in_progress" | "completed" | "rejected";
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requests: {
                            completedAt: string | null;
                            contactErased: boolean;
                            /** Format: uuid */
                            contactId: string;
                            /** @description The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
                            contactLabel: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Days from today (UTC) to the deadline; negative once it passed. */
                            daysLeft: number;
                            /**
                             * Format: date
                             * @description The legal deadline: the received day + 30 days.
                             */
                            dueOn: string;
                            /** @description The request's latest exports, newest first (at most 5). */
                            exports: {
                                completedAt: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description The bundle is deleted 7 days after it was requested.
                                 */
                                expiresAt: string;
                                fileCount: number | null;
                                /** Format: uuid */
                                id: string;
                                sizeBytes: number | null;
                                /** @enum {string} */
                                status: "pending" | "ready" | "failed" | "expired";
                            }[];
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            kind: "export" | "erasure";
                            notes: string | null;
                            /** @description Open (received or in progress) and past its deadline. */
                            overdue: boolean;
                            /**
                             * Format: date
                             * @description A calendar day, YYYY-MM-DD (UTC).
                             */
                            receivedOn: string;
                            /** @enum {string} */
                            status: "received" | "in_progress" | "completed" | "rejected";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdPrivacyRequests: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    contactId: string;
                    /** @enum {string} */
                    kind: "export" | "erasure";
                    /** @description How the request arrived and how the requester's identity was checked (at most 2000 characters). Keep personal data to what is needed: the notes are encrypted under the contact's key and go with an erasure. */
                    notes?: string | null;
                    /**
                     * Format: date
                     * @description A calendar day, YYYY-MM-DD (UTC).
                     */
                    receivedOn: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completedAt: string | null;
                        contactErased: boolean;
                        /** Format: uuid */
                        contactId: string;
                        /** @description The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
                        contactLabel: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Days from today (UTC) to the deadline; negative once it passed. */
                        daysLeft: number;
                        /**
                         * Format: date
                         * @description The legal deadline: the received day + 30 days.
                         */
                        dueOn: string;
                        /** @description The request's latest exports, newest first (at most 5). */
                        exports: {
                            completedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description The bundle is deleted 7 days after it was requested.
                             */
                            expiresAt: string;
                            fileCount: number | null;
                            /** Format: uuid */
                            id: string;
                            sizeBytes: number | null;
                            /** @enum {string} */
                            status: "pending" | "ready" | "failed" | "expired";
                        }[];
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        kind: "export" | "erasure";
                        notes: string | null;
                        /** @description Open (received or in progress) and past its deadline. */
                        overdue: boolean;
                        /**
                         * Format: date
                         * @description A calendar day, YYYY-MM-DD (UTC).
                         */
                        receivedOn: string;
                        /** @enum {string} */
                        status: "received" | "in_progress" | "completed" | "rejected";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completedAt: string | null;
                        contactErased: boolean;
                        /** Format: uuid */
                        contactId: string;
                        /** @description The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
                        contactLabel: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Days from today (UTC) to the deadline; negative once it passed. */
                        daysLeft: number;
                        /**
                         * Format: date
                         * @description The legal deadline: the received day + 30 days.
                         */
                        dueOn: string;
                        /** @description The request's latest exports, newest first (at most 5). */
                        exports: {
                            completedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description The bundle is deleted 7 days after it was requested.
                             */
                            expiresAt: string;
                            fileCount: number | null;
                            /** Format: uuid */
                            id: string;
                            sizeBytes: number | null;
                            /** @enum {string} */
                            status: "pending" | "ready" | "failed" | "expired";
                        }[];
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        kind: "export" | "erasure";
                        notes: string | null;
                        /** @description Open (received or in progress) and past its deadline. */
                        overdue: boolean;
                        /**
                         * Format: date
                         * @description A calendar day, YYYY-MM-DD (UTC).
                         */
                        receivedOn: string;
                        /** @enum {string} */
                        status: "received" | "in_progress" | "completed" | "rejected";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How the request arrived and how the requester's identity was checked (at most 2000 characters). Keep personal data to what is needed: the notes are encrypted under the contact's key and go with an erasure. */
                    notes?: string | null;
                    /** @enum {string} */
                    status?: "received" | "in_progress" | "completed" | "rejected";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completedAt: string | null;
                        contactErased: boolean;
                        /** Format: uuid */
                        contactId: string;
                        /** @description The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
                        contactLabel: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Days from today (UTC) to the deadline; negative once it passed. */
                        daysLeft: number;
                        /**
                         * Format: date
                         * @description The legal deadline: the received day + 30 days.
                         */
                        dueOn: string;
                        /** @description The request's latest exports, newest first (at most 5). */
                        exports: {
                            completedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description The bundle is deleted 7 days after it was requested.
                             */
                            expiresAt: string;
                            fileCount: number | null;
                            /** Format: uuid */
                            id: string;
                            sizeBytes: number | null;
                            /** @enum {string} */
                            status: "pending" | "ready" | "failed" | "expired";
                        }[];
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        kind: "export" | "erasure";
                        notes: string | null;
                        /** @description Open (received or in progress) and past its deadline. */
                        overdue: boolean;
                        /**
                         * Format: date
                         * @description A calendar day, YYYY-MM-DD (UTC).
                         */
                        receivedOn: string;
                        /** @enum {string} */
                        status: "received" | "in_progress" | "completed" | "rejected";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestIdErase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completedAt: string | null;
                        contactErased: boolean;
                        /** Format: uuid */
                        contactId: string;
                        /** @description The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
                        contactLabel: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Days from today (UTC) to the deadline; negative once it passed. */
                        daysLeft: number;
                        /**
                         * Format: date
                         * @description The legal deadline: the received day + 30 days.
                         */
                        dueOn: string;
                        /** @description The request's latest exports, newest first (at most 5). */
                        exports: {
                            completedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description The bundle is deleted 7 days after it was requested.
                             */
                            expiresAt: string;
                            fileCount: number | null;
                            /** Format: uuid */
                            id: string;
                            sizeBytes: number | null;
                            /** @enum {string} */
                            status: "pending" | "ready" | "failed" | "expired";
                        }[];
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        kind: "export" | "erasure";
                        notes: string | null;
                        /** @description Open (received or in progress) and past its deadline. */
                        overdue: boolean;
                        /**
                         * Format: date
                         * @description A calendar day, YYYY-MM-DD (UTC).
                         */
                        receivedOn: string;
                        /** @enum {string} */
                        status: "received" | "in_progress" | "completed" | "rejected";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdPrivacyRequestsByRequestIdExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completedAt: string | null;
                        contactErased: boolean;
                        /** Format: uuid */
                        contactId: string;
                        /** @description The contact's name (or WhatsApp name, or phone) while it exists; null once erased. */
                        contactLabel: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Days from today (UTC) to the deadline; negative once it passed. */
                        daysLeft: number;
                        /**
                         * Format: date
                         * @description The legal deadline: the received day + 30 days.
                         */
                        dueOn: string;
                        /** @description The request's latest exports, newest first (at most 5). */
                        exports: {
                            completedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description The bundle is deleted 7 days after it was requested.
                             */
                            expiresAt: string;
                            fileCount: number | null;
                            /** Format: uuid */
                            id: string;
                            sizeBytes: number | null;
                            /** @enum {string} */
                            status: "pending" | "ready" | "failed" | "expired";
                        }[];
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        kind: "export" | "erasure";
                        notes: string | null;
                        /** @description Open (received or in progress) and past its deadline. */
                        overdue: boolean;
                        /**
                         * Format: date
                         * @description A calendar day, YYYY-MM-DD (UTC).
                         */
                        receivedOn: string;
                        /** @enum {string} */
                        status: "received" | "in_progress" | "completed" | "rejected";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdQuickReplies: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            shortcut: string;
                            text: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdQuickReplies: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    shortcut: string;
                    text: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        shortcut: string;
                        text: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdQuickRepliesByQuickReplyId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                quickReplyId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdQuickRepliesByQuickReplyId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                quickReplyId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    shortcut?: string;
                    text?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        shortcut: string;
                        text: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdSettingsBlockedAddresses: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            address: string;
                            /** Format: date-time */
                            blockedAt: string;
                            isShared: boolean;
                            level: number;
                            /** Format: date-time */
                            until: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdSettingsBlockedAddressesByAddress: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                address: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdSettingsConsentKeywords: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        defaults: {
                            optIn: string[];
                            optOut: string[];
                        };
                        /** @description The workspace has not set its own keywords: the defaults apply. */
                        isDefault: boolean;
                        optIn: string[];
                        optOut: string[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putApiV1WorkspacesByWorkspaceIdSettingsConsentKeywords: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    optIn: string[];
                    optOut: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        defaults: {
                            optIn: string[];
                            optOut: string[];
                        };
                        /** @description The workspace has not set its own keywords: the defaults apply. */
                        isDefault: boolean;
                        optIn: string[];
                        optOut: string[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdSettingsRetention: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description The audit log is never subject to retention: it is the tamper-evident record (hash chain with signed checkpoints) that deletions would break, it must outlive what it records, and it holds ids and counts only, never content.
                         * @constant
                         */
                        auditLog: "kept";
                        closedConversationsDays: number | null;
                        messagesDays: number | null;
                        notesDays: number | null;
                        updatedAt: string | null;
                        uploadsDays: number | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putApiV1WorkspacesByWorkspaceIdSettingsRetention: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Conversations closed more than this many days ago are deleted with their messages, notes and media; null: off. */
                    closedConversationsDays: number | null;
                    /** @description Messages older than this many days are deleted, with their media files; null: off. */
                    messagesDays: number | null;
                    /** @description Internal notes older than this many days are deleted; null: off. */
                    notesDays: number | null;
                    /** @description Uploads never sent, older than this many days, are deleted with their files; null: off. A sent upload is its message's media and follows the messages policy. */
                    uploadsDays: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description The audit log is never subject to retention: it is the tamper-evident record (hash chain with signed checkpoints) that deletions would break, it must outlive what it records, and it holds ids and counts only, never content.
                         * @constant
                         */
                        auditLog: "kept";
                        closedConversationsDays: number | null;
                        messagesDays: number | null;
                        notesDays: number | null;
                        updatedAt: string | null;
                        uploadsDays: number | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `REAUTHENTICATION_REQUIRED`: A sensitive action needs a re-authentication (POST /api/v1/auth/reauthenticate) within the last 5 minutes; API keys cannot perform it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdSettingsRetentionPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Conversations closed more than this many days ago are deleted with their messages, notes and media; null: off. */
                    closedConversationsDays: number | null;
                    /** @description Messages older than this many days are deleted, with their media files; null: off. */
                    messagesDays: number | null;
                    /** @description Internal notes older than this many days are deleted; null: off. */
                    notesDays: number | null;
                    /** @description Uploads never sent, older than this many days, are deleted with their files; null: off. A sent upload is its message's media and follows the messages policy. */
                    uploadsDays: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        closedConversations: number;
                        messages: number;
                        notes: number;
                        uploads: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdSettingsSecurity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requireMfaForAll: boolean;
                        updatedAt: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdSettingsSecurity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    requireMfaForAll: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requireMfaForAll: boolean;
                        updatedAt: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdTemplates: {
        parameters: {
            query?: {
                category?: "MARKETING" | "UTILITY" | "AUTHENTICATION";
                language?: string;
                name?: string;
                numberId?: string;
                status?: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            approvedEdits: {
                                last24Hours: number;
                                last30Days: number;
                            };
                            category: string | null;
                            /** @description A category change by Meta: announced (correctCategory, effectiveAt) or made (previousCategory → newCategory). */
                            categoryChange: {
                                correctCategory: string | null;
                                effectiveAt: string | null;
                                newCategory: string | null;
                                previousCategory: string | null;
                            } | null;
                            /** @description The content with its examples; null until a sync has read the template's components. */
                            components: {
                                body: {
                                    addSecurityRecommendation?: boolean;
                                    examples?: string[];
                                    text: string;
                                } | null;
                                buttons: {
                                    example?: string | null;
                                    otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                                    packageName?: string | null;
                                    phoneNumber?: string | null;
                                    signatureHash?: string | null;
                                    text: string;
                                    type: string;
                                    url: string | null;
                                }[];
                                footer: {
                                    codeExpirationMinutes?: number | null;
                                    text: string;
                                } | null;
                                header: {
                                    examples?: string[];
                                    /** @enum {string} */
                                    format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                                    handle?: string | null;
                                    text: string | null;
                                } | null;
                            } | null;
                            /** Format: uuid */
                            id: string;
                            language: string;
                            /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): an undelivered message is dropped after it. Null or -1 is the category's default (30 days; 10 minutes for authentication). */
                            messageSendTtlSeconds: number | null;
                            metaTemplateId: string | null;
                            name: string;
                            numberId: string | null;
                            /** @enum {string} */
                            parameterFormat: "POSITIONAL" | "NAMED";
                            /** @description The parameters a send must give: names ('1', '2', … or named), in order. */
                            parameters: {
                                body: string[];
                                header: ({
                                    /** @constant */
                                    kind: "text";
                                    names: string[];
                                } | {
                                    /** @enum {string} */
                                    format: "IMAGE" | "VIDEO" | "DOCUMENT";
                                    /** @constant */
                                    kind: "media";
                                }) | null;
                            } | null;
                            /** @description GREEN, YELLOW, RED or UNKNOWN (message_template_quality_update); null before any. */
                            qualityScore: string | null;
                            reason: string | null;
                            rejectionInfo: {
                                reason: string;
                                recommendation: string;
                            } | null;
                            status: string;
                            /** Format: date-time */
                            statusAt: string;
                            /** @description The pause (FIRST_PAUSE, SECOND_PAUSE…), unpause or disable notice of the latest status. */
                            statusInfo: {
                                description: string;
                                title: string;
                            } | null;
                            wabaId: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    category: "MARKETING" | "UTILITY" | "AUTHENTICATION";
                    components: {
                        body: {
                            addSecurityRecommendation?: boolean;
                            examples?: string[];
                            text: string;
                        } | null;
                        buttons: {
                            example?: string | null;
                            otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                            packageName?: string | null;
                            phoneNumber?: string | null;
                            signatureHash?: string | null;
                            text: string;
                            type: string;
                            url: string | null;
                        }[];
                        footer: {
                            codeExpirationMinutes?: number | null;
                            text: string;
                        } | null;
                        header: {
                            examples?: string[];
                            /** @enum {string} */
                            format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                            handle?: string | null;
                            text: string | null;
                        } | null;
                    };
                    language: string;
                    /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): authentication 30–900, utility 30–43,200, -1 for 30 days; not for marketing templates (Marketing Messages API only). */
                    messageSendTtlSeconds?: number;
                    name: string;
                    /** Format: uuid */
                    numberId: string;
                    /**
                     * @default POSITIONAL
                     * @enum {string}
                     */
                    parameterFormat?: "POSITIONAL" | "NAMED";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approvedEdits: {
                            last24Hours: number;
                            last30Days: number;
                        };
                        category: string | null;
                        /** @description A category change by Meta: announced (correctCategory, effectiveAt) or made (previousCategory → newCategory). */
                        categoryChange: {
                            correctCategory: string | null;
                            effectiveAt: string | null;
                            newCategory: string | null;
                            previousCategory: string | null;
                        } | null;
                        /** @description The content with its examples; null until a sync has read the template's components. */
                        components: {
                            body: {
                                addSecurityRecommendation?: boolean;
                                examples?: string[];
                                text: string;
                            } | null;
                            buttons: {
                                example?: string | null;
                                otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                                packageName?: string | null;
                                phoneNumber?: string | null;
                                signatureHash?: string | null;
                                text: string;
                                type: string;
                                url: string | null;
                            }[];
                            footer: {
                                codeExpirationMinutes?: number | null;
                                text: string;
                            } | null;
                            header: {
                                examples?: string[];
                                /** @enum {string} */
                                format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                                handle?: string | null;
                                text: string | null;
                            } | null;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        language: string;
                        /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): an undelivered message is dropped after it. Null or -1 is the category's default (30 days; 10 minutes for authentication). */
                        messageSendTtlSeconds: number | null;
                        metaTemplateId: string | null;
                        name: string;
                        numberId: string | null;
                        /** @enum {string} */
                        parameterFormat: "POSITIONAL" | "NAMED";
                        /** @description The parameters a send must give: names ('1', '2', … or named), in order. */
                        parameters: {
                            body: string[];
                            header: ({
                                /** @constant */
                                kind: "text";
                                names: string[];
                            } | {
                                /** @enum {string} */
                                format: "IMAGE" | "VIDEO" | "DOCUMENT";
                                /** @constant */
                                kind: "media";
                            }) | null;
                        } | null;
                        /** @description GREEN, YELLOW, RED or UNKNOWN (message_template_quality_update); null before any. */
                        qualityScore: string | null;
                        reason: string | null;
                        rejectionInfo: {
                            reason: string;
                            recommendation: string;
                        } | null;
                        status: string;
                        /** Format: date-time */
                        statusAt: string;
                        /** @description The pause (FIRST_PAUSE, SECOND_PAUSE…), unpause or disable notice of the latest status. */
                        statusInfo: {
                            description: string;
                            title: string;
                        } | null;
                        wabaId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdTemplatesByTemplateId: {
        parameters: {
            query?: {
                scope?: "language" | "all";
            };
            header?: never;
            path: {
                templateId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deleted: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdTemplatesByTemplateId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    category?: "MARKETING" | "UTILITY" | "AUTHENTICATION";
                    components?: {
                        body: {
                            addSecurityRecommendation?: boolean;
                            examples?: string[];
                            text: string;
                        } | null;
                        buttons: {
                            example?: string | null;
                            otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                            packageName?: string | null;
                            phoneNumber?: string | null;
                            signatureHash?: string | null;
                            text: string;
                            type: string;
                            url: string | null;
                        }[];
                        footer: {
                            codeExpirationMinutes?: number | null;
                            text: string;
                        } | null;
                        header: {
                            examples?: string[];
                            /** @enum {string} */
                            format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                            handle?: string | null;
                            text: string | null;
                        } | null;
                    };
                    /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): authentication 30–900, utility 30–43,200, -1 for 30 days; not for marketing templates (Marketing Messages API only). */
                    messageSendTtlSeconds?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approvedEdits: {
                            last24Hours: number;
                            last30Days: number;
                        };
                        category: string | null;
                        /** @description A category change by Meta: announced (correctCategory, effectiveAt) or made (previousCategory → newCategory). */
                        categoryChange: {
                            correctCategory: string | null;
                            effectiveAt: string | null;
                            newCategory: string | null;
                            previousCategory: string | null;
                        } | null;
                        /** @description The content with its examples; null until a sync has read the template's components. */
                        components: {
                            body: {
                                addSecurityRecommendation?: boolean;
                                examples?: string[];
                                text: string;
                            } | null;
                            buttons: {
                                example?: string | null;
                                otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                                packageName?: string | null;
                                phoneNumber?: string | null;
                                signatureHash?: string | null;
                                text: string;
                                type: string;
                                url: string | null;
                            }[];
                            footer: {
                                codeExpirationMinutes?: number | null;
                                text: string;
                            } | null;
                            header: {
                                examples?: string[];
                                /** @enum {string} */
                                format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                                handle?: string | null;
                                text: string | null;
                            } | null;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        language: string;
                        /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): an undelivered message is dropped after it. Null or -1 is the category's default (30 days; 10 minutes for authentication). */
                        messageSendTtlSeconds: number | null;
                        metaTemplateId: string | null;
                        name: string;
                        numberId: string | null;
                        /** @enum {string} */
                        parameterFormat: "POSITIONAL" | "NAMED";
                        /** @description The parameters a send must give: names ('1', '2', … or named), in order. */
                        parameters: {
                            body: string[];
                            header: ({
                                /** @constant */
                                kind: "text";
                                names: string[];
                            } | {
                                /** @enum {string} */
                                format: "IMAGE" | "VIDEO" | "DOCUMENT";
                                /** @constant */
                                kind: "media";
                            }) | null;
                        } | null;
                        /** @description GREEN, YELLOW, RED or UNKNOWN (message_template_quality_update); null before any. */
                        qualityScore: string | null;
                        reason: string | null;
                        rejectionInfo: {
                            reason: string;
                            recommendation: string;
                        } | null;
                        status: string;
                        /** Format: date-time */
                        statusAt: string;
                        /** @description The pause (FIRST_PAUSE, SECOND_PAUSE…), unpause or disable notice of the latest status. */
                        statusInfo: {
                            description: string;
                            title: string;
                        } | null;
                        wabaId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdTemplatesByTemplateIdDuplicate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    language?: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approvedEdits: {
                            last24Hours: number;
                            last30Days: number;
                        };
                        category: string | null;
                        /** @description A category change by Meta: announced (correctCategory, effectiveAt) or made (previousCategory → newCategory). */
                        categoryChange: {
                            correctCategory: string | null;
                            effectiveAt: string | null;
                            newCategory: string | null;
                            previousCategory: string | null;
                        } | null;
                        /** @description The content with its examples; null until a sync has read the template's components. */
                        components: {
                            body: {
                                addSecurityRecommendation?: boolean;
                                examples?: string[];
                                text: string;
                            } | null;
                            buttons: {
                                example?: string | null;
                                otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                                packageName?: string | null;
                                phoneNumber?: string | null;
                                signatureHash?: string | null;
                                text: string;
                                type: string;
                                url: string | null;
                            }[];
                            footer: {
                                codeExpirationMinutes?: number | null;
                                text: string;
                            } | null;
                            header: {
                                examples?: string[];
                                /** @enum {string} */
                                format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                                handle?: string | null;
                                text: string | null;
                            } | null;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        language: string;
                        /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): an undelivered message is dropped after it. Null or -1 is the category's default (30 days; 10 minutes for authentication). */
                        messageSendTtlSeconds: number | null;
                        metaTemplateId: string | null;
                        name: string;
                        numberId: string | null;
                        /** @enum {string} */
                        parameterFormat: "POSITIONAL" | "NAMED";
                        /** @description The parameters a send must give: names ('1', '2', … or named), in order. */
                        parameters: {
                            body: string[];
                            header: ({
                                /** @constant */
                                kind: "text";
                                names: string[];
                            } | {
                                /** @enum {string} */
                                format: "IMAGE" | "VIDEO" | "DOCUMENT";
                                /** @constant */
                                kind: "media";
                            }) | null;
                        } | null;
                        /** @description GREEN, YELLOW, RED or UNKNOWN (message_template_quality_update); null before any. */
                        qualityScore: string | null;
                        reason: string | null;
                        rejectionInfo: {
                            reason: string;
                            recommendation: string;
                        } | null;
                        status: string;
                        /** Format: date-time */
                        statusAt: string;
                        /** @description The pause (FIRST_PAUSE, SECOND_PAUSE…), unpause or disable notice of the latest status. */
                        statusInfo: {
                            description: string;
                            title: string;
                        } | null;
                        wabaId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdTemplatesByTemplateIdLanguages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    components: {
                        body: {
                            addSecurityRecommendation?: boolean;
                            examples?: string[];
                            text: string;
                        } | null;
                        buttons: {
                            example?: string | null;
                            otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                            packageName?: string | null;
                            phoneNumber?: string | null;
                            signatureHash?: string | null;
                            text: string;
                            type: string;
                            url: string | null;
                        }[];
                        footer: {
                            codeExpirationMinutes?: number | null;
                            text: string;
                        } | null;
                        header: {
                            examples?: string[];
                            /** @enum {string} */
                            format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                            handle?: string | null;
                            text: string | null;
                        } | null;
                    };
                    language: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approvedEdits: {
                            last24Hours: number;
                            last30Days: number;
                        };
                        category: string | null;
                        /** @description A category change by Meta: announced (correctCategory, effectiveAt) or made (previousCategory → newCategory). */
                        categoryChange: {
                            correctCategory: string | null;
                            effectiveAt: string | null;
                            newCategory: string | null;
                            previousCategory: string | null;
                        } | null;
                        /** @description The content with its examples; null until a sync has read the template's components. */
                        components: {
                            body: {
                                addSecurityRecommendation?: boolean;
                                examples?: string[];
                                text: string;
                            } | null;
                            buttons: {
                                example?: string | null;
                                otpType?: ("COPY_CODE" | "ONE_TAP") | null;
                                packageName?: string | null;
                                phoneNumber?: string | null;
                                signatureHash?: string | null;
                                text: string;
                                type: string;
                                url: string | null;
                            }[];
                            footer: {
                                codeExpirationMinutes?: number | null;
                                text: string;
                            } | null;
                            header: {
                                examples?: string[];
                                /** @enum {string} */
                                format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
                                handle?: string | null;
                                text: string | null;
                            } | null;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        language: string;
                        /** @description Delivery time-to-live in seconds (Meta's message_send_ttl_seconds): an undelivered message is dropped after it. Null or -1 is the category's default (30 days; 10 minutes for authentication). */
                        messageSendTtlSeconds: number | null;
                        metaTemplateId: string | null;
                        name: string;
                        numberId: string | null;
                        /** @enum {string} */
                        parameterFormat: "POSITIONAL" | "NAMED";
                        /** @description The parameters a send must give: names ('1', '2', … or named), in order. */
                        parameters: {
                            body: string[];
                            header: ({
                                /** @constant */
                                kind: "text";
                                names: string[];
                            } | {
                                /** @enum {string} */
                                format: "IMAGE" | "VIDEO" | "DOCUMENT";
                                /** @constant */
                                kind: "media";
                            }) | null;
                        } | null;
                        /** @description GREEN, YELLOW, RED or UNKNOWN (message_template_quality_update); null before any. */
                        qualityScore: string | null;
                        reason: string | null;
                        rejectionInfo: {
                            reason: string;
                            recommendation: string;
                        } | null;
                        status: string;
                        /** Format: date-time */
                        statusAt: string;
                        /** @description The pause (FIRST_PAUSE, SECOND_PAUSE…), unpause or disable notice of the latest status. */
                        statusInfo: {
                            description: string;
                            title: string;
                        } | null;
                        wabaId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdTemplatesExamples: {
        parameters: {
            query: {
                numberId: string;
            };
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/pdf": string;
                "image/jpeg": string;
                "image/png": string;
                "video/mp4": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        handle: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdTemplatesSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    numberId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changed: number;
                        listed: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            disabledAt: string | null;
                            /** @description manual: by a member; failing: all deliveries failed for 5 days or 5 deliveries in a row were dead-lettered; gone: the receiver answered 410. */
                            disabledReason: ("manual" | "failing" | "gone") | null;
                            enabled: boolean;
                            eventTypes: string[];
                            failingSince: string | null;
                            /** @enum {string} */
                            format: "standard" | "meta";
                            /** Format: uuid */
                            id: string;
                            /** @description Whether deliveries carry personal data (message text, contact phone and name) besides identifiers. */
                            includePersonalData: boolean;
                            /** @description Until then deliveries are also signed with the previous secret (rotation overlap). */
                            previousSecretExpiresAt: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        }[];
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default  */
                    description?: string;
                    /** @default true */
                    enabled?: boolean;
                    /** @description The event types to receive (see the document's `webhooks` section). */
                    eventTypes: ("message.received" | "message.status" | "conversation.created" | "conversation.assigned" | "conversation.closed" | "contact.created" | "contact.updated" | "contact.erased" | "contact.consent_changed" | "template.status" | "number.quality" | "broadcast.progress")[];
                    /**
                     * @description standard: the catalogue events, signed per Standard Webhooks. meta: inbound WhatsApp events re-emitted in Meta's own webhook envelope ({"object":"whatsapp_business_account","entry":[…]}) with Meta's values as received, signed with X-Hub-Signature-256 (sha256=hex HMAC-SHA256 of the raw body, keyed with the secret as answered); subscribes to message.received (values with messages) and message.status (values with statuses) only, and requires includePersonalData: true since the values carry phone numbers, names and texts.
                     * @default standard
                     * @enum {string}
                     */
                    format?: "standard" | "meta";
                    /** @default false */
                    includePersonalData?: boolean;
                    url: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoint: {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            disabledAt: string | null;
                            /** @description manual: by a member; failing: all deliveries failed for 5 days or 5 deliveries in a row were dead-lettered; gone: the receiver answered 410. */
                            disabledReason: ("manual" | "failing" | "gone") | null;
                            enabled: boolean;
                            eventTypes: string[];
                            failingSince: string | null;
                            /** @enum {string} */
                            format: "standard" | "meta";
                            /** Format: uuid */
                            id: string;
                            /** @description Whether deliveries carry personal data (message text, contact phone and name) besides identifiers. */
                            includePersonalData: boolean;
                            /** @description Until then deliveries are also signed with the previous secret (rotation overlap). */
                            previousSecretExpiresAt: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        };
                        /** @description whsec_ + base64 of 32 random bytes. Shown once: store it now. */
                        secret: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule.
             *
             *     `WEBHOOK_URL_REFUSED`: A webhook endpoint's URL is not http(s) (https in production), holds credentials, does not resolve, or resolves to a private, loopback, link-local or otherwise reserved address (SSRF guard); `details.reason` says which.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdWebhooksByEndpointId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        description: string;
                        disabledAt: string | null;
                        /** @description manual: by a member; failing: all deliveries failed for 5 days or 5 deliveries in a row were dead-lettered; gone: the receiver answered 410. */
                        disabledReason: ("manual" | "failing" | "gone") | null;
                        enabled: boolean;
                        eventTypes: string[];
                        failingSince: string | null;
                        /** @enum {string} */
                        format: "standard" | "meta";
                        /** Format: uuid */
                        id: string;
                        /** @description Whether deliveries carry personal data (message text, contact phone and name) besides identifiers. */
                        includePersonalData: boolean;
                        /** @description Until then deliveries are also signed with the previous secret (rotation overlap). */
                        previousSecretExpiresAt: string | null;
                        /** Format: date-time */
                        updatedAt: string;
                        url: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1WorkspacesByWorkspaceIdWebhooksByEndpointId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1WorkspacesByWorkspaceIdWebhooksByEndpointId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    enabled?: boolean;
                    /** @description The event types to receive (see the document's `webhooks` section). */
                    eventTypes?: ("message.received" | "message.status" | "conversation.created" | "conversation.assigned" | "conversation.closed" | "contact.created" | "contact.updated" | "contact.erased" | "contact.consent_changed" | "template.status" | "number.quality" | "broadcast.progress")[];
                    includePersonalData?: boolean;
                    url?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        description: string;
                        disabledAt: string | null;
                        /** @description manual: by a member; failing: all deliveries failed for 5 days or 5 deliveries in a row were dead-lettered; gone: the receiver answered 410. */
                        disabledReason: ("manual" | "failing" | "gone") | null;
                        enabled: boolean;
                        eventTypes: string[];
                        failingSince: string | null;
                        /** @enum {string} */
                        format: "standard" | "meta";
                        /** Format: uuid */
                        id: string;
                        /** @description Whether deliveries carry personal data (message text, contact phone and name) besides identifiers. */
                        includePersonalData: boolean;
                        /** @description Until then deliveries are also signed with the previous secret (rotation overlap). */
                        previousSecretExpiresAt: string | null;
                        /** Format: date-time */
                        updatedAt: string;
                        url: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule.
             *
             *     `WEBHOOK_URL_REFUSED`: A webhook endpoint's URL is not http(s) (https in production), holds credentials, does not resolve, or resolves to a private, loopback, link-local or otherwise reserved address (SSRF guard); `details.reason` says which.
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending" | "succeeded" | "failed";
            };
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description Attempts made in the current series (at most 8). */
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            eventId: string;
                            /** @description A catalogue type, or whatsapp.messages for a Meta-format endpoint's re-emitted inbound value. */
                            eventType: string;
                            /** Format: uuid */
                            id: string;
                            lastAttemptAt: string | null;
                            lastError: string | null;
                            lastLatencyMs: number | null;
                            lastResponseCode: number | null;
                            /** @description The first 1 KB of the receiver's last answer. */
                            lastResponseExcerpt: string | null;
                            nextAttemptAt: string | null;
                            /**
                             * @description failed: dead letter, after the last attempt (or a 410); replay starts a new series.
                             * @enum {string}
                             */
                            status: "pending" | "succeeded" | "failed";
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdDeliveriesByDeliveryIdReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deliveryId: string;
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        replayed: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `CONFLICT`: A unique value is taken, or a concurrent change won. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    since: string;
                    /** Format: date-time */
                    until?: string;
                };
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        replayed: number;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdRotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default 86400 */
                    overlapSeconds?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        endpoint: {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            disabledAt: string | null;
                            /** @description manual: by a member; failing: all deliveries failed for 5 days or 5 deliveries in a row were dead-lettered; gone: the receiver answered 410. */
                            disabledReason: ("manual" | "failing" | "gone") | null;
                            enabled: boolean;
                            eventTypes: string[];
                            failingSince: string | null;
                            /** @enum {string} */
                            format: "standard" | "meta";
                            /** Format: uuid */
                            id: string;
                            /** @description Whether deliveries carry personal data (message text, contact phone and name) besides identifiers. */
                            includePersonalData: boolean;
                            /** @description Until then deliveries are also signed with the previous secret (rotation overlap). */
                            previousSecretExpiresAt: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        };
                        /** @description whsec_ + base64 of 32 random bytes. Shown once: store it now. */
                        secret: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1WorkspacesByWorkspaceIdWebhooksByEndpointIdTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: string;
                workspaceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        deliveryId: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHENTICATED`: No credentials, or credentials that are invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNPROCESSABLE`: The request is well-formed but breaks a business rule. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getGraphByMediaId: {
        parameters: {
            query?: {
                phone_number_id?: string;
            };
            header?: never;
            path: {
                mediaId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        file_size?: number;
                        id: string;
                        /** @constant */
                        messaging_product: "whatsapp";
                        mime_type: string;
                        sha256?: string;
                        /** @description A short-lived (5 minutes) download URL on Parley's own host; send no credentials to it. */
                        url: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    deleteGraphByMediaId: {
        parameters: {
            query?: {
                phone_number_id?: string;
            };
            header?: never;
            path: {
                mediaId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        success: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    postGraphByPhoneNumberIdMedia: {
        parameters: {
            query?: {
                messaging_product?: string;
            };
            header?: never;
            path: {
                phoneNumberId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    postGraphByPhoneNumberIdMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                phoneNumberId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contacts: {
                            input: string;
                            wa_id: string;
                        }[];
                        messages: {
                            id: string;
                            message_status?: string;
                        }[];
                        /** @constant */
                        messaging_product: "whatsapp";
                    } | {
                        /** @constant */
                        success: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    getGraphByVersionByMediaId: {
        parameters: {
            query?: {
                phone_number_id?: string;
            };
            header?: never;
            path: {
                mediaId: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        file_size?: number;
                        id: string;
                        /** @constant */
                        messaging_product: "whatsapp";
                        mime_type: string;
                        sha256?: string;
                        /** @description A short-lived (5 minutes) download URL on Parley's own host; send no credentials to it. */
                        url: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    deleteGraphByVersionByMediaId: {
        parameters: {
            query?: {
                phone_number_id?: string;
            };
            header?: never;
            path: {
                mediaId: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        success: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    postGraphByVersionByPhoneNumberIdMedia: {
        parameters: {
            query?: {
                messaging_product?: string;
            };
            header?: never;
            path: {
                phoneNumberId: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    postGraphByVersionByPhoneNumberIdMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                phoneNumberId: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contacts: {
                            input: string;
                            wa_id: string;
                        }[];
                        messages: {
                            id: string;
                            message_status?: string;
                        }[];
                        /** @constant */
                        messaging_product: "whatsapp";
                    } | {
                        /** @constant */
                        success: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    getGraphByVersionByWabaIdMessageTemplates: {
        parameters: {
            query?: {
                after?: string;
                before?: string;
                fields?: string;
                limit?: string;
                name?: string;
                status?: string;
            };
            header?: never;
            path: {
                version: string;
                wabaId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            category: string | null;
                            components: {
                                [key: string]: unknown;
                            }[];
                            id: string;
                            language: string;
                            name: string;
                            parameter_format: string;
                            status: string;
                        }[];
                        paging: {
                            cursors: {
                                after: string;
                                before: string;
                            };
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    getGraphByWabaIdMessageTemplates: {
        parameters: {
            query?: {
                after?: string;
                before?: string;
                fields?: string;
                limit?: string;
                name?: string;
                status?: string;
            };
            header?: never;
            path: {
                wabaId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            category: string | null;
                            components: {
                                [key: string]: unknown;
                            }[];
                            id: string;
                            language: string;
                            name: string;
                            parameter_format: string;
                            status: string;
                        }[];
                        paging: {
                            cursors: {
                                after: string;
                                before: string;
                            };
                        };
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `PLAN_REQUIRED`: The route needs a feature (its `x-parley-feature`) the workspace's plan does not include; `details` names the feature and the plans that include it. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    getGraphMediaByToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Gateway Timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: number;
                            error_data?: {
                                details: string;
                                /** @constant */
                                messaging_product: "whatsapp";
                            };
                            error_subcode?: number;
                            fbtrace_id: string;
                            is_transient?: boolean;
                            message: string;
                            type: string;
                        };
                    };
                };
            };
        };
    };
    getHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLivez: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMediaByToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPrivacyExportsByToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checks: {
                            /** @enum {string} */
                            coordination: "ok" | "degraded";
                            /** @constant */
                            database: "ok";
                        };
                        /** @constant */
                        status: "ready";
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_READY`: The database, which /readyz checks, is not answering (a coordination outage only marks it degraded). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhooksWhatsappByWebhookKey: {
        parameters: {
            query?: {
                "hub.challenge"?: string;
                "hub.mode"?: string;
                "hub.verify_token"?: string;
            };
            header?: never;
            path: {
                webhookKey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `ADDRESS_NOT_ALLOWED`: The route accepts only listed address ranges (Meta's webhook ranges, PARLEY_WEBHOOK_ALLOWED_CIDRS) and the client address is not in them; refused before anything else is checked.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: A rate limit for the route, caller or address was exceeded; `Retry-After` says when to retry. */
            429: {
                headers: {
                    /** @description Seconds until the caller may retry. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `COORDINATION_UNAVAILABLE`: The rate-limit store (Redis) is unreachable; limited routes refuse rather than let traffic through. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksWhatsappByWebhookKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookKey: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        received: true;
                    };
                };
            };
            /**
             * @description `VALIDATION_FAILED`: Params, query or body do not match the route's schema (unknown fields included); `details` lists the paths.
             *
             *     `MALFORMED_BODY`: The body is not valid JSON or does not match its Content-Type.
             *
             *     `BAD_REQUEST`: The HTTP request is malformed in a way no other code describes (headers, framing, encoding).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `FORBIDDEN`: The caller is authenticated but its role or scopes lack the route's permission.
             *
             *     `ADDRESS_NOT_ALLOWED`: The route accepts only listed address ranges (Meta's webhook ranges, PARLEY_WEBHOOK_ALLOWED_CIDRS) and the client address is not in them; refused before anything else is checked.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_FOUND`: The route or the addressed object does not exist, or is not visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The body exceeds the route's body limit (64 KB unless the route declares another). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: The body's Content-Type is not one the route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL`: An unexpected failure; the request id lets operators find it in the logs. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    webhookBroadcastProgress: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        broadcastId: string;
                        counts: {
                            accepted: number;
                            delivered: number;
                            failed: number;
                            pending: number;
                            read: number;
                            sending: number;
                            sent: number;
                            skipped: number;
                            total: number;
                        };
                        pauseReason: ("manual" | "quality_red" | "error_burst" | "number_unavailable") | null;
                        /** @enum {string} */
                        state: "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "broadcast.progress";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookContactConsentChanged: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        contactId: string;
                        /**
                         * Format: uuid
                         * @description The consent ledger entry.
                         */
                        entryId: string;
                        /** @enum {string} */
                        method: "recorded" | "import" | "keyword" | "meta_preference";
                        /** @enum {string} */
                        scope: "marketing" | "utility";
                        /** @enum {string} */
                        source: "whatsapp" | "web_form" | "import" | "api" | "agent" | "other";
                        /** @enum {string} */
                        status: "unknown" | "opted_in" | "opted_out";
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "contact.consent_changed";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookContactCreated: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        contactId: string;
                        name?: string | null;
                        phone?: string | null;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "contact.created";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookContactErased: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        contactId: string;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "contact.erased";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookContactUpdated: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        changed: string[];
                        /** Format: uuid */
                        contactId: string;
                        name?: string | null;
                        phone?: string | null;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "contact.updated";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookConversationAssigned: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        assignedUserId: string | null;
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        conversationId: string;
                        previousAssignedUserId: string | null;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "conversation.assigned";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookConversationClosed: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "conversation.closed";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookConversationCreated: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: uuid */
                        contactId: string;
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        numberId: string;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "conversation.created";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookMessageReceived: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: uuid */
                        contactId: string;
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: uuid */
                        messageId: string;
                        messageType: string;
                        /** Format: uuid */
                        numberId: string;
                        /** Format: date-time */
                        receivedAt: string;
                        /** @description The message's text or caption, when it has one. */
                        text?: string | null;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "message.received";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookMessageStatus: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        conversationId: string;
                        /** Format: uuid */
                        messageId: string;
                        /** @enum {string} */
                        status: "sent" | "delivered" | "read" | "failed";
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "message.status";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookNumberQuality: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        numberId: string;
                        quality: string | null;
                        tier: string | null;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "number.quality";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookTemplateStatus: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        category: string | null;
                        /** @description Meta's quality score (GREEN, YELLOW, RED, UNKNOWN), when one was reported. */
                        quality: string | null;
                        status: string;
                        /** Format: uuid */
                        templateId: string;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "template.status";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookWebhookTest: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's id (msg_…): the same on every retry and replay; deduplicate on it. */
                "webhook-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the endpoint's whsec_ secret (Standard Webhooks). Two entries during a secret rotation's overlap. */
                "webhook-signature": string;
                /** @description Unix seconds of this attempt (new on each retry); refuse ones more than 5 minutes off. */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        /** Format: date-time */
                        at: string;
                        /** Format: uuid */
                        endpointId: string;
                        /** Format: uuid */
                        workspaceId: string;
                    };
                    /**
                     * Format: date-time
                     * @description When the event happened (ISO 8601).
                     */
                    timestamp: string;
                    /** @constant */
                    type: "webhook.test";
                };
            };
        };
        responses: {
            /** @description Received. Any other answer (3xx included: redirects are not followed) is retried; 410 disables the endpoint. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
