import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from "react";
import { TEMPLATE_LIMITS, buttonLabel } from "../../../../src/whatsapp/templates/rules.ts";
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
const count = (text: string, max: number) => `${text.length.toLocaleString("en-US")} / ${max.toLocaleString("en-US")}`;

/** The messages under a field, tied to it by id (aria-describedby). */
function Problems({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-problems" id={id}>
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** A labelled control with its counter or hint and its problems. */
function Field({
  label,
  id,
  problems,
  hint,
  children,
}: {
  label: string;
  id: string;
  problems: string[];
  hint?: ReactNode;
  children: (described: { "aria-describedby"?: string; "aria-invalid"?: true; id: string }) => ReactNode;
}) {
  const problemId = `${id}-problems`;
  return (
    <div className={problems.length > 0 ? "field template-field invalid" : "field template-field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(problems.length > 0 ? { "aria-describedby": problemId, "aria-invalid": true } : {}) })}
      {hint ? <small className="muted">{hint}</small> : null}
      <Problems id={problemId} messages={problems} />
    </div>
  );
}

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

function ButtonFields({
  index,
  button,
  problems,
  onChange,
  onRemove,
}: {
  index: number;
  button: ButtonDraft;
  problems: string[];
  onChange(change: Partial<ButtonDraft>): void;
  onRemove(): void;
}) {
  const label = buttonLabel(index, button.type);
  const id = `template-button-${button.key}`;
  const dynamic = /\{\{\s*1\s*\}\}$/.test(button.url);
  return (
    <fieldset className="template-button">
      <legend>{label}</legend>
      {button.type !== "COPY_CODE" ? (
        <Field label={`${label} label`} id={`${id}-text`} problems={[]} hint={count(button.text, TEMPLATE_LIMITS.buttonText)}>
          {(props) => (
            <input
              {...props}
              dir="auto"
              value={button.text}
              autoComplete="off"
              onChange={(event) => onChange({ text: event.target.value })}
            />
          )}
        </Field>
      ) : null}
      {button.type === "URL" ? (
        <>
          <Field label={`${label} address`} id={`${id}-url`} problems={[]} hint="https://… ; end it with {{1}} for a dynamic address.">
            {(props) => (
              <input
                {...props}
                value={button.url}
                type="url"
                inputMode="url"
                autoComplete="off"
                onChange={(event) => onChange({ url: event.target.value })}
              />
            )}
          </Field>
          {dynamic ? (
            <Field label={`${label} example for {{1}}`} id={`${id}-example`} problems={[]}>
              {(props) => (
                <input
                  {...props}
                  dir="auto"
                  value={button.example}
                  autoComplete="off"
                  onChange={(event) => onChange({ example: event.target.value })}
                />
              )}
            </Field>
          ) : null}
        </>
      ) : null}
      {button.type === "PHONE_NUMBER" ? (
        <Field label={`${label} number`} id={`${id}-phone`} problems={[]} hint="With the country code, like +14155550100.">
          {(props) => (
            <input
              {...props}
              value={button.phoneNumber}
              inputMode="tel"
              autoComplete="off"
              onChange={(event) => onChange({ phoneNumber: event.target.value })}
            />
          )}
        </Field>
      ) : null}
      {button.type === "COPY_CODE" ? (
        <Field label={`${label} example code`} id={`${id}-code`} problems={[]} hint={`At most ${TEMPLATE_LIMITS.copyCode} characters.`}>
          {(props) => (
            <input
              {...props}
              dir="auto"
              value={button.example}
              autoComplete="off"
              onChange={(event) => onChange({ example: event.target.value })}
            />
          )}
        </Field>
      ) : null}
      <Problems id={`${id}-problems`} messages={problems} />
      <button type="button" className="link" onClick={onRemove}>
        Remove {label.toLowerCase()}
      </button>
    </fieldset>
  );
}

function AuthenticationFields({
  draft,
  problems,
  set,
  setButton,
  disabled,
}: {
  draft: EditorDraft;
  problems: TemplateProblem[];
  set(change: Partial<EditorDraft>): void;
  setButton(key: number, change: Partial<ButtonDraft>): void;
  disabled: boolean;
}) {
  const otp = draft.buttons[0];
  return (
    <fieldset disabled={disabled} className="template-section">
      <legend>Authentication</legend>
      <p className="muted">WhatsApp sets the text of authentication templates: the code, an optional security sentence and expiry.</p>
      <Problems id="template-header-problems" messages={problemsFor(problems, "header")} />
      <label className="template-check">
        <input
          type="checkbox"
          checked={draft.addSecurityRecommendation}
          onChange={(event) => set({ addSecurityRecommendation: event.target.checked })}
        />
        Add “For your security, do not share this code.”
      </label>
      <Field label="Code expires after (minutes, optional)" id="template-code-expiry" problems={problemsFor(problems, "footer")}>
        {(props) => (
          <input
            {...props}
            value={draft.codeExpirationMinutes}
            inputMode="numeric"
            autoComplete="off"
            onChange={(event) => set({ codeExpirationMinutes: event.target.value })}
          />
        )}
      </Field>
      <Problems id="template-otp-problems" messages={problemsFor(problems, "buttons")} />
      {otp ? (
        <>
          <Field label="Code button" id="template-otp-type" problems={[]}>
            {(props) => (
              <select
                {...props}
                value={otp.otpType}
                onChange={(event) => setButton(otp.key, { otpType: event.target.value as ButtonDraft["otpType"] })}
              >
                <option value="COPY_CODE">Copy code</option>
                <option value="ONE_TAP">One-tap autofill (Android)</option>
              </select>
            )}
          </Field>
          <Field label="Code button label" id="template-otp-text" problems={[]}>
            {(props) => (
              <input
                {...props}
                value={otp.text}
                autoComplete="off"
                onChange={(event) => setButton(otp.key, { text: event.target.value })}
              />
            )}
          </Field>
          {otp.otpType === "ONE_TAP" ? (
            <>
              <Field label="Android package name" id="template-otp-package" problems={[]}>
                {(props) => (
                  <input
                    {...props}
                    value={otp.packageName}
                    autoComplete="off"
                    onChange={(event) => setButton(otp.key, { packageName: event.target.value })}
                  />
                )}
              </Field>
              <Field label="App signature hash" id="template-otp-hash" problems={[]}>
                {(props) => (
                  <input
                    {...props}
                    value={otp.signatureHash}
                    autoComplete="off"
                    onChange={(event) => setButton(otp.key, { signatureHash: event.target.value })}
                  />
                )}
              </Field>
            </>
          ) : null}
        </>
      ) : (
        <button type="button" onClick={() => set({ buttons: [newButton("OTP")] })}>
          Add the code button
        </button>
      )}
    </fieldset>
  );
}
