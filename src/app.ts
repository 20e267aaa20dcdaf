import { refreshNumbersHealthJob, refreshNumbersHealthSchedule } from "./features/numbers/health.ts";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.ts";
import { createAccessRecorder } from "./audit/access.ts";
import { createCoordination } from "./coordination/index.ts";
import type { Coordination } from "./coordination/types.ts";
import { createKeyring } from "./crypto/keyring.ts";
import { openKeyProvider } from "./crypto/key-provider.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { blobDeleteJob } from "./blob/deletion.ts";
import { backupJob, backupSchedules } from "./backup/schedule.ts";
import { assertSafeRuntimeRole } from "./db/posture.ts";
import { auditCheckpointJob, auditCheckpointSchedule, auditCheckpointSweepJob } from "./audit/checkpoints.ts";
import { createHttpApp } from "./http/app.ts";
import { registerDashboard } from "./http/static.ts";
import { setLostRealtimeEventPolicy } from "./realtime/events.ts";
import { createAuthenticator } from "./identity/authenticator.ts";
import { routes, webhookDocs } from "./http/routes.ts";
import { graphPathRewrite } from "./features/graph-proxy/routes.ts";
import { createJobRegistry } from "./jobs/definition.ts";
import { createWorker, jobQueueStats, type Worker } from "./jobs/queue.ts";
import { pruneJobsJob, pruneJobsSchedule } from "./jobs/retention.ts";
import { pruneWebhookHistoryJob, pruneWebhookHistorySchedule } from "./features/webhooks/history.ts";
import { createScheduler, type Scheduler } from "./jobs/schedule.ts";
import { inboundJob } from "./whatsapp/inbound/process.ts";
import { inboundPort } from "./features/messages/inbound.ts";
import { mediaFetchJob } from "./features/messages/media/fetch.ts";
import { sweepExpiredUploadsJob, sweepExpiredUploadsSchedule } from "./features/messages/media/upload-expiry.ts";
import { openBlobStore } from "./blob/index.ts";
import { createGovernor } from "./whatsapp/governor/index.ts";
import type { Governor } from "./whatsapp/governor/types.ts";
import { startSandbox } from "./whatsapp/sandbox.ts";
import { restoreSandboxNumbers } from "./features/numbers/sandbox.ts";
import { pruneIdempotencyKeysJob, pruneIdempotencyKeysSchedule } from "./features/messages/idempotency.ts";
import { purgeTrashJob, purgeTrashSchedule } from "./features/contacts/purge.ts";
import { applyRetentionJob, applyRetentionSchedule } from "./features/retention/schedule.ts";
import { pruneInvitationsJob, pruneInvitationsSchedule } from "./features/workspaces/invitation-pruning.ts";
import { expireSubjectExportsJob, expireSubjectExportsSchedule, subjectExportJob } from "./features/subject-requests/jobs.ts";
import { reconcileSendJob, sendMessageJob } from "./features/messages/worker.ts";
import { runBroadcastJob } from "./features/broadcasts/runner.ts";
import { deliverWebhookJob } from "./features/webhooks/worker.ts";
import type { Simulator } from "../sim/index.ts";
import { createMetrics, type Metrics } from "./observability/metrics.ts";
import { startMetricsServer, type MetricsServer } from "./observability/metrics-server.ts";
import type { Tracing } from "./observability/tracing.ts";
import { KNOWN_GRAPH_ERROR_CODES } from "./whatsapp/send/outcomes.ts";
import { OPENAPI_PATH } from "./http/app.ts";
import { API_DOCS_PATH, API_DOCS_STYLESHEET_PATH } from "./http/api-docs.ts";
import type { Logger } from "./log/logger.ts";
import type { JobDependencies, Services } from "./services.ts";

// The composition root: config → adapters → roles. The only place where singletons are wired.

export type Role = "web" | "worker" | "all";

export type Parley = {
  services: Services;
  http: FastifyInstance | undefined;
  worker: Worker | undefined;
  /** Where the web role listens, e.g. http://127.0.0.1:3000 (undefined for worker-only). */
  address: string | undefined;
  /** Where the observability listener (/metrics, /livez, /readyz) listens; undefined unless PARLEY_METRICS_PORT is set. */
  metricsAddress: string | undefined;
  stop(): Promise<void>;
};

/** Every job this program runs. Each capability adds its definitions here. */
export const jobRegistry = createJobRegistry<JobDependencies>([
  auditCheckpointJob,
  auditCheckpointSweepJob,
  inboundJob,
  mediaFetchJob,
  sweepExpiredUploadsJob,
  blobDeleteJob,
  sendMessageJob,
  reconcileSendJob,
  pruneIdempotencyKeysJob,
  pruneJobsJob,
  purgeTrashJob,
  refreshNumbersHealthJob,
  applyRetentionJob,
  subjectExportJob,
  expireSubjectExportsJob,
  deliverWebhookJob,
  pruneWebhookHistoryJob,
  backupJob,
  runBroadcastJob,
  pruneInvitationsJob,
]);

/** Periodic work, as rows every worker ticks against (src/jobs/schedule.ts). */
export const schedules = [
  auditCheckpointSchedule,
  pruneIdempotencyKeysSchedule,
  sweepExpiredUploadsSchedule,
  pruneJobsSchedule,
  purgeTrashSchedule,
  refreshNumbersHealthSchedule,
  applyRetentionSchedule,
  pruneWebhookHistorySchedule,
  expireSubjectExportsSchedule,
  pruneInvitationsSchedule,
];

/** How often each worker looks for due schedules: a schedule runs at most this late. */
const SCHEDULER_TICK_MS = 15_000;

/** Opens every adapter, migrates, refuses an unsafe posture, and starts the requested roles. */
export async function startParley(config: Config, logger: Logger, role: Role = config.roles): Promise<Parley> {
  const provider = await openKeyProvider(config.keys, { isProduction: config.isProduction });
  const db = await openDatabase(config.database);
  let coordination: Coordination | undefined;
  let http: FastifyInstance | undefined;
  let worker: Worker | undefined;
  let scheduler: Scheduler | undefined;
  let sandbox: Simulator | undefined;
  let governor: Governor | undefined;
  let metricsServer: MetricsServer | undefined;
  let metrics: Metrics | undefined;
  let tracing: Tracing | undefined;
  const closeAll = async (): Promise<void> => {
    await metricsServer?.close();
    await scheduler?.stop();
    await worker?.stop();
    await governor?.close();
    // Closing the HTTP app drains the access log recorder (src/http/app.ts) before the database closes.
    await http?.close();
    // After the roles: spans of the last requests and jobs are flushed.
    await tracing?.shutdown().catch(() => undefined);
    metrics?.close();
    await sandbox?.close();
    await coordination?.close();
    await db.close();
  };
  try {
    const migrated = await migrate(db, { appPassword: config.database.engine === "postgres" ? config.database.appPassword : undefined });
    if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, "database migrated");
    await assertSafeRuntimeRole(db);
    coordination = createCoordination(config, logger);
    // Redis coordinates but holds no truth: start without it, and let limited routes refuse (503).
    await coordination
      .ping()
      .catch(() =>
        logger.warn(
          { component: "coordination" },
          "coordination store unreachable at start; rate-limited routes will refuse until it answers",
        ),
      );
    // Sandbox mode: the Graph transport is the built-in simulator on loopback (DESIGN §3).
    let effectiveConfig = config;
    if (config.whatsapp.mode === "sandbox") {
      sandbox = await startSandbox();
      effectiveConfig = { ...config, whatsapp: { ...config.whatsapp, graphBaseUrl: sandbox.credentials().baseUrl } };
    }
    const runsWorker = role === "worker" || role === "all";
    // Recorded only when something scrapes them (PARLEY_METRICS_PORT), traced only when a collector is set.
    if (config.metrics) {
      metrics = createMetrics({
        routes: [...routes.map((route) => route.url), OPENAPI_PATH, API_DOCS_PATH, API_DOCS_STYLESHEET_PATH],
        queues: jobRegistry.queues,
        sendErrorCodes: KNOWN_GRAPH_ERROR_CODES,
        poolUsage: db.poolUsage,
        // The queues are the database's, the same for every instance: the roles that run jobs report them.
        ...(runsWorker ? { queueStats: () => jobQueueStats(db) } : {}),
        logger,
      });
    }
    if (config.tracing) {
      // The SDK and exporter are loaded only now: with tracing off, they are never imported.
      const { createTracing } = await import("./observability/tracing.ts");
      tracing = createTracing({ endpoint: config.tracing.otlpEndpoint });
    }
    const services: Services = {
      config: effectiveConfig,
      db,
      coordination,
      logger,
      accessLog: createAccessRecorder({ db, logger }),
      keyring: createKeyring({ provider }),
      blobs: openBlobStore(effectiveConfig),
      ...(sandbox ? { sandbox } : {}),
      ...(metrics ? { metrics } : {}),
      ...(tracing ? { tracing } : {}),
    };
    setLostRealtimeEventPolicy(config.isProduction ? { kind: "warn", logger } : { kind: "throw" });
    // The simulator's state is in memory: put every connected sandbox number back on it from the database.
    if (sandbox) {
      const restored = await restoreSandboxNumbers(services, sandbox);
      if (restored.restored + restored.skipped > 0) logger.info({ component: "sandbox", ...restored }, "sandbox numbers restored");
    }

    if (role === "web" || role === "all") {
      http = await createHttpApp({
        services,
        routes,
        webhooks: webhookDocs,
        authenticate: createAuthenticator(services),
        rewriteUrl: graphPathRewrite,
      });
      // The React dashboard at / (web/dist) and the end of its event streams on shutdown.
      await registerDashboard(http, services);
      tracing?.instrumentServer(http.server);
      await http.listen({ host: config.http.host, port: config.http.port });
    }
    if (runsWorker) {
      governor = createGovernor(services.config, logger);
      worker = createWorker({
        db,
        jobs: jobRegistry.bind({ services, governor, inboundPort }),
        concurrency: config.worker.concurrency,
        pollIntervalMs: config.worker.pollIntervalMs,
        visibilityTimeoutMs: 60_000,
        wakeUps: services.coordination.pubsub,
        logger,
        ...(metrics ? { metrics } : {}),
        ...(tracing ? { tracing } : {}),
      });
      worker.start();
      scheduler = createScheduler({ db, schedules: [...schedules, ...backupSchedules(config)], tickMs: SCHEDULER_TICK_MS, logger });
      await scheduler.start();
    }
    if (config.metrics && metrics) {
      metricsServer = await startMetricsServer({ ...config.metrics, metrics, services, logger });
    }
    const address = http ? listeningAddress(http, config) : undefined;
    logger.info(
      {
        role,
        engine: db.engine,
        coordination: coordination.kind,
        keyProvider: provider.kind,
        metrics: metricsServer ? "on" : "off",
        tracing: tracing ? "on" : "off",
      },
      "parley started",
    );
    return { services, http, worker, address, metricsAddress: metricsServer?.address, stop: closeAll };
  } catch (error) {
    await closeAll().catch(() => {});
    throw error;
  }
}

function listeningAddress(http: FastifyInstance, config: Config): string {
  const bound = http.server.address();
  const port = bound && typeof bound === "object" ? bound.port : config.http.port;
  const scheme = config.http.tls ? "https" : "http";
  const host = config.http.host.includes(":") ? `[${config.http.host}]` : config.http.host;
  return `${scheme}://${host}:${port}`;
}

export type { Database };
