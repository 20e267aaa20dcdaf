import { useState, type FormEvent } from "react";
import { api, describeError, type Conversation, type Member, type Role } from "../../lib/api.ts";
import { useReplyGuard } from "../conversation/collision-dialog.tsx";
import { AttachButton } from "../conversation/media.tsx";
import { useTypingNotifier } from "../conversation/presence.tsx";
import { QuickReplyManagerButton, useQuickReplyPicker } from "../quick-replies/quick-replies.tsx";
import { can } from "../../lib/permissions.ts";
import { TemplatePicker } from "./template-picker.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";

// The reply box of an open conversation. Sends through the send API with an Idempotency-Key, so a
// retried click never sends twice.

export function Composer({
  workspaceId,
  conversation,
  onSent,
  members = [],
  role,
}: {
  workspaceId: string;
  conversation: Conversation;
  onSent(): void;
  members?: readonly Member[];
  role?: Role;
}) {
  const [text, setText] = useState("");
  const { busy, error, setError, run } = useAction(describeError);
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
  // Quick replies: "/" opens the workspace's canned responses (./quick-replies.tsx).
  const {
    textarea,
    inputProps,
    onChange: onQuickChange,
    onKeyDown: onQuickKeyDown,
    menu: quickMenu,
    close: closeQuick,
    reload: reloadQuick,
  } = useQuickReplyPicker({ workspaceId, text, onInsert: setText });
  const canManageReplies = role !== undefined && can(role, "quick_replies.manage");
  const canManageTemplates = role !== undefined && can(role, "templates.manage");

  if (!conversation.window.open) {
    return (
      <div className="banner" role="note">
        The 24-hour customer service window is closed: only an approved template can be sent until the customer writes again.
        <TemplatePicker workspaceId={workspaceId} conversation={conversation} canManage={canManageTemplates} onSent={onSent} />
      </div>
    );
  }

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    void run(async () => {
      const outcome = await guard.send((fields) =>
        api("POST", "/api/v1/workspaces/{workspaceId}/messages", {
          path: { workspaceId },
          body: { conversationId: conversation.id, type: "text", text: { body }, ...fields },
          headers: { "idempotency-key": crypto.randomUUID() },
        }),
      );
      if (outcome === "sent") {
        setText("");
        onSent();
      }
    });
  };

  return (
    <form className="composer" onSubmit={send} aria-label="Send a reply">
      <label className="visually-hidden" htmlFor="composer-text">
        Reply
      </label>
      <textarea
        ref={textarea}
        {...inputProps}
        id="composer-text"
        value={text}
        maxLength={4096}
        placeholder="Write a reply… (Enter to send, Shift+Enter for a new line, / for quick replies)"
        onChange={(event) => {
          setText(event.target.value);
          onQuickChange(event.target.value, event.target.selectionStart ?? event.target.value.length);
        }}
        onBlur={closeQuick}
        onKeyDown={(event) => {
          if (onQuickKeyDown(event)) return;
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            send();
          }
        }}
      />
      {quickMenu}
      <ErrorText message={error} />
      <div className="composer-tools">
        <AttachButton workspaceId={workspaceId} conversation={conversation} onSent={onSent} />
        {canManageReplies ? <QuickReplyManagerButton workspaceId={workspaceId} onChanged={() => void reloadQuick()} /> : null}
      </div>
      <button type="submit" disabled={busy || text.trim() === ""}>
        {busy ? "Sending…" : "Send"}
      </button>
      {guard.dialog}
    </form>
  );
}
