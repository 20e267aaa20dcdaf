import type { ReactNode } from "react";
import { TEMPLATE_LIMITS, buttonLabel } from "../../../../src/whatsapp/templates/rules.ts";
import { newButton, problemsFor, type ButtonDraft, type EditorDraft, type TemplateProblem } from "./template-model.ts";

// The template form's pieces: a labelled field with its counter and the server's problems beside
// it, one button's fields by its kind, and what an authentication template lets one choose.

/** "12 / 60": the length against Meta's limit. */
export const count = (text: string, max: number) => `${text.length.toLocaleString("en-US")} / ${max.toLocaleString("en-US")}`;

/** The messages under a field, tied to it by id (aria-describedby). */
export function Problems({ id, messages }: { id: string; messages: string[] }) {
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
export function Field({
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

export function ButtonFields({
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

export function AuthenticationFields({
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
