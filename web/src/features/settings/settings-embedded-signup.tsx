import { useState, type FormEvent } from "react";
import { api, describeError, type ApiAnswer } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { Modal } from "../../ui/dialogs.tsx";
import { ErrorText } from "../../ui/ui.tsx";

// "Connect with Facebook": Embedded Signup. Meta's popup ends with a code (valid 30 seconds, once)
// and the business account (WABA) and phone number the customer chose; the server exchanges the
// code, stores the number, subscribes the app to its webhooks and registers it with the PIN given
// here. In sandbox mode the simulator plays the popup (POST …/embedded-signup/simulator onboards
// an account of its own and answers the code and its ids), so the PIN is asked first and the code
// is exchanged the moment it is issued. Live mode needs Meta's JavaScript SDK, which this
// dashboard's Content Security Policy does not load: the live form (credentials) is the way there.

type SignupResult = ApiAnswer<"POST", "/api/v1/workspaces/{workspaceId}/numbers/embedded-signup">;

export function EmbeddedSignup({ workspaceId, onConnected }: { workspaceId: string; onConnected(): void }) {
  const launch = useApiQuery(queryKeys.embeddedSignup(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers/embedded-signup", { path: { workspaceId } }),
  );
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<SignupResult | null>(null);

  if (!launch.data || launch.data.mode === "off") return null;
  if (launch.data.mode === "facebook")
    return (
      <p className="muted">
        Embedded Signup is configured with Meta app {launch.data.appId}; open it from Meta's Business Manager, or connect the number with
        its credentials below.
      </p>
    );

  return (
    <div className="embedded-signup">
      <button
        type="button"
        className="facebook"
        onClick={() => {
          setResult(null);
          setOpen(true);
        }}
      >
        Connect with Facebook
      </button>
      {result ? (
        <div role="status" className={result.problem ? "warning" : "ok"}>
          <p>
            Connected the number ending in {result.number.displayPhoneLast4 ?? "…"}
            {result.registered ? ", registered with the Cloud API and subscribed to its webhooks." : "."}
          </p>
          {result.problem ? <p>Still to do: {result.problem}</p> : null}
        </div>
      ) : null}
      {open ? (
        <SignupDialog
          workspaceId={workspaceId}
          onClose={() => setOpen(false)}
          onDone={(answer) => {
            setOpen(false);
            setResult(answer);
            onConnected();
          }}
        />
      ) : null}
    </div>
  );
}

function SignupDialog({ workspaceId, onClose, onDone }: { workspaceId: string; onClose(): void; onDone(result: SignupResult): void }) {
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
      const path = { workspaceId };
      // The simulator's popup: the customer logs in, chooses (here: is given) a business account and a number.
      const popup = await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/embedded-signup/simulator", { path, body: {} });
      const answer = await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/embedded-signup", {
        path,
        body: { code: popup.code, wabaId: popup.wabaId, phoneNumberId: popup.phoneNumberId, pin },
      });
      setPin("");
      setRepeat("");
      onDone(answer);
    });
  };

  const field = (label: string, value: string, set: (value: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="password"
        inputMode="numeric"
        pattern="[0-9]{6}"
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
    <Modal title="Connect with Facebook" onClose={onClose}>
      <form className="stacked-form" onSubmit={submit} aria-label="Connect with Facebook">
        <p>
          This instance runs in sandbox mode: the simulator plays Meta's signup window. It creates a business account and a phone number,
          which Parley then connects, subscribes to webhooks and registers.
        </p>
        <p className="muted">Choose the number's two-step verification PIN (six digits). Parley sends it to Meta and does not keep it.</p>
        {field("Six-digit PIN", pin, setPin)}
        {field("Repeat the PIN", repeat, setRepeat)}
        <ErrorText message={error} />
        <div className="modal-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? "Connecting…" : "Continue with Facebook"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
