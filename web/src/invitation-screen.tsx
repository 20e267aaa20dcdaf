// Scaffold: accepting an invitation link (issue 5) is being built; this keeps the router whole.

export function AcceptInvitationScreen({ onDone }: { onDone(): Promise<void> }) {
  void onDone;
  return (
    <main className="auth">
      <p className="muted">Accepting invitations from the dashboard is not available yet.</p>
    </main>
  );
}
