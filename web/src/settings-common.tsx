import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api, ApiError, describeError, type Me } from "./api.ts";
import { ErrorText } from "./ui.tsx";

// Pieces the settings sections share: a modal dialog, a confirmation button, a read-only value
// with a copy button (for secrets shown once), and the password prompt that sensitive actions
// (API keys, exports, password and MFA changes) ask for when the last proof is over 5 minutes old.

export function formatDateTime(iso: string | null): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString([], { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A native modal dialog: focus stays inside, Escape closes it. Render it only while open. */
export function Modal({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
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
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

type ConfirmProps = {
  label: string;
  /** The button's accessible name when `label` alone is ambiguous (one per row). */
  ariaLabel?: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<void>;
  disabled?: boolean;
};

/** A button that asks first; the dialog stays open with the error if the action fails. */
export function ConfirmButton({ label, ariaLabel, title, message, confirmLabel, onConfirm, disabled }: ConfirmProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (caught) {
      setError(describeError(caught));
    }
    setBusy(false);
  };
  return (
    <>
      <button type="button" className="danger-outline" aria-label={ariaLabel} disabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open ? (
        <Modal title={title} onClose={() => setOpen(false)}>
          <div className="modal-body">{message}</div>
          <ErrorText message={error} />
          <div className="modal-actions">
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
              {busy ? "Working…" : confirmLabel}
            </button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}

/** A value shown once (an invitation link, an API key): selectable, with a copy button. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for a manual copy.
      inputRef.current?.select();
      setCopied("no");
    }
  };
  return (
    <div className="copy-field">
      <label className="field">
        <span>{label}</span>
        <input ref={inputRef} type="text" readOnly value={value} onFocus={(event) => event.target.select()} spellCheck={false} />
      </label>
      <button type="button" onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" className="muted">
        {copied === "yes" ? "Copied." : copied === "no" ? "Press Ctrl+C (⌘C) to copy the selected text." : ""}
      </span>
    </div>
  );
}

type Pending = { run(): Promise<void> };

/**
 * Sensitive actions answer REAUTHENTICATION_REQUIRED when the session last proved its password
 * more than 5 minutes ago. `guard(action)` runs the action; on that answer it asks for the
 * password (and a code when two-factor authentication is on), re-authenticates and runs it again.
 * Resolves to undefined when the person cancels.
 */
export function useReauth(me: Me): { guard<T>(action: () => Promise<T>): Promise<T | undefined>; prompt: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);
  const cancelRef = useRef<(() => void) | null>(null);

  const guard = useCallback(<T,>(action: () => Promise<T>): Promise<T | undefined> => {
    return action().catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === "REAUTHENTICATION_REQUIRED")) throw error;
      return new Promise<T | undefined>((resolve, reject) => {
        cancelRef.current = () => resolve(undefined);
        setPending({
          run: async () => {
            try {
              resolve(await action());
            } catch (again) {
              reject(again);
            }
          },
        });
      });
    });
  }, []);

  const close = () => {
    cancelRef.current?.();
    cancelRef.current = null;
    setPending(null);
  };

  const prompt = pending ? (
    <ReauthDialog
      mfaEnrolled={me.user.mfaEnrolled}
      onCancel={close}
      onConfirmed={async () => {
        const current = pending;
        cancelRef.current = null;
        setPending(null);
        await current.run();
      }}
    />
  ) : null;
  return { guard, prompt };
}

function ReauthDialog({ mfaEnrolled, onCancel, onConfirmed }: { mfaEnrolled: boolean; onCancel(): void; onConfirmed(): Promise<void> }) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, string> = { password };
    const trimmed = code.trim();
    if (trimmed) {
      if (/^\d{6}$/.test(trimmed)) body.totp = trimmed;
      else body.recoveryCode = trimmed;
    }
    try {
      await api("POST", "/api/v1/auth/reauthenticate", { body });
    } catch (caught) {
      setError(caught instanceof ApiError && caught.code === "MFA_CODE_REQUIRED" ? "Enter the code from your authenticator app as well." : describeError(caught));
      setBusy(false);
      return;
    }
    await onConfirmed();
  };
  return (
    <Modal title="Confirm it's you" onClose={onCancel}>
      <form onSubmit={(event) => void submit(event)} aria-label="Confirm your password">
        <p>This action is sensitive. Enter your password{mfaEnrolled ? " and a code from your authenticator app" : ""} to continue.</p>
        <label className="field">
          <span>Your password</span>
          <input type="password" value={password} required autoComplete="current-password" autoFocus onChange={(event) => setPassword(event.target.value)} />
        </label>
        {mfaEnrolled ? (
          <label className="field">
            <span>Authentication code</span>
            <input value={code} required autoComplete="one-time-code" inputMode="numeric" onChange={(event) => setCode(event.target.value)} />
          </label>
        ) : null}
        <ErrorText message={error} />
        <div className="modal-actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Confirm"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Loads a resource once per `key`, with loading and error states and a reload. */
export function useResource<T>(load: () => Promise<T>, key: unknown[]): { data: T | null; error: string | null; reload(): Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      setData(await loadRef.current());
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, []);
  useEffect(() => {
    setData(null);
    void reload();
    // The key lists what the load depends on.
  }, key);
  return { data, error, reload };
}
