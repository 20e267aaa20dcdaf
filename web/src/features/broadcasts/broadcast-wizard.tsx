import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { api, ApiError, describeError } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { AudienceUploadField, type UploadedAudience } from "./broadcast-audience-upload.tsx";
import { EXCLUSION_WORDS, plural, type AudienceEstimate } from "./broadcast-model.ts";

// The new-broadcast wizard: Audience → Message → Schedule → Review. The estimate follows the
// audience as it is edited; the server validates again on create, and its refusal is shown at
// the step it belongs to.

const STEPS = ["Audience", "Message", "Schedule", "Review"] as const;
type Step = (typeof STEPS)[number];

type Source = "name" | "field" | "text";
type Mapping = { source: Source; field: string; value: string };
type FieldFilter = { key: string; value: string };

type Draft = {
  name: string;
  /** null until chosen: the first connected number. */
  numberIds: string[] | null;
  /** Contacts that match the filter below, or the rows of an uploaded CSV file. */
  audienceKind: "filter" | "upload";
  uploaded: UploadedAudience | null;
  tags: string;
  fields: FieldFilter[];
  conversationNumberId: string;
  activeAfter: string;
  activeBefore: string;
  templateId: string;
  mappings: Mapping[];
  when: "now" | "later";
  scheduledAt: string;
  timeZone: string;
};

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function zones(): string[] {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set(["UTC", browserZone(), ...all])];
}

function audienceOf(draft: Draft) {
  if (draft.audienceKind === "upload") return draft.uploaded ? { uploadId: draft.uploaded.report.upload.id } : null;
  const tags = draft.tags
    .split(",")
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);
  const fields = draft.fields.filter((field) => field.key.trim() !== "").map((field) => ({ key: field.key.trim(), value: field.value }));
  const dayStart = (date: string) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
  const dayEnd = (date: string) => (date ? new Date(`${date}T23:59:59`).toISOString() : undefined);
  const after = dayStart(draft.activeAfter);
  const before = dayEnd(draft.activeBefore);
  return {
    ...(tags.length > 0 ? { tags } : {}),
    ...(fields.length > 0 ? { customFields: fields } : {}),
    ...(draft.conversationNumberId ? { numberId: draft.conversationNumberId } : {}),
    ...(after ? { lastActivityAfter: after } : {}),
    ...(before ? { lastActivityBefore: before } : {}),
  };
}

function parameterOf(mapping: Mapping) {
  if (mapping.source === "text") return { source: "text" as const, text: mapping.value };
  if (mapping.source === "name") return { source: "name" as const, fallback: mapping.value };
  return { source: "field" as const, field: mapping.field.trim(), fallback: mapping.value };
}

/** Which step a server refusal belongs to, from the field it names or its reason. */
function stepOfError(error: unknown): Step {
  if (!(error instanceof ApiError)) return "Review";
  const details: unknown = error.details;
  const paths = Array.isArray(details)
    ? details.map((detail: { path?: unknown }) => (Array.isArray(detail.path) ? String(detail.path[1] ?? detail.path[0]) : ""))
    : [];
  const reason = details && typeof details === "object" && "reason" in details ? String(details.reason) : "";
  if (paths.some((path) => path === "scheduledAt" || path === "timeZone") || reason === "schedule_in_past") return "Schedule";
  if (paths.some((path) => path === "template" || path === "parameters") || /template|parameter/i.test(error.message)) return "Message";
  if (paths.length > 0 || reason === "number_unavailable" || error.code === "NOT_FOUND") return "Audience";
  return "Review";
}

function problemWords(error: unknown): string {
  const base = describeError(error);
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return base;
  const items = (error.details as Array<{ path?: unknown; message?: unknown }>)
    .map(
      (detail) =>
        `${Array.isArray(detail.path) ? detail.path.slice(1).join(".") : ""}: ${typeof detail.message === "string" ? detail.message : ""}`,
    )
    .join("; ");
  return items ? `${base} (${items})` : base;
}

export function BroadcastWizard({ workspaceId }: { workspaceId: string }) {
  const navigate = useNavigate();
  const ids = useId();
  const [step, setStep] = useState<Step>("Audience");
  const [stepError, setStepError] = useState<{ step: Step; message: string } | null>(null);
  const [draft, setDraft] = useState<Draft>({
    name: "",
    numberIds: null,
    audienceKind: "filter",
    uploaded: null,
    tags: "",
    fields: [],
    conversationNumberId: "",
    activeAfter: "",
    activeBefore: "",
    templateId: "",
    mappings: [],
    when: "now",
    scheduledAt: "",
    timeZone: browserZone(),
  });
  const change = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const creating = useAction(describeError);

  const numbers = useApiQuery(queryKeys.numbers(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers", { path: { workspaceId } }).then((answer) => answer.numbers),
  );
  const usable = useMemo(() => (numbers.data ?? []).filter((number) => number.status === "active"), [numbers.data]);
  // Until the person chooses, the first connected number.
  const numberIds = draft.numberIds ?? (usable[0] ? [usable[0].id] : []);
  const numberLabel = (number: { mode: string; displayPhoneLast4: string | null }) =>
    number.mode === "sandbox" ? "Sandbox number" : `Number …${number.displayPhoneLast4 ?? "????"}`;

  // The live estimate, a moment after the audience stops changing.
  const audience = audienceOf(draft);
  const audienceKey = JSON.stringify([audience, numberIds]);
  const [settledKey, setSettledKey] = useState(audienceKey);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettledKey(audienceKey), 400);
    return () => window.clearTimeout(timer);
  }, [audienceKey]);
  const estimate = useQuery({
    queryKey: [...queryKeys.broadcasts(workspaceId), "estimate", settledKey],
    // Counted once the settled audience is one (an upload not yet made is none).
    enabled: numberIds.length > 0 && (JSON.parse(settledKey) as [unknown])[0] !== null,
    queryFn: (): Promise<AudienceEstimate> => {
      const [settledAudience, numberIds] = JSON.parse(settledKey) as [NonNullable<ReturnType<typeof audienceOf>>, string[]];
      return api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/estimate", {
        path: { workspaceId },
        body: { audience: settledAudience, numberIds },
      });
    },
  });

  const firstNumber = numberIds[0] ?? "";
  const templates = useApiQuery(
    queryKeys.templates(workspaceId, firstNumber),
    () =>
      api("GET", "/api/v1/workspaces/{workspaceId}/templates", { path: { workspaceId }, query: { numberId: firstNumber } }).then(
        (answer) => answer.data,
      ),
    { enabled: firstNumber !== "" },
  );
  const usableTemplates = (templates.data ?? []).filter(
    (template) => template.status === "APPROVED" && template.parameters && template.parameters.header?.kind !== "media",
  );
  const template = usableTemplates.find((candidate) => candidate.id === draft.templateId) ?? null;
  const parameterNames = template?.parameters?.body ?? [];
  const chooseTemplate = (templateId: string) => {
    const chosen = usableTemplates.find((candidate) => candidate.id === templateId);
    change({
      templateId,
      mappings: (chosen?.parameters?.body ?? []).map((_, index) => ({ source: index === 0 ? "name" : "text", field: "", value: "" })),
    });
  };
  const setMapping = (index: number, patch: Partial<Mapping>) =>
    change({ mappings: draft.mappings.map((mapping, at) => (at === index ? { ...mapping, ...patch } : mapping)) });

  const preview = (() => {
    const text = template?.components?.body?.text ?? "";
    return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
      const index = parameterNames.indexOf(name);
      const mapping = draft.mappings[index];
      if (!mapping) return whole;
      if (mapping.source === "text") return mapping.value || whole;
      const label = mapping.source === "name" ? "name" : mapping.field || "field";
      return `[${label}, else “${mapping.value}”]`;
    });
  })();

  /** What keeps a step from being left, in words; null when it may. */
  const check = (at: Step): string | null => {
    if (at === "Audience") {
      if (!draft.name.trim()) return "Give the broadcast a name.";
      if (numberIds.length === 0) return "Choose at least one number to send from.";
      if (draft.audienceKind === "upload" && !draft.uploaded) return "Upload a CSV file of recipients, or choose contacts by filter.";
      if (draft.fields.some((field) => field.key.trim() && !/^[A-Za-z0-9_.-]{1,64}$/.test(field.key.trim())))
        return "A custom field's name is 1–64 letters, digits, _ . or -.";
    }
    if (at === "Message") {
      if (!template) return "Choose an approved template.";
      const missing = draft.mappings.findIndex((mapping) => !mapping.value.trim() || (mapping.source === "field" && !mapping.field.trim()));
      if (missing >= 0)
        return `Parameter {{${parameterNames[missing]}}} needs ${draft.mappings[missing]!.source === "text" ? "its text" : "a field and a fallback"}.`;
    }
    if (at === "Schedule" && draft.when === "later") {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(draft.scheduledAt)) return "Choose the date and time to send at.";
      if (!draft.timeZone) return "Choose a time zone.";
    }
    return null;
  };

  const index = STEPS.indexOf(step);
  const next = (event: FormEvent) => {
    event.preventDefault();
    const problem = check(step);
    if (problem) {
      setStepError({ step, message: problem });
      return;
    }
    setStepError(null);
    setStep(STEPS[Math.min(index + 1, STEPS.length - 1)]!);
  };
  const back = () => {
    setStepError(null);
    setStep(STEPS[Math.max(index - 1, 0)]!);
  };

  const create = (start: boolean) =>
    void creating.run(async () => {
      setStepError(null);
      try {
        const created = await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts", {
          path: { workspaceId },
          body: {
            name: draft.name.trim(),
            template: { name: template!.name, language: template!.language },
            parameters: draft.mappings.map(parameterOf),
            audience: audience ?? {},
            numberIds,
            ...(draft.when === "later" ? { scheduledAt: draft.scheduledAt } : {}),
            timeZone: draft.timeZone,
          },
        });
        if (start)
          await api("POST", "/api/v1/workspaces/{workspaceId}/broadcasts/{broadcastId}/start", {
            path: { workspaceId, broadcastId: created.id },
            body: {},
          });
        void navigate({ to: "/w/$workspaceId/broadcasts/$broadcastId", params: { workspaceId, broadcastId: created.id } });
      } catch (error) {
        const at = stepOfError(error);
        setStepError({ step: at, message: problemWords(error) });
        setStep(at);
      }
    });

  const errorHere = stepError?.step === step ? stepError.message : null;
  const excluded = estimate.data ? (Object.entries(estimate.data.excluded) as Array<[keyof AudienceEstimate["excluded"], number]>) : [];

  return (
    <section className="broadcast-wizard" aria-labelledby="broadcasts-title">
      <div className="broadcasts-header">
        <h1 id="broadcasts-title">New broadcast</h1>
        <button type="button" className="link" onClick={() => void navigate({ to: "/w/$workspaceId/broadcasts", params: { workspaceId } })}>
          Back to broadcasts
        </button>
      </div>
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((name, at) => (
          <li
            key={name}
            className={at === index ? "wizard-step current" : at < index ? "wizard-step done" : "wizard-step"}
            aria-current={at === index ? "step" : undefined}
          >
            {at + 1}. {name}
          </li>
        ))}
      </ol>
      <form className="wizard-body" aria-label={`${step} step`} onSubmit={next}>
        <h2>{step}</h2>
        {step === "Audience" ? (
          <>
            <label className="field">
              <span>Name</span>
              <input type="text" value={draft.name} maxLength={200} onChange={(event) => change({ name: event.target.value })} />
            </label>
            <fieldset className="wizard-fieldset">
              <legend>Send from</legend>
              {numbers.error ? <ErrorText message={`The numbers could not be loaded: ${numbers.error}`} /> : null}
              {numbers.data && usable.length === 0 ? <p className="muted">No connected number: connect one in Settings first.</p> : null}
              {usable.map((number) => (
                <label key={number.id} className="check">
                  <input
                    type="checkbox"
                    checked={numberIds.includes(number.id)}
                    onChange={(event) =>
                      change({
                        numberIds: event.target.checked ? [...numberIds, number.id] : numberIds.filter((id) => id !== number.id),
                        templateId: "",
                        mappings: [],
                      })
                    }
                  />
                  {numberLabel(number)}
                </label>
              ))}
            </fieldset>
            <fieldset className="wizard-fieldset">
              <legend>Recipients</legend>
              <label className="check">
                <input
                  type="radio"
                  name={`${ids}-audience`}
                  checked={draft.audienceKind === "filter"}
                  onChange={() => change({ audienceKind: "filter" })}
                />
                Contacts that match a filter
              </label>
              <label className="check">
                <input
                  type="radio"
                  name={`${ids}-audience`}
                  checked={draft.audienceKind === "upload"}
                  onChange={() => change({ audienceKind: "upload" })}
                />
                Upload a CSV
              </label>
            </fieldset>
            {draft.audienceKind === "upload" ? (
              <AudienceUploadField workspaceId={workspaceId} uploaded={draft.uploaded} onUploaded={(uploaded) => change({ uploaded })} />
            ) : (
              <>
                <label className="field">
                  <span>Tags (all of them, separated by commas)</span>
                  <input type="text" value={draft.tags} onChange={(event) => change({ tags: event.target.value })} />
                </label>
                <fieldset className="wizard-fieldset">
                  <legend>Custom fields equal to</legend>
                  {draft.fields.map((field, at) => (
                    <div key={at} className="wizard-row">
                      <label className="field">
                        <span>Field</span>
                        <input
                          type="text"
                          value={field.key}
                          onChange={(event) =>
                            change({ fields: draft.fields.map((item, i) => (i === at ? { ...item, key: event.target.value } : item)) })
                          }
                        />
                      </label>
                      <label className="field">
                        <span>Value</span>
                        <input
                          type="text"
                          value={field.value}
                          onChange={(event) =>
                            change({ fields: draft.fields.map((item, i) => (i === at ? { ...item, value: event.target.value } : item)) })
                          }
                        />
                      </label>
                      <button
                        type="button"
                        aria-label={`Remove field filter ${at + 1}`}
                        onClick={() => change({ fields: draft.fields.filter((_, i) => i !== at) })}
                      >
                        Remove
                      </button>
                    </div>
                  ))}
                  {draft.fields.length < 10 ? (
                    <button type="button" onClick={() => change({ fields: [...draft.fields, { key: "", value: "" }] })}>
                      Add a field filter
                    </button>
                  ) : null}
                </fieldset>
                <label className="field">
                  <span>Has a conversation on</span>
                  <select
                    aria-label="Has a conversation on"
                    value={draft.conversationNumberId}
                    onChange={(event) => change({ conversationNumberId: event.target.value })}
                  >
                    <option value="">Any number, or none</option>
                    {usable.map((number) => (
                      <option key={number.id} value={number.id}>
                        {numberLabel(number)}
                      </option>
                    ))}
                  </select>
                </label>
                <div className="wizard-row">
                  <label className="field">
                    <span>Last activity from</span>
                    <input type="date" value={draft.activeAfter} onChange={(event) => change({ activeAfter: event.target.value })} />
                  </label>
                  <label className="field">
                    <span>Last activity until</span>
                    <input type="date" value={draft.activeBefore} onChange={(event) => change({ activeBefore: event.target.value })} />
                  </label>
                </div>
              </>
            )}
            <p className="muted">Only contacts who opted in to marketing messages are sent to; the others are counted below.</p>
            <section className="broadcast-estimate" aria-label="Estimate" aria-live="polite">
              {audience === null ? (
                <p className="muted">The audience is counted once a file is uploaded.</p>
              ) : estimate.error ? (
                <ErrorText message={`The audience could not be counted: ${describeError(estimate.error)}`} />
              ) : !estimate.data ? (
                <p className="muted">Counting the audience…</p>
              ) : (
                <>
                  <p>
                    <strong>{plural(estimate.data.eligible, "contact", "contacts")} will receive it</strong> of{" "}
                    {plural(estimate.data.matched, "matching contact", "matching contacts")}.
                  </p>
                  <ul className="estimate-exclusions" aria-label="Excluded">
                    {excluded
                      .filter(([, count]) => count > 0)
                      .map(([reason, count]) => (
                        <li key={reason}>
                          {count} {EXCLUSION_WORDS[reason]}
                        </li>
                      ))}
                  </ul>
                  {estimate.data.remainingQuota !== null ? (
                    <p className="muted">The numbers may still reach {estimate.data.remainingQuota} new customers in the next 24 hours.</p>
                  ) : null}
                </>
              )}
            </section>
          </>
        ) : null}

        {step === "Message" ? (
          <>
            {templates.error ? <ErrorText message={`The templates could not be loaded: ${templates.error}`} /> : null}
            <label className="field">
              <span>Template</span>
              <select aria-label="Template" value={draft.templateId} onChange={(event) => chooseTemplate(event.target.value)}>
                <option value="">{templates.data ? "Choose an approved template" : "Loading templates…"}</option>
                {usableTemplates.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name} ({candidate.language})
                  </option>
                ))}
              </select>
            </label>
            {templates.data && usableTemplates.length === 0 ? (
              <p className="muted">The number has no approved template with text only; create or sync one in Templates.</p>
            ) : null}
            {parameterNames.map((name, at) => {
              const mapping = draft.mappings[at]!;
              return (
                <fieldset key={name} className="wizard-fieldset">
                  <legend>Parameter {`{{${name}}}`}</legend>
                  <label className="field">
                    <span>{`Source of {{${name}}}`}</span>
                    <select
                      aria-label={`Source of {{${name}}}`}
                      value={mapping.source}
                      onChange={(event) => setMapping(at, { source: event.target.value as Source })}
                    >
                      <option value="name">The contact's name</option>
                      <option value="field">A custom field</option>
                      <option value="text">Fixed text</option>
                    </select>
                  </label>
                  {mapping.source === "field" ? (
                    <label className="field">
                      <span>{`Field of {{${name}}}`}</span>
                      <input type="text" value={mapping.field} onChange={(event) => setMapping(at, { field: event.target.value })} />
                    </label>
                  ) : null}
                  <label className="field">
                    <span>{mapping.source === "text" ? `Text of {{${name}}}` : `Fallback of {{${name}}} (when the contact has none)`}</span>
                    <input
                      type="text"
                      value={mapping.value}
                      maxLength={1024}
                      onChange={(event) => setMapping(at, { value: event.target.value })}
                    />
                  </label>
                </fieldset>
              );
            })}
            {template ? (
              <section className="broadcast-preview" aria-label="Preview">
                <h3>Preview</h3>
                {template.components?.header?.text ? <p className="preview-header">{template.components.header.text}</p> : null}
                <p className="preview-body">{preview}</p>
                {template.components?.footer ? <p className="muted">{template.components.footer.text}</p> : null}
              </section>
            ) : null}
          </>
        ) : null}

        {step === "Schedule" ? (
          <>
            <fieldset className="wizard-fieldset">
              <legend>When</legend>
              <label className="check">
                <input type="radio" name={`${ids}-when`} checked={draft.when === "now"} onChange={() => change({ when: "now" })} />
                Send as soon as it is started
              </label>
              <label className="check">
                <input type="radio" name={`${ids}-when`} checked={draft.when === "later"} onChange={() => change({ when: "later" })} />
                Send at a date and time
              </label>
            </fieldset>
            {draft.when === "later" ? (
              <div className="wizard-row">
                <label className="field">
                  <span>Date and time</span>
                  <input
                    type="datetime-local"
                    value={draft.scheduledAt}
                    onChange={(event) => change({ scheduledAt: event.target.value.slice(0, 16) })}
                  />
                </label>
                <label className="field">
                  <span>Time zone</span>
                  <select aria-label="Time zone" value={draft.timeZone} onChange={(event) => change({ timeZone: event.target.value })}>
                    {zones().map((zone) => (
                      <option key={zone} value={zone}>
                        {zone}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
            ) : null}
          </>
        ) : null}

        {step === "Review" ? (
          <dl className="broadcast-review">
            <dt>Name</dt>
            <dd>{draft.name}</dd>
            <dt>Numbers</dt>
            <dd>
              {usable
                .filter((number) => numberIds.includes(number.id))
                .map(numberLabel)
                .join(", ")}
            </dd>
            <dt>Audience</dt>
            <dd>
              {draft.audienceKind === "upload" && draft.uploaded ? `The file ${draft.uploaded.fileName}: ` : null}
              {estimate.data
                ? `${plural(estimate.data.eligible, "contact", "contacts")} of ${estimate.data.matched} matching`
                : "Not counted yet"}
            </dd>
            <dt>Template</dt>
            <dd>{template ? `${template.name} (${template.language})` : "—"}</dd>
            <dt>Message</dt>
            <dd>{preview}</dd>
            <dt>When</dt>
            <dd>{draft.when === "now" ? "As soon as it is started" : `${draft.scheduledAt.replace("T", " ")} (${draft.timeZone})`}</dd>
          </dl>
        ) : null}

        <ErrorText message={errorHere} />
        <div className="wizard-actions">
          {index > 0 ? (
            <button type="button" onClick={back} disabled={creating.busy}>
              Back
            </button>
          ) : null}
          {step !== "Review" ? (
            <button type="submit">Next</button>
          ) : (
            <>
              <button type="button" onClick={() => create(false)} disabled={creating.busy}>
                Save as draft
              </button>
              <button type="button" className="primary" onClick={() => create(true)} disabled={creating.busy}>
                {creating.busy ? "Creating…" : draft.when === "now" ? "Create and send" : "Create and schedule"}
              </button>
            </>
          )}
        </div>
      </form>
    </section>
  );
}
