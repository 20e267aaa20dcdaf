import { useState, type FormEvent } from "react";
import { api, describeError, type Me } from "../../lib/api.ts";
import { Modal } from "../../ui/dialogs.tsx";
import { ConfirmButton, formatDateTime, useReauth } from "./settings-common.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// Workspace security (settings.manage): the MFA-for-everyone policy. Your account (everyone): the
// password and two-factor authentication. Password and MFA changes sign out every session, so the
// panel sends the person back to the sign-in screen afterwards.

export function WorkspaceSecurity({ workspaceId }: { workspaceId: string }) {
  const policy = useApiQuery(queryKeys.securityPolicy(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/settings/security", { path: { workspaceId } }),
  );
  const { busy: saving, error, run } = useAction(describeError);
  // The checkbox follows the click at once; a refused change puts it back.
  const [requested, setRequested] = useState(false);

  const toggle = (requireMfaForAll: boolean) => {
    setRequested(requireMfaForAll);
    void run(async () => {
      await api("PATCH", "/api/v1/workspaces/{workspaceId}/settings/security", { path: { workspaceId }, body: { requireMfaForAll } });
      await policy.reload();
    });
  };

  const required = saving ? requested : (policy.data?.requireMfaForAll ?? false);
  return (
    <section aria-labelledby="policy-title" className="panel">
      <h2 id="policy-title">Two-factor authentication policy</h2>
      <p className="muted">Owners and Admins always need two-factor authentication. You can require it from every member.</p>
      <ErrorText message={policy.error ?? error} />
      {policy.data === null && !policy.error ? (
        <p className="muted" role="status">
          Loading the policy…
        </p>
      ) : policy.data ? (
        <>
          <label className="check">
            <input type="checkbox" checked={required} disabled={saving} onChange={(event) => toggle(event.target.checked)} />
            <span>Require two-factor authentication for every member</span>
          </label>
          <p className="muted" role="status">
            {saving
              ? "Saving…"
              : policy.data.requireMfaForAll
                ? "Members without it must set it up before anything else, from their next request on."
                : "Agents and Analysts may sign in with a password alone."}
            {!saving && policy.data.updatedAt ? ` Last changed ${formatDateTime(policy.data.updatedAt)}.` : ""}
          </p>
        </>
      ) : null}
    </section>
  );
}

export function AccountPanel({ me, onSignOut }: { me: Me; onSignOut(): void }) {
  const reauth = useReauth(me);
  const [signedOut, setSignedOut] = useState<string | null>(null);
  return (
    <>
      {reauth.prompt}
      {signedOut ? (
        <Modal title="Signed out everywhere" onClose={onSignOut}>
          <p>{signedOut}</p>
          <div className="modal-actions">
            <button type="button" onClick={onSignOut}>
              Sign in again
            </button>
          </div>
        </Modal>
      ) : null}
      <section aria-labelledby="account-title" className="panel">
        <h2 id="account-title">Account</h2>
        <dl className="facts">
          <dt>E-mail</dt>
          <dd>{me.user.email}</dd>
        </dl>
      </section>
      <PasswordForm
        guard={reauth.guard}
        onChanged={() => setSignedOut("Your password was changed and every session was signed out. Sign in again with the new password.")}
      />
      <TwoFactorPanel
        me={me}
        guard={reauth.guard}
        onReset={() => setSignedOut("Two-factor authentication was turned off and every session was signed out.")}
      />
    </>
  );
}

type Guard = <T>(action: () => Promise<T>) => Promise<T | undefined>;

function PasswordForm({ guard, onChanged }: { guard: Guard; onChanged(): void }) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const { busy, error, setError, run } = useAction(describeError);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setError("The two passwords differ.");
      return;
    }
    void run(async () => {
      const done = await guard(() => api("POST", "/api/v1/me/password", { body: { newPassword: password } }).then(() => true));
      if (done) onChanged();
    });
  };

  return (
    <section aria-labelledby="password-title" className="panel">
      <h2 id="password-title">Change password</h2>
      <form className="stacked-form" onSubmit={submit} aria-label="Change password">
        <label className="field">
          <span>New password (at least 12 characters)</span>
          <input
            type="password"
            value={password}
            required
            minLength={12}
            maxLength={1024}
            autoComplete="new-password"
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Repeat the new password</span>
          <input type="password" value={repeat} required autoComplete="new-password" onChange={(event) => setRepeat(event.target.value)} />
        </label>
        <ErrorText message={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}

type Enrollment = { otpauthUri: string; qrCodeSvg: string; secret: string };

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function TwoFactorPanel({ me, guard, onReset }: { me: Me; guard: Guard; onReset(): void }) {
  const [enrolled, setEnrolled] = useState(me.user.mfaEnrolled);
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [code, setCode] = useState("");
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const { busy, error, run, onSubmit } = useAction(describeError);

  const start = () =>
    run(async () => {
      const started = await guard(() => api("POST", "/api/v1/me/mfa/totp"));
      if (started) setEnrollment(started);
    });

  const confirm = onSubmit(async () => {
    const answer = await api("POST", "/api/v1/me/mfa/totp/confirm", { body: { code: code.trim() } });
    setRecoveryCodes(answer.recoveryCodes);
    setEnrollment(null);
    setEnrolled(true);
  });

  return (
    <section aria-labelledby="mfa-title" className="panel">
      <h2 id="mfa-title">Two-factor authentication</h2>
      <p role="status">
        {enrolled ? "On: signing in needs a code from your authenticator app." : "Off."}
        {me.user.mfaRequired ? " Your role or this workspace's policy requires it." : ""}
      </p>
      <ErrorText message={error} />
      {recoveryCodes ? (
        <div className="once" role="region" aria-label="Recovery codes">
          <p>
            <strong>Save your recovery codes now: they are shown only this once.</strong> Each signs you in once if you lose your phone.
          </p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {recoveryCodes.map((recovery) => (
              <li key={recovery}>
                <code>{recovery}</code>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setRecoveryCodes(null)}>
            I saved them
          </button>
        </div>
      ) : enrollment ? (
        <div>
          <p>Scan the QR code with your authenticator app, or type the key, then enter the 6-digit code it shows.</p>
          {/* An image, not markup: the SVG cannot run script or touch the page. */}
          <img
            className="qr"
            src={`data:image/svg+xml;base64,${toBase64(enrollment.qrCodeSvg)}`}
            alt="QR code for your authenticator app"
            width={200}
            height={200}
          />
          <p>
            Key: <code aria-label="Setup key">{enrollment.secret}</code>
          </p>
          <form className="inline-form" onSubmit={confirm} aria-label="Confirm two-factor authentication">
            <label className="field">
              <span>6-digit code</span>
              <input
                value={code}
                required
                pattern="\d{6}"
                inputMode="numeric"
                autoComplete="one-time-code"
                onChange={(event) => setCode(event.target.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Turn on"}
            </button>
          </form>
        </div>
      ) : enrolled ? (
        <ConfirmButton
          label="Turn off two-factor authentication"
          title="Turn off two-factor authentication?"
          message={
            <p>
              Your authenticator and recovery codes stop working and every session is signed out.
              {me.user.mfaRequired ? " Because it is required, you will have to set it up again when you next sign in." : ""}
            </p>
          }
          confirmLabel="Turn off"
          onConfirm={async () => {
            const done = await guard(() => api("DELETE", "/api/v1/me/mfa/totp").then(() => true));
            if (done) onReset();
          }}
        />
      ) : (
        <button type="button" onClick={() => void start()} disabled={busy}>
          {busy ? "Preparing…" : "Set up two-factor authentication"}
        </button>
      )}
    </section>
  );
}
