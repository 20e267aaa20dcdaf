import { errorCatalogue, type ErrorCode } from "../errors.ts";

/** docs/errors.md, rendered from the catalogue in src/errors.ts (committed; a test fails on drift). */
export function renderErrorCatalogueMarkdown(): string {
  const rows = (Object.keys(errorCatalogue) as ErrorCode[])
    .map((code) => ({ code, ...errorCatalogue[code] }))
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code))
    .map(({ code, status, message, when }) => `| \`${code}\` | ${status} | ${escapeCell(message)} | ${escapeCell(when)} |`);
  return [
    "# Error codes",
    "",
    "<!-- Generated from src/errors.ts by `npm run openapi`. Do not edit by hand. -->",
    "",
    "Every error response has the same body:",
    "",
    "```json",
    '{ "error": { "code": "VALIDATION_FAILED", "message": "The request is not valid.", "requestId": "…", "details": [{ "path": ["body", "name"], "message": "…" }] } }',
    "```",
    "",
    "`code` is stable: clients may branch on it. `requestId` is also sent as the `x-request-id` header and",
    "lets operators find the request's log line. `details` is present only for the codes whose *When* names it.",
    "Responses never contain a stack trace or echo an input value.",
    "",
    "| Code | Status | Message | When |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
