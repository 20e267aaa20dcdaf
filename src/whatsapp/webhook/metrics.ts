// Process-wide counters for the webhook receiver, read by tests and (later) a metrics endpoint.
// Counters only: no payloads, no keys, nothing per tenant.

export type WebhookCounter = "accepted" | "signature_missing" | "signature_invalid" | "unknown_endpoint" | "verify_ok" | "verify_refused";

const counts: Record<WebhookCounter, number> = {
  accepted: 0,
  signature_missing: 0,
  signature_invalid: 0,
  unknown_endpoint: 0,
  verify_ok: 0,
  verify_refused: 0,
};

export function countWebhook(counter: WebhookCounter): void {
  counts[counter] += 1;
}

export function readWebhookCounters(): Readonly<Record<WebhookCounter, number>> {
  return { ...counts };
}
