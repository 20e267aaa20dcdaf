// The stored value and the delivered body of the "meta" endpoint format (meta.ts), shared by the
// outbox side and the delivery worker.

export function payloadField(workspaceId: string, eventId: string) {
  return { workspaceId, table: "webhook_event_payloads", column: "value", rowId: eventId };
}

/** The delivered body: Meta's envelope around the one stored value (its bytes as Parley stored them). */
export function metaEnvelope(wabaId: string, valueJson: string): string {
  return `{"object":"whatsapp_business_account","entry":[{"id":${JSON.stringify(wabaId)},"changes":[{"field":"messages","value":${valueJson}}]}]}`;
}
