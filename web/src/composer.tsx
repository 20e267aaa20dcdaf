import { useState, type FormEvent } from "react";
import { api, describeError, type Conversation, type Member } from "./api.ts";
import { useReplyGuard } from "./collision-dialog.tsx";
import { useTypingNotifier } from "./presence.tsx";

// The reply box of an open conversation. Sends through the send API with an Idempotency-Key, so a
// retried click never sends twice.

export function Composer({ workspaceId, conversation, onSent, members = [] }: { workspaceId: string; conversation: Conversation; onSent(): void; members?: readonly Member[] }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Collision detection: the draft's typing is reported to others; a reply someone else answered first asks first.
  useTypingNotifier(workspaceId, conversation.id, text);
  const guard = useReplyGuard(conversation, text, {
    members,
    onSent: () => {
      setText("");
      onSent();
    },
    onError: setError,
  });

  if (!conversation.window.open) {
    return (
      <div className="banner" role="note">
        The 24-hour customer service window is closed: only an approved template can be sent until the customer writes again.
      </div>
    );
  }

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await guard.send((fields) =>
        api("POST", `/api/v1/workspaces/${workspaceId}/messages`, {
          body: { conversationId: conversation.id, type: "text", text: { body }, ...fields },
          headers: { "idempotency-key": crypto.randomUUID() },
        }),
      );
      if (outcome === "sent") {
        setText("");
        onSent();
      }
    } catch (caught) {
      setError(describeError(caught));
    }
    setBusy(false);
  };

  return (
    <form className="composer" onSubmit={(event) => void send(event)} aria-label="Send a reply">
      <label className="visually-hidden" htmlFor="composer-text">
        Reply
      </label>
      <textarea
        id="composer-text"
        value={text}
        maxLength={4096}
        placeholder="Write a reply… (Enter to send, Shift+Enter for a new line)"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            void send();
          }
        }}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy || text.trim() === ""}>
        {busy ? "Sending…" : "Send"}
      </button>
      {guard.dialog}
    </form>
  );
}
