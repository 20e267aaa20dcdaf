import { errorCatalogue, type ErrorCode } from "../errors.ts";
import { hasPermission, permissionDescriptions, permissions, roles } from "../identity/permissions.ts";
import type { OpenApiDocument } from "./openapi.ts";

// The API's documentation page at /docs, rendered once at start from the same OpenAPI document that
// /openapi.json serves, the error catalogue and the permission matrix, so it cannot describe another
// API. It is plain HTML with one same-origin stylesheet: no script and no inline style, so the strict
// CSP the dashboard lives under holds here too. Every value from the document is escaped.

export const API_DOCS_PATH = "/docs";
export const API_DOCS_STYLESHEET_PATH = "/docs/docs.css";

type Operation = Record<string, unknown>;
type Parameter = { name: string; in: string; required?: boolean; schema?: Record<string, unknown> };
type RateLimit = { limit: number; windowMs: number; key: string };

export function renderApiDocsHtml(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })),
  );
  const tags = [...new Set(operations.map(({ operation }) => firstTag(operation)))].sort();
  const sections = tags.map((tag) => {
    const items = operations.filter(({ operation }) => firstTag(operation) === tag);
    return `<section id="tag-${anchor(tag)}"><h2>${escapeHtml(tag)}</h2>${items.map(({ path, method, operation }) => renderOperation(path, method, operation)).join("")}</section>`;
  });
  const nav = [
    ["overview", "Overview"],
    ["authentication", "Authentication"],
    ["examples", "Examples"],
    ["limits", "Limits"],
    ["errors", "Error codes"],
    ["permissions", "Permissions"],
  ].map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`);
  const tagNav = tags.map((tag) => `<li><a href="#tag-${anchor(tag)}">${escapeHtml(tag)}</a></li>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</title>
<link rel="stylesheet" href="${API_DOCS_STYLESHEET_PATH}">
</head>
<body>
<header class="top"><a class="brand" href="/">Parley</a><span>API reference ${escapeHtml(document.info.version)}</span><a href="/openapi.json">openapi.json</a></header>
<div class="layout">
<nav aria-label="Contents"><ul>${nav.join("")}</ul><h2>Operations</h2><ul>${tagNav.join("")}</ul></nav>
<main>
<section id="overview"><h1>${escapeHtml(document.info.title)}</h1>
<p>Every operation of this server, generated from the same route contracts the server validates requests with. The machine-readable description is at <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1); point a code generator or an API client at it.</p>
<p>Requests and responses are JSON (<code>application/json; charset=utf-8</code>) unless an operation says otherwise. Unknown fields are refused, not ignored. Identifiers are UUIDs. Times are ISO 8601 in UTC. Lists are paged with an opaque <code>cursor</code>: pass the <code>nextCursor</code> of one page to get the next.</p>
</section>
<section id="authentication"><h2>Authentication</h2>
<p>Integrations authenticate with an <strong>API key</strong>. An Owner or Admin creates one in the dashboard under <a href="/settings/api-keys">Settings → API keys</a>, chooses its scopes (never more than their own permissions) and copies the key, which is shown only once. Send it in the <code>Authorization</code> header:</p>
<pre><code>Authorization: Bearer pk_&lt;id&gt;_&lt;secret&gt;</code></pre>
<p>A key belongs to one workspace: it may only address <code>/api/v1/workspaces/{workspaceId}/…</code> of that workspace (another workspace answers <code>403 FORBIDDEN</code>). Its effective permissions are the intersection of its scopes and its creator's current role, checked on every request, so demoting or removing the creator narrows or ends the key. Revoking a key takes effect at once.</p>
<p>The dashboard signs people in with a password (and a second factor where required) and short-lived access tokens; those sessions also need a CSRF token and are not meant for integrations. Operations marked <em>public</em> need no credential.</p>
</section>
<section id="examples"><h2>Examples</h2>
<p>List the contacts of a workspace:</p>
<pre><code>curl -H "Authorization: Bearer $PARLEY_API_KEY" \\
  "https://parley.example.com/api/v1/workspaces/$WORKSPACE_ID/contacts?limit=50"</code></pre>
<p>Send a text message. The <code>Idempotency-Key</code> header makes a retried request return the first answer instead of sending twice:</p>
<pre><code>curl -X POST -H "Authorization: Bearer $PARLEY_API_KEY" \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: $(uuidgen)" \\
  -d '{"numberId":"…","to":"+4915112345678","type":"text","text":{"body":"Your order has shipped."}}' \\
  "https://parley.example.com/api/v1/workspaces/$WORKSPACE_ID/messages"</code></pre>
<p>Every error has the same shape, with a stable <code>code</code> to branch on:</p>
<pre><code>{ "error": { "code": "VALIDATION_FAILED", "message": "The request is not valid.", "requestId": "…", "details": [{ "path": ["body", "text"], "message": "…" }] } }</code></pre>
</section>
<section id="limits"><h2>Limits</h2>
<p>Operations with a rate limit list it below, with what it is counted per (user or key, workspace, or address). Over the limit the answer is <code>429 RATE_LIMITED</code> with a <code>Retry-After</code> header in seconds. Request bodies are limited to 64 KB unless an operation states a larger limit.</p>
</section>
<section id="errors"><h2>Error codes</h2>
${renderErrorTable()}
</section>
<section id="permissions"><h2>Permissions</h2>
<p>Each operation names the permission it needs; roles grant permissions as follows.</p>
${renderPermissionTable()}
</section>
${sections.join("\n")}
</main>
</div>
</body>
</html>
`;
}

function renderOperation(path: string, method: string, operation: Operation): string {
  const id = typeof operation.operationId === "string" ? operation.operationId : `${method}-${path}`;
  const facts: string[] = [];
  if (typeof operation["x-permission"] === "string")
    facts.push(`Permission <a href="#permissions"><code>${escapeHtml(operation["x-permission"])}</code></a>`);
  if (typeof operation["x-public"] === "string") facts.push(`Public: ${escapeHtml(operation["x-public"])}`);
  const rateLimit = operation["x-rate-limit"] as RateLimit | undefined;
  if (rateLimit) facts.push(`Rate limit ${rateLimit.limit} per ${describeWindow(rateLimit.windowMs)} per ${escapeHtml(rateLimit.key)}`);
  if (typeof operation["x-body-limit"] === "number") facts.push(`Body up to ${describeBytes(operation["x-body-limit"])}`);
  const parameters = (operation.parameters as Parameter[] | undefined) ?? [];
  const requestBody = operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
  const responses = Object.entries(
    (operation.responses as Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }> | undefined) ?? {},
  );
  return `<article class="operation" id="${anchor(id)}">
<h3><span class="method method-${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
${typeof operation.summary === "string" ? `<p>${withCode(operation.summary)}</p>` : ""}
${facts.length > 0 ? `<ul class="facts">${facts.map((fact) => `<li>${fact}</li>`).join("")}</ul>` : ""}
${parameters.length > 0 ? renderParameters(parameters) : ""}
${
  requestBody?.content
    ? Object.entries(requestBody.content)
        .map(
          ([type, media]) =>
            `<details><summary>Request body <code>${escapeHtml(type)}</code></summary><pre><code>${escapeHtml(JSON.stringify(media.schema ?? {}, null, 2))}</code></pre></details>`,
        )
        .join("")
    : ""
}
<dl class="responses">${responses.map(([status, response]) => renderResponse(status, response)).join("")}</dl>
</article>`;
}

function renderParameters(parameters: readonly Parameter[]): string {
  const rows = parameters.map(
    (parameter) =>
      `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${escapeHtml(parameter.in)}</td><td>${parameter.required ? "required" : "optional"}</td><td>${escapeHtml(describeSchema(parameter.schema))}</td></tr>`,
  );
  return `<div class="table"><table><thead><tr><th>Parameter</th><th>In</th><th></th><th>Type</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function renderResponse(status: string, response: { description?: string; content?: Record<string, { schema?: unknown }> }): string {
  const schema = response.content?.["application/json"]?.schema;
  const isErrorRef = typeof schema === "object" && schema !== null && "$ref" in schema;
  const body =
    schema && !isErrorRef
      ? `<details><summary>Response body</summary><pre><code>${escapeHtml(JSON.stringify(schema, null, 2))}</code></pre></details>`
      : "";
  const description = (response.description ?? "")
    .split("\n\n")
    .map((part) => `<p>${withCode(part)}</p>`)
    .join("");
  return `<dt>${escapeHtml(status)}</dt><dd>${description}${body}</dd>`;
}

function renderErrorTable(): string {
  const rows = (Object.keys(errorCatalogue) as ErrorCode[])
    .map((code) => ({ code, ...errorCatalogue[code] }))
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code))
    .map(
      ({ code, status, message, when }) =>
        `<tr id="error-${anchor(code)}"><td><code>${escapeHtml(code)}</code></td><td>${status}</td><td>${escapeHtml(message)}</td><td>${escapeHtml(when)}</td></tr>`,
    );
  return `<div class="table"><table><thead><tr><th>Code</th><th>Status</th><th>Message</th><th>When</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function renderPermissionTable(): string {
  const head = `<tr><th>Permission</th>${roles.map((role) => `<th>${escapeHtml(role)}</th>`).join("")}<th>Allows</th></tr>`;
  const rows = permissions.map(
    (permission) =>
      `<tr id="permission-${anchor(permission)}"><td><code>${escapeHtml(permission)}</code></td>${roles.map((role) => (hasPermission(role, permission) ? `<td class="yes">✓<span class="sr"> ${escapeHtml(role)} has it</span></td>` : `<td class="no">—</td>`)).join("")}<td>${escapeHtml(permissionDescriptions[permission])}</td></tr>`,
  );
  return `<div class="table"><table><thead>${head}</thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function firstTag(operation: Operation): string {
  const tags = operation.tags;
  return Array.isArray(tags) && typeof tags[0] === "string" ? tags[0] : "other";
}

function describeSchema(schema: Record<string, unknown> | undefined): string {
  if (!schema) return "";
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(String).join(", ")}`;
  const parts = [typeof schema.format === "string" ? schema.format : typeof schema.type === "string" ? schema.type : "value"];
  const bound = (value: unknown): string => (typeof value === "number" ? String(value) : "…");
  if (typeof schema.minimum === "number" || typeof schema.maximum === "number")
    parts.push(`${bound(schema.minimum)}–${bound(schema.maximum)}`);
  if (typeof schema.maxLength === "number" && schema.format === undefined) parts.push(`up to ${schema.maxLength} characters`);
  return parts.join(", ");
}

function describeWindow(windowMs: number): string {
  if (windowMs % 3_600_000 === 0) return windowMs === 3_600_000 ? "hour" : `${windowMs / 3_600_000} hours`;
  if (windowMs % 60_000 === 0) return windowMs === 60_000 ? "minute" : `${windowMs / 60_000} minutes`;
  return windowMs === 1_000 ? "second" : `${windowMs / 1_000} seconds`;
}

function describeBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${Math.round((bytes / 1_048_576) * 10) / 10} MB` : `${Math.round(bytes / 1_024)} KB`;
}

/** Escapes, then shows `backticked` spans as code, as the catalogue's descriptions write them. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function anchor(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "-");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export const API_DOCS_CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--code:#f6f8fa;--accent:#0b6e4f}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--code:#161b22;--accent:#3fb98a}}
*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--accent)}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:12px;overflow-x:auto;white-space:pre}
.top{display:flex;gap:16px;align-items:center;padding:12px 20px;border-bottom:1px solid var(--line);flex-wrap:wrap}.brand{font-weight:700;text-decoration:none}
.layout{display:grid;grid-template-columns:240px minmax(0,1fr);gap:24px;max-width:1200px;margin:0 auto;padding:20px}
nav ul{list-style:none;padding:0;margin:0 0 16px}nav li{margin:4px 0}nav h2{font-size:13px;text-transform:uppercase;color:var(--muted)}
nav{position:sticky;top:0;align-self:start;max-height:100vh;overflow-y:auto}
main,nav{min-width:0}h1{margin-top:0}section{margin-bottom:40px}
.operation{border-top:1px solid var(--line);padding:16px 0}.operation h3{font-size:16px;word-break:break-all}
.method{display:inline-block;min-width:64px;text-align:center;border-radius:4px;padding:1px 6px;font-size:12px;color:#fff;background:#57606a}
.method-get{background:#0969da}.method-post{background:#1a7f37}.method-patch,.method-put{background:#9a6700}.method-delete{background:#cf222e}
.facts{padding-left:18px;color:var(--muted)}.responses dt{font-weight:700;float:left;width:48px}.responses dd{margin-left:56px}.responses dd p{margin:0 0 6px}
.table{overflow-x:auto;position:relative}table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
td.yes,td.no{text-align:center}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:760px){.layout{grid-template-columns:minmax(0,1fr);padding:12px}nav{position:static;max-height:none}}
`;
