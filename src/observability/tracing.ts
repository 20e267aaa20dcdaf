import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

// OpenTelemetry tracing, opt-in (PARLEY_OTLP_ENDPOINT): spans for HTTP requests and job runs,
// exported over OTLP/HTTP in batches. When it is off, nothing here is created and no code path
// calls into it (callers hold `undefined`), so the default costs nothing.
//
// Spans carry names and attributes from closed sets only — route templates, queue names, status
// codes — never a URL, a header, a body or an identifier of a person. The span of a request is
// active for everything that request runs (AsyncLocalStorage), which is how log lines written
// meanwhile get its trace id (src/log/logger.ts).

export type TracingOptions = {
  /** The collector's OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces. */
  endpoint: string;
  serviceName?: string;
  /** The batch's flush delay (default 5 s; tests shorten it). */
  scheduledDelayMs?: number;
};

export type Tracing = {
  readonly tracer: Tracer;
  /** Runs `fn` in a new span (a child of the active one), ended and marked failed if `fn` throws. */
  inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T>;
  /**
   * Puts a server span around every request of `server` (its request listeners run inside it);
   * the route template is named on the span by whoever resolves it (nameRequestSpan in ./trace-context.ts).
   */
  instrumentServer(server: Server): void;
  /** Sends what is batched and stops exporting. */
  shutdown(): Promise<void>;
};

let contextManagerInstalled = false;

/** The process's context manager and propagator: installed once, the first time tracing is on. */
function installContextManager(): void {
  if (contextManagerInstalled) return;
  contextManagerInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export function createTracing(options: TracingOptions): Tracing {
  installContextManager();
  const exporter = new OTLPTraceExporter({ url: options.endpoint });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName ?? "parley" }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduledDelayMs ?? 5_000 })],
  });
  const tracer = provider.getTracer("parley");

  const inSpan = <T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> =>
    tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        // The error's class only: its message may quote input.
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : "error" });
        throw error;
      } finally {
        span.end();
      }
    });

  const instrumentServer = (server: Server): void => {
    const listeners = server.listeners("request") as Array<(request: IncomingMessage, response: ServerResponse) => void>;
    server.removeAllListeners("request");
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      // A caller's traceparent continues its trace; nothing else of its headers is read.
      const parent = propagation.extract(context.active(), {
        traceparent: request.headers.traceparent,
        tracestate: request.headers.tracestate,
      });
      const span = tracer.startSpan(
        `${request.method ?? "HTTP"}`,
        { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method ?? "" } },
        parent,
      );
      response.once("close", () => {
        span.setAttribute("http.response.status_code", response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      context.with(trace.setSpan(parent, span), () => {
        for (const listener of listeners) listener.call(server, request, response);
      });
    });
  };

  return {
    tracer,
    inSpan,
    instrumentServer,
    shutdown: () => provider.shutdown(),
  };
}
