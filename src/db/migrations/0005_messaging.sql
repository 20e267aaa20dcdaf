-- Messaging: connected WhatsApp numbers, webhook routing, durable inbound events, conversations,
-- messages and their status history. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.
-- Every table is a tenant table (workspace_id in every unique key, RLS enabled and forced).

-- A connected WhatsApp Business number. Secrets are encrypted under the workspace key; only their
-- last four characters are kept in clear, for display.
create table numbers (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  mode text not null check (mode in ('sandbox', 'live')),
  waba_id text not null check (waba_id ~ '^[0-9]{1,32}$'),
  phone_number_id text not null check (phone_number_id ~ '^[0-9]{1,32}$'),
  app_id text check (app_id ~ '^[0-9]{1,32}$'),
  display_phone_ciphertext text,
  display_phone_last4 text check (length(display_phone_last4) <= 4),
  access_token_ciphertext text not null,
  access_token_last4 text not null check (length(access_token_last4) <= 4),
  access_token_version integer not null default 1 check (access_token_version > 0),
  access_token_expires_at timestamptz,
  app_secret_ciphertext text not null,
  app_secret_last4 text not null check (length(app_secret_last4) <= 4),
  verify_token_ciphertext text not null,
  verify_token_last4 text not null check (length(verify_token_last4) <= 4),
  status text not null default 'active' check (status in ('active', 'credentials_invalid', 'disconnected')),
  tier integer not null default 80 check (tier in (80, 1000)),
  -- Random and unguessable: the webhook URL is /webhooks/whatsapp/<webhook_key>.
  webhook_key text not null check (webhook_key ~ '^[A-Za-z0-9_-]{32,64}$'),
  verified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, phone_number_id)
);

-- The webhook receiver must find the workspace before any tenant context exists. Rather than a
-- non-tenant copy of workspace ids, the runtime role may call this one function, which answers only
-- an exact-key lookup (the key is 256 random bits) and returns identifiers, never secrets.
create policy numbers_webhook_lookup on numbers for select to current_user using (true);
create function resolve_webhook_key(key text)
  returns table (workspace_id uuid, number_id uuid)
  language sql stable security definer
  set search_path = public, pg_temp
as $$
  select n.workspace_id, n.id from numbers n where n.webhook_key = key and n.status <> 'disconnected' limit 1
$$;
revoke all on function resolve_webhook_key(text) from public;
grant execute on function resolve_webhook_key(text) to parley_app;
create unique index numbers_webhook_key on numbers (webhook_key, workspace_id);

-- Webhook deliveries as received, stored before Meta gets its 200. The body holds phone numbers
-- and message text, so it is encrypted (workspace key) and dropped once processed.
create table inbound_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  number_id uuid not null,
  body_ciphertext text,
  body_bytes integer not null check (body_bytes >= 0),
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  attempts integer not null default 0,
  error text check (length(error) <= 1000),
  primary key (workspace_id, id),
  foreign key (workspace_id, number_id) references numbers (workspace_id, id) on delete cascade
);
create index inbound_events_unprocessed on inbound_events (workspace_id, received_at) where processed_at is null;

-- What WhatsApp tells us about a contact.
alter table contacts
  add column wa_profile_name_ciphertext text,
  add column wa_user_id_ciphertext text,
  add column last_inbound_at timestamptz;

create table conversations (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  contact_id uuid not null,
  number_id uuid not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  last_inbound_at timestamptz,
  -- The customer service window: free-form replies are allowed until 24 h after this.
  last_message_at timestamptz,
  assigned_user_id uuid,
  assigned_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, number_id) references numbers (workspace_id, id) on delete cascade
);
-- At most one open conversation per contact and number; inbound processing upserts on it.
create unique index conversations_one_open on conversations (workspace_id, contact_id, number_id) where status = 'open';
create index conversations_assignee on conversations (workspace_id, assigned_user_id);

-- Status order: a status only ever moves up; failed is terminal.
create function message_status_rank(status text) returns integer
  language sql immutable
as $$
  select case status
    when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 when 'played' then 4
    when 'failed' then 9 else 0 end
$$;

create table messages (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  conversation_id uuid not null,
  contact_id uuid not null,
  number_id uuid not null,
  phone_number_id text not null,
  direction text not null check (direction in ('in', 'out')),
  wamid text check (length(wamid) <= 256),
  type text not null check (length(type) between 1 and 40),
  -- Type-specific content (text, caption, reply, location, emoji, …) as JSON, under the contact's data key.
  content_ciphertext text,
  media_id text check (length(media_id) <= 64),
  media_mime_type text check (length(media_mime_type) <= 255),
  media_sha256 text check (length(media_sha256) <= 128),
  media_size bigint,
  media_blob_key text,
  context_wamid text check (length(context_wamid) <= 256),
  reaction_to_wamid text check (length(reaction_to_wamid) <= 256),
  status text not null check (status in ('received', 'queued', 'sending', 'accepted', 'held', 'unknown', 'sent', 'delivered', 'read', 'played', 'failed')),
  status_at timestamptz,
  error_code integer,
  -- Parley's own send id, echoed by Meta as biz_opaque_callback_data (outbox reconciliation).
  send_id uuid,
  sent_by_user_id uuid,
  occurred_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, phone_number_id, wamid),
  unique (workspace_id, send_id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index messages_conversation on messages (workspace_id, conversation_id, occurred_at);

-- Every status webhook once (duplicates collapse on the unique key), whatever order they came in.
create table message_statuses (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  phone_number_id text not null,
  wamid text not null check (length(wamid) <= 256),
  status text not null check (status in ('sent', 'delivered', 'read', 'played', 'failed')),
  occurred_at timestamptz not null,
  send_id uuid,
  error_code integer,
  error_title text check (length(error_title) <= 200),
  pricing_category text check (length(pricing_category) <= 64),
  pricing_type text check (length(pricing_type) <= 64),
  recorded_at timestamptz not null default now(),
  primary key (workspace_id, wamid, status)
);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['numbers', 'inbound_events', 'conversations', 'messages', 'message_statuses'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
end
$$;

-- Agents see and touch only the conversations assigned to them, and those conversations' messages,
-- even when a query forgets to filter. Restrictive: it narrows the workspace policy, never widens it.
create policy conversations_agent on conversations as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'agent'
         or assigned_user_id = nullif(current_setting('parley.user_id', true), '')::uuid)
  with check (coalesce(current_setting('parley.role', true), '') <> 'agent'
         or assigned_user_id = nullif(current_setting('parley.user_id', true), '')::uuid);
create policy messages_agent on messages as restrictive
  using (coalesce(current_setting('parley.role', true), '') <> 'agent'
         or exists (select 1 from conversations c
                     where c.workspace_id = messages.workspace_id and c.id = messages.conversation_id
                       and c.assigned_user_id = nullif(current_setting('parley.user_id', true), '')::uuid))
  with check (coalesce(current_setting('parley.role', true), '') <> 'agent'
         or exists (select 1 from conversations c
                     where c.workspace_id = messages.workspace_id and c.id = messages.conversation_id
                       and c.assigned_user_id = nullif(current_setting('parley.user_id', true), '')::uuid));

grant select, insert, update, delete on numbers, inbound_events, conversations, messages, message_statuses to parley_app;
grant execute on function message_status_rank(text) to parley_app;
