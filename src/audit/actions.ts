// Every action the audit log records (DESIGN §7). Extend by appending: the strings are stored in
// the log and hashed into its leaves, so an existing name must never change meaning or spelling.

export const auditActions = [
  "auth.login.succeeded",
  "auth.login.failed",
  "auth.lockout",
  "auth.logout",
  "auth.password.changed",
  "auth.mfa.enrolled",
  "auth.mfa.reset",
  "auth.recovery_code.used",
  "setup.completed",
  "workspace.created",
  "invitation.created",
  "invitation.revoked",
  "invitation.accepted",
  "member.role_changed",
  "member.removed",
  "api_key.created",
  "api_key.revoked",
  "number.connected",
  "number.token_updated",
  "keys.rotated",
  "keys.signing_rotated",
  "audit.key_rotated",
  "export.created",
  "contact.erased",
  "settings.changed",
  "audit.exported",
  "number.credentials_invalid",
  "conversation.assigned",
  "conversation.closed",
  "conversation.reopened",
  "conversation.takeover",
  "note.created",
  "quick_reply.created",
  "quick_reply.updated",
  "quick_reply.deleted",
  "templates.synced",
  "templates.created",
  "templates.edited",
  "templates.deleted",
  "contact.consent_changed",
  "contacts.imported",
  "contacts.exported",
  "contact.number_changed",
  "contact.user_id_changed",
  "contact.trashed",
  "contact.restored",
  "retention.changed",
  "retention.applied",
  "address.unblocked",
  "webhook.endpoint.created",
  "webhook.endpoint.updated",
  "webhook.endpoint.deleted",
  "webhook.endpoint.personal_data_changed",
  "webhook.endpoint.auto_disabled",
  "webhook.secret.rotated",
  "webhook.deliveries.replayed",
  "broadcast.created",
  "broadcast.deleted",
  "broadcast.started",
  "broadcast.paused",
  "broadcast.resumed",
  "broadcast.cancelled",
  "broadcast.retried",
  "broadcast.exported",
  "broadcast.auto_paused",
  "broadcast.audience_uploaded",
  // Reads of customer data: the access log (src/audit/access.ts), ids only.
  "conversation.viewed",
  "messages.viewed",
  "contact.viewed",
  "media.viewed",
  "conversations.searched",
  "access_log.exported",
  "plan.defined",
  "plan.assigned",
  "number.pin_set",
  "number.registered",
  "number.deregistered",
  "number.profile_updated",
  "number.disconnected",
  "number.reconnected",
  "number.embedded_signup",
  "consent.keywords_changed",
  "subject_request.created",
  "subject_request.updated",
  "subject_export.requested",
  "subject_export.completed",
  "subject_export.failed",
  "subject_export.downloaded",
  "subject_export.expired",
] as const;

export type AuditAction = (typeof auditActions)[number];

export type AuditActorType = "user" | "api_key" | "system";

export const auditActorTypes: readonly AuditActorType[] = ["user", "api_key", "system"];

/**
 * The entries the access log shows: reads of customer data and the exports that carry it out.
 * Exports were audited before the access log existed; they answer the same question.
 */
export const accessActions = [
  "conversation.viewed",
  "messages.viewed",
  "contact.viewed",
  "media.viewed",
  "conversations.searched",
  "contacts.exported",
  "audit.exported",
  "access_log.exported",
] as const satisfies readonly AuditAction[];

export type AccessAction = (typeof accessActions)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}
