import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "../../db/database.ts";

// Aggregates for the Overview (Analysts, Owners, Admins): counts and rates, never a row of
// content, a name or a phone number. Analysts are refused the rows of messages by restrictive RLS,
// so the numbers come from the SQL function analytics_summary (migration 0011), which computes them
// for the transaction's workspace and returns numbers only.

/** The Overview's period: today (UTC) and the 13 days before. */
export const ANALYTICS_DAYS = 14;

const count = z.number().int().min(0);

/** What analytics_summary returns (jsonb). Parsed, so a change on one side fails loudly. */
const aggregates = z.object({
  days: z.number().int(),
  since: z.string(),
  conversations: z.object({ open: count, closed: count, unassigned: count }),
  messagesPerDay: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), inbound: count, outbound: count })),
  firstResponse: z.object({ medianSeconds: z.number().min(0).nullable(), answered: count, waiting: count }),
  outbound: z.object({ total: count, delivered: count, read: count, failed: count }),
});

export type AnalyticsSummary = {
  days: number;
  since: Date;
  conversations: { open: number; closed: number; unassigned: number };
  messagesPerDay: Array<{ day: string; inbound: number; outbound: number }>;
  firstResponse: { medianSeconds: number | null; answered: number; waiting: number };
  outbound: { total: number; delivered: number; read: number; failed: number; deliveryRate: number | null; readRate: number | null };
};

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The workspace's aggregates over the last `days` days; `trx` is a withWorkspace transaction. */
export async function readAnalyticsSummary(trx: Tx, days = ANALYTICS_DAYS): Promise<AnalyticsSummary> {
  const result = await sql<{ summary: unknown }>`select analytics_summary(${days}::integer) as summary`.execute(trx);
  const raw = result.rows[0]?.summary;
  const parsed = aggregates.parse(typeof raw === "string" ? JSON.parse(raw) : raw);
  const outbound = parsed.outbound;
  return {
    days: parsed.days,
    since: new Date(parsed.since),
    conversations: parsed.conversations,
    messagesPerDay: parsed.messagesPerDay,
    firstResponse: {
      medianSeconds: parsed.firstResponse.medianSeconds === null ? null : Math.round(parsed.firstResponse.medianSeconds),
      answered: parsed.firstResponse.answered,
      waiting: parsed.firstResponse.waiting,
    },
    outbound: { ...outbound, deliveryRate: rate(outbound.delivered, outbound.total), readRate: rate(outbound.read, outbound.total) },
  };
}
