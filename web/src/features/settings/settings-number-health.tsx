import { useState, type FormEvent } from "react";
import { api, describeError, type ApiAnswer } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { ConfirmButton, formatDateTime } from "./settings-common.tsx";

// One number's health and its life with Meta: the status, quality rating, messaging limit,
// throughput and display-name review as Meta last reported them (read hourly, or now with
// "Refresh from Meta"); the two-step PIN; registering and deregistering with the Cloud API; and
// disconnecting (sends stop, history stays) and reconnecting. The PIN lives only in the form's
// state until it is sent, and is cleared then: the API never answers it back.

export type HealthRow = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/numbers/health">["numbers"][number];

/** Runs a sensitive action; asks for the password first when the API wants it (undefined when cancelled). */
export type Guard = <T>(action: () => Promise<T>) => Promise<T | undefined>;

const QUALITY: Record<HealthRow["qualityRating"], string> = {
  GREEN: "High (green)",
  YELLOW: "Medium (yellow) — fewer customers are answering or more are blocking",
  RED: "Low (red) — the messaging limit may be lowered",
  UNKNOWN: "Not rated yet",
};

const LIMITS: Record<NonNullable<HealthRow["messagingLimit"]>, string> = {
  TIER_250: "250 customers in 24 hours",
  TIER_2K: "2,000 customers in 24 hours",
  TIER_10K: "10,000 customers in 24 hours",
  TIER_100K: "100,000 customers in 24 hours",
  TIER_UNLIMITED: "Unlimited",
};

const THROUGHPUT: Record<string, string> = {
  STANDARD: "Standard (80 messages a second)",
  HIGH: "High (1,000 messages a second)",
  NOT_APPLICABLE: "Not applicable",
};

const NAME_STATUS: Record<string, string> = {
  APPROVED: "Approved",
  AVAILABLE_WITHOUT_REVIEW: "Available without review",
  PENDING_REVIEW: "Pending review",
  DECLINED: "Declined — change the display name in Meta's WhatsApp Manager",
  EXPIRED: "Expired",
  NONE: "None",
};

const words = (table: Record<string, string>, value: string | null) => (value === null ? "Not reported yet" : (table[value] ?? value));

const PIN_RULE = "[0-9]{6}";

type Props = { workspaceId: string; title: string; health: HealthRow; guard: Guard; onChanged(): void };

export function NumberHealth({ workspaceId, title, health, guard, onChanged }: Props) {
  const path = { workspaceId, numberId: health.id };
  const refresh = useAction(describeError);
  const [panel, setPanel] = useState<"pin" | "register" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const disconnected = health.status === "disconnected";

  const open = (next: "pin" | "register") => {
    setDone(null);
    setPanel(next);
  };

  const finish = (message: string) => {
    setPanel(null);
    setDone(message);
    onChanged();
  };

  return (
    <section className="number-health" aria-label={`Health of ${title}`}>
      <div className="number-health-head">
        <h3>Health</h3>
        <span className={`pill quality-${health.qualityRating.toLowerCase()}`}>Quality: {QUALITY[health.qualityRating].split(" ")[0]}</span>
      </div>
      <dl className="facts">
        <dt>Status at Meta</dt>
        <dd>{health.metaStatus ?? "Not reported yet"}</dd>
        <dt>Quality rating</dt>
        <dd>{QUALITY[health.qualityRating]}</dd>
        <dt>Throughput</dt>
        <dd>{words(THROUGHPUT, health.throughputLevel)}</dd>
        <dt>Messaging limit</dt>
        <dd>{health.messagingLimit ? LIMITS[health.messagingLimit] : "Not reported yet"}</dd>
        <dt>Display name</dt>
        <dd>{words(NAME_STATUS, health.nameStatus)}</dd>
        <dt>Two-step PIN</dt>
        <dd>{health.pinSetAt ? `Set ${formatDateTime(health.pinSetAt)}` : "Not set from Parley"}</dd>
        <dt>Registered</dt>
        <dd>{health.registeredAt ? formatDateTime(health.registeredAt) : "Not registered from Parley"}</dd>
        <dt>Checked</dt>
        <dd>{health.healthCheckedAt ? formatDateTime(health.healthCheckedAt) : "Never"}</dd>
      </dl>
      {health.healthError ? (
        <p className="form-error" role="alert">
          The last read from Meta failed: {health.healthError}
        </p>
      ) : null}
      {health.accessTokenOld ? (
        <p className="warning">The access token was stored more than 90 days ago: replace it with a new one.</p>
      ) : null}
      {done ? (
        <p role="status" className="ok">
          {done}
        </p>
      ) : null}
      <ErrorText message={refresh.error} />
      {panel === "pin" ? (
        <PinForm
          label={`Two-step PIN of ${title}`}
          submitLabel="Save PIN"
          onCancel={() => setPanel(null)}
          onPin={async (pin) => {
            const answer = await guard(() =>
              api("PUT", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/two-step-pin", { path, body: { pin } }),
            );
            if (answer) finish("The two-step PIN is set.");
            return answer !== undefined;
          }}
        />
      ) : null}
      {panel === "register" ? (
        <PinForm
          label={`Register ${title}`}
          submitLabel="Register"
          onCancel={() => setPanel(null)}
          onPin={async (pin) => {
            const answer = await guard(() =>
              api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/register", { path, body: { pin } }),
            );
            if (answer) finish("The number is registered with the Cloud API.");
            return answer !== undefined;
          }}
        />
      ) : null}
      <div className="actions">
        <button
          type="button"
          disabled={refresh.busy || disconnected}
          onClick={() =>
            void refresh.run(async () => {
              setDone(null);
              await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/health/refresh", { path, body: {} });
              onChanged();
            })
          }
        >
          {refresh.busy ? "Reading from Meta…" : "Refresh from Meta"}
        </button>
        {!disconnected && panel === null ? (
          <>
            <button type="button" onClick={() => open("pin")}>
              {health.pinSetAt ? "Change two-step PIN" : "Set two-step PIN"}
            </button>
            <button type="button" onClick={() => open("register")}>
              Register
            </button>
            <ConfirmButton
              label="Deregister…"
              ariaLabel={`Deregister ${title}`}
              title="Deregister this number?"
              message={
                <p>
                  The number stops sending and receiving messages through the Cloud API until it is registered again with its PIN. Meta
                  allows 10 registrations in 72 hours.
                </p>
              }
              confirmLabel="Deregister"
              onConfirm={async () => {
                const answer = await guard(() =>
                  api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/deregister", { path, body: {} }),
                );
                if (answer) finish("The number is deregistered: register it again to send and receive.");
              }}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}

/** A six-digit PIN twice, masked; cleared once sent. `onPin` answers false when the person cancelled the password prompt. */
function PinForm({
  label,
  submitLabel,
  onPin,
  onCancel,
}: {
  label: string;
  submitLabel: string;
  onPin(pin: string): Promise<boolean>;
  onCancel(): void;
}) {
  const [pin, setPin] = useState("");
  const [repeat, setRepeat] = useState("");
  const { busy, error, setError, run } = useAction(describeError);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pin !== repeat) {
      setError("The two PINs differ: type the same six digits twice.");
      return;
    }
    void run(async () => {
      const sent = await onPin(pin);
      if (sent) {
        setPin("");
        setRepeat("");
      }
    });
  };

  const field = (name: string, value: string, set: (value: string) => void) => (
    <label className="field">
      <span>{name}</span>
      <input
        type="password"
        inputMode="numeric"
        pattern={PIN_RULE}
        title="Six digits"
        minLength={6}
        maxLength={6}
        required
        autoComplete="new-password"
        value={value}
        onChange={(event) => set(event.target.value.replace(/\D/g, ""))}
      />
    </label>
  );

  return (
    <form className="inline-form pin-form" onSubmit={submit} aria-label={label}>
      {field("Six-digit PIN", pin, setPin)}
      {field("Repeat the PIN", repeat, setRepeat)}
      <button type="submit" disabled={busy}>
        {busy ? "Sending to Meta…" : submitLabel}
      </button>
      <button type="button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <ErrorText message={error} />
    </form>
  );
}

/** Disconnect (sends stop, history stays) or reconnect, by the number's status. */
export function ConnectionControls({ workspaceId, title, health, onChanged }: Omit<Props, "guard">) {
  const path = { workspaceId, numberId: health.id };
  const reconnect = useAction(describeError);
  if (health.status === "disconnected") {
    return (
      <div className="actions">
        <p className="muted">Disconnected {formatDateTime(health.disconnectedAt)}. Its conversations and history are kept.</p>
        <button
          type="button"
          disabled={reconnect.busy}
          onClick={() =>
            void reconnect.run(async () => {
              await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/reconnect", { path, body: {} });
              onChanged();
            })
          }
        >
          {reconnect.busy ? "Checking with Meta…" : "Reconnect"}
        </button>
        <ErrorText message={reconnect.error} />
      </div>
    );
  }
  return (
    <div className="actions">
      <ConfirmButton
        label="Disconnect…"
        ariaLabel={`Disconnect ${title}`}
        title="Disconnect this number?"
        message={
          <>
            <p>
              Parley stops sending from this number: new messages are refused and queued ones fail. Messages sent to it are not received.
            </p>
            <p>Its conversations, contacts and history stay, and you can reconnect it later.</p>
          </>
        }
        confirmLabel="Disconnect"
        onConfirm={async () => {
          await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/disconnect", { path, body: {} });
          onChanged();
        }}
      />
    </div>
  );
}
