import { z } from "zod";
import type { Database } from "../db/database.ts";
import type { JobStatus } from "../db/schema.ts";
import { discardJob, findJobSummary, listJobs, retryJob, type JobSummary } from "../jobs/queue.ts";
import { scrubText } from "../log/scrub.ts";
import type { OutputStream } from "./progress.ts";
import { formatTable } from "./table.ts";

// `parley jobs list|retry|discard`: the operator's view of the job queue. Payloads are never shown
// (they are identifiers, but a listing goes to terminals and tickets); errors are shown scrubbed.

export const JOB_STATUSES = ["pending", "running", "succeeded", "failed"] as const satisfies readonly JobStatus[];
export const jobIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const jobQueueSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "a queue name is 1–100 characters of [A-Za-z0-9._:-]");
export const jobLimitSchema = z.coerce.number().int().min(1).max(1_000);

/** Parses a command-line value or throws an Error that names the option. */
export function parseJobOption<T>(schema: z.ZodType<T>, name: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`${name}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
}

type JobView = {
  id: number;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  finishedAt: string | null;
  lastError: string | null;
};

function present(job: JobSummary): JobView {
  return {
    id: job.id,
    queue: job.queue,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt.toISOString(),
    finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
    // Scrubbed when written, and again here: a row may predate a scrubbing rule.
    lastError: job.lastError === null ? null : scrubText(job.lastError),
  };
}

export function formatJobsTable(jobs: readonly JobView[]): string {
  if (jobs.length === 0) return "No jobs match.\n";
  const rows = [
    ["ID", "QUEUE", "STATUS", "ATTEMPTS", "RUN AT", "LAST ERROR"],
    ...jobs.map((job) => [
      String(job.id),
      job.queue,
      job.status,
      `${job.attempts}/${job.maxAttempts}`,
      job.runAt,
      oneLine(job.lastError ?? "", 80),
    ]),
  ];
  return formatTable(rows);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\p{Cc}+/gu, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export type JobsListOptions = { db: Database; out: OutputStream; json: boolean; status?: JobStatus; queue?: string; limit: number };

export async function runJobsList(options: JobsListOptions): Promise<number> {
  const jobs = (
    await listJobs(options.db, {
      limit: options.limit,
      ...(options.status ? { status: options.status } : {}),
      ...(options.queue ? { queue: options.queue } : {}),
    })
  ).map(present);
  options.out.write(options.json ? `${JSON.stringify({ jobs }, null, 2)}\n` : formatJobsTable(jobs));
  return 0;
}

export type JobCommandOptions = { db: Database; out: OutputStream; err: OutputStream; json: boolean; jobId: number };

/** Puts a failed job back to pending with fresh attempts. Exit 1, with the reason, otherwise. */
export async function runJobsRetry(options: JobCommandOptions): Promise<number> {
  if (await retryJob(options.db, options.jobId)) {
    const job = await findJobSummary(options.db, options.jobId);
    return succeed(options, job, `Job ${options.jobId} is pending again, with fresh attempts.`);
  }
  const job = await findJobSummary(options.db, options.jobId);
  return refuse(
    options,
    job ? `job ${options.jobId} is ${job.status}; only a failed job can be retried` : `there is no job ${options.jobId}`,
  );
}

/** Deletes a pending or failed job; refuses a running or succeeded one. */
export async function runJobsDiscard(options: JobCommandOptions): Promise<number> {
  const result = await discardJob(options.db, options.jobId);
  if (result.outcome === "discarded") return succeed(options, undefined, `Job ${options.jobId} was discarded.`);
  if (result.outcome === "missing") return refuse(options, `there is no job ${options.jobId}`);
  return refuse(
    options,
    result.status === "running"
      ? `job ${options.jobId} is running; wait until it finishes or fails, then discard it`
      : `job ${options.jobId} is ${result.status}; only a pending or failed job can be discarded`,
  );
}

function succeed(options: JobCommandOptions, job: JobSummary | undefined, message: string): number {
  options.out.write(
    options.json ? `${JSON.stringify({ ok: true, id: options.jobId, ...(job ? { job: present(job) } : {}) }, null, 2)}\n` : `${message}\n`,
  );
  return 0;
}

function refuse(options: JobCommandOptions, reason: string): number {
  if (options.json) options.out.write(`${JSON.stringify({ ok: false, id: options.jobId, error: reason }, null, 2)}\n`);
  options.err.write(`parley: ${reason}.\n`);
  return 1;
}
