import { processedOf, STATE_LABELS, type Broadcast } from "./broadcast-model.ts";

// Pieces the list and the detail show alike: the state badge and the progress bar.

/** While something runs and the stream is down, the screens still catch up this often. */
export const POLL_MS = 15_000;
/** While a finished broadcast's statuses still come in. */
export const STATUS_POLL_MS = 60_000;

export function StateBadge({ broadcast }: { broadcast: Broadcast }) {
  return <span className={`broadcast-state broadcast-state-${broadcast.state}`}>{STATE_LABELS[broadcast.state]}</span>;
}

export function ProgressBar({ broadcast, label }: { broadcast: Broadcast; label: string }) {
  const { total } = broadcast.counts;
  const done = processedOf(broadcast.counts);
  return (
    <progress
      className="broadcast-progress"
      max={Math.max(total, 1)}
      value={done}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={total === 0 ? "No recipients yet" : `${done} of ${total} recipients done`}
    />
  );
}
