import { useState, type FormEvent } from "react";
// The one list of audit actions, shared with the server (a plain module without imports).
import { auditActions } from "../../../../src/audit/actions.ts";
import { api, describeError, type ApiAnswer, type ApiOptions, type Me } from "../../lib/api.ts";
import { can } from "../../lib/permissions.ts";
import { formatDateTime, useReauth } from "./settings-common.tsx";
import type { Membership } from "../../app/shell.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { CheckIcon, CloseIcon } from "../../ui/icons.tsx";
import { queryKeys, useApiPages, useApiQuery } from "../../lib/queries.ts";

// The audit log: the verification status of the workspace's chain (recomputed by the server from
// the leaf hashes and the signed checkpoints), a filtered table with paging, and the CSV export
// (a sensitive action: fetched with the bearer token, then saved from a Blob).

type AuditEntry = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/audit">["entries"][number];
type AuditQuery = NonNullable<ApiOptions<"GET", "/api/v1/workspaces/{workspaceId}/audit">["query"]>;
type AuditAction = (typeof auditActions)[number];

type Filters = { action: AuditAction | ""; actorId: string; from: string; to: string };

const PAGE_SIZE = 50;
const EMPTY_FILTERS: Filters = { action: "", actorId: "", from: "", to: "" };

/** The API's filter fields: dates are whole local days, `to` inclusive (the API's bound is exclusive). */
function toQuery(filters: Filters): Omit<AuditQuery, "cursor" | "limit"> {
  const query: Omit<AuditQuery, "cursor" | "limit"> = {};
  if (filters.action) query.action = filters.action;
  if (filters.actorId) query.actorId = filters.actorId;
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    query.to = end.toISOString();
  }
  return query;
}

function describeMetadata(metadata: AuditEntry["metadata"]): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(", ");
}

export function AuditSection({ me, membership }: { me: Me; membership: Membership }) {
  const { workspaceId, role } = membership;
  const canExport = can(role, "audit.export");
  const members = useApiQuery(queryKeys.members(workspaceId), () =>
    can(role, "members.read")
      ? api("GET", "/api/v1/workspaces/{workspaceId}/members", { path: { workspaceId } }).then((answer) => answer.members)
      : Promise.resolve([]),
  );
  const emails = new Map((members.data ?? []).map((member) => [member.userId, member.email]));
  const [draft, setDraft] = useState<Filters>(EMPTY_FILTERS);
  const [filters, setFilters] = useState<Filters>(EMPTY_FILTERS);
  const [filterError, setFilterError] = useState<string | null>(null);
  const exporting = useAction(describeError);
  const [exportMessage, setExportMessage] = useState<string | null>(null);
  const reauth = useReauth(me);
  const pages = useApiPages(queryKeys.audit(workspaceId, filters), async (cursor) => {
    const page = await api("GET", "/api/v1/workspaces/{workspaceId}/audit", {
      path: { workspaceId },
      query: { ...toQuery(filters), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
    });
    return { items: page.entries, nextCursor: page.nextCursor };
  });
  const entries = pages.items;
  const error = filterError ?? pages.error;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setFilterError("The start date must not be after the end date.");
      return;
    }
    setFilterError(null);
    setFilters({ ...draft });
  };

  const exportCsv = () => {
    setExportMessage(null);
    void exporting.run(async () => {
      const answer = await reauth.guard(() =>
        api("POST", "/api/v1/workspaces/{workspaceId}/audit/export", { path: { workspaceId }, body: toQuery(filters) }),
      );
      if (!answer) return;
      const url = URL.createObjectURL(new Blob([answer.csv], { type: answer.contentType }));
      const link = document.createElement("a");
      link.href = url;
      link.download = answer.filename;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      const note = answer.truncated ? ` Only the first ${answer.rows} rows fit in one file: narrow the filters for the rest.` : "";
      setExportMessage(`Exported ${answer.rows} ${answer.rows === 1 ? "entry" : "entries"}.${note}`);
    });
  };

  const actorLabel = (actor: AuditEntry["actor"]) => {
    if (actor.type === "system") return "System";
    if (actor.type === "api_key") return `API key ${actor.id?.slice(0, 8) ?? ""}`;
    return (actor.id && emails.get(actor.id)) ?? `User ${actor.id?.slice(0, 8) ?? ""}`;
  };

  return (
    <>
      {reauth.prompt}
      <VerificationPanel workspaceId={workspaceId} />
      <section aria-labelledby="audit-entries-title" className="panel">
        <h2 id="audit-entries-title">Entries</h2>
        <form className="inline-form filters" onSubmit={apply} aria-label="Filter the audit log">
          <label className="field">
            <span>Action</span>
            <select
              value={draft.action}
              onChange={(event) => setDraft({ ...draft, action: auditActions.find((action) => action === event.target.value) ?? "" })}
            >
              <option value="">Any action</option>
              {auditActions.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Actor</span>
            <select value={draft.actorId} onChange={(event) => setDraft({ ...draft, actorId: event.target.value })}>
              <option value="">Anyone</option>
              {(members.data ?? []).map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.email}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>From</span>
            <input type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
          </label>
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY_FILTERS);
              setFilters(EMPTY_FILTERS);
            }}
          >
            Clear
          </button>
          {canExport ? (
            <button type="button" onClick={exportCsv} disabled={exporting.busy}>
              {exporting.busy ? "Exporting…" : "Export CSV"}
            </button>
          ) : null}
        </form>
        {exportMessage ? <p role="status">{exportMessage}</p> : null}
        <ErrorText message={error ?? exporting.error} />
        {entries === null && !error ? (
          <p className="muted" role="status">
            Loading the audit log…
          </p>
        ) : entries && entries.length > 0 ? (
          <>
            <table className="data-table audit-table stack-narrow" aria-label="Audit entries">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                  <th scope="col">Address</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.seq}>
                    <td data-label="#">{entry.seq}</td>
                    <td data-label="Time">{formatDateTime(entry.occurredAt)}</td>
                    <td data-label="Actor">{actorLabel(entry.actor)}</td>
                    <td data-label="Action">
                      <code>{entry.action}</code>
                    </td>
                    <td data-label="Target">{entry.target ? `${entry.target.type} ${entry.target.id.slice(0, 8)}` : "—"}</td>
                    <td data-label="Details" className="metadata">
                      {describeMetadata(entry.metadata)}
                    </td>
                    <td data-label="Address">{entry.ip ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {pages.hasMore ? (
              <button type="button" onClick={() => void pages.loadMore()} disabled={pages.loadingMore}>
                {pages.loadingMore ? "Loading…" : "Show older entries"}
              </button>
            ) : (
              <p className="muted">End of the log{filters === EMPTY_FILTERS ? "" : " for these filters"}.</p>
            )}
          </>
        ) : entries ? (
          <p className="muted">No entries match these filters.</p>
        ) : null}
      </section>
    </>
  );
}

function VerificationPanel({ workspaceId }: { workspaceId: string }) {
  const verification = useApiQuery(queryKeys.auditVerification(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/audit/verification", { path: { workspaceId } }),
  );
  const [checking, setChecking] = useState(false);
  const result = verification.data;
  const recheck = async () => {
    setChecking(true);
    await verification.reload();
    setChecking(false);
  };
  return (
    <section aria-labelledby="verification-title" className={`panel verification ${result ? `verification-${result.status}` : ""}`}>
      <h2 id="verification-title">Integrity</h2>
      <ErrorText message={verification.error} />
      {result === null && !verification.error ? (
        <p className="muted" role="status">
          Verifying the audit chain…
        </p>
      ) : result?.status === "ok" ? (
        <div role="status" aria-label="Audit chain verification">
          <p className="verdict">
            <CheckIcon className="inline-icon" /> Verified
          </p>
          <p>
            All {result.entries} {result.entries === 1 ? "entry matches its" : "entries match their"} hashes
            {result.latestCheckpoint
              ? `, and the chain still has the root signed at entry ${result.latestCheckpoint.treeSize} (${formatDateTime(result.latestCheckpoint.signedAt)}, key ${result.latestCheckpoint.keyId}).`
              : ". No signed checkpoint yet: the server signs one periodically."}
          </p>
        </div>
      ) : result ? (
        <div role="alert" aria-label="Audit chain verification">
          <p className="verdict">
            <CloseIcon className="inline-icon" /> Verification failed
          </p>
          <p>
            The log cannot be trusted from entry #{result.problem?.seq} on: {result.problem?.reason}.
          </p>
          {result.latestCheckpoint ? (
            <p className="muted">
              Latest signed checkpoint: entry {result.latestCheckpoint.treeSize}, {formatDateTime(result.latestCheckpoint.signedAt)}.
            </p>
          ) : null}
        </div>
      ) : null}
      {result ? (
        <p className="muted">
          Checked {formatDateTime(result.checkedAt)}.{" "}
          <button type="button" className="link" onClick={() => void recheck()} disabled={checking}>
            {checking ? "Verifying…" : "Verify again"}
          </button>
        </p>
      ) : null}
    </section>
  );
}
