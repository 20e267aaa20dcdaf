import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, ApiError, describeError, setSession } from "../../lib/api.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";

// First-run setup, sign-in (password, then the authenticator code when asked) and MFA enrollment.

function Field(props: {
  label: string;
  type?: string;
  value: string;
  onChange(value: string): void;
  autoComplete?: string;
  inputMode?: "numeric";
  autoFocus?: boolean;
  pattern?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? "text"}
        value={props.value}
        required
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        autoFocus={props.autoFocus}
        pattern={props.pattern}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
}

export function SetupScreen({ onDone }: { onDone(): Promise<void> }) {
  // The token travels in the fragment: never sent to a server, never in logs or Referer.
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [workspaceName, setWorkspaceName] = useState("");
  const { busy, error, onSubmit } = useAction(describeError);

  useEffect(() => {
    // Drop the token from the address bar and history as soon as it is read.
    if (window.location.hash) window.history.replaceState(window.history.state, "", window.location.pathname);
  }, []);

  const submit = onSubmit(async () => {
    setSession(await api("POST", "/api/v1/setup", { body: { token, email, password, workspaceName } }));
    await onDone();
  });

  if (!token) {
    return (
      <main className="auth">
        <h1>Set up Parley</h1>
        <p role="alert">This setup link is incomplete. Open the full link printed by Parley when it started.</p>
      </main>
    );
  }
  return (
    <main className="auth">
      <h1>Set up Parley</h1>
      <p>Create the first Owner account and your workspace.</p>
      <form onSubmit={submit} aria-label="Setup">
        <Field label="Workspace name" value={workspaceName} onChange={setWorkspaceName} autoFocus />
        <Field label="Your e-mail" type="email" value={email} onChange={setEmail} autoComplete="email" />
        <Field
          label="Password (at least 12 characters)"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
        />
        <ErrorText message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create workspace"}
        </button>
      </form>
    </main>
  );
}

/**
 * Signs in (the session is then set) with the password and, when given, a code: six digits are an
 * authenticator code, anything else a recovery code. "needs-code" when the account asks for one
 * first; any other refusal throws.
 */
export async function logIn(email: string, password: string, code?: string): Promise<"signed-in" | "needs-code"> {
  const body = { email, password, ...(code === undefined ? {} : /^\d{6}$/.test(code) ? { totp: code } : { recoveryCode: code }) };
  try {
    setSession(await api("POST", "/api/v1/auth/login", { body }));
    return "signed-in";
  } catch (caught) {
    if (caught instanceof ApiError && caught.code === "MFA_CODE_REQUIRED") return "needs-code";
    throw caught;
  }
}

/** `notice`: what the previous screen has to say (a sign-out the server refused). */
export function LoginScreen({ onDone, notice }: { onDone(): Promise<void>; notice?: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const { busy, error, onSubmit } = useAction(describeError);

  const submit = onSubmit(async () => {
    // Asked for a code: no error to show, the form asks for it next.
    if ((await logIn(email, password, needsCode ? code.trim() : undefined)) === "needs-code") setNeedsCode(true);
    else await onDone();
  });

  return (
    <main className="auth">
      <h1>Sign in to Parley</h1>
      <ErrorText message={notice ?? null} />
      <form onSubmit={submit} aria-label="Sign in">
        {!needsCode ? (
          <>
            <Field label="E-mail" type="email" value={email} onChange={setEmail} autoComplete="username" autoFocus />
            <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
          </>
        ) : (
          <>
            <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
            <Field label="Authentication code" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" autoFocus />
          </>
        )}
        <ErrorText message={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : needsCode ? "Verify" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

// Starting an enrollment replaces the pending seed: a screen mounted twice (React's development
// checks, a re-render) must show the seed the server holds, so the request is one query per page,
// never refetched (once confirmed, the screen is not shown again).
const ENROLLMENT_KEY = ["mfa-enrollment"] as const;

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function MfaEnrollmentScreen({ onDone, onSignOut }: { onDone(): Promise<void>; onSignOut(): void }) {
  const [code, setCode] = useState("");
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const { busy, error: confirmError, onSubmit } = useAction(describeError);
  const started = useQuery({
    queryKey: ENROLLMENT_KEY,
    queryFn: () => api("POST", "/api/v1/me/mfa/totp"),
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const enrollment = started.data ?? null;
  const startError = started.error
    ? started.error instanceof ApiError && started.error.code === "REAUTHENTICATION_REQUIRED"
      ? "For your security, sign out and sign in again to set up two-factor authentication."
      : describeError(started.error)
    : null;
  const error = confirmError ?? startError;

  const confirm = onSubmit(async () => {
    const answer = await api("POST", "/api/v1/me/mfa/totp/confirm", { body: { code: code.trim() } });
    setRecoveryCodes(answer.recoveryCodes);
  });

  if (recoveryCodes) {
    return (
      <main className="auth">
        <h1>Save your recovery codes</h1>
        <p>Each code signs you in once if you lose your phone. They are shown only now: keep them somewhere safe.</p>
        <ul className="recovery-codes" aria-label="Recovery codes">
          {recoveryCodes.map((recovery) => (
            <li key={recovery}>
              <code>{recovery}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void onDone()}>
          I saved them — continue
        </button>
      </main>
    );
  }
  return (
    <main className="auth">
      <h1>Set up two-factor authentication</h1>
      <p>Your role requires a code from an authenticator app. Scan the QR code, or type the key, then enter the 6-digit code.</p>
      {enrollment ? (
        <>
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
          <form onSubmit={confirm} aria-label="Confirm two-factor authentication">
            <Field
              label="6-digit code"
              value={code}
              onChange={setCode}
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="\d{6}"
              autoFocus
            />
            <ErrorText message={error} />
            <button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Turn on two-factor authentication"}
            </button>
          </form>
        </>
      ) : error ? (
        <ErrorText message={error} />
      ) : (
        <p role="status">Preparing…</p>
      )}
      <button type="button" className="link" onClick={onSignOut}>
        Sign out
      </button>
    </main>
  );
}
