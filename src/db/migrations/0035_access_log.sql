-- The access log: reads of customer data (a conversation or its messages opened, a contact viewed,
-- a media link issued, a search by name or phone, exports) are entries of the audit log itself,
-- under the access actions of src/audit/actions.ts. They hold ids only (actor, conversation,
-- contact, message), the caller's network (/24 or /48) and user agent family — never content,
-- names or phone numbers — so the audit log's grants (insert and select only), its Merkle tree and
-- signed checkpoints make them append-only and tamper-evident with nothing new to trust.
--
-- "Who accessed this contact's data" looks entries up by the contact id in their metadata; this
-- index serves it. "What did this member open" uses audit_entries_actor (migration 0003).
-- Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

create index audit_entries_contact on audit_entries (workspace_id, (metadata ->> 'contactId'), seq)
  where metadata ? 'contactId';
