import { z } from "zod";
import { RENDERED_KEY } from "../messages/message-schema.ts";
import { renderedLine } from "../templates/render.ts";

// A message's content as the thread API presents it: one shape per kind of content, read from the
// JSON stored (encrypted) with the message — Meta's inbound objects and Parley's outbound ones.
// Whatever Parley cannot read is `unsupported` with its type, never dropped and never null while
// the content exists (null means the content is gone: an erased contact).

const text = z.object({ kind: z.literal("text"), body: z.string() });
const media = z.object({
  kind: z.literal("media"),
  mediaType: z.string(),
  caption: z.string().nullable(),
  filename: z.string().nullable(),
  voice: z.boolean().describe("An audio message recorded as a voice note."),
  animated: z.boolean().describe("An animated sticker."),
});
const location = z.object({
  kind: z.literal("location"),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  name: z.string().nullable(),
  address: z.string().nullable(),
  url: z.string().nullable(),
});
const sharedContact = z.object({
  name: z.string().nullable(),
  organization: z.string().nullable(),
  phones: z.array(z.object({ phone: z.string().nullable(), waId: z.string().nullable(), type: z.string().nullable() })),
  emails: z.array(z.object({ email: z.string().nullable(), type: z.string().nullable() })),
  urls: z.array(z.object({ url: z.string().nullable(), type: z.string().nullable() })),
});
const contacts = z.object({ kind: z.literal("contacts"), contacts: z.array(sharedContact) });
const reply = z.object({
  kind: z.literal("reply"),
  replyType: z.enum(["button_reply", "list_reply"]),
  id: z.string().nullable(),
  title: z.string().nullable(),
  description: z.string().nullable(),
});
const flowReply = z.object({
  kind: z.literal("flow_reply"),
  name: z.string().nullable(),
  body: z.string().nullable(),
  response: z.record(z.string(), z.string()).describe("The flow's answers, each as text (`flow_token` left out)."),
});
const button = z.object({ kind: z.literal("button"), text: z.string().nullable(), payload: z.string().nullable() });
const order = z.object({
  kind: z.literal("order"),
  catalogId: z.string().nullable(),
  text: z.string().nullable(),
  items: z.array(
    z.object({
      productRetailerId: z.string().nullable(),
      quantity: z.number().nullable(),
      itemPrice: z.number().nullable(),
      currency: z.string().nullable(),
    }),
  ),
});
const reaction = z.object({ kind: z.literal("reaction"), emoji: z.string(), messageWamid: z.string().nullable() });
const system = z.object({ kind: z.literal("system"), systemType: z.string().nullable(), body: z.string().nullable() });
const renderedHeader = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: z.string() }),
  z.object({
    kind: z.literal("media"),
    mediaType: z.enum(["image", "video", "document"]),
    filename: z.string().nullable(),
    link: z.string().nullable(),
  }),
  z.object({
    kind: z.literal("location"),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().nullable(),
    address: z.string().nullable(),
  }),
]);
const renderedTemplate = z
  .object({
    header: renderedHeader.nullable(),
    body: z.string().nullable(),
    footer: z.string().nullable(),
    buttons: z.array(
      z.object({
        type: z.enum(["quick_reply", "url", "phone_number", "copy_code", "other"]),
        text: z.string(),
        url: z.string().nullable(),
      }),
    ),
  })
  .describe("The template as the customer received it: header, body and footer with the parameters filled in, and its buttons.");
const template = z.object({
  kind: z.literal("template"),
  name: z.string().nullable(),
  language: z.string().nullable(),
  rendered: renderedTemplate.nullable().describe("Null for a template Parley had not synced when it was sent (or sent before rendering)."),
});
const interactive = z.object({ kind: z.literal("interactive"), interactiveType: z.string().nullable(), body: z.string().nullable() });
const unsupported = z.object({
  kind: z.literal("unsupported"),
  type: z.string().describe("The message type as WhatsApp named it."),
  errors: z.array(z.object({ code: z.number().int().nullable(), title: z.string().nullable() })),
});

export const messageContentSchema = z
  .discriminatedUnion("kind", [
    text,
    media,
    location,
    contacts,
    reply,
    flowReply,
    button,
    order,
    reaction,
    system,
    template,
    interactive,
    unsupported,
  ])
  .nullable()
  .describe(
    "What the message holds, by kind; `unsupported` names a type Parley does not read yet. Null when the content is gone (an erased contact).",
  );

export type MessageContentView = NonNullable<z.infer<typeof messageContentSchema>>;

const MEDIA = new Set(["image", "video", "audio", "document", "sticker"]);
const MAX_ITEMS = 100;
const MAX_FLOW_FIELDS = 50;

type Json = Record<string, unknown>;

function str(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

function num(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function obj(value: unknown): Json | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
}

function list(value: unknown): Json[] {
  return Array.isArray(value)
    ? value
        .slice(0, MAX_ITEMS)
        .map(obj)
        .filter((item): item is Json => item !== null)
    : [];
}

function presentSharedContact(card: Json): z.infer<typeof sharedContact> {
  const name = obj(card.name);
  const org = obj(card.org);
  const formatted = str(name?.formatted_name) ?? ([str(name?.first_name), str(name?.last_name)].filter(Boolean).join(" ") || null);
  return {
    name: formatted,
    organization: str(org?.company),
    phones: list(card.phones).map((phone) => ({ phone: str(phone.phone), waId: str(phone.wa_id), type: str(phone.type) })),
    emails: list(card.emails).map((email) => ({ email: str(email.email), type: str(email.type) })),
    urls: list(card.urls).map((url) => ({ url: str(url.url), type: str(url.type) })),
  };
}

function parseFlowResponse(value: unknown): Record<string, string> {
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return {};
    }
  }
  const answers: Record<string, string> = {};
  const fields = obj(parsed);
  if (!fields) return answers;
  for (const [key, answer] of Object.entries(fields).slice(0, MAX_FLOW_FIELDS)) {
    // The flow token is Parley's own correlation value, not an answer.
    if (key === "flow_token") continue;
    answers[key] = typeof answer === "string" ? answer : JSON.stringify(answer);
  }
  return answers;
}

function presentInteractive(content: Json): MessageContentView {
  const kind = str(content.type);
  if (kind === "button_reply" || kind === "list_reply") {
    const choice = obj(content[kind]);
    return { kind: "reply", replyType: kind, id: str(choice?.id), title: str(choice?.title), description: str(choice?.description) };
  }
  if (kind === "nfm_reply") {
    const flow = obj(content.nfm_reply);
    return { kind: "flow_reply", name: str(flow?.name), body: str(flow?.body), response: parseFlowResponse(flow?.response_json) };
  }
  // An interactive message the business sent (buttons, a list…): its body is what the user read.
  const body = obj(content.body);
  if (body || kind) return { kind: "interactive", interactiveType: kind, body: str(body?.text) };
  return { kind: "unsupported", type: "interactive", errors: [] };
}

/** The structured content of a stored message; null only when there is no content to read. */
export function presentContent(type: string, content: Json | null): MessageContentView | null {
  if (content === null) return null;
  switch (type) {
    case "text": {
      const body = str(content.body);
      return body === null ? unsupportedOf(type, content) : { kind: "text", body };
    }
    case "location":
      return {
        kind: "location",
        latitude: num(content.latitude),
        longitude: num(content.longitude),
        name: str(content.name),
        address: str(content.address),
        url: str(content.url),
      };
    case "contacts":
      return { kind: "contacts", contacts: list(content.value ?? content.contacts).map(presentSharedContact) };
    case "interactive":
      return presentInteractive(content);
    case "button":
      return { kind: "button", text: str(content.text), payload: str(content.payload) };
    case "order":
      return {
        kind: "order",
        catalogId: str(content.catalog_id),
        text: str(content.text),
        items: list(content.product_items).map((item) => ({
          productRetailerId: str(item.product_retailer_id),
          quantity: num(item.quantity),
          itemPrice: num(item.item_price),
          currency: str(item.currency),
        })),
      };
    case "reaction":
      return { kind: "reaction", emoji: str(content.emoji) ?? "", messageWamid: str(content.message_id) };
    case "system":
      return { kind: "system", systemType: str(content.type), body: str(content.body) };
    case "template": {
      const language = obj(content.language);
      const rendered = renderedTemplate.safeParse(content[RENDERED_KEY]);
      return {
        kind: "template",
        name: str(content.name),
        language: str(language?.code) ?? str(content.language),
        rendered: rendered.success ? rendered.data : null,
      };
    }
    default:
      if (MEDIA.has(type)) {
        return {
          kind: "media",
          mediaType: type,
          caption: str(content.caption),
          filename: str(content.filename),
          voice: content.voice === true,
          animated: content.animated === true,
        };
      }
      return unsupportedOf(type, content);
  }
}

function unsupportedOf(type: string, content: Json): MessageContentView {
  // Meta's `unsupported` messages say what they were in `unsupported.type` (e.g. "edit").
  const inner = type === "unsupported" ? str(content.type) : null;
  return {
    kind: "unsupported",
    type: inner ?? type,
    errors: list(content.errors).map((error) => ({ code: typeof error.code === "number" ? error.code : null, title: str(error.title) })),
  };
}

const PREVIEW_LENGTH = 140;

/** The text a person would read for a stored content object, whatever its type (inbound or outbound shapes). */
export function describeContent(type: string, content: Record<string, unknown> | null): string | null {
  if (!content) return null;
  const pick = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
  const nested = (key: string, field: string): string | null => {
    const value = content[key];
    return value && typeof value === "object" ? pick((value as Record<string, unknown>)[field]) : null;
  };
  if (type === "template") {
    const view = presentContent(type, content);
    if (view?.kind === "template" && view.rendered) {
      const line = renderedLine(view.rendered);
      if (line) return line;
    }
  }
  return (
    pick(content.body) ??
    pick(content.caption) ??
    pick(content.emoji) ??
    nested("button_reply", "title") ??
    nested("list_reply", "title") ??
    pick(content.text) ??
    nested("body", "text") ??
    (type === "template" && typeof content.name === "string" ? `Template: ${content.name}` : null) ??
    (type === "location" ? (pick(content.name) ?? pick(content.address) ?? "Location") : null) ??
    pick(content.filename) ??
    pick(content.value) ??
    describeStructured(type, content)
  );
}

/** A line for the kinds that have no text of their own (shared contacts, orders, unsupported types…). */
function describeStructured(type: string, content: Record<string, unknown>): string | null {
  const view = presentContent(type, content);
  switch (view?.kind) {
    case "contacts":
      return view.contacts.length === 1 ? `Contact: ${view.contacts[0]!.name ?? "unnamed"}` : `${view.contacts.length} contacts`;
    case "order":
      return `Order: ${view.items.length} ${view.items.length === 1 ? "item" : "items"}`;
    case "button":
      return view.text ?? view.payload;
    case "flow_reply":
      return view.body ?? "Form reply";
    case "system":
      return view.body ?? "System message";
    case "unsupported":
      return `Unsupported message (${view.type})`;
    default:
      return null;
  }
}

function truncate(text: string | null, length: number): string | null {
  if (text === null) return null;
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join("")}…`;
}

/** The inbox's one-line preview of a message. */
export function previewContent(type: string, content: Record<string, unknown> | null): string | null {
  return truncate(describeContent(type, content), PREVIEW_LENGTH);
}
