import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { api, ApiError, describeError } from "../lib/api.ts";
import { ErrorText } from "./ui.tsx";
import { useAction } from "../lib/use-action.ts";
import { CloseIcon } from "./icons.tsx";

// The dashboard's dialogs: a modal on the native <dialog> element (focus stays inside, Escape
// closes it), and the password confirmation the API asks for before sensitive actions (exports,
// erasure, API keys, password and MFA changes): an action that fails with REAUTHENTICATION_REQUIRED
// opens it, and runs again once the password is confirmed.

type ModalProps = { title: string; onClose(): void; children: ReactNode; wide?: boolean };

/** Render it only while open. */
export function Modal({ title, onClose, children, wide }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? "modal modal-wide" : "modal"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="link" onClick={onClose} aria-label="Close">
          <CloseIcon />
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** Thrown by withReauth when the person closes the password dialog instead of confirming. */
export class ReauthCancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "ReauthCancelled";
  }
}

type Pending = { run: () => Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };

/** `askCode`: the person has an authenticator app enrolled, so the dialog asks for its code too. */
export function useReauth(askCode: boolean): { withReauth<T>(action: () => Promise<T>): Promise<T>; dialog: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);

  const withReauth = useCallback(<T,>(action: () => Promise<T>): Promise<T> => {
    return action().catch((error: unknown) => {
      if (!(error instanceof ApiError) || error.code !== "REAUTHENTICATION_REQUIRED") throw error;
      return new Promise<T>((resolve, reject) => {
        setPending({ run: action, resolve: resolve, reject });
      });
    });
  }, []);

  const dialog = pending ? (
    <ReauthDialog
      askCode={askCode}
      onCancel={() => {
        pending.reject(new ReauthCancelled());
        setPending(null);
      }}
      onConfirmed={async () => {
        try {
          pending.resolve(await pending.run());
        } catch (error) {
          pending.reject(error);
        } finally {
          setPending(null);
        }
      }}
    />
  ) : null;
  return { withReauth, dialog };
}

function ReauthDialog({ askCode, onCancel, onConfirmed }: { askCode: boolean; onCancel(): void; onConfirmed(): Promise<void> }) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needsCode, setNeedsCode] = useState(askCode);
  const { busy, error, setError, onSubmit } = useAction(describeError);

  // Busy until the confirmed action has run too: the dialog closes after it.
  const submit = onSubmit(async () => {
    const trimmed = code.replace(/\s/g, "");
    const body = { password, ...(trimmed === "" ? {} : /^\d{6}$/.test(trimmed) ? { totp: trimmed } : { recoveryCode: code.trim() }) };
    try {
      await api("POST", "/api/v1/auth/reauthenticate", { body });
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.code !== "MFA_CODE_REQUIRED") throw caught;
      setNeedsCode(true);
      setError("Enter the 6-digit code from your authenticator app (or a recovery code).");
      return;
    }
    await onConfirmed();
  });

  return (
    <Modal title="Confirm it's you" onClose={onCancel}>
      <form onSubmit={submit} aria-label="Password confirmation">
        <p className="muted">
          This action is sensitive: confirm your password{needsCode ? " and a code from your authenticator app" : ""} to continue. You will
          not be asked again for 5 minutes.
        </p>
        <label className="field">
          <span>Your password</span>
          <input
            type="password"
            value={password}
            required
            autoComplete="current-password"
            autoFocus
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {needsCode ? (
          <label className="field">
            <span>Authentication code</span>
            <input
              value={code}
              required
              autoComplete="one-time-code"
              inputMode="numeric"
              onChange={(event) => setCode(event.target.value)}
            />
          </label>
        ) : null}
        <ErrorText message={error} />
        <div className="modal-actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? "Confirming…" : "Confirm"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
