import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { PoolUsage } from "../db/database.ts";
import type { Logger } from "../log/logger.ts";

// Prometheus metrics (prom-client), one registry per process, wired in the composition root and
// handed to whoever records: no module-level registry, so two instances in one process (tests) never
// mix their series.
//
// Every label value comes from a closed set. Where the caller's value could be anything (a URL, an
// error code, a queue name from a row), it passes through a `LabelSet`: the values it was built with,
// plus at most a few more first-seen ones, and then one fixed overflow value. A scrape therefore
// holds a bounded number of series whatever requests arrive (test/observability/metrics.test.ts).

/** The one label of a request that matched no route (404s, scans): never the URL itself. */
export const UNMATCHED_ROUTE = "unmatched";
/** The label a value gets once its set is full, or when it is not one of a closed set. */
export const OTHER_LABEL = "other";

/** Methods the router serves; anything else (PROPFIND …) is counted as one. */
const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type WebhookOutcome = "accepted" | "signature_missing" | "signature_invalid" | "unknown_endpoint" | "verify_ok" | "verify_refused";
export type JobRunOutcome = "succeeded" | "retry" | "failed" | "interrupted" | "lost_lock";
export type SendOutcome = "accepted" | "refused" | "not_sent" | "unknown";
export type GovernorResult = "granted" | "deferred" | "unavailable";

/** Jobs waiting and running in one queue, and how long the oldest due one has waited. */
export type QueueStats = { queue: string; pending: number; running: number; oldestDueAgeSeconds: number };

export type MetricsOptions = {
  /** Route templates the HTTP app serves (labels of the latency histogram). */
  routes?: readonly string[];
  /** Queue names of the job registry. */
  queues?: readonly string[];
  /** Meta error codes worth a series of their own; any other code is counted as `other`. */
  sendErrorCodes?: readonly number[];
  /** The runtime role's connections, read at each scrape. */
  poolUsage?: () => PoolUsage;
  /** The job queues' depth, read at each scrape (a query: worker roles only). */
  queueStats?: () => Promise<readonly QueueStats[]>;
  logger?: Logger;
  /** Node's process and runtime metrics (CPU, memory, GC, event-loop lag); default on. */
  processMetrics?: boolean;
};

export type Metrics = {
  readonly registry: Registry;
  /** One answered HTTP request: route template (or null when none matched), method, status, seconds. */
  observeHttp(route: string | null | undefined, method: string, status: number, seconds: number): void;
  countWebhook(outcome: WebhookOutcome): void;
  countJobRun(queue: string, outcome: JobRunOutcome): void;
  /** A send's Graph outcome; `code` is Meta's error code when Meta refused. */
  countSend(outcome: SendOutcome, code: number | null): void;
  /** A governor answer; `waitSeconds` is the reserved slot's wait when granted. */
  observeGovernor(result: GovernorResult, limitedBy: "number" | "pair" | "none", waitSeconds: number): void;
  /** The text a scrape answers with (Prometheus text format 0.0.4). */
  render(): Promise<string>;
  readonly contentType: string;
  /** Drops every series (a stopped instance answers no more scrapes). */
  close(): void;
};

/** A closed set of label values: the known ones, up to `spare` first-seen extra ones, then OTHER_LABEL. */
export function createLabelSet(known: Iterable<string>, spare = 0): (value: string) => string {
  const allowed = new Set(known);
  let extra = 0;
  return (value) => {
    if (allowed.has(value)) return value;
    if (extra >= spare) return OTHER_LABEL;
    extra += 1;
    allowed.add(value);
    return value;
  };
}

/** 1xx … 5xx; anything outside HTTP's range counts as `other`. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : OTHER_LABEL;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) {
    // process_* and nodejs_* series, among them nodejs_eventloop_lag_* from
    // perf_hooks.monitorEventLoopDelay (sampled every 10 ms by prom-client).
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }

  // Routes are a closed set when given; a few spare slots cover routes registered outside the
  // contract list (the dashboard's static files) without letting a scan mint series.
  const routeLabel = createLabelSet([...(options.routes ?? []), UNMATCHED_ROUTE], 16);
  const queueLabel = createLabelSet(options.queues ?? [], options.queues ? 0 : 32);
  const codeLabel = createLabelSet((options.sendErrorCodes ?? []).map(String));

  const httpDuration = new Histogram({
    name: "parley_http_request_duration_seconds",
    help: "Time from request to response, by route template (never the URL), method and status class.",
    labelNames: ["route", "method", "status_class"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: "parley_webhook_deliveries_total",
    help: "Requests to Meta's webhook receiver, by outcome (accepted, signature refused, unknown endpoint, handshake).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: "parley_job_runs_total",
    help: "Job runs finished by this process, by queue and outcome (retry and failed are the failures).",
    labelNames: ["queue", "outcome"] as const,
    registers: [registry],
  });
  const sends = new Counter({
    name: "parley_whatsapp_sends_total",
    help: "Graph send calls by outcome and Meta error code (none when accepted or unanswered; other for codes outside the known set).",
    labelNames: ["outcome", "code"] as const,
    registers: [registry],
  });
  const governorDecisions = new Counter({
    name: "parley_governor_decisions_total",
    help: "Throughput governor answers before a send: granted, deferred (job rescheduled) or unavailable (fail closed), and which bucket limited.",
    labelNames: ["result", "limited_by"] as const,
    registers: [registry],
  });
  const governorWait = new Histogram({
    name: "parley_governor_wait_seconds",
    help: "How long a granted send waited for its reserved slot of the number's budget.",
    buckets: [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

  const { poolUsage, queueStats, logger } = options;
  if (poolUsage) {
    new Gauge({
      name: "parley_db_pool_connections",
      help: "The runtime role's database connections: total open, idle, and callers waiting for one (PGlite: its one connection).",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        const usage = poolUsage();
        this.set({ state: "total" }, usage.total);
        this.set({ state: "idle" }, usage.idle);
        this.set({ state: "waiting" }, usage.waiting);
      },
    });
    new Gauge({
      name: "parley_db_pool_max_connections",
      help: "The runtime role's pool size (PARLEY_DB_POOL_SIZE; 1 on PGlite).",
      registers: [registry],
      collect() {
        this.set(poolUsage().max);
      },
    });
  }
  if (queueStats) {
    // The registry collects its metrics concurrently: both gauges share one query per scrape (a
    // reading is reused for a second).
    let reading: { at: number; stats: Promise<readonly QueueStats[]> } | undefined;
    const readQueues = (): Promise<readonly QueueStats[]> => {
      const now = Date.now();
      if (!reading || now - reading.at > 1_000) {
        const stats = queueStats().catch((error: unknown) => {
          logger?.warn({ component: "metrics", err: error }, "could not read the job queues for a scrape");
          return [];
        });
        reading = { at: now, stats };
      }
      return reading.stats;
    };
    new Gauge({
      name: "parley_jobs",
      help: "Jobs in the queue, by queue and state (pending includes those scheduled later).",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
      async collect() {
        const latest = await readQueues();
        this.reset();
        for (const stats of latest) {
          this.inc({ queue: queueLabel(stats.queue), state: "pending" }, stats.pending);
          this.inc({ queue: queueLabel(stats.queue), state: "running" }, stats.running);
        }
      },
    });
    new Gauge({
      name: "parley_jobs_oldest_due_age_seconds",
      help: "How long the oldest due pending job of each queue has waited past its run time (0 when none is due).",
      labelNames: ["queue"] as const,
      registers: [registry],
      async collect() {
        const latest = await readQueues();
        this.reset();
        const oldest = new Map<string, number>();
        for (const stats of latest) {
          const label = queueLabel(stats.queue);
          oldest.set(label, Math.max(oldest.get(label) ?? 0, stats.oldestDueAgeSeconds));
        }
        for (const [queue, age] of oldest) this.set({ queue }, age);
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    observeHttp(route, method, status, seconds) {
      httpDuration.observe(
        {
          route: routeLabel(route ?? UNMATCHED_ROUTE),
          method: HTTP_METHODS.has(method) ? method : OTHER_LABEL,
          status_class: statusClass(status),
        },
        seconds,
      );
    },
    countWebhook(outcome) {
      webhooks.inc({ outcome });
    },
    countJobRun(queue, outcome) {
      jobRuns.inc({ queue: queueLabel(queue), outcome });
    },
    countSend(outcome, code) {
      sends.inc({ outcome, code: code === null ? "none" : codeLabel(String(code)) });
    },
    observeGovernor(result, limitedBy, waitSeconds) {
      governorDecisions.inc({ result, limited_by: limitedBy });
      if (result === "granted") governorWait.observe(waitSeconds);
    },
    render: () => registry.metrics(),
    close() {
      registry.clear();
    },
  };
}
