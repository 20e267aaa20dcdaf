import { useState } from "react";
import { DeleteDialog, DuplicateDialog } from "./template-dialogs.tsx";
import { TemplateEditor } from "./template-editor.tsx";
import {
  CATEGORY_LABELS,
  QUALITY_LABELS,
  draftOf,
  numberLabel,
  rejectionText,
  statusLabel,
  ttlText,
  type NumberRow,
  type Template,
  type TemplateCategory,
} from "./template-model.ts";

// One template: where it stands with WhatsApp (status, quality, why it was rejected, paused or
// recategorised, the approved edits Meta still allows), its actions (duplicate, add a language,
// delete) and the editor on its content.

const EDITABLE = ["APPROVED", "REJECTED", "PAUSED"];

type Props = {
  workspaceId: string;
  template: Template;
  /** How many languages share its name (the delete dialog offers them all). */
  languages: number;
  numbers: NumberRow[];
  onSaved(template: Template, message: string): void;
  onDeleted(template: Template): void;
};

const categoryWords = (category: string | null) => (category ? (CATEGORY_LABELS[category as TemplateCategory] ?? category) : "none");

export function TemplateDetail({ workspaceId, template, languages, numbers, onSaved, onDeleted }: Props) {
  const [mode, setMode] = useState<"edit" | "language">("edit");
  const [dialog, setDialog] = useState<"duplicate" | "delete" | null>(null);
  const number = numbers.find((candidate) => candidate.id === template.numberId);
  const rejection = rejectionText(template);
  const ttl = ttlText(template);
  const change = template.categoryChange;

  return (
    <section className="template-detail" aria-labelledby="template-title">
      <header className="template-detail-header">
        <h2 id="template-title">
          {template.name} <span className="template-language">{template.language}</span>
        </h2>
        <span className={`template-status template-status-${template.status.toLowerCase()}`} data-status={template.status}>
          {statusLabel(template.status)}
        </span>
      </header>
      <dl className="facts template-facts">
        <dt>Category</dt>
        <dd>{categoryWords(template.category)}</dd>
        <dt>Quality</dt>
        <dd>{template.qualityScore ? (QUALITY_LABELS[template.qualityScore] ?? template.qualityScore) : "Not rated yet"}</dd>
        <dt>Number</dt>
        <dd>
          {number ? numberLabel(number) : "Not connected"} · WABA {template.wabaId}
        </dd>
        {ttl ? (
          <>
            <dt>Delivery</dt>
            <dd>{ttl}</dd>
          </>
        ) : null}
        <dt>Approved edits</dt>
        <dd>
          {template.approvedEdits.last24Hours} in the last 24 hours, {template.approvedEdits.last30Days} in 30 days (WhatsApp allows 1 and
          10)
        </dd>
      </dl>
      {rejection || template.rejectionInfo ? (
        <div className="template-notice template-notice-danger" role="note" aria-label="Why WhatsApp rejected it">
          {rejection ? <p>Rejected by WhatsApp: {rejection}.</p> : null}
          {template.rejectionInfo ? (
            <>
              <p>{template.rejectionInfo.reason}</p>
              {template.rejectionInfo.recommendation ? <p>What to do: {template.rejectionInfo.recommendation}</p> : null}
            </>
          ) : null}
        </div>
      ) : null}
      {template.statusInfo ? (
        <div className="template-notice" role="note">
          <p>
            <strong>{template.statusInfo.title}</strong>
            {template.statusInfo.description ? ` — ${template.statusInfo.description}` : ""}
          </p>
        </div>
      ) : null}
      {change ? (
        <div className="template-notice" role="note">
          <p>
            {change.newCategory
              ? `WhatsApp changed the category from ${categoryWords(change.previousCategory)} to ${categoryWords(change.newCategory)}.`
              : `WhatsApp will change the category to ${categoryWords(change.correctCategory)}${change.effectiveAt ? ` on ${new Date(change.effectiveAt).toLocaleDateString()}` : ""}.`}
          </p>
        </div>
      ) : null}
      <div className="actions template-detail-actions">
        <button type="button" onClick={() => setDialog("duplicate")} disabled={!template.components}>
          Duplicate
        </button>
        <button type="button" aria-pressed={mode === "language"} onClick={() => setMode(mode === "language" ? "edit" : "language")}>
          Add a language
        </button>
        <button type="button" className="template-danger" onClick={() => setDialog("delete")}>
          Delete
        </button>
      </div>
      {!template.components ? (
        <p className="muted">WhatsApp has not told Parley this template&apos;s content yet: sync from Meta to read it.</p>
      ) : mode === "edit" && !EDITABLE.includes(template.status) ? (
        <p className="muted">
          WhatsApp allows editing approved, rejected or paused templates only; this one is {statusLabel(template.status).toLowerCase()}.
        </p>
      ) : null}
      <TemplateEditor
        key={mode}
        workspaceId={workspaceId}
        mode={mode === "edit" ? { kind: "edit", template } : { kind: "language", template }}
        initial={mode === "edit" ? draftOf(template, numbers[0]?.id ?? "") : { ...draftOf(template, numbers[0]?.id ?? ""), language: "" }}
        numbers={numbers}
        onSaved={(saved) => {
          setMode("edit");
          onSaved(
            saved,
            mode === "edit"
              ? `${saved.name} was changed and is back in review.`
              : `${saved.name} (${saved.language}) was submitted for review.`,
          );
        }}
        onCancel={() => setMode("edit")}
      />
      {dialog === "duplicate" ? (
        <DuplicateDialog
          workspaceId={workspaceId}
          template={template}
          onClose={() => setDialog(null)}
          onDuplicated={(copy) => {
            setDialog(null);
            onSaved(copy, `${copy.name} was submitted to WhatsApp for review.`);
          }}
        />
      ) : null}
      {dialog === "delete" ? (
        <DeleteDialog
          workspaceId={workspaceId}
          template={template}
          languages={languages}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            setDialog(null);
            onDeleted(template);
          }}
        />
      ) : null}
    </section>
  );
}
