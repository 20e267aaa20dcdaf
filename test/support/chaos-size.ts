// The size of the broadcast chaos test (test/chaos/kill-during-broadcast.test.ts):
// PARLEY_CHAOS_BROADCAST_RECIPIENTS overrides the engine's default, e.g. 100000 for the full size.

export function chaosBroadcastRecipients(fallback: number): number {
  const raw = process.env.PARLEY_CHAOS_BROADCAST_RECIPIENTS;
  if (raw === undefined || raw === "") return fallback;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 100) throw new RangeError("PARLEY_CHAOS_BROADCAST_RECIPIENTS must be an integer of at least 100");
  return size;
}
