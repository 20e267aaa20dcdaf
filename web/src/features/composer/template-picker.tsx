import { useId, useMemo, useState, type FormEvent } from "react";
import { api, describeError, type Conversation } from "../../lib/api.ts";
import type { Template } from "../conversation/conversation-types.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// The template picker, offered when the 24-hour customer service window is closed: the number's
// approved templates, a preview with one input per parameter ({{1}}…{{n}}, or named ones), and a
// send through the send API as a `template` message. The server checks the parameters again and
// refuses a mismatch in words. Template texts and values are rendered as text nodes only.

type Values = Record<string, string>;

/** A template text with its placeholders filled from `values` (unfilled ones stay visible, marked). */
function Filled({ text, values, prefix }: { text: string; values: Values; prefix: string }) {
  const parts = text.split(/(\{\{\s*[A-Za-z0-9_]+\s*\}\})/g);
  return (
    <>
      {parts.map((part, index) => {
        const name = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/.exec(part)?.[1];
        if (name === undefined) return <span key={index}>{part}</span>;
        const value = values[`${prefix}${name}`]?.trim();
        return value ? (
          <span key={index} className="template-value">
            {value}
          </span>
        ) : (
          <span key={index} className="template-placeholder">
            {part}
          </span>
        );
      })}
    </>
  );
}

function unsupportedReason(template: Template): string | null {
  if (!template.components || !template.parameters) return "its content is not known yet (sync the templates)";
  if (template.parameters.header?.kind === "media") return `it needs a ${template.parameters.header.format.toLowerCase()} header`;
  if (template.components.header?.format === "LOCATION") return "it needs a location header";
  return null;
}

export function TemplatePicker({
  workspaceId,
  conversation,
  canManage,
  onSent,
}: {
  workspaceId: string;
  conversation: Conversation;
  canManage: boolean;
  onSent(): void;
}) {
  const [open, setOpen] = useState(false);
  const [selectedId, setSelectedId] = useState("");
  const [values, setValues] = useState<Values>({});
  const { busy, error, setError, run } = useAction(describeError);
  // Which button is waiting, for its label; Cancel waits for a send only.
  const [task, setTask] = useState<"sync" | "send">("send");
  const [sent, setSent] = useState<string | null>(null);
  const selectId = useId();

  // Read when the picker opens, and again after a sync.
  const list = useApiQuery(
    queryKeys.templates(workspaceId, conversation.numberId),
    () =>
      api("GET", "/api/v1/workspaces/{workspaceId}/templates", { path: { workspaceId }, query: { numberId: conversation.numberId } }).then(
        (answer) => answer.data,
      ),
    { enabled: open },
  );
  const templates = list.data;
  const loadError = list.error;
  const load = list.reload;

  const selected = useMemo(() => templates?.find((template) => template.id === selectedId) ?? null, [templates, selectedId]);
  const headerNames = selected?.parameters?.header?.kind === "text" ? selected.parameters.header.names : [];
  const bodyNames = selected?.parameters?.body ?? [];
  const complete =
    selected !== null &&
    [...headerNames.map((name) => `header:${name}`), ...bodyNames.map((name) => `body:${name}`)].every(
      (key) => (values[key] ?? "").trim() !== "",
    );

  const sync = () => {
    setTask("sync");
    void run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/templates/sync", {
        path: { workspaceId },
        body: { numberId: conversation.numberId },
      });
      await load();
    });
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!selected || !complete) return;
    setTask("send");
    const named = selected.parameterFormat === "NAMED";
    const parameter = (prefix: string, name: string) => ({
      type: "text" as const,
      text: values[`${prefix}${name}`]!.trim(),
      ...(named ? { parameterName: name } : {}),
    });
    const components = [
      ...(headerNames.length > 0
        ? [
            {
              type: "header" as const,
              parameters: headerNames.map((name) => ({ type: "text" as const, text: values[`header:${name}`]!.trim() })),
            },
          ]
        : []),
      ...(bodyNames.length > 0 ? [{ type: "body" as const, parameters: bodyNames.map((name) => parameter("body:", name)) }] : []),
    ];
    void run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/messages", {
        path: { workspaceId },
        body: {
          conversationId: conversation.id,
          type: "template",
          template: { name: selected.name, language: selected.language, ...(components.length > 0 ? { components } : {}) },
        },
        headers: { "idempotency-key": crypto.randomUUID() },
      });
      setSent(`Template “${selected.name}” sent.`);
      setSelectedId("");
      setValues({});
      onSent();
    });
  };

  if (!open) {
    return (
      <div className="template-picker">
        {sent ? (
          <p className="muted" role="status">
            {sent}
          </p>
        ) : null}
        <button type="button" onClick={() => setOpen(true)}>
          Choose a template
        </button>
      </div>
    );
  }

  return (
    <form className="template-picker open" onSubmit={send} aria-label="Send a template">
      {loadError ? (
        <p className="form-error" role="alert">
          The templates could not be loaded: {loadError}{" "}
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      ) : templates === null ? (
        <p className="muted" role="status">
          Loading templates…
        </p>
      ) : templates.length === 0 ? (
        <p className="muted">
          No approved templates for this number yet.
          {canManage ? " Sync them from WhatsApp to see the latest." : " Ask an Owner or Admin to sync them from WhatsApp."}
        </p>
      ) : (
        <div className="field">
          <label htmlFor={selectId}>Template</label>
          <select
            id={selectId}
            value={selectedId}
            onChange={(event) => {
              setSelectedId(event.target.value);
              setValues({});
              setError(null);
              setSent(null);
            }}
          >
            <option value="">Choose an approved template…</option>
            {templates.map((template) => {
              const reason = unsupportedReason(template);
              return (
                <option key={template.id} value={template.id} disabled={reason !== null}>
                  {template.name} ({template.language}){template.category ? ` · ${template.category.toLowerCase()}` : ""}
                  {reason ? ` — not available here: ${reason}` : ""}
                </option>
              );
            })}
          </select>
        </div>
      )}

      {selected?.components ? (
        <div className="template-fill">
          {[
            ...headerNames.map((name) => ({ key: `header:${name}`, label: `Header {{${name}}}` })),
            ...bodyNames.map((name) => ({ key: `body:${name}`, label: `Body {{${name}}}` })),
          ].map((field) => (
            <label key={field.key} className="field">
              <span>{field.label}</span>
              <input
                value={values[field.key] ?? ""}
                maxLength={1024}
                required
                onChange={(event) => setValues((current) => ({ ...current, [field.key]: event.target.value }))}
              />
            </label>
          ))}
          <figure className="template-preview" aria-label="Preview">
            <figcaption className="muted">Preview</figcaption>
            {selected.components.header?.format === "TEXT" && selected.components.header.text ? (
              <p className="template-header">
                <Filled text={selected.components.header.text} values={values} prefix="header:" />
              </p>
            ) : null}
            {selected.components.body ? (
              <p className="template-body">
                <Filled text={selected.components.body.text} values={values} prefix="body:" />
              </p>
            ) : null}
            {selected.components.footer ? <p className="template-footer muted">{selected.components.footer.text}</p> : null}
            {selected.components.buttons.length > 0 ? (
              <ul className="template-buttons" aria-label="Buttons">
                {selected.components.buttons.map((button, index) => (
                  <li key={index}>{button.text}</li>
                ))}
              </ul>
            ) : null}
          </figure>
        </div>
      ) : null}

      <ErrorText message={error} />
      <div className="template-actions">
        {selected ? (
          <button type="submit" disabled={busy || !complete}>
            {busy && task === "send" ? "Sending…" : "Send template"}
          </button>
        ) : null}
        {canManage ? (
          <button type="button" onClick={sync} disabled={busy}>
            {busy && task === "sync" ? "Syncing…" : "Sync from WhatsApp"}
          </button>
        ) : null}
        <button type="button" onClick={() => setOpen(false)} disabled={busy && task === "send"}>
          Cancel
        </button>
      </div>
    </form>
  );
}
