import { useState } from "react";
import { api, describeError, type Me, type Role } from "../../lib/api.ts";
import { can, canGrantRole, ROLE_LABELS, ROLES } from "../../lib/permissions.ts";
import { ConfirmButton, CopyField, formatDateTime } from "./settings-common.tsx";
import type { Membership } from "../../app/shell.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// Members and invitations. Everyone with members.read sees the list; changing roles and removing
// need members.manage, inviting needs invitations.manage — and never above one's own role. The
// invitation link is in the creation answer only, so it is shown once, here.

type MemberRow = { userId: string; email: string; role: Role; joinedAt: string };
type Invitation = {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  status: "pending" | "accepted" | "revoked" | "expired";
};
type IssuedInvitation = Invitation & { link: string };

export function MembersSection({ me, membership }: { me: Me; membership: Membership }) {
  const { workspaceId, role } = membership;
  const canRead = can(role, "members.read");
  const canManage = can(role, "members.manage");
  const canInvite = can(role, "invitations.manage");
  const members = useApiQuery(queryKeys.members(workspaceId), () =>
    canRead
      ? api("GET", "/api/v1/workspaces/{workspaceId}/members", { path: { workspaceId } }).then((answer) => answer.members)
      : Promise.resolve([]),
  );
  const invitations = useApiQuery(queryKeys.invitations(workspaceId), () =>
    canInvite
      ? api("GET", "/api/v1/workspaces/{workspaceId}/invitations", { path: { workspaceId } }).then((answer) => answer.invitations)
      : Promise.resolve([]),
  );
  const [actionError, setActionError] = useState<string | null>(null);

  const changeRole = async (member: MemberRow, next: Role) => {
    setActionError(null);
    try {
      await api("PATCH", "/api/v1/workspaces/{workspaceId}/members/{userId}", {
        path: { workspaceId, userId: member.userId },
        body: { role: next },
      });
    } catch (error) {
      setActionError(describeError(error));
    }
    await members.reload();
  };

  const grantable = ROLES.filter((candidate) => canGrantRole(role, candidate));

  return (
    <>
      {canInvite ? <InviteForm workspaceId={workspaceId} grantable={grantable} onInvited={() => void invitations.reload()} /> : null}
      {canRead ? (
        <section aria-labelledby="members-title" className="panel">
          <h2 id="members-title">Current members</h2>
          <ErrorText message={members.error ?? actionError} />
          {members.data === null && !members.error ? (
            <p className="muted" role="status">
              Loading members…
            </p>
          ) : members.data && members.data.length > 0 ? (
            <table className="data-table stack-narrow" aria-label="Members">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  {canManage ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {members.data.map((member) => {
                  const isSelf = member.userId === me.user.id;
                  // Nobody acts on a member above their own role, nor on themselves here.
                  const manageable = canManage && !isSelf && canGrantRole(role, member.role);
                  return (
                    <tr key={member.userId}>
                      <td data-label="E-mail">
                        {member.email}
                        {isSelf ? <span className="muted"> (you)</span> : null}
                      </td>
                      <td data-label="Role">
                        {manageable ? (
                          <label>
                            <span className="visually-hidden">Role of {member.email}</span>
                            <select value={member.role} onChange={(event) => void changeRole(member, event.target.value as Role)}>
                              {grantable.map((candidate) => (
                                <option key={candidate} value={candidate}>
                                  {ROLE_LABELS[candidate]}
                                </option>
                              ))}
                            </select>
                          </label>
                        ) : (
                          ROLE_LABELS[member.role]
                        )}
                      </td>
                      <td data-label="Joined">{formatDateTime(member.joinedAt)}</td>
                      {canManage ? (
                        <td data-label="Actions">
                          {manageable ? (
                            <ConfirmButton
                              label="Remove"
                              ariaLabel={`Remove ${member.email}`}
                              title="Remove this member?"
                              message={
                                <p>
                                  {member.email} loses access to this workspace at once, and the API keys they created here are revoked.
                                </p>
                              }
                              confirmLabel="Remove member"
                              onConfirm={async () => {
                                await api("DELETE", "/api/v1/workspaces/{workspaceId}/members/{userId}", {
                                  path: { workspaceId, userId: member.userId },
                                });
                                await members.reload();
                              }}
                            />
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p className="muted">No members yet.</p>
          )}
        </section>
      ) : null}
      {canInvite ? (
        <section aria-labelledby="invitations-title" className="panel">
          <h2 id="invitations-title">Pending invitations</h2>
          <ErrorText message={invitations.error} />
          <PendingInvitations workspaceId={workspaceId} invitations={invitations.data} onChanged={() => void invitations.reload()} />
        </section>
      ) : null}
    </>
  );
}

function InviteForm({ workspaceId, grantable, onInvited }: { workspaceId: string; grantable: Role[]; onInvited(): void }) {
  const [email, setEmail] = useState("");
  // People are mostly invited to answer conversations: offer the first role that sends messages
  // without managing the team.
  const [role, setRole] = useState<Role>(
    grantable.find((candidate) => can(candidate, "messages.send") && !can(candidate, "members.manage")) ?? grantable.at(-1)!,
  );
  const [issued, setIssued] = useState<IssuedInvitation | null>(null);
  const { busy, error, onSubmit } = useAction(describeError);

  const submit = onSubmit(async () => {
    setIssued(
      await api("POST", "/api/v1/workspaces/{workspaceId}/invitations", { path: { workspaceId }, body: { email: email.trim(), role } }),
    );
    setEmail("");
    onInvited();
  });

  return (
    <section aria-labelledby="invite-title" className="panel">
      <h2 id="invite-title">Invite someone</h2>
      {issued ? (
        <div className="once" role="region" aria-label="New invitation">
          <p>
            Send this link to <strong>{issued.email}</strong> ({ROLE_LABELS[issued.role]}). It works once and expires on{" "}
            {formatDateTime(issued.expiresAt)}. <strong>It is shown only now.</strong>
          </p>
          <CopyField label="Invitation link" value={issued.link} />
          <button type="button" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      ) : (
        <form className="inline-form" onSubmit={submit} aria-label="Invite someone">
          <label className="field">
            <span>E-mail</span>
            <input
              type="email"
              value={email}
              required
              maxLength={254}
              autoComplete="off"
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label className="field">
            <span>Role</span>
            <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {grantable.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {ROLE_LABELS[candidate]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {busy ? "Inviting…" : "Create invitation link"}
          </button>
          <ErrorText message={error} />
        </form>
      )}
    </section>
  );
}

function PendingInvitations({
  workspaceId,
  invitations,
  onChanged,
}: {
  workspaceId: string;
  invitations: Invitation[] | null;
  onChanged(): void;
}) {
  if (invitations === null) {
    return (
      <p className="muted" role="status">
        Loading invitations…
      </p>
    );
  }
  const pending = invitations.filter((invitation) => invitation.status === "pending");
  if (pending.length === 0) return <p className="muted">No pending invitations.</p>;
  return (
    <table className="data-table stack-narrow" aria-label="Pending invitations">
      <thead>
        <tr>
          <th scope="col">E-mail</th>
          <th scope="col">Role</th>
          <th scope="col">Expires</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {pending.map((invitation) => (
          <tr key={invitation.id}>
            <td data-label="E-mail">{invitation.email}</td>
            <td data-label="Role">{ROLE_LABELS[invitation.role]}</td>
            <td data-label="Expires">{formatDateTime(invitation.expiresAt)}</td>
            <td data-label="Actions">
              <ConfirmButton
                label="Revoke"
                ariaLabel={`Revoke the invitation of ${invitation.email}`}
                title="Revoke this invitation?"
                message={<p>The link sent to {invitation.email} stops working at once.</p>}
                confirmLabel="Revoke invitation"
                onConfirm={async () => {
                  await api("DELETE", "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}", {
                    path: { workspaceId, invitationId: invitation.id },
                  });
                  onChanged();
                }}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
