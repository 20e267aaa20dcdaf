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
] as const;

export type AuditAction = (typeof auditActions)[number];

export type AuditActorType = "user" | "api_key" | "system";

export const auditActorTypes: readonly AuditActorType[] = ["user", "api_key", "system"];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}
