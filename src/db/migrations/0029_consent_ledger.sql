-- The consent ledger (messaging at scale, point 3): every opt-in and opt-out of a contact, with its
-- scope (marketing or utility), source, how it came (recorded by a member or the API, an import, a
-- keyword the contact wrote, Meta's marketing opt-out) and time. Append-only for the runtime role.
-- contacts.consent_status / consent_source / consent_updated_at stay the CURRENT marketing state,
-- written in the same transaction as each marketing row here. Ids and states only, never a phone
-- number, a name or a message text; the rows go with the contact (on delete cascade).
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

create table contact_consent_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  contact_id uuid not null,
  scope text not null check (scope in ('marketing', 'utility')),
  status text not null check (status in ('unknown', 'opted_in', 'opted_out')),
  source text not null check (source in ('whatsapp', 'web_form', 'import', 'api', 'agent', 'other')),
  method text not null check (method in ('recorded', 'import', 'keyword', 'meta_preference')),
  -- The member (or the member owning the API key) who recorded it; null for the contact's own words.
  recorded_by_user_id uuid references users (id) on delete set null,
  -- For changes that come from webhooks: a SHA-256 of Meta's report, so a redelivery adds no row.
  dedupe_key text check (dedupe_key ~ '^[0-9a-f]{64}$'),
  occurred_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, dedupe_key),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index contact_consent_events_by_contact on contact_consent_events (workspace_id, contact_id, occurred_at desc, id);

-- The keywords a contact writes to opt out of (or back into) marketing, per workspace. No row:
-- the defaults (src/features/consent/keywords.ts). Stored normalized.
create table consent_keywords (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  opt_out text[] not null check (cardinality(opt_out) <= 50),
  opt_in text[] not null check (cardinality(opt_in) <= 50),
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null
);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['contact_consent_events', 'consent_keywords'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;
-- Analysts see aggregates only: the ledger belongs to contacts, which they cannot read either.
create policy contact_consent_events_not_analyst on contact_consent_events as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'analyst');

grant select, insert on contact_consent_events to parley_app;
grant select, insert, update on consent_keywords to parley_app;
