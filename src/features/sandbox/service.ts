import type { ReceivedMessage, SentMessage, Simulator } from "../../../sim/index.ts";
import { AppError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { getWorkspaceNumber } from "../numbers/service.ts";

// The sandbox customer: someone trying Parley writes as a customer of their workspace's sandbox
// number and sees what that customer received, through Parley's own authenticated API. Parley
// drives its in-process simulator directly; the simulator's HTTP control API stays closed.

export type CustomerMessage =
  | { type: "text"; text: string }
  | { type: "button_reply"; replyTo: string; buttonId: string; title: string }
  | { type: "image"; mimeType: "image/jpeg" | "image/png"; dataBase64: string; caption?: string | undefined };

export type CustomerIdentity = { phone: string; name?: string | undefined };

export type ThreadMessage = {
  direction: "customer" | "business";
  wamid: string;
  type: string;
  text: string | null;
  buttons: { id: string; title: string }[];
  status: "accepted" | "sent" | "delivered" | "read" | "failed" | null;
  statuses: { status: "accepted" | "sent" | "delivered" | "read" | "failed"; at: string }[];
  at: string;
};

const MAX_THREAD = 100;

/** The simulator and phone number id behind a workspace's sandbox number; NOT_FOUND or UNPROCESSABLE otherwise. */
async function sandboxNumberOf(
  services: Services,
  workspaceId: string,
  numberId: string,
): Promise<{ simulator: Simulator; phoneNumberId: string }> {
  const number = await getWorkspaceNumber(services, workspaceId, numberId);
  if (number.mode !== "sandbox") {
    throw new AppError("UNPROCESSABLE", "This is a live WhatsApp number: the sandbox customer works with sandbox numbers only.", {
      details: { reason: "not_sandbox" },
    });
  }
  const simulator = services.sandbox;
  if (!simulator)
    throw new AppError("UNPROCESSABLE", "Sandbox mode is off (PARLEY_WHATSAPP_MODE=live).", { details: { reason: "sandbox_off" } });
  if (!simulator.state.phoneNumbers.has(number.phoneNumberId)) {
    throw new AppError("UNPROCESSABLE", "This sandbox number is not on the simulator any more: connect a new sandbox number.", {
      details: { reason: "not_on_simulator" },
    });
  }
  return { simulator, phoneNumberId: number.phoneNumberId };
}

/** Delivers a message from the customer to the number, as WhatsApp would (a signed webhook). */
export async function writeAsCustomer(
  services: Services,
  workspaceId: string,
  numberId: string,
  customer: CustomerIdentity,
  message: CustomerMessage,
): Promise<{ wamid: string }> {
  const { simulator, phoneNumberId } = await sandboxNumberOf(services, workspaceId, numberId);
  const common = { from: customer.phone, phoneNumberId, ...(customer.name === undefined ? {} : { name: customer.name }) };
  switch (message.type) {
    case "text":
      return simulator.sendFromCustomer({ ...common, type: "text", text: message.text });
    case "button_reply": {
      // Only a button of a message this number sent to this customer can be tapped.
      const replied = simulator.listReceived(customer.phone, phoneNumberId).find((received) => received.wamid === message.replyTo);
      if (!replied)
        throw new AppError("UNPROCESSABLE", "The customer did not receive that message from this number.", {
          details: { reason: "unknown_message" },
        });
      return simulator.sendFromCustomer({
        ...common,
        type: "button_reply",
        contextMessageId: message.replyTo,
        id: message.buttonId,
        title: message.title,
      });
    }
    case "image":
      return simulator.sendFromCustomer({
        ...common,
        type: "image",
        mimeType: message.mimeType,
        dataBase64: message.dataBase64,
        ...(message.caption ? { caption: message.caption } : {}),
      });
  }
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

function describeReceived(message: ReceivedMessage): Pick<ThreadMessage, "text" | "buttons"> {
  const body = message.body;
  switch (message.type) {
    case "text":
      return { text: text(record(body.text).body), buttons: [] };
    case "interactive": {
      const interactive = record(body.interactive);
      const buttons = Array.isArray(record(interactive.action).buttons) ? (record(interactive.action).buttons as unknown[]) : [];
      return {
        text: text(record(interactive.body).text),
        buttons: buttons.flatMap((button) => {
          const reply = record(record(button).reply);
          return typeof reply.id === "string" && typeof reply.title === "string" ? [{ id: reply.id, title: reply.title }] : [];
        }),
      };
    }
    case "template":
      return { text: `Template: ${text(record(body.template).name) ?? "unnamed"}`, buttons: [] };
    default:
      return { text: text(record(body[message.type]).caption), buttons: [] };
  }
}

function describeSent(message: SentMessage): string | null {
  const content = record(message.message[message.type]);
  if (message.type === "text") return text(content.body);
  if (message.type === "interactive") return text(record(content.button_reply).title) ?? text(record(content.list_reply).title);
  return text(content.caption);
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The conversation as the customer's phone shows it: what they wrote and what they received, with its statuses. */
export async function readCustomerThread(
  services: Services,
  workspaceId: string,
  numberId: string,
  customerPhone: string,
): Promise<ThreadMessage[]> {
  const { simulator, phoneNumberId } = await sandboxNumberOf(services, workspaceId, numberId);
  const wrote = simulator.listSent(customerPhone, phoneNumberId).map((message): ThreadMessage => ({
    direction: "customer",
    wamid: message.wamid,
    type: message.type,
    text: describeSent(message),
    buttons: [],
    status: null,
    statuses: [],
    at: iso(message.receivedAt),
  }));
  const received = simulator.listReceived(customerPhone, phoneNumberId).map((message): ThreadMessage => {
    const accepted = message.statusHistory[0]?.at;
    return {
      direction: "business",
      wamid: message.wamid,
      type: message.type,
      ...describeReceived(message),
      status: message.status,
      statuses: message.statusHistory.map((step) => ({ status: step.status, at: iso(step.at) })),
      at: iso(accepted ?? 0),
    };
  });
  return [...wrote, ...received].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_THREAD);
}
