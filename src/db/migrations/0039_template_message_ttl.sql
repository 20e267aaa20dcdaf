-- A template's delivery time-to-live (Meta's message_send_ttl_seconds, messaging-and-integrations.md
-- §1.4): how long WhatsApp keeps trying to deliver a message sent with it before it is dropped.
-- Null is Meta's default for the category (30 days; 10 minutes for authentication templates), as is
-- -1. Set by a create or edit through Parley and read back by a sync. Not personal data.
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

alter table templates
  add column message_send_ttl_seconds integer check (message_send_ttl_seconds = -1 or message_send_ttl_seconds between 1 and 2592000);
