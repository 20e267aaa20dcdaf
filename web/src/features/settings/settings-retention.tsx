import { useState, type FormEvent } from "react";
import { api, describeError, type Me } from "../../lib/api.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { formatDateTime, useReauth } from "./settings-common.tsx";

// Data retention (Owners): per kind, off or "delete after N days". Preview counts what the policy
// would delete now; Save asks for the password again when the sign-in is older than 5 minutes.
// The audit log is never subject to retention, and the screen says why.

type Kind = "messagesDays" | "closedConversationsDays" | "notesDays" | "uploadsDays";
type Policy = Record<Kind, number | null>;
type Counts = { messages: number; closedConversations: number; notes: number; uploads: number };

const KINDS: Array<{ kind: Kind; label: string; hint: string; count: keyof Counts; noun: [string, string] }> = [
  { kind: "messagesDays", label: "Messages", hint: "Messages and their media files.", count: "messages", noun: ["message", "messages"] },
  {
    kind: "closedConversationsDays",
    label: "Closed conversations",
    hint: "Counted from when they were closed, with everything in them.",
    count: "closedConversations",
    noun: ["closed conversation", "closed conversations"],
  },
  { kind: "notesDays", label: "Internal notes", hint: "Notes members wrote in conversations.", count: "notes", noun: ["note", "notes"] },
  {
    kind: "uploadsDays",
    label: "Unsent uploads",
    hint: "Files uploaded and never sent (a sent file follows its message).",
    count: "uploads",
    noun: ["upload", "uploads"],
  },
];

const MIN_DAYS = 1;
const MAX_DAYS = 36_500;

type Draft = Record<Kind, { isOn: boolean; days: string }>;

function draftOf(policy: Policy): Draft {
  const entry = (days: number | null) => ({ isOn: days !== null, days: String(days ?? 365) });
  return {
    messagesDays: entry(policy.messagesDays),
    closedConversationsDays: entry(policy.closedConversationsDays),
    notesDays: entry(policy.notesDays),
    uploadsDays: entry(policy.uploadsDays),
  };
}

/** The policy a draft stands for, or the first problem with it. */
function policyOf(draft: Draft): { policy: Policy } | { problem: string } {
  const policy = {} as Policy;
  for (const { kind, label } of KINDS) {
    const entry = draft[kind];
    if (!entry.isOn) {
      policy[kind] = null;
      continue;
    }
    const days = Number(entry.days);
    if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS)
      return { problem: `${label}: give a whole number of days from ${MIN_DAYS} to ${MAX_DAYS.toLocaleString()}.` };
    policy[kind] = days;
  }
  return { policy };
}

export function RetentionSection({ me, workspaceId }: { me: Me; workspaceId: string }) {
  const path = { workspaceId };
  const current = useApiQuery(queryKeys.retentionPolicy(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/settings/retention", { path }),
  );
  // Unsaved edits; until the first one, the form shows the saved policy.
  const [edited, setDraft] = useState<Draft | null>(null);
  const [preview, setPreview] = useState<{ counts: Counts; policy: Policy } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction(describeError);
  const { guard, prompt } = useReauth(me);

  const draft = edited ?? (current.data ? draftOf(current.data) : null);

  const change = (kind: Kind, next: Partial<Draft[Kind]>) => {
    if (!draft) return;
    setDraft({ ...draft, [kind]: { ...draft[kind], ...next } });
    setPreview(null);
    setSaved(null);
  };

  const checked = (): Policy | null => {
    if (!draft) return null;
    const result = policyOf(draft);
    if ("problem" in result) {
      setError(result.problem);
      return null;
    }
    return result.policy;
  };

  const runPreview = () => {
    const policy = checked();
    if (!policy) return;
    void run(async () => {
      setPreview({
        counts: await api("POST", "/api/v1/workspaces/{workspaceId}/settings/retention/preview", { path, body: policy }),
        policy,
      });
    });
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const policy = checked();
    if (!policy) return;
    void run(async () => {
      const answer = await guard(() => api("PUT", "/api/v1/workspaces/{workspaceId}/settings/retention", { path, body: policy }));
      if (!answer) return;
      setDraft(draftOf(answer));
      await current.reload();
      setSaved("Saved. The policy is applied every hour, in batches.");
    });
  };

  const turningOn = draft !== null && current.data !== null && KINDS.some(({ kind }) => draft[kind].isOn && current.data![kind] === null);
  const previewed =
    preview !== null &&
    draft !== null &&
    KINDS.every(({ kind }) => preview.policy[kind] === (draft[kind].isOn ? Number(draft[kind].days) : null));

  return (
    <section aria-labelledby="retention-title" className="panel">
      <h2 id="retention-title">Data retention</h2>
      <p className="muted">
        Delete old data automatically. Each kind is off until you turn it on. The audit log is never deleted: it is the tamper-evident
        record of who did what, holds no message content, and must outlive what it records.
      </p>
      <ErrorText message={current.error} />
      {current.data === null && !current.error ? (
        <p className="muted" role="status">
          Loading the policy…
        </p>
      ) : draft ? (
        <form className="stacked-form retention-form" aria-label="Data retention" onSubmit={save}>
          {KINDS.map(({ kind, label, hint }) => (
            <fieldset key={kind} className="retention-kind" disabled={busy}>
              <legend>{label}</legend>
              <label className="check">
                <input type="checkbox" checked={draft[kind].isOn} onChange={(event) => change(kind, { isOn: event.target.checked })} />
                <span>Delete after</span>
              </label>
              <label className="field retention-days">
                <span>Days</span>
                <input
                  type="number"
                  inputMode="numeric"
                  min={MIN_DAYS}
                  max={MAX_DAYS}
                  step={1}
                  value={draft[kind].days}
                  disabled={!draft[kind].isOn}
                  aria-label={`${label}: days`}
                  onChange={(event) => change(kind, { days: event.target.value })}
                />
              </label>
              <p className="muted">{hint}</p>
            </fieldset>
          ))}
          {preview ? (
            <div role="status" aria-label="Preview" className="retention-preview">
              <p>Applied now, this policy would delete:</p>
              <ul>
                {KINDS.map(({ count, noun, kind }) =>
                  preview.policy[kind] === null ? null : (
                    <li key={kind}>
                      {preview.counts[count].toLocaleString()} {preview.counts[count] === 1 ? noun[0] : noun[1]}
                    </li>
                  ),
                )}
              </ul>
            </div>
          ) : null}
          <ErrorText message={error} />
          {saved ? (
            <p role="status" className="muted">
              {saved}
            </p>
          ) : null}
          {turningOn && !previewed ? <p className="muted">Preview the policy before you turn a kind on.</p> : null}
          <div className="actions">
            <button type="button" onClick={runPreview} disabled={busy}>
              {busy ? "Working…" : "Preview"}
            </button>
            <button type="submit" disabled={busy || (turningOn && !previewed)}>
              Save policy
            </button>
          </div>
          {current.data?.updatedAt ? <p className="muted">Last changed {formatDateTime(current.data.updatedAt)}.</p> : null}
        </form>
      ) : null}
      {prompt}
    </section>
  );
}
