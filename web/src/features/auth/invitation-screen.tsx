import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, describeError, type Role } from "../../lib/api.ts";
import { logIn } from "./auth-screens.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";

// Accepting an invitation link (/invitation#token=…). The token travels in the fragment, like the
// setup token: browsers never send it to a server, so it is in no log or Referer; it is dropped
// from the address bar as soon as it is read, and it goes to the API in a POST body only.
// Someone new chooses a password; someone with an account confirms theirs. Then they are signed
// in (with their authenticator code when they have one; Parley asks for enrollment next when
// their role or the workspace requires it).

type Accepted = { workspaceId: string; email: string; role: Role; newAccount: boolean };

const ROLE_NAMES: Record<Role, string> = { owner: "an Owner", admin: "an Admin", agent: "an Agent", analyst: "an Analyst" };

export function AcceptInvitationScreen({ onDone }: { onDone(): Promise<void> }) {
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "");
  const [hasAccount, setHasAccount] = useState(false);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [accepted, setAccepted] = useState<Accepted | null>(null);
  const [code, setCode] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const { busy, error, setError, run } = useAction(describeError);

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, "", window.location.pathname);
  }, []);

  const signIn = async (email: string) => {
    // Asked for a code: no error to show, the form asks for it next.
    if ((await logIn(email, password, code.trim() || undefined)) === "needs-code") setNeedsCode(true);
    else await onDone();
  };

  const accept = (event: FormEvent) => {
    event.preventDefault();
    if (!hasAccount && password !== repeat) {
      setError("The two passwords differ.");
      return;
    }
    void run(async () => {
      let answer: Accepted;
      try {
        answer = await api("POST", "/api/v1/invitations/accept", { body: { token, password } });
      } catch (caught) {
        if (!(caught instanceof ApiError) || caught.code !== "INVALID_CREDENTIALS") throw caught;
        setError(
          "An account with this e-mail exists already, and this is not its password. Choose “I already have an account” and enter that password.",
        );
        return;
      }
      setAccepted(answer);
      await signIn(answer.email);
    });
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (accepted) void run(() => signIn(accepted.email));
  };

  if (!token) {
    return (
      <main className="auth">
        <h1>Join a workspace</h1>
        <p role="alert">This invitation link is incomplete. Open the full link you were sent, or ask for a new invitation.</p>
      </main>
    );
  }

  if (accepted) {
    return (
      <main className="auth">
        <h1>Welcome</h1>
        <p role="status">
          You joined the workspace as {ROLE_NAMES[accepted.role]} with {accepted.email}.
        </p>
        {needsCode ? (
          <form onSubmit={submitCode} aria-label="Sign in">
            <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
            <label className="field">
              <span>Authentication code</span>
              <input
                value={code}
                required
                autoComplete="one-time-code"
                inputMode="numeric"
                autoFocus
                onChange={(event) => setCode(event.target.value)}
              />
            </label>
            <ErrorText message={error} />
            <button type="submit" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
          </form>
        ) : error ? (
          <>
            <ErrorText message={error} />
            <a href="/login">Go to sign in</a>
          </>
        ) : (
          <p className="muted" role="status">
            Signing you in…
          </p>
        )}
      </main>
    );
  }

  return (
    <main className="auth">
      <h1>Join a workspace</h1>
      <p>You were invited to Parley. The invitation is for the e-mail address it was sent to, and works once.</p>
      <fieldset className="choice">
        <legend>Do you already have a Parley account with that address?</legend>
        <label className="check">
          <input type="radio" name="account" checked={!hasAccount} onChange={() => setHasAccount(false)} />
          <span>No, I am new here</span>
        </label>
        <label className="check">
          <input type="radio" name="account" checked={hasAccount} onChange={() => setHasAccount(true)} />
          <span>I already have an account</span>
        </label>
      </fieldset>
      <form onSubmit={accept} aria-label="Accept the invitation">
        {hasAccount ? (
          <label className="field">
            <span>Your password</span>
            <input
              type="password"
              value={password}
              required
              autoComplete="current-password"
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
        ) : (
          <>
            <label className="field">
              <span>Choose a password (at least 12 characters)</span>
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
              <span>Repeat the password</span>
              <input
                type="password"
                value={repeat}
                required
                autoComplete="new-password"
                onChange={(event) => setRepeat(event.target.value)}
              />
            </label>
          </>
        )}
        <ErrorText message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Joining…" : "Accept the invitation"}
        </button>
      </form>
    </main>
  );
}
