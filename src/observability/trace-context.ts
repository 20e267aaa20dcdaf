import { trace } from "@opentelemetry/api";

// What the rest of the server reads of the active trace: only @opentelemetry/api, which answers
// "no span" at once while tracing is off. The SDK and exporter (./tracing.ts) are loaded only when
// tracing is on.

/** Names the active request span after its route template (never the URL); no-op without tracing. */
export function nameRequestSpan(method: string, route: string | null | undefined): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  const template = route ?? "unmatched";
  span.updateName(`${method} ${template}`);
  span.setAttribute("http.route", template);
}

/** The active span's ids, for a log line; empty when no span is active (or tracing is off). */
export function activeTraceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
