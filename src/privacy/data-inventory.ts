import type { Schema } from "../db/schema.ts";

// The data inventory (DESIGN §12): every table of the schema declares here what personal data it
// holds and under which key, how long it is kept, what erasing a contact does to it, and what a
// contact's export takes from it. `src/privacy/data-inventory.test.ts` enumerates the migrated schema
// on both engines and fails for a table or a sensitive-looking column without a declaration, so a
// feature cannot add a table that escapes the lifecycle. `docs/data-inventory.md` (the record of
// processing activities, GDPR Art. 30) is rendered from this module and kept in step by a drift test.

/** Whose personal data a table holds. */
export type DataSubject = "contact" | "member" | "invitee" | "none";

/** How a column's value is protected at rest (DESIGN §5). */
export type Protection =
  | "contact-key" // AES-256-GCM under the contact's data key: shredding the key makes it unreadable everywhere
  | "workspace-key" // AES-256-GCM under the workspace key
  | "server-key" // AES-256-GCM under the deployment's key-encryption key
  | "blind-index" // truncated HMAC under a per-workspace, per-column key: exact match only, no plaintext
  | "hash" // a one-way hash (argon2id or SHA-256): the value cannot be read back
  | "plaintext"; // stored as is, under database access control and row-level security

export type ColumnDeclaration = {
  /** What the column holds, in words. */
  holds: string;
  /** `personal`: about an identifiable person; `secret`: a credential, never personal data; `pseudonymous`: an id or hash that points at a person only together with other tables. */
  kind: "personal" | "secret" | "pseudonymous";
  protection: Protection;
  /** Minimization: for personal data kept in clear, why it is needed in clear and how it is reduced or limited. */
  minimized?: string;
};

export const RETENTION_CLASSES = {
  "contact-data":
    "Kept while the contact exists; removed when the contact is erased. A deleted contact stays in the trash for 30 days (restorable), then the scheduled purge erases it; an erasure on request is immediate.",
  "conversation-data":
    "Kept while the contact exists; removed when the contact is erased, or earlier where the workspace's retention policy says (messages, closed conversations, notes or uploads older than N days, applied by a schedule).",
  account: "Kept while the member's account exists.",
  "short-lived": "Expires by design (minutes to days) and is removed or made unusable when it expires.",
  audit: "Append-only and tamper-evident; kept for the life of the workspace. Entries name ids, never content.",
  configuration: "Kept for the life of the workspace.",
  "key-material": "Kept while data encrypted under it exists; retired keys are kept only to verify or decrypt older data.",
  operational: "Bookkeeping of the job queue; finished jobs are pruned after PARLEY_JOB_RETENTION_DAYS.",
} as const;
export type RetentionClass = keyof typeof RETENTION_CLASSES;

export const ERASURE_ACTIONS = {
  shred:
    "The contact's data key is destroyed, so every copy of this data — replicas, WAL, backups — becomes unreadable; the rows are then hard-deleted.",
  delete: "The contact's rows are hard-deleted.",
  "keep-pii-free": "Rows are kept; they hold ids and facts only, never the contact's personal data.",
  unaffected: "Holds no data about contacts; erasing a contact does not touch it.",
} as const;
export type ErasureAction = keyof typeof ERASURE_ACTIONS;

export type TableDeclaration = {
  purpose: string;
  subject: DataSubject;
  /** The columns with personal data, credentials or pseudonymous ids; the others hold ids, times, states or business content. */
  columns: Readonly<Record<string, ColumnDeclaration>>;
  /** Columns reviewed as holding no personal data, with the reason: names that look sensitive but are not (e.g. the business's own phone number id), and free text (minimization). */
  notPersonal?: Readonly<Record<string, string>>;
  retention: RetentionClass;
  /** How long, in words, where the class alone does not say it. */
  retentionDetail?: string;
  erasure: ErasureAction;
  erasureDetail?: string;
  /** What a contact's export takes from the table, or `null` when nothing. */
  export: string | null;
};

const WAMID = "Meta's id of the message; it encodes the contact's WhatsApp number";
const contactKey = (holds: string): ColumnDeclaration => ({ holds, kind: "personal", protection: "contact-key" });
const secret = (holds: string, protection: Protection): ColumnDeclaration => ({ holds, kind: "secret", protection });
const pseudonymous = (holds: string, protection: Protection): ColumnDeclaration => ({ holds, kind: "pseudonymous", protection });
function personal(holds: string, protection: Exclude<Protection, "plaintext">): ColumnDeclaration;
function personal(holds: string, protection: "plaintext", minimized: string): ColumnDeclaration;
function personal(holds: string, protection: Protection, minimized?: string): ColumnDeclaration {
  return minimized === undefined ? { holds, kind: "personal", protection } : { holds, kind: "personal", protection, minimized };
}

/** Every table of the schema, in alphabetical order. TypeScript refuses a table of the generated schema that is missing here. */
export const dataInventory = {
  api_keys: {
    purpose: "API keys a workspace issues to its integrations.",
    subject: "member",
    columns: {
      secret_hash: secret("the key's secret, hashed", "hash"),
      secret_last_four: secret("the secret's last four characters, shown to tell keys apart", "plaintext"),
      last_used_ip: personal(
        "the network the key was last used from",
        "plaintext",
        "Shown to the workspace to spot a leaked key; kept as its /24 (IPv4) or /48 (IPv6) network, never the address (a check constraint refuses one).",
      ),
    },
    notPersonal: {
      name: "a label the workspace gives the key (e.g. the integration's name)",
      scopes: "the permissions the key carries, from the permission list",
    },
    retention: "configuration",
    retentionDetail: "Kept until revoked or expired, then kept revoked so the audit log's ids stay resolvable.",
    erasure: "unaffected",
    export: null,
  },
  audit_checkpoints: {
    purpose: "Signed checkpoints of each workspace's audit log (Merkle tree heads).",
    subject: "none",
    columns: {},
    notPersonal: {
      root_hash: "the hash of the audit tree, over PII-free entries",
      note: "the signed checkpoint's text form (origin, size, root hash): no personal data",
      signature: "the checkpoint's signature",
    },
    retention: "audit",
    erasure: "unaffected",
    export: null,
  },
  audit_entries: {
    purpose:
      "The append-only, tamper-evident record of who did what, and the access log: which member or API key read which conversation, contact or media, searched or exported (ids only, never content).",
    subject: "member",
    columns: {
      actor_id: pseudonymous("the member or API key that acted", "plaintext"),
      ip: personal(
        "the address the actor came from; for access entries only its /24 (IPv4) or /48 (IPv6) network",
        "plaintext",
        "Security entries (sign-ins, role and key changes) keep the address, needed to investigate and block abuse; access entries, which are many, keep the network only.",
      ),
      user_agent: personal(
        "the actor's browser or client family (e.g. Firefox, curl)",
        "plaintext",
        "Kept as its family only, never the full string with versions and platform.",
      ),
      target_id: pseudonymous("the id of the object acted on, e.g. a contact's id", "plaintext"),
      metadata: pseudonymous(
        "ids, counts and flags of the entry; access entries name the contact, conversation and message read (contactId, conversationId, messageId)",
        "plaintext",
      ),
    },
    notPersonal: {
      leaf_hash: "the hash of the entry, for the tamper-evident tree",
      action: "the action's name, from the audit catalogue",
      target_type: "the kind of object acted on (e.g. contact)",
    },
    retention: "audit",
    erasure: "keep-pii-free",
    erasureDetail:
      "Entries about the contact, access entries included, keep its ids only (contact, conversation, message: random UUIDs, no name, number or content); erasure leaves them, so the log still says who read the contact's data before, and with the contact gone the ids point at nothing.",
    export: null,
  },
  audit_heads: {
    purpose: "The size of each workspace's audit tree.",
    subject: "none",
    columns: {},
    retention: "audit",
    erasure: "unaffected",
    export: null,
  },
  audit_signing_keys: {
    purpose: "Keys that sign audit checkpoints.",
    subject: "none",
    columns: { wrapped_private_key: secret("the signing key, wrapped", "server-key") },
    retention: "key-material",
    erasure: "unaffected",
    export: null,
  },
  consent_keywords: {
    purpose:
      "The words a contact writes, alone in a message, to opt out of marketing (STOP, إلغاء…) or back in (START…), per workspace; defaults when there is no row.",
    subject: "none",
    columns: {},
    notPersonal: {
      opt_in: "the business's own opt-in keywords",
      opt_out: "the business's own opt-out keywords",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  contact_consent_events: {
    purpose:
      "The consent ledger: every opt-in and opt-out of a contact, with its scope (marketing or utility), source, how it came (recorded, import, keyword, Meta's marketing opt-out) and time. Evidence for WhatsApp's opt-in policy.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact", "plaintext"),
      status: personal(
        "the consent decision (opted in, opted out)",
        "plaintext",
        "Needed in clear to refuse marketing to a contact without consent, and to prove consent (GDPR Art. 7(1)); a closed list of values.",
      ),
      source: personal(
        "where the decision came from",
        "plaintext",
        "A closed list of channels (whatsapp, web_form, import, api, agent, other); no free text.",
      ),
      recorded_by_user_id: pseudonymous("the member who recorded it (null for the contact's own words)", "plaintext"),
      dedupe_key: pseudonymous("SHA-256 of Meta's opt-out report, so a redelivery adds nothing", "hash"),
    },
    retention: "contact-data",
    erasure: "delete",
    erasureDetail: "The rows go with the contact (on delete cascade); they never hold a phone number, a name or a message text.",
    export: null,
  },
  contact_tags: {
    purpose: "Tags a team puts on contacts to filter them.",
    subject: "contact",
    columns: {
      tag: personal(
        "a label the team chose for the contact",
        "plaintext",
        "Needed in clear to select audiences and filter the inbox; limited by the tag rule to 64 lower-case letters, digits and . _ : - (no free sentences).",
      ),
      contact_id: pseudonymous("the contact", "plaintext"),
    },
    retention: "contact-data",
    erasure: "delete",
    export: "The contact's tags.",
  },
  contacts: {
    purpose: "The people a workspace talks to on WhatsApp.",
    subject: "contact",
    columns: {
      phone_ciphertext: contactKey("phone number (E.164)"),
      phone_index: pseudonymous("blind index of the phone number, for exact lookup", "blind-index"),
      name_ciphertext: contactKey("name the team gave"),
      wa_profile_name_ciphertext: contactKey("WhatsApp profile name"),
      wa_user_id_ciphertext: contactKey("WhatsApp user id (BSUID)"),
      user_id_index: pseudonymous("blind index of the WhatsApp user id", "blind-index"),
      custom_fields_ciphertext: contactKey("custom fields"),
      consent_status: personal(
        "marketing consent state",
        "plaintext",
        "Needed in clear to refuse marketing without consent; a closed list of values.",
      ),
      consent_source: personal("where consent was given or withdrawn", "plaintext", "A closed list of channels; no free text."),
    },
    retention: "contact-data",
    erasure: "shred",
    export: "Profile (phone, names, WhatsApp ids, custom fields), consent state and its source.",
  },
  conversation_notes: {
    purpose: "Internal notes members write on a conversation.",
    subject: "contact",
    columns: {
      body_ciphertext: contactKey("the note's text"),
      contact_id: pseudonymous("the contact", "plaintext"),
      author_user_id: pseudonymous("the member who wrote it", "plaintext"),
    },
    retention: "conversation-data",
    erasure: "shred",
    export: "The notes' text and times (the author as a role, not a name).",
  },
  conversations: {
    purpose: "Threads between a contact and one of the workspace's numbers.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact", "plaintext"),
      assigned_user_id: pseudonymous("the member it is assigned to", "plaintext"),
    },
    retention: "conversation-data",
    erasure: "delete",
    export: "Each conversation's status, number and times.",
  },
  data_keys: {
    purpose: "Per-contact data keys, wrapped under the workspace key.",
    subject: "contact",
    columns: { wrapped_key: secret("the contact's data key, wrapped", "workspace-key") },
    notPersonal: {
      subject: "what the key protects (e.g. contact): a kind, not a person",
    },
    retention: "key-material",
    erasure: "shred",
    erasureDetail: "Destroying this row is the crypto-shred: it makes the contact's data unreadable in every copy.",
    export: null,
  },
  erasures: {
    purpose:
      "The PII-free ledger of erased contacts (trash purge or request), for the audit trail and for replaying erasures after a backup restore.",
    subject: "none",
    columns: {
      contact_id: pseudonymous("the erased contact's id; the contact and every row about it are gone", "plaintext"),
      requested_by_user_id: pseudonymous("the member who asked for the erasure (null for the trash purge)", "plaintext"),
    },
    retention: "audit",
    retentionDetail: "Kept for the life of the workspace, so an erased contact stays erased.",
    erasure: "keep-pii-free",
    erasureDetail: "Erasing a contact adds its row: ids, the reason and the time, never a phone number or a name.",
    export: null,
  },
  idempotency_keys: {
    purpose: "Replays of API requests sent with an Idempotency-Key.",
    subject: "none",
    columns: {
      principal: pseudonymous("the member or API key that sent the request", "plaintext"),
      request_hash: pseudonymous("SHA-256 of the request, to refuse a reused key with another request", "hash"),
      response_body: pseudonymous("the stored answer: ids and status, never message content", "plaintext"),
    },
    notPersonal: {
      key: "the Idempotency-Key a client chose for a request (an opaque token)",
    },
    retention: "short-lived",
    retentionDetail: "24 hours.",
    erasure: "keep-pii-free",
    export: null,
  },
  inbound_events: {
    purpose: "Verified webhook deliveries from Meta, kept until processed.",
    subject: "contact",
    columns: { body_ciphertext: personal("the raw webhook body (phone numbers, names, message content)", "workspace-key") },
    notPersonal: {
      error: "why processing a webhook failed, in Parley's words; never the payload",
    },
    retention: "short-lived",
    retentionDetail: "The body is cleared as soon as the event is processed (seconds); the PII-free row remains as a delivery record.",
    erasure: "keep-pii-free",
    erasureDetail: "Processed rows hold no body; a body still waiting is cleared when it is processed.",
    export: null,
  },
  invitations: {
    purpose: "Invitations to join a workspace.",
    subject: "invitee",
    columns: {
      email: personal(
        "the invitee's email address",
        "plaintext",
        "Needed in clear to match the person who accepts; the invitation is deleted 30 days after it ended (accepted, revoked or expired), by the invitations.prune schedule.",
      ),
      token_hash: secret("the invitation token, hashed", "hash"),
    },
    retention: "short-lived",
    retentionDetail: "Usable for 7 days; deleted 30 days after it was accepted, revoked or expired.",
    erasure: "unaffected",
    export: null,
  },
  jobs: {
    purpose: "The durable job queue (outbox of background work).",
    subject: "none",
    columns: { payload: pseudonymous("ids of the work to do, never content", "plaintext") },
    notPersonal: {
      last_error: "why the last attempt failed, in Parley's words; logs and errors never carry message content",
      locked_by: "the worker instance that holds the job",
      queue: "the job's queue name",
    },
    retention: "operational",
    erasure: "keep-pii-free",
    export: null,
  },
  login_throttles: {
    purpose: "Failed sign-in counters, to slow down password guessing.",
    subject: "member",
    columns: { key_hash: pseudonymous("hash of the email address or client address being throttled", "hash") },
    retention: "short-lived",
    erasure: "unaffected",
    export: null,
  },
  media_uploads: {
    purpose: "Files members upload to send, before and after they are sent.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact it is for", "plaintext"),
      blob_key: contactKey("where the file's sealed bytes are in the blob store (the bytes are under the contact's data key)"),
      uploaded_by_user_id: pseudonymous("the member who uploaded it", "plaintext"),
      sha256: pseudonymous("the file's digest", "plaintext"),
    },
    notPersonal: {
      mime_type: "the file's media type",
    },
    retention: "conversation-data",
    retentionDetail: "An upload not sent within its expiry is removed with its blob.",
    erasure: "shred",
    export: "The files, with their type and size.",
  },
  memberships: {
    purpose: "Which members belong to which workspace, with their role.",
    subject: "member",
    columns: { user_id: pseudonymous("the member", "plaintext") },
    retention: "account",
    erasure: "unaffected",
    export: null,
  },
  message_statuses: {
    purpose: "Delivery statuses Meta reports for sent messages (sent, delivered, read, failed).",
    subject: "contact",
    columns: { wamid: pseudonymous(WAMID, "plaintext") },
    notPersonal: {
      phone_number_id: "Meta's id of the business's own number, not a contact's",
      error_title: "Meta's error title for a failed message (e.g. Re-engagement message)",
      pricing_category: "Meta's pricing category",
      pricing_type: "Meta's pricing type",
    },
    retention: "conversation-data",
    erasure: "delete",
    export: "Each sent message's delivery statuses and times.",
  },
  messages: {
    purpose: "Messages received and sent, with their media.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact", "plaintext"),
      wamid: pseudonymous(WAMID, "plaintext"),
      context_wamid: pseudonymous("Meta's id of the message replied to", "plaintext"),
      reaction_to_wamid: pseudonymous("Meta's id of the message reacted to", "plaintext"),
      content_ciphertext: contactKey("the message's content (text, captions, locations, contacts, template parameters)"),
      media_blob_key: contactKey("where the media's sealed bytes are in the blob store (the bytes are under the contact's data key)"),
      media_sha256: pseudonymous("the media's digest", "plaintext"),
      sent_by_user_id: pseudonymous("the member who sent it", "plaintext"),
    },
    notPersonal: {
      phone_number_id: "Meta's id of the business's own number, not a contact's",
      media_error: "why fetching the media failed, in Parley's words",
      media_mime_type: "the media's type",
      send_error: "Meta's or Parley's error for a failed send (code and title), never the content",
      type: "the message type (text, image, template…)",
    },
    retention: "conversation-data",
    retentionDetail: "A workspace's retention policy deletes messages older than N days, with their media blobs.",
    erasure: "shred",
    erasureDetail: "Media blobs are deleted from the blob store with the rows.",
    export: "Every message's content, direction, type, status and times, and its media files.",
  },
  number_events: {
    purpose: "Events Meta reports about a number: quality, limits, errors, account updates.",
    subject: "none",
    columns: {
      payload_ciphertext: pseudonymous("the raw event for kinds Parley does not model; about the number, not contacts", "workspace-key"),
      wamid: pseudonymous("Meta's id of the message an error is about", "plaintext"),
    },
    notPersonal: {
      detail: "Meta's details of an event about the business's number",
      field: "the webhook field the event came in",
      title: "Meta's title of the event",
    },
    retention: "configuration",
    erasure: "keep-pii-free",
    erasureDetail: "The events keep their facts; the ids of the contact's messages are cleared.",
    export: null,
  },
  numbers: {
    purpose: "The workspace's WhatsApp numbers and their credentials.",
    subject: "none",
    columns: {
      display_phone_ciphertext: { holds: "the business's own phone number", kind: "pseudonymous", protection: "workspace-key" },
      access_token_ciphertext: secret("Meta access token", "workspace-key"),
      previous_access_token_ciphertext: secret("the Meta access token replaced by the last rotation, until it is dropped", "workspace-key"),
      app_secret_ciphertext: secret("Meta app secret", "workspace-key"),
      verify_token_ciphertext: secret("webhook verify token", "workspace-key"),
      webhook_key: secret("the unguessable part of the number's webhook URL", "plaintext"),
    },
    notPersonal: {
      phone_number_id: "Meta's id of the business's own number, not a contact's",
      display_phone_last4: "the last four digits of the business's own number",
      access_token_last4: "the token's last four characters, shown to tell tokens apart",
      app_secret_last4: "the secret's last four characters",
      health_error: "why reading the number's health from Graph failed",
      verify_token_last4: "the verify token's last four characters",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  broadcasts: {
    purpose: "Broadcasts: one approved template sent to an audience of consenting contacts, their schedule, state and counts.",
    subject: "none",
    columns: {
      created_by_user_id: pseudonymous("the member who created it", "plaintext"),
      audience_upload_ciphertext: personal("an uploaded list of phone numbers to send to", "workspace-key"),
    },
    notPersonal: {
      audience: "the filter (tags, custom-field names and values the business chose, a number, activity dates), not a contact",
      parameters: "where each template parameter comes from (a field name) and the business's fallback text",
      name: "a label the team gives the campaign",
      counters: "counts of recipients by state",
      pause_detail: "why the campaign paused, in Parley's words (e.g. quality dropped)",
      template_language: "the template's language code",
      template_name: "the template's name, the business's own",
      time_zone: "the IANA time zone of the schedule",
    },
    retention: "configuration",
    erasure: "unaffected",
    erasureDetail: "Names no contact; its recipients are rows of broadcast_recipients.",
    export: null,
  },
  broadcast_audience_rows: {
    purpose:
      "Each valid row of a CSV audience uploaded for broadcasts: the contact it matched or created, its row number, and its name and fields used as template parameters.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact the row matched or created", "plaintext"),
      values_ciphertext: personal("the name and field values the row gave for the template's parameters", "workspace-key"),
    },
    retention: "contact-data",
    erasure: "delete",
    erasureDetail: "Deleted with the contact (on delete cascade), by erasure on request and by the trash purge.",
    export: null,
  },
  broadcast_audience_uploads: {
    purpose: "CSV audiences uploaded for broadcasts: how many rows each had and how many were excluded, by reason.",
    subject: "none",
    columns: { created_by_user_id: pseudonymous("the member who uploaded it", "plaintext") },
    notPersonal: { field_keys: "the names of the file's custom field columns, chosen by the business" },
    retention: "configuration",
    erasure: "unaffected",
    erasureDetail: "Holds counts only; its rows, which name contacts, are rows of broadcast_audience_rows.",
    export: null,
  },
  broadcast_recipients: {
    purpose: "Each contact a broadcast is sent to: its state, the message sent, error code or skip reason, and times.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact the broadcast is sent to", "plaintext"),
      message_id: pseudonymous("the outbound message sent to the contact", "plaintext"),
    },
    retention: "contact-data",
    erasure: "delete",
    erasureDetail: "Deleted with the contact (on delete cascade), by erasure on request and by the trash purge.",
    export: null,
  },
  quick_replies: {
    purpose: "Canned replies a team shares.",
    subject: "none",
    columns: { created_by_user_id: pseudonymous("the member who wrote it", "plaintext") },
    notPersonal: { body: "a reply the team wrote for everyone to reuse; it is about the business, not a contact" },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  reaction_events: {
    purpose: "The order of reactions to messages, so the latest wins.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact who reacted", "plaintext"),
      target_wamid: pseudonymous("Meta's id of the message reacted to", "plaintext"),
      event_wamid: pseudonymous("Meta's id of the reaction", "plaintext"),
    },
    notPersonal: { phone_number_id: "Meta's id of the business's own number, not a contact's" },
    retention: "conversation-data",
    erasure: "delete",
    export: null,
  },
  recovery_codes: {
    purpose: "Members' one-time recovery codes for two-factor sign-in.",
    subject: "member",
    columns: { code_hash: secret("a recovery code, hashed", "hash"), user_id: pseudonymous("the member", "plaintext") },
    retention: "account",
    erasure: "unaffected",
    export: null,
  },
  refresh_tokens: {
    purpose: "Rotating refresh tokens of sessions.",
    subject: "member",
    columns: { token_hash: secret("the token, hashed", "hash") },
    retention: "short-lived",
    erasure: "unaffected",
    export: null,
  },
  plans: {
    purpose: "The instance's plans: the features each includes and its quotas (numbers, members, contacts, broadcast recipients).",
    subject: "none",
    columns: {},
    notPersonal: {
      features: "the features a plan enables",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  retention_policies: {
    purpose:
      "Each workspace's retention policy: after how many days messages, closed conversations, notes and uploads are deleted (each off by default).",
    subject: "none",
    columns: {},
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  schedules: {
    purpose: "Periodic work (checkpoints, expiry, pruning), run once per tick across workers.",
    subject: "none",
    columns: {},
    notPersonal: {
      last_error: "why the schedule's last run failed, in Parley's words",
      queue: "the job queue the schedule feeds",
    },
    retention: "operational",
    erasure: "unaffected",
    export: null,
  },
  server_secrets: {
    purpose: "Deployment-wide secrets, wrapped under the key-encryption key.",
    subject: "none",
    columns: { wrapped: secret("a server secret, wrapped", "server-key") },
    notPersonal: {
      name: "which deployment secret the row holds",
    },
    retention: "key-material",
    erasure: "unaffected",
    export: null,
  },
  sessions: {
    purpose: "Members' signed-in sessions.",
    subject: "member",
    columns: { user_id: pseudonymous("the member", "plaintext") },
    retention: "short-lived",
    retentionDetail: "Until sign-out, revocation or the absolute expiry.",
    erasure: "unaffected",
    export: null,
  },
  setup_tokens: {
    purpose: "One-time tokens that create the first Owner.",
    subject: "none",
    columns: { token_hash: secret("the token, hashed", "hash") },
    retention: "short-lived",
    erasure: "unaffected",
    export: null,
  },
  signing_keys: {
    purpose: "Keys that sign access tokens.",
    subject: "none",
    columns: { private_key_wrapped: secret("the signing key, wrapped", "server-key") },
    notPersonal: {
      algorithm: "the signing algorithm",
      public_jwk: "the public key, published in the JWKS",
    },
    retention: "key-material",
    erasure: "unaffected",
    export: null,
  },
  subject_exports: {
    purpose: "A contact's export bundles (zip of JSON, a readme and media) made for a data subject's request.",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact the bundle is about", "plaintext"),
      wrapped_key: secret("the bundle's own key, wrapped under the contact's data key", "contact-key"),
      blob_key: pseudonymous("where the sealed bundle is in the blob store (the bytes are under the bundle's key)", "plaintext"),
      created_by_user_id: pseudonymous("the member who asked for it", "plaintext"),
    },
    notPersonal: {
      error: "why building an export failed, in Parley's words; never its content",
    },
    retention: "short-lived",
    retentionDetail:
      "The bundle is deleted from the blob store when it expires (7 days after it was made, by an hourly schedule); the row stays, PII-free, as the record that the request was answered.",
    erasure: "keep-pii-free",
    erasureDetail:
      "The bundle's key is under the contact's data key, so shredding it makes every copy unreadable; erasure through a request also deletes the bundle blobs at once. The row keeps ids, sizes and times.",
    export: null,
  },
  subject_requests: {
    purpose: "The tracker of data subjects' export and erasure requests, with their legal deadline (received + 30 days).",
    subject: "contact",
    columns: {
      contact_id: pseudonymous("the contact who made the request; after an erasure it points at nothing", "plaintext"),
      notes_ciphertext: contactKey("the team's notes on the request (how it arrived, identity checks)"),
      created_by_user_id: pseudonymous("the member who recorded it", "plaintext"),
    },
    retention: "audit",
    retentionDetail: "Kept for the life of the workspace: the proof that each request was answered in time.",
    erasure: "shred",
    erasureDetail:
      "The notes are under the contact's data key, so erasing the contact shreds them; an erasure run from the request also clears them. Ids, dates and states remain.",
    export: "The contact's requests: kind, dates, state and the notes on them.",
  },
  templates: {
    purpose: "Message templates: synchronised from Meta and submitted through Parley, with Meta's status, quality and category.",
    subject: "none",
    columns: {
      components_ciphertext: secret(
        "the template's content (header, body, footer, buttons and their examples): the business's wording, encrypted at rest",
        "workspace-key",
      ),
    },
    notPersonal: {
      approved_edits: "when the template's approved edits happened (Meta's edit limits)",
      category: "the template's category",
      language: "the template's language code",
      meta_details: "Meta's review details (rejection reason, quality, pauses) about the business's template",
      name: "the template's name, the business's own",
      quality_score: "Meta's quality rating of the template",
      reason: "Meta's rejection or pause reason",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  users: {
    purpose: "Member accounts.",
    subject: "member",
    columns: {
      email: personal(
        "the member's email address",
        "plaintext",
        "Needed in clear to sign in, to reach the member and to tell members apart; kept while the account exists.",
      ),
      password_hash: secret("the password, hashed with argon2id", "hash"),
      totp_secret_wrapped: secret("the two-factor secret", "server-key"),
      totp_pending_wrapped: secret("a two-factor secret being enrolled", "server-key"),
    },
    retention: "account",
    erasure: "unaffected",
    export: null,
  },
  webhook_deliveries: {
    purpose: "Each outbound webhook delivery to an endpoint: status, attempts and the receiver's last answer.",
    subject: "none",
    columns: {},
    notPersonal: {
      last_error: "why the last delivery attempt failed (timeout, refused, status)",
      last_response_excerpt:
        "the first 1 KB of the endpoint's answer, for the delivery log; deleted with the delivery after PARLEY_WEBHOOK_RETENTION_DAYS",
    },
    retention: "operational",
    retentionDetail: "Deleted with their event (PARLEY_WEBHOOK_RETENTION_DAYS, default 30, once every delivery of the event has finished).",
    erasure: "keep-pii-free",
    erasureDetail: "Rows name events and endpoints only; the receiver's answer excerpt is the integrator's own text.",
    export: null,
  },
  webhook_endpoints: {
    purpose: "Integrations' outbound webhook endpoints: URL, events, signing secrets and health.",
    subject: "none",
    columns: {
      secret_ciphertext: secret("the endpoint's signing secret (whsec_)", "workspace-key"),
      previous_secret_ciphertext: secret("the previous signing secret during a rotation's overlap", "workspace-key"),
    },
    notPersonal: {
      description: "a label the workspace gives the endpoint",
      event_types: "the events the endpoint subscribes to",
      url: "the integrator's URL",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  webhook_event_payloads: {
    purpose:
      "For Meta-format webhook endpoints: each inbound `messages` change's value as Meta sent it (contacts' phone numbers, names and message texts), to re-emit in Meta's envelope.",
    subject: "contact",
    columns: {
      value_ciphertext: personal(
        "the change's value as received: the sender's phone number and profile name, the message's content, statuses with the recipient's phone number",
        "workspace-key",
      ),
      contact_ids: pseudonymous("the ids of the contacts the value is about, so erasure finds it", "plaintext"),
    },
    notPersonal: { waba_id: "Meta's id of the business's own account, not a contact's" },
    retention: "operational",
    retentionDetail:
      "Deleted with its outbox event (PARLEY_WEBHOOK_RETENTION_DAYS, default 30, once every delivery of the event has finished).",
    erasure: "delete",
    erasureDetail: "Erasing a contact deletes every stored value naming them; a delivery not yet made then fails instead of sending it.",
    export: null,
  },
  webhook_events: {
    purpose: "The outbox of outbound webhook events, written in the same transaction as the change.",
    subject: "none",
    columns: { data: pseudonymous("ids, states and times of the event (e.g. a contact's or message's id); never content", "plaintext") },
    retention: "operational",
    retentionDetail:
      "Deleted after PARLEY_WEBHOOK_RETENTION_DAYS (default 30) once every delivery of the event has finished (succeeded, or failed as a dead letter); an event with a pending delivery is kept until it ends.",
    erasure: "keep-pii-free",
    erasureDetail:
      "Events keep ids only; personal data an endpoint opted into is read from its source at delivery, so an erased contact's data is never sent.",
    export: null,
  },
  workspace_keys: {
    purpose: "Each workspace's keys, wrapped under the key-encryption key.",
    subject: "none",
    columns: { wrapped_key: secret("the workspace key, wrapped", "server-key") },
    retention: "key-material",
    erasure: "unaffected",
    export: null,
  },
  workspace_plans: {
    purpose: "Which plan each workspace is on (none: the default plan).",
    subject: "none",
    columns: {},
    notPersonal: {
      plan_name: "the plan's name",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  workspace_settings: {
    purpose: "Workspace-wide settings (e.g. two-factor for all).",
    subject: "none",
    columns: {},
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
  workspaces: {
    purpose: "Workspaces (tenants) and their home region.",
    subject: "none",
    columns: {},
    notPersonal: {
      name: "the workspace's (the business's) name",
      region: "the deployment region the workspace is homed in",
    },
    retention: "configuration",
    erasure: "unaffected",
    export: null,
  },
} as const satisfies Record<keyof Schema, TableDeclaration>;

export type InventoriedTable = keyof typeof dataInventory;

/**
 * Column names that suggest personal data or a credential: each one must be declared, so a new
 * column like `email` or `body_ciphertext` cannot slip in unnoticed.
 */
export const SENSITIVE_COLUMN =
  /(_ciphertext|_wrapped|_hash|_index)$|^wrapped|^(body|payload)$|wamid$|(^|_)(ip|email|phone|user_agent)(_|$)|^(contact_id|user_id|actor_id|target_id|principal)$|_user_id$/;

export function declarationsOf(inventory: Readonly<Record<string, TableDeclaration>> = dataInventory): Array<[string, TableDeclaration]> {
  return Object.entries(inventory).sort(([a], [b]) => a.localeCompare(b));
}
