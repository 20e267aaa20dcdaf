import { useState, type FormEvent } from "react";
import { api, describeError, type Me } from "../../lib/api.ts";
import { PERMISSION_DESCRIPTIONS, ROLE_PERMISSIONS, type Permission } from "../../lib/permissions.ts";
import { ConfirmButton, CopyField, formatDateTime, useReauth } from "./settings-common.tsx";
import type { Membership } from "../../app/shell.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// API keys: create (scopes chosen among one's own permissions, an expiry), list, revoke. The key
// itself is in the creation answer only: it lives in this component's state until "Done" or a
// reload, and is never fetched again. Creating a key is a sensitive action (password proof).

type ApiKey = {
  id: string;
  name: string;
  scopes: string[];
  lastFour: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
};

type CreatedKey = ApiKey & { key: string };

const EXPIRY_DAYS = [30, 90, 180, 365] as const;
const STATUS_LABELS: Record<ApiKey["status"], string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

export function ApiKeysSection({ me, membership }: { me: Me; membership: Membership }) {
  const keys = useApiQuery(queryKeys.apiKeys(membership.workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/api-keys", { path: { workspaceId: membership.workspaceId } }).then(
      (answer) => answer.apiKeys,
    ),
  );
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const reauth = useReauth(me);

  return (
    <>
      {reauth.prompt}
      <section aria-labelledby="new-key-title" className="panel">
        <h2 id="new-key-title">New API key</h2>
        <p className="muted">
          Programs send the key as <code>Authorization: Bearer …</code>. How to call each operation, the error codes and the permissions:{" "}
          <a href="/docs">API reference</a>.
        </p>
        {created ? (
          <div className="once" role="region" aria-label="New API key">
            <p>
              <strong>Copy the key “{created.name}” now: it is shown only this once.</strong> Parley keeps only a hash of it.
            </p>
            <CopyField label="API key" value={created.key} />
            <button type="button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        ) : (
          <CreateKeyForm
            workspaceId={membership.workspaceId}
            allowed={ROLE_PERMISSIONS[membership.role]}
            guard={reauth.guard}
            onCreated={(key) => {
              setCreated(key);
              void keys.reload();
            }}
          />
        )}
      </section>
      <section aria-labelledby="keys-title" className="panel">
        <h2 id="keys-title">Keys</h2>
        <ErrorText message={keys.error} />
        {keys.data === null && !keys.error ? (
          <p className="muted" role="status">
            Loading API keys…
          </p>
        ) : keys.data && keys.data.length > 0 ? (
          <table className="data-table stack-narrow" aria-label="API keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <td data-label="Name">{key.name}</td>
                  <td data-label="Key">
                    <code>{key.lastFour ? `pk_…${key.lastFour}` : "—"}</code>
                  </td>
                  <td data-label="Scopes" title={key.scopes.join(", ")}>
                    {key.scopes.length === 1 ? key.scopes[0] : `${key.scopes.length} scopes`}
                  </td>
                  <td data-label="Expires">{formatDateTime(key.expiresAt)}</td>
                  <td data-label="Last used">
                    {key.lastUsedAt ? `${formatDateTime(key.lastUsedAt)}${key.lastUsedIp ? ` from ${key.lastUsedIp}` : ""}` : "Never"}
                  </td>
                  <td data-label="Status">{STATUS_LABELS[key.status]}</td>
                  <td data-label="Actions">
                    {key.status === "active" ? (
                      <ConfirmButton
                        label="Revoke"
                        ariaLabel={`Revoke ${key.name}`}
                        title="Revoke this API key?"
                        message={<p>Programs using “{key.name}” are refused from their next request. This cannot be undone.</p>}
                        confirmLabel="Revoke key"
                        onConfirm={async () => {
                          await api("DELETE", "/api/v1/workspaces/{workspaceId}/api-keys/{apiKeyId}", {
                            path: { workspaceId: membership.workspaceId, apiKeyId: key.id },
                          });
                          await keys.reload();
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No API keys yet.</p>
        )}
      </section>
    </>
  );
}

type CreateProps = {
  workspaceId: string;
  allowed: readonly Permission[];
  guard<T>(action: () => Promise<T>): Promise<T | undefined>;
  onCreated(key: CreatedKey): void;
};

function CreateKeyForm({ workspaceId, allowed, guard, onCreated }: CreateProps) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Set<Permission>>(new Set());
  const [days, setDays] = useState<number>(90);
  const { busy, error, setError, run } = useAction(describeError);

  const toggle = (permission: Permission, on: boolean) =>
    setScopes((current) => {
      const next = new Set(current);
      if (on) next.add(permission);
      else next.delete(permission);
      return next;
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (scopes.size === 0) {
      setError("Choose at least one scope.");
      return;
    }
    void run(async () => {
      // Scopes in the matrix's order, which is also how the list shows them.
      const body = { name: name.trim(), scopes: allowed.filter((permission) => scopes.has(permission)), expiresInDays: days };
      const key = await guard(() => api("POST", "/api/v1/workspaces/{workspaceId}/api-keys", { path: { workspaceId }, body }));
      if (key) {
        setName("");
        setScopes(new Set());
        onCreated(key);
      }
    });
  };

  return (
    <form className="stacked-form" onSubmit={submit} aria-label="Create an API key">
      <label className="field">
        <span>Name</span>
        <input value={name} required maxLength={100} autoComplete="off" onChange={(event) => setName(event.target.value)} />
      </label>
      <fieldset className="scopes">
        <legend>Scopes (within your own permissions)</legend>
        <div className="scope-tools">
          <button type="button" className="link" onClick={() => setScopes(new Set(allowed))}>
            Select all
          </button>
          <button type="button" className="link" onClick={() => setScopes(new Set())}>
            Clear
          </button>
        </div>
        <ul>
          {allowed.map((permission) => (
            <li key={permission}>
              <label className="check">
                <input type="checkbox" checked={scopes.has(permission)} onChange={(event) => toggle(permission, event.target.checked)} />
                <span>
                  <code>{permission}</code> <span className="muted">— {PERMISSION_DESCRIPTIONS[permission]}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <label className="field">
        <span>Expires after</span>
        <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
          {EXPIRY_DAYS.map((value) => (
            <option key={value} value={value}>
              {value} days
            </option>
          ))}
        </select>
      </label>
      <ErrorText message={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create API key"}
        </button>
      </div>
    </form>
  );
}
