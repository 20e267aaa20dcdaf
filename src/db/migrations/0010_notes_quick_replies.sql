-- The conversation view: internal notes, quick replies, template components and outbound media
-- uploads. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

-- Internal notes: written by the team inside a conversation, never sent to the customer. The text
-- is personal data about the contact, so it is encrypted under the contact's data key like message
-- content: erasing the contact shreds its notes (and the rows go with the conversation).
create table conversation_notes (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  conversation_id uuid not null,
  contact_id uuid not null,
  author_user_id uuid references users (id) on delete set null,
  body_ciphertext text not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index conversation_notes_by_conversation on conversation_notes (workspace_id, conversation_id, created_at, id);

-- Quick replies: the workspace's canned responses, typed as `/shortcut` in the composer. They are
-- the business's own wording (not about any contact), so they are stored as text.
create table quick_replies (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
  body text not null check (char_length(body) between 1 and 4096),
  created_by_user_id uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, shortcut)
);

-- Files a member uploaded to send in a conversation (a "Parley media reference"). The bytes live
-- in the blob store, encrypted under the conversation's contact's data key; the id is also the id
-- of the message that will carry it, which binds the blob's AAD to that message from the start.
create table media_uploads (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  conversation_id uuid not null,
  contact_id uuid not null,
  uploaded_by_user_id uuid references users (id) on delete set null,
  media_type text not null check (media_type in ('image', 'video', 'audio', 'document', 'sticker')),
  mime_type text not null check (length(mime_type) <= 255),
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  blob_key text not null check (length(blob_key) <= 512),
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

do $$
declare
  tenant_table text;
begin
  foreach tenant_table in array array['conversation_notes', 'quick_replies', 'media_uploads'] loop
    execute format('alter table %I enable row level security', tenant_table);
    execute format('alter table %I force row level security', tenant_table);
    execute format(
      'create policy %I on %I using (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid) '
      'with check (workspace_id = nullif(current_setting(''parley.workspace_id'', true), '''')::uuid)',
      tenant_table || '_isolation', tenant_table);
  end loop;
  -- Notes and uploads belong to a contact: Analysts never see them, and Agents only those of the
  -- conversations assigned to them (like messages, 0005), even when a query forgets to filter.
  foreach tenant_table in array array['conversation_notes', 'media_uploads'] loop
    execute format(
      'create policy %I on %I as restrictive using (coalesce(current_setting(''parley.role'', true), '''') <> ''analyst'')',
      tenant_table || '_not_analyst', tenant_table);
    execute format(
      'create policy %I on %I as restrictive '
      'using (coalesce(current_setting(''parley.role'', true), '''') <> ''agent'' '
      '  or exists (select 1 from conversations c where c.workspace_id = %I.workspace_id and c.id = %I.conversation_id '
      '             and c.assigned_user_id = nullif(current_setting(''parley.user_id'', true), '''')::uuid)) '
      'with check (coalesce(current_setting(''parley.role'', true), '''') <> ''agent'' '
      '  or exists (select 1 from conversations c where c.workspace_id = %I.workspace_id and c.id = %I.conversation_id '
      '             and c.assigned_user_id = nullif(current_setting(''parley.user_id'', true), '''')::uuid))',
      tenant_table || '_agent', tenant_table, tenant_table, tenant_table, tenant_table, tenant_table);
  end loop;
end
$$;

grant select, insert, update, delete on conversation_notes, quick_replies, media_uploads to parley_app;

-- Templates: enough of the components to fill and preview them (header, body, footer, buttons as
-- Meta lists them; business wording, no personal data) and the parameter format.
alter table templates
  add column parameter_format text check (parameter_format in ('POSITIONAL', 'NAMED')),
  add column components jsonb;
