-- Template authoring (Messaging at scale, point 1): a template's content (header, body, footer,
-- buttons and their examples) is business wording a workspace may not want readable at rest, so it
-- is kept encrypted under the workspace key, with AAD naming this table, column and row
-- (src/features/templates/repository.ts). Name, language, category and status stay in clear: sends
-- and webhooks look templates up by them.
--
-- The plaintext `components` column is dropped here rather than re-encrypted: a migration has no
-- key provider, and every component Parley stored came from Meta, which lists it again (examples
-- included) on the next sync (POST /templates/sync, or any create/edit through Parley). Until then
-- a template's components read as null, which the catalogue already shows as "not synced yet".
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

alter table templates
  add column components_ciphertext text check (length(components_ciphertext) <= 200000),
  -- When an APPROVED template was edited through Parley, newest last: Meta allows one edit in
  -- 24 hours and ten in 30 days, and Parley says so before asking. ISO 8601 times, at most the last 20.
  add column approved_edits text[] not null default '{}' check (cardinality(approved_edits) <= 20);

update templates set components = null;
alter table templates drop column components;
