import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { api, describeError } from "../../lib/api.ts";
import type { QuickReply } from "../conversation/conversation-types.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";

// Quick replies in the composer: typing `/` (at the start or after a space) opens a list of the
// workspace's canned responses, filtered by what follows the slash; arrow keys move, Enter or Tab
// inserts the text in place of `/shortcut`, Escape closes. Owners and Admins manage the list in a
// dialog opened from the composer. Texts are rendered as text nodes only.

const SLASH = /(^|\s)\/([\p{L}\p{N}_-]*)$/u;

/** The `/query` being typed just before the caret, if any. */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = SLASH.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]!.toLowerCase() };
}

function useQuickReplyList(workspaceId: string) {
  const [replies, setReplies] = useState<QuickReply[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setReplies((await api("GET", "/api/v1/workspaces/{workspaceId}/quick-replies", { path: { workspaceId } })).data);
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [workspaceId]);
  return { replies, error, load };
}

type PickerOptions = { workspaceId: string; text: string; onInsert(next: string): void };

/**
 * The `/` menu for a textarea: wire `ref`, `inputProps`, `onChange` (after the text changed) and
 * `onKeyDown` (first: it answers true when it handled the key), and render `menu` next to it.
 */
export function useQuickReplyPicker({ workspaceId, text, onInsert }: PickerOptions) {
  const list = useQuickReplyList(workspaceId);
  const ref = useRef<HTMLTextAreaElement>(null);
  const [slash, setSlash] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const caretAfterInsert = useRef<number | null>(null);
  const listId = useId();

  const matches = useMemo(() => {
    if (!slash || !list.replies) return [];
    const query = slash.query;
    const starts = list.replies.filter((reply) => reply.shortcut.startsWith(query));
    const contains = list.replies.filter(
      (reply) => !reply.shortcut.startsWith(query) && (reply.shortcut.includes(query) || reply.text.toLowerCase().includes(query)),
    );
    return [...starts, ...contains].slice(0, 8);
  }, [slash, list.replies]);

  useEffect(() => {
    const caret = caretAfterInsert.current;
    if (caret !== null && ref.current) {
      ref.current.focus();
      ref.current.setSelectionRange(caret, caret);
      caretAfterInsert.current = null;
    }
  }, [text]);

  const open = slash !== null;
  const { replies, load } = list;

  const onChange = (value: string, caret: number) => {
    const found = slashQuery(value, caret);
    setSlash(found);
    setActive(0);
    if (found && replies === null) void load();
  };

  const insert = (reply: QuickReply) => {
    if (!slash) return;
    const caret = slash.start + 1 + slash.query.length;
    const next = `${text.slice(0, slash.start)}${reply.text}${text.slice(caret)}`;
    caretAfterInsert.current = slash.start + reply.text.length;
    setSlash(null);
    onInsert(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    if (event.key === "Escape") {
      event.preventDefault();
      setSlash(null);
      return true;
    }
    if (matches.length === 0) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setActive((current) => (current + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length);
      return true;
    }
    if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      event.preventDefault();
      insert(matches[Math.min(active, matches.length - 1)]!);
      return true;
    }
    return false;
  };

  const optionId = (index: number) => `${listId}-option-${index}`;
  const showList = open && matches.length > 0;
  // The textarea keeps its textbox role (it is the reply box); it points at the list while open.
  const inputProps = {
    "aria-autocomplete": "list" as const,
    "aria-controls": listId,
    ...(showList ? { "aria-activedescendant": optionId(Math.min(active, matches.length - 1)) } : {}),
  };

  let menu: ReactNode = null;
  if (open) {
    menu = (
      <div className="quick-replies-popup">
        {list.error ? (
          <p className="form-error" role="alert">
            {list.error}
          </p>
        ) : replies === null ? (
          <p className="muted" role="status">
            Loading quick replies…
          </p>
        ) : matches.length === 0 ? (
          <p className="muted" role="status">
            {replies.length === 0
              ? "No quick replies yet. Owners and Admins can add them with “Quick replies…”."
              : `No quick reply matches “/${slash.query}”.`}
          </p>
        ) : null}
        <ul id={listId} role="listbox" aria-label="Quick replies" className="quick-replies-list" hidden={!showList}>
          {matches.map((reply, index) => (
            <li
              key={reply.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? "active" : undefined}
              onMouseDown={(event) => {
                // Keep the focus in the textarea; choose on press.
                event.preventDefault();
                insert(reply);
              }}
            >
              <span className="quick-reply-shortcut">/{reply.shortcut}</span>
              <span className="quick-reply-text">{reply.text}</span>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  return { textarea: ref, inputProps, onChange, onKeyDown, menu, close: () => setSlash(null), reload: load };
}

/** Owners and Admins: a "Quick replies…" button opening the management dialog. */
export function QuickReplyManagerButton({ workspaceId, onChanged }: { workspaceId: string; onChanged?(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [openCount, setOpenCount] = useState(0);
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setOpenCount((count) => count + 1);
          dialog.current?.showModal();
        }}
      >
        Quick replies…
      </button>
      {/* In a portal: the composer is a form, and forms must not nest. */}
      {createPortal(
        <dialog ref={dialog} className="quick-replies-dialog" aria-labelledby="quick-replies-title" onClose={() => onChanged?.()}>
          {openCount > 0 ? <QuickReplyManager key={openCount} workspaceId={workspaceId} onClose={() => dialog.current?.close()} /> : null}
        </dialog>,
        document.body,
      )}
    </>
  );
}

function QuickReplyManager({ workspaceId, onClose }: { workspaceId: string; onClose(): void }) {
  const { replies, error, load } = useQuickReplyList(workspaceId);
  const [editing, setEditing] = useState<QuickReply | "new" | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // Deleting asks first, in the row itself (the manager is already a modal dialog).
  const [confirming, setConfirming] = useState<string | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (reply: QuickReply) => {
    setConfirming(null);
    setActionError(null);
    try {
      await api("DELETE", "/api/v1/workspaces/{workspaceId}/quick-replies/{quickReplyId}", {
        path: { workspaceId, quickReplyId: reply.id },
      });
      await load();
    } catch (caught) {
      setActionError(describeError(caught));
    }
  };

  return (
    <div>
      <div className="dialog-header">
        <h2 id="quick-replies-title">Quick replies</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">Type “/” and the shortcut in a reply to insert one. At most 200 per workspace.</p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {actionError ? (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      ) : null}
      {editing ? (
        <QuickReplyForm
          workspaceId={workspaceId}
          reply={editing === "new" ? null : editing}
          onDone={async () => {
            setEditing(null);
            await load();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" onClick={() => setEditing("new")} disabled={replies !== null && replies.length >= 200}>
          New quick reply
        </button>
      )}
      {replies === null && !error ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : null}
      {replies !== null && replies.length === 0 ? <p className="muted">No quick replies yet.</p> : null}
      {replies && replies.length > 0 ? (
        <ul className="quick-replies-manage" aria-label="Quick replies of this workspace">
          {replies.map((reply) => (
            <li key={reply.id}>
              <span className="quick-reply-shortcut">/{reply.shortcut}</span>
              <span className="quick-reply-text">{reply.text}</span>
              {confirming === reply.id ? (
                <span className="quick-reply-actions" role="group" aria-label={`Delete /${reply.shortcut}?`}>
                  <button type="button" onClick={() => void remove(reply)}>
                    Delete for good
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    Keep it
                  </button>
                </span>
              ) : (
                <span className="quick-reply-actions">
                  <button type="button" onClick={() => setEditing(reply)} aria-label={`Edit /${reply.shortcut}`}>
                    Edit
                  </button>
                  <button type="button" onClick={() => setConfirming(reply.id)} aria-label={`Delete /${reply.shortcut}`}>
                    Delete
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function QuickReplyForm({
  workspaceId,
  reply,
  onDone,
  onCancel,
}: {
  workspaceId: string;
  reply: QuickReply | null;
  onDone(): Promise<void>;
  onCancel(): void;
}) {
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? "");
  const [text, setText] = useState(reply?.text ?? "");
  const { busy, error, run } = useAction(describeError);

  const save = (event: FormEvent) => {
    event.preventDefault();
    // React events cross portals: the composer's form around the button must not see this submit.
    event.stopPropagation();
    void run(async () => {
      const body = { shortcut: shortcut.trim().replace(/^\//, ""), text };
      if (reply)
        await api("PATCH", "/api/v1/workspaces/{workspaceId}/quick-replies/{quickReplyId}", {
          path: { workspaceId, quickReplyId: reply.id },
          body,
        });
      else await api("POST", "/api/v1/workspaces/{workspaceId}/quick-replies", { path: { workspaceId }, body });
      await onDone();
    });
  };

  return (
    <form className="quick-reply-form" onSubmit={save} aria-label={reply ? `Edit /${reply.shortcut}` : "New quick reply"}>
      <label className="field">
        <span>Shortcut (typed after /)</span>
        <input
          value={shortcut}
          onChange={(event) => setShortcut(event.target.value)}
          maxLength={33}
          pattern="/?[A-Za-z0-9][A-Za-z0-9_\-]{0,31}"
          required
        />
      </label>
      <label className="field">
        <span>Text</span>
        <textarea value={text} onChange={(event) => setText(event.target.value)} maxLength={4096} required rows={4} />
      </label>
      <ErrorText message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" disabled={busy || text.trim() === "" || shortcut.trim() === ""}>
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
