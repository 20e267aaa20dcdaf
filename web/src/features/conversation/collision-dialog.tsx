import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, describeError, type Conversation, type Member } from "../../lib/api.ts";
import { memberName } from "./presence.tsx";

// Reply collisions: a reply carries the conversation's newest message as it was when the draft was
// started. If someone else answered since, the server refuses it (409 REPLY_COLLISION, who and
// when) and this dialog asks whether to send anyway; confirming resends with `takeover: true`
// (audited on the server). Cancelling keeps the draft, now based on what the member has seen.

/** What a reply adds to the send API's body. */
export type ReplyFields = { ifLastMessageId: string | null; takeover?: true };

type Collision = { answeredByUserId: string | null; answeredAt: string; messageId: string };

function readCollision(error: unknown): Collision | null {
  if (!(error instanceof ApiError) || error.code !== "REPLY_COLLISION") return null;
  const details = error.details as Partial<Collision> | undefined;
  return {
    answeredByUserId: details?.answeredByUserId ?? null,
    answeredAt: details?.answeredAt ?? new Date().toISOString(),
    messageId: details?.messageId ?? "",
  };
}

function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

type Options = { members: readonly Member[]; onSent(): void; onError(message: string): void };

/**
 * The guard around a composer's send, following its draft: the basis (the newest message then) is
 * taken when a draft starts, however it starts (typed, pasted, inserted). `send` posts with the
 * basis and answers "sent", or "held" while the dialog asks; `dialog` is the element to render.
 */
export function useReplyGuard(conversation: Conversation, draft: string, options: Options) {
  const basis = useRef<string | null | undefined>(undefined);
  const latest = conversation.lastMessage?.id ?? null;
  const isEmpty = draft.trim() === "";
  const [held, setHeld] = useState<{ collision: Collision; resend: () => Promise<unknown> } | null>(null);
  const [busy, setBusy] = useState(false);
  const { onSent, onError } = options;

  useEffect(() => {
    if (isEmpty) basis.current = undefined;
    else if (basis.current === undefined) basis.current = latest;
  }, [isEmpty, latest]);

  const send = useCallback(
    async (post: (fields: ReplyFields) => Promise<unknown>): Promise<"sent" | "held"> => {
      const fields: ReplyFields = { ifLastMessageId: basis.current === undefined ? latest : basis.current };
      try {
        await post(fields);
        basis.current = undefined;
        return "sent";
      } catch (error) {
        const collision = readCollision(error);
        if (!collision) throw error;
        // Confirming sends the same reply again, saying it takes over (a new request: a new idempotency key).
        setHeld({ collision, resend: () => post({ ...fields, takeover: true }) });
        return "held";
      }
    },
    [latest],
  );

  const cancel = useCallback(() => {
    // The member has now seen that answer: a later send is based on it.
    if (held?.collision.messageId) basis.current = held.collision.messageId;
    setHeld(null);
  }, [held]);

  const confirm = useCallback(async () => {
    if (!held) return;
    setBusy(true);
    try {
      await held.resend();
      basis.current = undefined;
      setHeld(null);
      onSent();
    } catch (error) {
      setHeld(null);
      onError(describeError(error));
    }
    setBusy(false);
  }, [held, onSent, onError]);

  const dialog = held ? (
    <CollisionDialog
      who={memberName(options.members, held.collision.answeredByUserId)}
      when={held.collision.answeredAt}
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={cancel}
    />
  ) : null;
  return { send, dialog };
}

/** A modal dialog (native <dialog>: focus stays inside, Escape cancels). */
export function CollisionDialog({
  who,
  when,
  busy,
  onConfirm,
  onCancel,
}: {
  who: string;
  when: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className="collision-dialog"
      aria-labelledby="collision-title"
      aria-describedby="collision-text"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="collision-title">Someone already answered</h2>
      <p id="collision-text">
        {who} answered {ago(when)}: send anyway?
      </p>
      <div className="actions">
        <button type="button" onClick={onCancel} autoFocus disabled={busy}>
          Don’t send
        </button>
        <button type="button" className="primary" onClick={onConfirm} disabled={busy}>
          {busy ? "Sending…" : "Send anyway"}
        </button>
      </div>
    </dialog>
  );
}
