import { useCallback, useRef, useState, type ReactNode } from "react";
import { describeError, type Me } from "../../lib/api.ts";
import { Modal, ReauthCancelled, useReauth as useSharedReauth } from "../../ui/dialogs.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";

// Pieces the settings sections share: a confirmation button, a read-only value with a copy button
// (for secrets shown once), the password prompt of sensitive actions (dialogs.tsx) in the form the
// settings use, and a loader with its states.

export function formatDateTime(iso: string | null): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString([], { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
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
  const { busy, error, run } = useAction(describeError);
  const confirm = () =>
    run(async () => {
      await onConfirm();
      setOpen(false);
    });
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

/**
 * Sensitive actions answer REAUTHENTICATION_REQUIRED when the session last proved its password
 * more than 5 minutes ago. `guard(action)` runs the action; on that answer it asks for the
 * password (and a code when two-factor authentication is on), re-authenticates and runs it again.
 * Resolves to undefined when the person cancels.
 */
export function useReauth(me: Me): { guard<T>(action: () => Promise<T>): Promise<T | undefined>; prompt: ReactNode } {
  const { withReauth, dialog } = useSharedReauth(me.user.mfaEnrolled);
  const guard = useCallback(
    <T,>(action: () => Promise<T>): Promise<T | undefined> =>
      withReauth(action).catch((error: unknown) => {
        if (error instanceof ReauthCancelled) return undefined;
        throw error;
      }),
    [withReauth],
  );
  return { guard, prompt: dialog };
}
