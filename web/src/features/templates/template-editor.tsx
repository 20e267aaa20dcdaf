import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { TEMPLATE_LIMITS } from "../../../../src/whatsapp/templates/rules.ts";
import { api, apiUpload, describeError, fillRoute } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import {
  BUTTON_TYPE_LABELS,
  CATEGORY_LABELS,
  EXAMPLE_ACCEPT,
  HEADER_LABELS,
  TEMPLATE_NAME_HINT,
  contentOf,
  describeRefusal,
  newButton,
  numberLabel,
  placeholdersOf,
  problemsFor,
  type ButtonDraft,
  type ButtonType,
  type EditorDraft,
  type NumberRow,
  type Template,
  type TemplateCategory,
  type TemplateProblem,
} from "./template-model.ts";
import { AuthenticationFields, ButtonFields, Field, Problems, count } from "./template-fields.tsx";
import { TemplatePreview } from "./template-preview.tsx";

// The template form: a new template, an edit of one (within Meta's edit rules, which the server
// enforces: its refusal is shown), or a new language of one. Each rule problem the server answers
// is shown beside its field, in its words; the preview beside the form follows every keystroke.

export type EditorMode = { kind: "new" } | { kind: "edit"; template: Template } | { kind: "language"; template: Template };

type Props = {
  workspaceId: string;
  mode: EditorMode;
  initial: EditorDraft;
  numbers: NumberRow[];
  onSaved(template: Template): void;
  onCancel(): void;
};

const BUTTON_TYPES: ButtonType[] = ["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE"];

export function TemplateEditor({ workspaceId, mode, initial, numbers, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState<EditorDraft>(initial);
  const { busy, error, run } = useAction(describeRefusal);
  const upload = useAction(describeError);
  const [addType, setAddType] = useState<ButtonType>("QUICK_REPLY");
  const problems: TemplateProblem[] = error?.problems ?? [];
  const formRef = useRef<HTMLFormElement>(null);
  // A refusal moves the keyboard to the first field it names, where its words are.
  useEffect(() => {
    if (error) formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [error]);
  const isNew = mode.kind === "new";
  const isAuthentication = draft.category === "AUTHENTICATION";
  const format = draft.parameterFormat;
  const headerNames = draft.headerFormat === "TEXT" ? placeholdersOf(draft.headerText, format) : [];
  const bodyNames = placeholdersOf(draft.bodyText, format);
  const set = (change: Partial<EditorDraft>) => setDraft((current) => ({ ...current, ...change }));
  const setButton = (key: number, change: Partial<ButtonDraft>) =>
    setDraft((current) => ({
      ...current,
      buttons: current.buttons.map((button) => (button.key === key ? { ...button, ...change } : button)),
    }));

  const submit = () =>
    run(async () => {
      const components = contentOf(draft);
      if (mode.kind === "new") {
        onSaved(
          await api("POST", "/api/v1/workspaces/{workspaceId}/templates", {
            path: { workspaceId },
            body: {
              numberId: draft.numberId,
              name: draft.name.trim(),
              language: draft.language.trim(),
              category: draft.category,
              parameterFormat: draft.parameterFormat,
              components,
            },
          }),
        );
      } else if (mode.kind === "edit") {
        onSaved(
          await api("PATCH", "/api/v1/workspaces/{workspaceId}/templates/{templateId}", {
            path: { workspaceId, templateId: mode.template.id },
            body: { category: draft.category, components },
          }),
        );
      } else {
        onSaved(
          await api("POST", "/api/v1/workspaces/{workspaceId}/templates/{templateId}/languages", {
            path: { workspaceId, templateId: mode.template.id },
            body: { language: draft.language.trim(), components },
          }),
        );
      }
    });

  const chooseExample = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    void upload.run(async () => {
      const answer = await apiUpload<{ handle: string }>(
        fillRoute("/api/v1/workspaces/{workspaceId}/templates/examples", { workspaceId }, { numberId: draft.numberId }),
        file,
        file.type,
      );
      set({ headerHandle: answer.handle });
    });
  };

  const title =
    mode.kind === "new" ? "New template" : mode.kind === "edit" ? `Edit ${mode.template.name}` : `Add a language to ${mode.template.name}`;
  const submitLabel = mode.kind === "edit" ? "Save and submit for review" : "Submit for review";

  return (
    <div className="template-editor-layout">
      <form
        ref={formRef}
        className="template-editor"
        aria-label={title}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2>{title}</h2>
        <fieldset disabled={busy} className="template-section">
          <legend>Template</legend>
          {isNew ? (
            <Field label="Number" id="template-number" problems={[]}>
              {(props) => (
                <select {...props} value={draft.numberId} onChange={(event) => set({ numberId: event.target.value })}>
                  {numbers.map((number) => (
                    <option key={number.id} value={number.id}>
                      {numberLabel(number)} · WABA {number.wabaId}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field label="Name" id="template-name" problems={problemsFor(problems, "name")} hint={isNew ? TEMPLATE_NAME_HINT : undefined}>
            {(props) => (
              <input
                {...props}
                value={draft.name}
                readOnly={!isNew}
                autoComplete="off"
                maxLength={TEMPLATE_LIMITS.name}
                onChange={(event) => set({ name: event.target.value })}
              />
            )}
          </Field>
          <Field
            label="Language"
            id="template-language"
            problems={problemsFor(problems, "language")}
            hint="A code like en, en_US, ar or pt_BR."
          >
            {(props) => (
              <input
                {...props}
                value={draft.language}
                readOnly={mode.kind === "edit"}
                autoComplete="off"
                onChange={(event) => set({ language: event.target.value })}
              />
            )}
          </Field>
          <Field label="Category" id="template-category" problems={problemsFor(problems, "category")}>
            {(props) => (
              <select
                {...props}
                value={draft.category}
                disabled={mode.kind === "language"}
                onChange={(event) => {
                  const category = event.target.value as TemplateCategory;
                  // Authentication templates hold one code button and nothing else Meta lets them choose.
                  if (category === "AUTHENTICATION") set({ category, headerFormat: "NONE", buttons: [newButton("OTP")] });
                  else if (draft.category === "AUTHENTICATION") set({ category, buttons: [] });
                  else set({ category });
                }}
              >
                {(Object.keys(CATEGORY_LABELS) as TemplateCategory[]).map((category) => (
                  <option key={category} value={category}>
                    {CATEGORY_LABELS[category]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {isNew && !isAuthentication ? (
            <Field label="Parameters" id="template-format" problems={[]} hint="Numbered: {{1}}, {{2}}… Named: {{first_name}}.">
              {(props) => (
                <select
                  {...props}
                  value={format}
                  onChange={(event) => set({ parameterFormat: event.target.value as EditorDraft["parameterFormat"] })}
                >
                  <option value="POSITIONAL">Numbered</option>
                  <option value="NAMED">Named</option>
                </select>
              )}
            </Field>
          ) : null}
        </fieldset>

        {isAuthentication ? (
          <AuthenticationFields draft={draft} problems={problems} set={set} setButton={setButton} disabled={busy} />
        ) : (
          <>
            <fieldset disabled={busy} className="template-section">
              <legend>Header</legend>
              <Field
                label="Header type"
                id="template-header-format"
                problems={problemsFor(problems, "header").filter((message) => message.startsWith("Header: authentication"))}
              >
                {(props) => (
                  <select
                    {...props}
                    value={draft.headerFormat}
                    onChange={(event) => set({ headerFormat: event.target.value as EditorDraft["headerFormat"], headerHandle: null })}
                  >
                    {(Object.keys(HEADER_LABELS) as Array<EditorDraft["headerFormat"]>).map((value) => (
                      <option key={value} value={value}>
                        {HEADER_LABELS[value]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {draft.headerFormat === "TEXT" ? (
                <>
                  <Field
                    label="Header text"
                    id="template-header-text"
                    problems={problemsFor(problems, "header.text")}
                    hint={`${count(draft.headerText, TEMPLATE_LIMITS.headerText)} · at most one parameter`}
                  >
                    {(props) => (
                      <input
                        {...props}
                        dir="auto"
                        value={draft.headerText}
                        autoComplete="off"
                        onChange={(event) => set({ headerText: event.target.value })}
                      />
                    )}
                  </Field>
                  {headerNames.map((name, index) => (
                    <Field
                      key={name}
                      label={`Header example {{${name}}}`}
                      id={`template-header-example-${index}`}
                      problems={problemsFor(problems, `header.examples.${index}`)}
                    >
                      {(props) => (
                        <input
                          {...props}
                          dir="auto"
                          value={draft.headerExamples[name] ?? ""}
                          autoComplete="off"
                          onChange={(event) => set({ headerExamples: { ...draft.headerExamples, [name]: event.target.value } })}
                        />
                      )}
                    </Field>
                  ))}
                </>
              ) : draft.headerFormat === "IMAGE" || draft.headerFormat === "VIDEO" || draft.headerFormat === "DOCUMENT" ? (
                <Field
                  label={`Example ${draft.headerFormat.toLowerCase()}`}
                  id="template-header-file"
                  problems={[...problemsFor(problems, "header.handle"), ...(upload.error ? [upload.error] : [])]}
                  hint={upload.busy ? "Uploading…" : draft.headerHandle ? "Example uploaded." : "WhatsApp's reviewers see this example."}
                >
                  {(props) => (
                    <input {...props} type="file" accept={EXAMPLE_ACCEPT[draft.headerFormat as "IMAGE"]} onChange={chooseExample} />
                  )}
                </Field>
              ) : draft.headerFormat === "LOCATION" ? (
                <p className="muted">The location is given when the template is sent.</p>
              ) : null}
            </fieldset>

            <fieldset disabled={busy} className="template-section">
              <legend>Body</legend>
              <Field
                label="Body text"
                id="template-body-text"
                problems={problemsFor(problems, "body.text")}
                hint={`${count(draft.bodyText, TEMPLATE_LIMITS.body)} · ${format === "NAMED" ? "parameters like {{first_name}}" : "parameters {{1}}, {{2}}…"}; *bold*, _italic_`}
              >
                {(props) => (
                  <textarea
                    {...props}
                    dir="auto"
                    rows={5}
                    value={draft.bodyText}
                    onChange={(event) => set({ bodyText: event.target.value })}
                  />
                )}
              </Field>
              {bodyNames.map((name, index) => (
                <Field
                  key={name}
                  label={`Body example {{${name}}}`}
                  id={`template-body-example-${index}`}
                  problems={problemsFor(problems, `body.examples.${index}`)}
                >
                  {(props) => (
                    <input
                      {...props}
                      dir="auto"
                      value={draft.bodyExamples[name] ?? ""}
                      autoComplete="off"
                      onChange={(event) => set({ bodyExamples: { ...draft.bodyExamples, [name]: event.target.value } })}
                    />
                  )}
                </Field>
              ))}
            </fieldset>

            <fieldset disabled={busy} className="template-section">
              <legend>Footer</legend>
              <Field
                label="Footer text (optional)"
                id="template-footer-text"
                problems={problemsFor(problems, "footer")}
                hint={count(draft.footerText, TEMPLATE_LIMITS.footer)}
              >
                {(props) => (
                  <input
                    {...props}
                    dir="auto"
                    value={draft.footerText}
                    autoComplete="off"
                    onChange={(event) => set({ footerText: event.target.value })}
                  />
                )}
              </Field>
            </fieldset>

            <fieldset disabled={busy} className="template-section">
              <legend>Buttons</legend>
              <Problems
                id="template-buttons-problems"
                messages={problems.filter((problem) => problem.field === "buttons").map((problem) => problem.message)}
              />
              {draft.buttons.map((button, index) => (
                <ButtonFields
                  key={button.key}
                  index={index}
                  button={button}
                  problems={problemsFor(problems, `buttons.${index}`)}
                  onChange={(change) => setButton(button.key, change)}
                  onRemove={() => set({ buttons: draft.buttons.filter((candidate) => candidate.key !== button.key) })}
                />
              ))}
              {draft.buttons.length < TEMPLATE_LIMITS.buttons ? (
                <div className="template-add-button">
                  <label>
                    <span className="visually-hidden">Kind of button</span>
                    <select value={addType} onChange={(event) => setAddType(event.target.value as ButtonType)}>
                      {BUTTON_TYPES.map((type) => (
                        <option key={type} value={type}>
                          {BUTTON_TYPE_LABELS[type]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="button" onClick={() => set({ buttons: [...draft.buttons, newButton(addType)] })}>
                    Add button
                  </button>
                </div>
              ) : null}
            </fieldset>
          </>
        )}

        <ErrorText message={error?.message ?? null} />
        <div className="template-form-actions">
          <button type="submit" disabled={busy || upload.busy}>
            {busy ? "Submitting…" : submitLabel}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
      <TemplatePreview draft={draft} />
    </div>
  );
}
