// Small presentational pieces shared by the inbox, the conversation and the contacts screens.

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : date.toLocaleDateString([], { day: "numeric", month: "short" });
}

const TICKS: Record<string, { symbol: string; label: string }> = {
  queued: { symbol: "🕓", label: "Queued" },
  sending: { symbol: "🕓", label: "Sending" },
  accepted: { symbol: "✓", label: "Accepted by WhatsApp" },
  held: { symbol: "🕓", label: "Held by WhatsApp" },
  unknown: { symbol: "?", label: "Status unknown" },
  sent: { symbol: "✓", label: "Sent" },
  delivered: { symbol: "✓✓", label: "Delivered" },
  read: { symbol: "✓✓", label: "Read" },
  played: { symbol: "✓✓", label: "Played" },
  failed: { symbol: "!", label: "Not delivered" },
};

export function StatusTick({ status }: { status: string }) {
  const tick = TICKS[status];
  if (!tick) return null;
  return (
    <span className={`tick tick-${status}`} title={tick.label} aria-label={tick.label} data-status={status}>
      {tick.symbol}
    </span>
  );
}

export function ErrorText({ message }: { message: string | null }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
