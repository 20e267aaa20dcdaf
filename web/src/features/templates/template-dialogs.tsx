import { useState } from "react";
import { api, describeError } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { Modal } from "../../ui/dialogs.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { TEMPLATE_NAME_HINT, describeRefusal, type Refusal, type Template } from "./template-model.ts";

// The template's own actions that need a word first: a copy under a new name (and optionally
// another language), and deleting it (this language, or every language of its name) once confirmed.

type DialogProps = { workspaceId: string; template: Template; onClose(): void };

/** The server's sentence, which names each field it refuses. */
const refusalText = (refusal: Refusal | null) => refusal?.message ?? null;

export function DuplicateDialog({ workspaceId, template, onClose, onDuplicated }: DialogProps & { onDuplicated(copy: Template): void }) {
  const [name, setName] = useState(`${template.name}_copy`.slice(0, 512));
  const [language, setLanguage] = useState(template.language);
  const { busy, error, onSubmit } = useAction(describeRefusal);
  const submit = onSubmit(async () => {
    onDuplicated(
      await api("POST", "/api/v1/workspaces/{workspaceId}/templates/{templateId}/duplicate", {
        path: { workspaceId, templateId: template.id },
        body: { name: name.trim(), ...(language.trim() && language.trim() !== template.language ? { language: language.trim() } : {}) },
      }),
    );
  });
  return (
    <Modal title="Duplicate template" onClose={onClose}>
      <form onSubmit={submit} aria-label="Duplicate template">
        <p className="muted">The copy has the same content and category, and goes to WhatsApp for review as a new template.</p>
        <fieldset disabled={busy}>
          <label className="field">
            <span>New name</span>
            <input value={name} required autoFocus autoComplete="off" onChange={(event) => setName(event.target.value)} />
            <small className="muted">{TEMPLATE_NAME_HINT}</small>
          </label>
          <label className="field">
            <span>Language</span>
            <input value={language} required autoComplete="off" onChange={(event) => setLanguage(event.target.value)} />
          </label>
        </fieldset>
        <ErrorText message={refusalText(error)} />
        <div className="modal-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? "Duplicating…" : "Duplicate"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function DeleteDialog({
  workspaceId,
  template,
  languages,
  onClose,
  onDeleted,
}: DialogProps & { languages: number; onDeleted(): void }) {
  const [scope, setScope] = useState<"language" | "all">("language");
  const { busy, error, run } = useAction(describeError);
  const remove = () =>
    run(async () => {
      await api("DELETE", "/api/v1/workspaces/{workspaceId}/templates/{templateId}", {
        path: { workspaceId, templateId: template.id },
        query: { scope },
      });
      onDeleted();
    });
  return (
    <Modal title="Delete this template?" onClose={onClose}>
      <p>
        <strong>{template.name}</strong> is deleted at WhatsApp and here. Messages already sent with it stay in their conversations; its
        name cannot be used again for 30 days.
      </p>
      {languages > 1 ? (
        <fieldset className="template-delete-scope" disabled={busy}>
          <legend>What to delete</legend>
          <label>
            <input type="radio" name="scope" checked={scope === "language"} onChange={() => setScope("language")} /> Only this language (
            {template.language})
          </label>
          <label>
            <input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} /> Every language of this template (
            {languages})
          </label>
        </fieldset>
      ) : null}
      <ErrorText message={error} />
      <div className="modal-actions">
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="template-danger" onClick={() => void remove()} disabled={busy}>
          {busy ? "Deleting…" : "Delete"}
        </button>
      </div>
    </Modal>
  );
}
