import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Shell, type Membership } from "../../app/shell.tsx";
import { api, describeError, type Me } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { BackIcon } from "../../ui/icons.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { PlanLock, isLocked, usePlan } from "../plans/plan-lock.tsx";
import { TemplateDetail } from "./template-detail.tsx";
import { TemplateEditor } from "./template-editor.tsx";
import { TemplateList } from "./template-list.tsx";
import { emptyDraft, type Template } from "./template-model.ts";

// Templates (Owners and Admins, templates.manage; the plan's `templates` feature): every template
// of the workspace's numbers with its review status, a new one (/templates/new) or one template
// (/templates/<id>) beside the list, with a live preview. While a template waits for review the
// list is read again every few seconds: WhatsApp's answer comes by webhook, not to this page.

type Props = { me: Me; membership: Membership; subpath: string; onSignOut(): void };

const PENDING_POLL_MS = 3_000;

export function TemplatesScreen({ me, membership, subpath, onSignOut }: Props) {
  const plan = usePlan(membership.workspaceId);
  const locked = isLocked(plan.data, "templates");
  return (
    <Shell me={me} membership={membership} section="templates" onSignOut={onSignOut}>
      {locked ? (
        <main className="page" aria-labelledby="templates-title">
          <h1 id="templates-title">Templates</h1>
          <PlanLock workspaceId={membership.workspaceId} feature="templates">
            {null}
          </PlanLock>
        </main>
      ) : (
        <PlanLock workspaceId={membership.workspaceId} feature="templates">
          <TemplatesBody workspaceId={membership.workspaceId} subpath={subpath} />
        </PlanLock>
      )}
    </Shell>
  );
}

function TemplatesBody({ workspaceId, subpath }: { workspaceId: string; subpath: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const selectedId = /^[0-9a-f-]{36}$/.test(subpath) ? subpath : null;
  const creating = subpath === "new";
  const [notice, setNotice] = useState<string | null>(null);
  const syncing = useAction(describeError);

  const numbers = useApiQuery(queryKeys.numbers(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers", { path: { workspaceId } }).then((answer) => answer.numbers),
  );
  const libraryKey = queryKeys.templateLibrary(workspaceId);
  const library = useQuery({
    queryKey: libraryKey,
    queryFn: () =>
      api("GET", "/api/v1/workspaces/{workspaceId}/templates", { path: { workspaceId }, query: { status: "ALL" } }).then(
        (answer) => answer.data,
      ),
    refetchInterval: (query) => (query.state.data?.some((template) => template.status === "PENDING") ? PENDING_POLL_MS : false),
  });
  const templates = library.data ?? null;
  const listError = library.error ? describeError(library.error) : null;
  const numberRows = numbers.data ?? [];

  const open = (templateId: string) => void navigate({ to: "/w/$workspaceId/templates/$templateId", params: { workspaceId, templateId } });
  const backToList = () => void navigate({ to: "/w/$workspaceId/templates", params: { workspaceId } });

  /** After a write: the library and the composer's approved lists are read again. */
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: libraryKey });
    for (const number of numberRows) await queryClient.invalidateQueries({ queryKey: queryKeys.templates(workspaceId, number.id) });
  };

  const saved = (template: Template, message: string) => {
    queryClient.setQueryData<Template[]>(libraryKey, (current) => [template, ...(current ?? []).filter((item) => item.id !== template.id)]);
    setNotice(message);
    void refresh();
    open(template.id);
  };

  const deleted = (template: Template) => {
    queryClient.setQueryData<Template[]>(libraryKey, (current) => current?.filter((item) => item.id !== template.id));
    setNotice(`${template.name} was deleted.`);
    void refresh();
    backToList();
  };

  const sync = () => {
    setNotice(null);
    void syncing.run(async () => {
      let listed = 0;
      let changed = 0;
      for (const number of numberRows) {
        const answer = await api("POST", "/api/v1/workspaces/{workspaceId}/templates/sync", {
          path: { workspaceId },
          body: { numberId: number.id },
        });
        listed += answer.listed;
        changed += answer.changed;
      }
      await refresh();
      setNotice(`Synced from Meta: ${listed} template${listed === 1 ? "" : "s"} read, ${changed} changed.`);
    });
  };

  const selected = selectedId ? (templates?.find((template) => template.id === selectedId) ?? null) : null;
  const firstNumber = numberRows[0]?.id ?? "";

  let main;
  if (creating) {
    main =
      numbers.data === null ? (
        <p className="muted pane-status" role="status">
          Loading…
        </p>
      ) : numberRows.length === 0 ? (
        <p className="muted pane-status">Connect a WhatsApp number first (Settings → WhatsApp numbers): templates belong to its account.</p>
      ) : (
        <TemplateEditor
          key="new"
          workspaceId={workspaceId}
          mode={{ kind: "new" }}
          initial={emptyDraft(firstNumber)}
          numbers={numberRows}
          onSaved={(template) => saved(template, `${template.name} was submitted to WhatsApp for review.`)}
          onCancel={backToList}
        />
      );
  } else if (selectedId) {
    main =
      templates === null ? (
        <p className="muted pane-status" role="status">
          {listError ? "" : "Loading template…"}
        </p>
      ) : selected ? (
        <TemplateDetail
          key={selected.id}
          workspaceId={workspaceId}
          template={selected}
          languages={templates.filter((template) => template.name === selected.name && template.wabaId === selected.wabaId).length}
          numbers={numberRows}
          onSaved={saved}
          onDeleted={deleted}
        />
      ) : (
        <div className="pane-status">
          <p>This template does not exist, or was deleted.</p>
          <button type="button" onClick={backToList}>
            Back to templates
          </button>
        </div>
      );
  } else {
    main = <p className="muted empty-main">Select a template to see and edit it, or create a new one.</p>;
  }

  return (
    <div className={selectedId || creating ? "layout templates-layout detail-open" : "layout templates-layout"}>
      <section className="sidebar templates-sidebar" aria-labelledby="templates-title">
        <div className="templates-toolbar">
          <h1 id="templates-title">Templates</h1>
          <div className="actions">
            <button type="button" aria-current={creating ? "page" : undefined} onClick={() => open("new")}>
              New template
            </button>
            <button type="button" onClick={sync} disabled={syncing.busy || numberRows.length === 0}>
              {syncing.busy ? "Syncing…" : "Sync from Meta"}
            </button>
          </div>
          {notice ? (
            <p role="status" className="muted">
              {notice}
            </p>
          ) : null}
          <ErrorText message={syncing.error ?? numbers.error} />
        </div>
        <TemplateList
          templates={templates}
          error={listError}
          numbers={numberRows}
          selectedId={selectedId}
          onOpen={open}
          onRetry={() => void library.refetch()}
        />
      </section>
      <main className="main templates-main">
        {selectedId || creating ? (
          <button type="button" className="link back-button templates-back" onClick={backToList}>
            <BackIcon className="inline-icon" /> Back to templates
          </button>
        ) : null}
        {main}
      </main>
    </div>
  );
}
