import { useRef, useState, type ChangeEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, describeError } from "../../lib/api.ts";
import { queryKeys } from "../../lib/queries.ts";
import { formatTime, ErrorText, StatusTick } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";

// The sandbox customer: for a connected sandbox number, write as a customer (text, a tap on a
// reply button, an image) and see the customer's phone — what they wrote and what the number sent
// them, with its delivery ticks. It goes through Parley's API (numbers.manage); the simulator
// behind it is never reached from the browser. Message text is rendered as text only.

type ThreadStatus = "accepted" | "sent" | "delivered" | "read" | "failed";

export type SandboxThreadMessage = {
  direction: "customer" | "business";
  wamid: string;
  type: string;
  text: string | null;
  buttons: { id: string; title: string }[];
  status: ThreadStatus | null;
  statuses: { status: ThreadStatus; at: string }[];
  at: string;
};

const DEFAULT_CUSTOMER = { phone: "15550100001", name: "Sandbox Customer" };
const PHONE_PATTERN = /^\d{5,15}$/;
const MAX_IMAGE_BYTES = 1024 * 1024;
const REFRESH_MS = 1_500;

const STATUS_WORDS: Record<ThreadStatus, string> = {
  accepted: "Accepted",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
};

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((typeof reader.result === "string" ? reader.result : "").replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });
}

function describeContent(message: SandboxThreadMessage): string {
  if (message.text) return message.text;
  if (message.type === "image") return "Image";
  return `(${message.type} message)`;
}

/** What the simulated customer does besides typing text: send an image, or press a button. */
type SandboxWrite =
  | { type: "image"; mimeType: "image/jpeg" | "image/png"; dataBase64: string; caption?: string }
  | { type: "button_reply"; replyTo: string; buttonId: string; title: string };

export function SandboxPanel({ workspaceId, numberId }: { workspaceId: string; numberId: string }) {
  const [phoneText, setPhoneText] = useState(DEFAULT_CUSTOMER.phone);
  const [name, setName] = useState(DEFAULT_CUSTOMER.name);
  const [text, setText] = useState("");
  const send = useAction(describeError);
  const fileRef = useRef<HTMLInputElement>(null);
  const phone = PHONE_PATTERN.test(phoneText) ? phoneText : null;

  // The customer's phone, kept current while the panel is open (replies and ticks come from the inbox).
  const conversation = useQuery({
    queryKey: queryKeys.sandboxMessages(workspaceId, numberId, phone ?? ""),
    queryFn: () =>
      api("GET", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/sandbox/customers/{customerPhone}/messages", {
        path: { workspaceId, numberId, customerPhone: phone ?? "" },
      }).then((answer) => answer.messages),
    enabled: phone !== null,
    refetchInterval: REFRESH_MS,
  });
  const thread = phone === null ? null : (conversation.data ?? null);
  const loadError = phone !== null && conversation.error ? describeError(conversation.error) : null;
  const reload = async () => {
    await conversation.refetch();
  };

  const customer = () => ({ customerPhone: phone ?? "", ...(name.trim() ? { customerName: name.trim() } : {}) });

  const write = async (body: SandboxWrite) => {
    if (!phone) {
      send.setError("Enter the customer's phone number: 5 to 15 digits with the country code, no spaces.");
      return;
    }
    await send.run(async () => {
      await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/sandbox/messages", {
        path: { workspaceId, numberId },
        body: { ...customer(), ...body },
      });
      await reload();
    });
  };

  const sendText = send.onSubmit(async () => {
    const body = text.trim();
    if (!body || !phone) return;
    await api("POST", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/sandbox/messages", {
      path: { workspaceId, numberId },
      body: { ...customer(), type: "text", text: body },
    });
    setText("");
    await reload();
  });

  const sendImage = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const mimeType = file.type;
    if (mimeType !== "image/jpeg" && mimeType !== "image/png") {
      send.setError("Choose a JPEG or PNG image.");
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      send.setError("Choose an image of at most 1 MB.");
      return;
    }
    const caption = text.trim();
    await write({ type: "image", mimeType, dataBase64: await readAsBase64(file), ...(caption ? { caption } : {}) });
    if (caption) setText("");
  };

  const titleId = `sandbox-customer-${numberId}`;
  return (
    <section className="sandbox-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>Sandbox customer</h3>
      <p className="muted">
        Write to this number as a customer would. The message arrives in the inbox; what you send from the inbox appears here with its
        ticks.
      </p>
      <div className="sandbox-customer">
        <label className="field">
          <span>Customer phone number</span>
          <input
            value={phoneText}
            inputMode="numeric"
            autoComplete="off"
            maxLength={15}
            aria-invalid={phone === null}
            aria-describedby={phone === null ? `${titleId}-phone-hint` : undefined}
            onChange={(event) => setPhoneText(event.target.value.replace(/[\s+]/g, ""))}
          />
        </label>
        <label className="field">
          <span>Customer name</span>
          <input value={name} maxLength={100} autoComplete="off" onChange={(event) => setName(event.target.value)} />
        </label>
      </div>
      {phone === null ? (
        <p id={`${titleId}-phone-hint`} className="form-error">
          5 to 15 digits with the country code, no spaces.
        </p>
      ) : null}
      <ErrorText message={loadError} />
      {phone !== null && thread === null && loadError === null ? (
        <p className="muted" role="status">
          Loading the customer's phone…
        </p>
      ) : null}
      {thread !== null && thread.length === 0 ? (
        <p className="muted">No messages with this customer yet. Write the first one below.</p>
      ) : null}
      {thread !== null && thread.length > 0 ? (
        <ol className="sandbox-thread" aria-label="Customer's phone">
          {thread.map((message) => (
            <li key={message.wamid} className={`sandbox-message from-${message.direction}`} data-direction={message.direction}>
              <span className="visually-hidden">
                {message.direction === "customer" ? "The customer wrote: " : "The customer received: "}
              </span>
              <span className="sandbox-text">{describeContent(message)}</span>
              {message.buttons.length > 0 ? (
                <span className="sandbox-buttons">
                  {message.buttons.map((button) => (
                    <button
                      key={button.id}
                      type="button"
                      disabled={send.busy}
                      aria-label={`Tap “${button.title}” as the customer`}
                      onClick={() => void write({ type: "button_reply", replyTo: message.wamid, buttonId: button.id, title: button.title })}
                    >
                      {button.title}
                    </button>
                  ))}
                </span>
              ) : null}
              <span className="sandbox-meta muted">
                {formatTime(message.at)}
                {message.status ? (
                  <>
                    {" "}
                    <StatusTick status={message.status} /> <span data-testid="sandbox-status">{STATUS_WORDS[message.status]}</span>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      <form className="sandbox-compose" onSubmit={sendText} aria-label="Write as the customer">
        <label className="field">
          <span>Message as the customer</span>
          <input value={text} maxLength={4096} autoComplete="off" onChange={(event) => setText(event.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" disabled={send.busy || phone === null || text.trim() === ""}>
            {send.busy ? "Sending…" : "Send as the customer"}
          </button>
          <button type="button" disabled={send.busy || phone === null} onClick={() => fileRef.current?.click()}>
            Send an image
          </button>
          <input
            ref={fileRef}
            type="file"
            accept="image/jpeg,image/png"
            className="visually-hidden"
            tabIndex={-1}
            aria-label="Image to send as the customer"
            onChange={(event) => void sendImage(event)}
          />
        </div>
        <ErrorText message={send.error} />
      </form>
    </section>
  );
}
