-- Inbox indexes. The conversation list is ordered by last activity, newest first, and pages with a
-- keyset on (activity, id); these indexes let the list read one page of index entries instead of
-- sorting the workspace's conversations. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner
-- role.

-- The sort key, stored: the last message's time, or the creation time of a conversation without
-- messages. A plain column rather than the expression, because under row-level security PostgreSQL
-- turns a query's condition into an index condition only when it can prove the condition leaks
-- nothing, and it cannot for coalesce(…): the keyset condition would be checked row by row instead.
alter table conversations add column activity_at timestamptz generated always as (coalesce(last_message_at, created_at)) stored;

-- All conversations (Owners and Admins); by status (open is the usual view once most are closed);
-- by assignee (Mine, Unassigned — assigned_user_id is null — and every Agent, whom RLS narrows to
-- their own rows). Number filters read the first index: a workspace's numbers share its traffic.
create index conversations_inbox on conversations (workspace_id, activity_at, id);
create index conversations_inbox_status on conversations (workspace_id, status, activity_at, id);
create index conversations_inbox_assignee on conversations (workspace_id, assigned_user_id, activity_at, id);
-- Superseded by conversations_inbox_assignee (same leading columns).
drop index conversations_assignee;
-- A contact's conversations: the exact phone search finds the contact by blind index, then these.
create index conversations_contact on conversations (workspace_id, contact_id);

-- A thread's messages newest first with the id as tie-breaker (message pages, the last message of
-- each inbox row), read straight from the index without a sort.
create index messages_thread on messages (workspace_id, conversation_id, occurred_at, id);
-- Superseded by messages_thread (same leading columns).
drop index messages_conversation;
