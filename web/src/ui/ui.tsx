import type { ReactNode } from "react";
import { CheckIcon, ClockIcon, DoubleCheckIcon } from "./icons.tsx";

// Small presentational pieces shared by the inbox, the conversation and the contacts screens.

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString([], { day: "numeric", month: "short" });
}

const TICKS: Record<string, { symbol: ReactNode; label: string }> = {
  queued: { symbol: <ClockIcon />, label: "Queued" },
  sending: { symbol: <ClockIcon />, label: "Sending" },
  accepted: { symbol: <CheckIcon />, label: "Accepted by WhatsApp" },
  held: { symbol: <ClockIcon />, label: "Held by WhatsApp" },
  unknown: { symbol: "?", label: "Status unknown" },
  sent: { symbol: <CheckIcon />, label: "Sent" },
  delivered: { symbol: <DoubleCheckIcon />, label: "Delivered" },
  read: { symbol: <DoubleCheckIcon />, label: "Read" },
  played: { symbol: <DoubleCheckIcon />, label: "Played" },
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
