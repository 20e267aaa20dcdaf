-- Contacts list: newest first with keyset pagination on (created_at, id), per workspace. Runs
-- unchanged on PostgreSQL 15+ and PGlite, as the owner role.
create index contacts_newest on contacts (workspace_id, created_at desc, id desc);
