// Which backups to keep (grandfather-father-son): the newest backup of each of the last `daily`
// days that have one, of the last `weekly` ISO weeks, and of the last `monthly` months (UTC). A
// backup kept by any rule stays; the newest backup always stays. Pure, so the arithmetic is tested
// by a table (retention.test.ts) rather than by waiting months.

export type RetentionPolicy = { daily: number; weekly: number; monthly: number };

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

export type Dated = { id: string; createdAt: Date };

export function selectBackupsToPrune<T extends Dated>(backups: readonly T[], policy: RetentionPolicy): { keep: T[]; prune: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
  const kept = new Set<T>();
  if (newestFirst[0]) kept.add(newestFirst[0]);
  const rules: Array<[number, (at: Date) => string]> = [
    [policy.daily, dayOf],
    [policy.weekly, isoWeekOf],
    [policy.monthly, monthOf],
  ];
  for (const [count, bucketOf] of rules) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      if (seen.size >= count) break;
      const bucket = bucketOf(backup.createdAt);
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      kept.add(backup);
    }
  }
  return { keep: newestFirst.filter((backup) => kept.has(backup)), prune: newestFirst.filter((backup) => !kept.has(backup)) };
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), as `2026-W49`. */
export function isoWeekOf(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
