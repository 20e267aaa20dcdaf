import { useState } from "react";
import { api, ApiError, describeError, type ApiAnswer } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";

// Settings → Opt-out keywords: the words that, written alone by a contact, stop their marketing
// messages (or start them again). The server compares after one normalization (docs/consent.md)
// and stores the keywords normalized, so what is shown after saving is what is matched.

type Keywords = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/settings/consent-keywords">;

const linesOf = (words: readonly string[]) => words.join("\n");
const wordsOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

function describeKeywordsError(error: unknown): string {
  if (error instanceof ApiError && error.code === "VALIDATION_FAILED" && Array.isArray(error.details)) {
    const reasons = (error.details as Array<{ message?: unknown }>)
      .map((detail) => (typeof detail.message === "string" ? detail.message : null))
      .filter((reason): reason is string => reason !== null);
    if (reasons.length > 0) return `Please check the keywords: ${[...new Set(reasons)].join(" ")}`;
  }
  return describeError(error);
}

export function ConsentKeywordsSection({ workspaceId }: { workspaceId: string }) {
  const keywords = useApiQuery(queryKeys.consentKeywords(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/settings/consent-keywords", { path: { workspaceId } }),
  );
  return (
    <section aria-labelledby="keywords-title" className="panel">
      <h2 id="keywords-title">Keywords</h2>
      <p className="muted">
        When a contact's message is only one of these words, Parley records it in their consent: an opt-out keyword stops marketing messages
        (templates of the marketing category, broadcasts), an opt-in keyword starts them again. Utility messages and replies are not
        affected.
      </p>
      <p className="muted">
        Matching ignores case, spaces and punctuation around the word, accents and diacritics, and Arabic spelling variants (أ إ آ are read
        as ا, tatweel is dropped): <q>Stop!</q>, <q>STOP</q> and <q>stop</q> match the same keyword, as do <q>إلغاء</q> and <q>الغاء</q>.{" "}
        <q>Please stop</q> does not match.
      </p>
      <ErrorText message={keywords.error} />
      {keywords.data ? (
        <KeywordsForm workspaceId={workspaceId} keywords={keywords.data} onSaved={() => void keywords.reload()} />
      ) : keywords.error ? null : (
        <p className="muted" role="status">
          Loading keywords…
        </p>
      )}
    </section>
  );
}

function KeywordsForm({ workspaceId, keywords, onSaved }: { workspaceId: string; keywords: Keywords; onSaved(): void }) {
  const [optOut, setOptOut] = useState(() => linesOf(keywords.optOut));
  const [optIn, setOptIn] = useState(() => linesOf(keywords.optIn));
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, onSubmit } = useAction(describeKeywordsError);

  const save = onSubmit(async () => {
    if (wordsOf(optOut).length === 0) {
      setError("Keep at least one opt-out keyword: contacts must be able to stop marketing messages.");
      return;
    }
    const answer = await api("PUT", "/api/v1/workspaces/{workspaceId}/settings/consent-keywords", {
      path: { workspaceId },
      body: { optOut: wordsOf(optOut), optIn: wordsOf(optIn) },
    });
    setOptOut(linesOf(answer.optOut));
    setOptIn(linesOf(answer.optIn));
    setSaved(true);
    onSaved();
  });

  const edit = (set: (value: string) => void) => (value: string) => {
    setSaved(false);
    set(value);
  };

  return (
    <form className="stacked-form" onSubmit={save} aria-label="Opt-out and opt-in keywords">
      <p>{keywords.isDefault ? "The default keywords apply." : "This workspace uses its own keywords."}</p>
      <label className="field">
        <span>Opt-out keywords (one a line)</span>
        <textarea rows={6} value={optOut} dir="auto" onChange={(event) => edit(setOptOut)(event.target.value)} />
      </label>
      <label className="field">
        <span>Opt-in keywords (one a line)</span>
        <textarea rows={4} value={optIn} dir="auto" onChange={(event) => edit(setOptIn)(event.target.value)} />
      </label>
      <ErrorText message={error} />
      {saved ? (
        <p role="status" className="ok">
          Saved. Keywords are stored as they are matched (normalized).
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : "Save keywords"}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setSaved(false);
            setOptOut(linesOf(keywords.defaults.optOut));
            setOptIn(linesOf(keywords.defaults.optIn));
          }}
        >
          Use the defaults
        </button>
      </div>
    </form>
  );
}
