import { useState } from "react";
import { api, describeError, type ApiAnswer, type Me } from "../../lib/api.ts";
import { NumberErrors } from "./number-errors.tsx";
import { SandboxPanel } from "../sandbox/sandbox-panel.tsx";
import { CopyField, formatDateTime, useReauth } from "./settings-common.tsx";
import { ConnectionControls, NumberHealth, type Guard, type HealthRow } from "./settings-number-health.tsx";
import { NumberProfile } from "./settings-number-profile.tsx";
import { EmbeddedSignup } from "./settings-embedded-signup.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// WhatsApp numbers: the list (secrets only ever as their last four characters), the sandbox number
// in one click, a live number from its Meta credentials — then the webhook URL and verify token
// to enter in Meta's App Dashboard — and replacing a number's access token. A sandbox number opens
// the sandbox customer (./sandbox-panel.tsx): write as a customer, see what they received. Under
// each number, its reports from WhatsApp (./number-errors.tsx): errors Meta reported, changes kept.
// Each number's health, PIN, registration and connection (./settings-number-health.tsx), its
// business profile (./settings-number-profile.tsx); Embedded Signup (./settings-embedded-signup.tsx).

/** A number as the API answers it (secrets only as their last four characters). */
type NumberRow = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}">;

const STATUS_LABELS: Record<NumberRow["status"], string> = {
  active: "Active",
  credentials_invalid: "Credentials invalid — replace the access token",
  disconnected: "Disconnected",
};

const masked = (last4: string | null) => (last4 ? `••••${last4}` : "—");

export function NumbersSection({ me, workspaceId }: { me: Me; workspaceId: string }) {
  const numbers = useApiQuery(queryKeys.numbers(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers", { path: { workspaceId } }).then((answer) => answer.numbers),
  );
  const health = useApiQuery(queryKeys.numberHealth(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers/health", { path: { workspaceId } }).then((answer) => answer.numbers),
  );
  const reauth = useReauth(me);
  const reloadAll = () => {
    void numbers.reload();
    void health.reload();
  };
  const { busy, error, run } = useAction(describeError);
  const [connected, setConnected] = useState<NumberRow | null>(null);
  const [showLiveForm, setShowLiveForm] = useState(false);

  const connectSandbox = () =>
    run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/sandbox", { path: { workspaceId }, body: {} });
      await numbers.reload();
    });

  const hasSandbox = numbers.data?.some((row) => row.mode === "sandbox") ?? true;

  return (
    <>
      {reauth.prompt}
      <section aria-labelledby="numbers-title" className="panel">
        <h2 id="numbers-title">Connected numbers</h2>
        <ErrorText message={numbers.error ?? health.error ?? error} />
        {numbers.data === null && !numbers.error ? (
          <p className="muted" role="status">
            Loading numbers…
          </p>
        ) : numbers.data && numbers.data.length > 0 ? (
          <ul className="number-list" aria-label="WhatsApp numbers">
            {numbers.data.map((row) => (
              <NumberItem
                key={row.id}
                workspaceId={workspaceId}
                row={row}
                health={health.data?.find((item) => item.id === row.id) ?? null}
                guard={reauth.guard}
                onChanged={reloadAll}
              />
            ))}
          </ul>
        ) : (
          <p className="muted">No WhatsApp number is connected yet.</p>
        )}
        <EmbeddedSignup workspaceId={workspaceId} onConnected={reloadAll} />
        <div className="actions">
          {!hasSandbox ? (
            <button type="button" onClick={() => void connectSandbox()} disabled={busy}>
              {busy ? "Connecting…" : "Connect the sandbox number"}
            </button>
          ) : null}
          {!showLiveForm ? (
            <button type="button" onClick={() => setShowLiveForm(true)}>
              Connect a live number
            </button>
          ) : null}
        </div>
      </section>
      {connected ? <WebhookInstructions row={connected} onDone={() => setConnected(null)} /> : null}
      {showLiveForm ? (
        <ConnectLiveForm
          workspaceId={workspaceId}
          onCancel={() => setShowLiveForm(false)}
          onConnected={(row) => {
            setShowLiveForm(false);
            setConnected(row);
            void numbers.reload();
          }}
        />
      ) : null}
    </>
  );
}

function NumberItem({
  workspaceId,
  row,
  health,
  guard,
  onChanged,
}: {
  workspaceId: string;
  row: NumberRow;
  health: HealthRow | null;
  guard: Guard;
  onChanged(): void;
}) {
  const [rotating, setRotating] = useState(false);
  // The inbox links here with #sandbox-customer to open the sandbox customer at once.
  const [tryingSandbox, setTryingSandbox] = useState(() => row.mode === "sandbox" && window.location.hash === "#sandbox-customer");
  const [token, setToken] = useState("");
  const { busy, error, onSubmit } = useAction(describeError);
  const [done, setDone] = useState(false);
  const title = row.mode === "sandbox" ? "Sandbox number" : `Number ${masked(row.displayPhoneLast4)}`;

  const rotate = onSubmit(async () => {
    await api("PUT", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/access-token", {
      path: { workspaceId, numberId: row.id },
      body: { accessToken: token.trim() },
    });
    setToken("");
    setRotating(false);
    setDone(true);
    onChanged();
  });

  return (
    <li className="number-item" data-number-id={row.id}>
      <div className="number-head">
        <strong>{title}</strong>
        <span className={`pill status-${row.status}`}>{STATUS_LABELS[row.status]}</span>
        {row.mode === "sandbox" ? <span className="pill">Sandbox</span> : null}
      </div>
      <dl className="facts">
        <dt>Phone number id</dt>
        <dd>{row.phoneNumberId}</dd>
        <dt>Business account (WABA) id</dt>
        <dd>{row.wabaId}</dd>
        <dt>Access token</dt>
        <dd>
          {masked(row.accessTokenLast4)} (version {row.accessTokenVersion})
        </dd>
        <dt>App secret</dt>
        <dd>{masked(row.appSecretLast4)}</dd>
        <dt>Verify token</dt>
        <dd>{masked(row.verifyTokenLast4)}</dd>
        <dt>Webhook URL</dt>
        <dd>
          <code>{row.webhookUrl}</code>
        </dd>
        <dt>Verified by Meta</dt>
        <dd>{formatDateTime(row.verifiedAt)}</dd>
      </dl>
      {done ? (
        <p role="status" className="ok">
          The new access token is in use.
        </p>
      ) : null}
      {rotating ? (
        <form className="inline-form" onSubmit={rotate} aria-label={`Replace the access token of ${title}`}>
          <label className="field">
            <span>New access token</span>
            <input
              type="password"
              value={token}
              required
              minLength={8}
              maxLength={4096}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setToken(event.target.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? "Checking with Meta…" : "Replace token"}
          </button>
          <button type="button" onClick={() => setRotating(false)} disabled={busy}>
            Cancel
          </button>
          <ErrorText message={error} />
        </form>
      ) : (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setDone(false);
              setRotating(true);
            }}
          >
            Replace access token
          </button>
          {row.mode === "sandbox" && row.status === "active" ? (
            <button
              type="button"
              aria-expanded={tryingSandbox}
              aria-controls={`sandbox-panel-${row.id}`}
              onClick={() => setTryingSandbox((open) => !open)}
            >
              Try it as a customer
            </button>
          ) : null}
        </div>
      )}
      {health ? (
        <>
          <NumberHealth workspaceId={workspaceId} title={title} health={health} guard={guard} onChanged={onChanged} />
          <NumberProfile workspaceId={workspaceId} numberId={row.id} title={title} />
          <ConnectionControls workspaceId={workspaceId} title={title} health={health} onChanged={onChanged} />
        </>
      ) : null}
      <NumberErrors workspaceId={workspaceId} numberId={row.id} />
      {row.mode === "sandbox" ? (
        <div id={`sandbox-panel-${row.id}`}>{tryingSandbox ? <SandboxPanel workspaceId={workspaceId} numberId={row.id} /> : null}</div>
      ) : null}
    </li>
  );
}

type LiveFields = { wabaId: string; phoneNumberId: string; appId: string; accessToken: string; appSecret: string; verifyToken: string };

function ConnectLiveForm({
  workspaceId,
  onCancel,
  onConnected,
}: {
  workspaceId: string;
  onCancel(): void;
  onConnected(row: NumberRow): void;
}) {
  const [fields, setFields] = useState<LiveFields>({
    wabaId: "",
    phoneNumberId: "",
    appId: "",
    accessToken: "",
    appSecret: "",
    verifyToken: "",
  });
  const { busy, error, onSubmit } = useAction(describeError);
  const set = (name: keyof LiveFields) => (value: string) => setFields((current) => ({ ...current, [name]: value }));

  const submit = onSubmit(async () => {
    const body = {
      wabaId: fields.wabaId.trim(),
      phoneNumberId: fields.phoneNumberId.trim(),
      accessToken: fields.accessToken.trim(),
      appSecret: fields.appSecret.trim(),
      verifyToken: fields.verifyToken.trim(),
      ...(fields.appId.trim() ? { appId: fields.appId.trim() } : {}),
    };
    onConnected(await api("POST", "/api/v1/workspaces/{workspaceId}/numbers", { path: { workspaceId }, body }));
  });

  const digits = "[0-9]{1,32}";
  return (
    <section aria-labelledby="live-title" className="panel">
      <h2 id="live-title">Connect a live number</h2>
      <p className="muted">
        From Meta's App Dashboard (WhatsApp → API Setup). Parley checks the credentials with Meta, then stores the secrets encrypted;
        afterwards only their last four characters are shown.
      </p>
      <form className="stacked-form" onSubmit={submit} aria-label="Connect a live number">
        <TextField
          label="WhatsApp Business account (WABA) id"
          value={fields.wabaId}
          onChange={set("wabaId")}
          pattern={digits}
          inputMode="numeric"
        />
        <TextField
          label="Phone number id"
          value={fields.phoneNumberId}
          onChange={set("phoneNumberId")}
          pattern={digits}
          inputMode="numeric"
        />
        <TextField
          label="App id (optional)"
          value={fields.appId}
          onChange={set("appId")}
          pattern={digits}
          inputMode="numeric"
          required={false}
        />
        <TextField label="Access token" value={fields.accessToken} onChange={set("accessToken")} secret maxLength={4096} />
        <TextField label="App secret" value={fields.appSecret} onChange={set("appSecret")} secret maxLength={256} />
        <TextField
          label="Verify token (choose one, at least 8 characters)"
          value={fields.verifyToken}
          onChange={set("verifyToken")}
          secret
          maxLength={256}
        />
        <ErrorText message={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Checking with Meta…" : "Connect number"}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

function TextField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  secret?: boolean;
  pattern?: string;
  inputMode?: "numeric";
  maxLength?: number;
  required?: boolean;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type={props.secret ? "password" : "text"}
        value={props.value}
        required={props.required ?? true}
        pattern={props.pattern}
        inputMode={props.inputMode}
        minLength={props.secret ? 8 : undefined}
        maxLength={props.maxLength ?? 32}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
}

function WebhookInstructions({ row, onDone }: { row: NumberRow; onDone(): void }) {
  return (
    <section aria-labelledby="webhook-title" className="panel once">
      <h2 id="webhook-title">One more step: the webhook</h2>
      <p>The number is connected. For messages to arrive, in Meta's App Dashboard open WhatsApp → Configuration → Webhook, then:</p>
      <ol>
        <li>
          Set the <strong>Callback URL</strong> to the URL below.
        </li>
        <li>
          Set the <strong>Verify token</strong> to the one you just entered (it ends in <code>{row.verifyTokenLast4}</code>).
        </li>
        <li>
          Select <strong>Verify and save</strong>, then subscribe to the <code>messages</code> field.
        </li>
      </ol>
      <CopyField label="Callback URL" value={row.webhookUrl} />
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
