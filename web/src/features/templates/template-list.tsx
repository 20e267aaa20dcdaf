import { useState, type KeyboardEvent } from "react";
import { ErrorText } from "../../ui/ui.tsx";
import {
  CATEGORY_LABELS,
  FILTER_STATUSES,
  QUALITY_LABELS,
  numberLabel,
  rejectionText,
  statusLabel,
  ttlText,
  type NumberRow,
  type Template,
  type TemplateCategory,
} from "./template-model.ts";

// The workspace's templates, every status: name, language, category, status badge, quality, the
// number (WABA) it belongs to, and why Meta rejected, paused or disabled it. Filtered by status and
// searched by name in the page (the list holds at most 500); arrow keys move between templates.

type Props = {
  templates: Template[] | null;
  error: string | null;
  numbers: NumberRow[];
  selectedId: string | null;
  onOpen(templateId: string): void;
  onRetry(): void;
};

export function TemplateList({ templates, error, numbers, selectedId, onOpen, onRetry }: Props) {
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const term = search.trim().toLowerCase();
  const shown = templates?.filter((template) => (!status || template.status === status) && (!term || template.name.includes(term))) ?? null;
  const extraStatuses = [...new Set(templates?.map((template) => template.status) ?? [])].filter(
    (candidate) => !(FILTER_STATUSES as readonly string[]).includes(candidate),
  );

  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!shown || shown.length === 0 || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    event.preventDefault();
    const ids = shown.map((template) => template.id);
    const focused = ids.findIndex((id) => document.activeElement?.id === `template-${id}`);
    const from = focused >= 0 ? focused : ids.indexOf(selectedId ?? "");
    const next = event.key === "ArrowDown" ? Math.min(ids.length - 1, from + 1) : Math.max(0, from - 1);
    document.getElementById(`template-${ids[next]}`)?.focus();
  };

  return (
    <>
      <form role="search" aria-label="Find templates" className="template-filters" onSubmit={(event) => event.preventDefault()}>
        <label className="field">
          <span>Name</span>
          <input type="search" value={search} autoComplete="off" onChange={(event) => setSearch(event.target.value)} />
        </label>
        <label className="field">
          <span>Status</span>
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">Any</option>
            {[...FILTER_STATUSES, ...extraStatuses].map((value) => (
              <option key={value} value={value}>
                {statusLabel(value)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorText message={error} />
      {error && templates === null ? (
        <button type="button" className="template-retry" onClick={onRetry}>
          Try again
        </button>
      ) : null}
      {shown === null ? (
        error ? null : (
          <p className="muted template-list-status" role="status">
            Loading templates…
          </p>
        )
      ) : templates!.length === 0 ? (
        <p className="muted template-list-status">No templates yet — create one or sync from Meta.</p>
      ) : shown.length === 0 ? (
        <p className="muted template-list-status">No templates match these filters.</p>
      ) : (
        <ul className="template-list" aria-label="Template list" onKeyDown={onListKey}>
          {shown.map((template) => (
            <li key={template.id}>
              <TemplateRow template={template} numbers={numbers} selected={template.id === selectedId} onOpen={onOpen} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TemplateRow({
  template,
  numbers,
  selected,
  onOpen,
}: {
  template: Template;
  numbers: NumberRow[];
  selected: boolean;
  onOpen(templateId: string): void;
}) {
  const number = numbers.find((candidate) => candidate.id === template.numberId);
  const rejection = template.status === "REJECTED" ? rejectionText(template) : null;
  const category = template.category as TemplateCategory | null;
  const ttl = ttlText(template);
  return (
    <button
      id={`template-${template.id}`}
      type="button"
      className={selected ? "template-row selected" : "template-row"}
      aria-current={selected ? "true" : undefined}
      onClick={() => onOpen(template.id)}
    >
      <span className="template-row-name">{template.name}</span>
      <span className={`template-status template-status-${template.status.toLowerCase()}`}>{statusLabel(template.status)}</span>
      <span className="template-row-facts">
        {template.language} · {category ? (CATEGORY_LABELS[category] ?? category) : "No category"}
        {template.qualityScore ? ` · ${QUALITY_LABELS[template.qualityScore] ?? template.qualityScore}` : ""}
      </span>
      <span className="template-row-number">
        {number ? numberLabel(number) : "Number not connected"} · WABA {template.wabaId}
      </span>
      {ttl ? <span className="template-row-ttl">{ttl}</span> : null}
      {rejection ? <span className="template-row-problem">Rejected: {rejection}</span> : null}
      {template.rejectionInfo ? <span className="template-row-problem">{template.rejectionInfo.reason}</span> : null}
      {template.statusInfo ? <span className="template-row-problem">{template.statusInfo.title}</span> : null}
    </button>
  );
}
