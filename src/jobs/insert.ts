import type { Tx } from "../db/database.ts";

// The one statement that writes job rows. Only src/jobs uses it (a lint rule says so): everything
// else enqueues through a job definition (./definition.ts), which checks the queue and the payload
// before anything reaches the table.

/**
 * A job's payload: identifiers only (workspace id, message id, …). The jobs table is not a tenant
 * table — it has no RLS and no encryption — so it must never hold personal data or secrets.
 */
export type JobPayload = Record<string, unknown>;

export type JobRow = {
  queue: string;
  payload: JobPayload;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Attempts before the job is marked `failed` (default 5). */
  maxAttempts?: number;
};

export const MAX_PAYLOAD_BYTES = 8 * 1024;
export const QUEUE_NAME = /^[A-Za-z0-9._:-]{1,100}$/;

/** Adds one job inside the caller's transaction (outbox): it exists exactly when the caller commits. */
export async function insertJob(trx: Tx, row: JobRow): Promise<number> {
  const [id] = await insertJobs(trx, [row]);
  return id!;
}

/** Adds several jobs with one statement, in the caller's transaction. */
export async function insertJobs(trx: Tx, rows: readonly JobRow[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const values = rows.map((row) => {
    if (!QUEUE_NAME.test(row.queue)) throw new RangeError("queue name must be 1–100 characters of [A-Za-z0-9._:-]");
    const maxAttempts = row.maxAttempts ?? 5;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1_000)
      throw new RangeError("maxAttempts must be an integer from 1 to 1000");
    const payload = JSON.stringify(row.payload);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
      throw new RangeError(`job payload exceeds ${MAX_PAYLOAD_BYTES} bytes; pass identifiers, not data`);
    return { queue: row.queue, payload, max_attempts: maxAttempts, ...(row.runAt ? { run_at: row.runAt } : {}) };
  });
  const inserted = await trx.insertInto("jobs").values(values).returning("id").execute();
  return inserted.map((row) => row.id);
}
