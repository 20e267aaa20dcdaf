import type { Message } from "../../lib/api.ts";
import { MessageContent as MediaOrText } from "./media.tsx";
import { CartIcon, DocumentIcon, FormIcon, LocationIcon, PersonIcon, ReplyIcon } from "../../ui/icons.tsx";

// A message in the thread by what it holds (the thread API's `content`, src/features/conversations/
// content.ts): a location, shared contacts, a reply to buttons or a list, a form (flow) reply, an
// order, a system notice, or a type Parley does not read yet, named as such. Text and media keep
// their own rendering (./media.tsx). Everything is React text: nothing from a message becomes HTML
// or a link of its own (a location links to a map built from its coordinates only).

type SharedContact = {
  name: string | null;
  organization: string | null;
  phones: Array<{ phone: string | null; waId: string | null; type: string | null }>;
  emails: Array<{ email: string | null; type: string | null }>;
  urls: Array<{ url: string | null; type: string | null }>;
};

export type MessageBody =
  | { kind: "text"; body: string }
  | { kind: "media"; mediaType: string; caption: string | null; filename: string | null; voice: boolean; animated: boolean }
  | { kind: "location"; latitude: number | null; longitude: number | null; name: string | null; address: string | null; url: string | null }
  | { kind: "contacts"; contacts: SharedContact[] }
  | { kind: "reply"; replyType: "button_reply" | "list_reply"; id: string | null; title: string | null; description: string | null }
  | { kind: "flow_reply"; name: string | null; body: string | null; response: Record<string, string> }
  | { kind: "button"; text: string | null; payload: string | null }
  | {
      kind: "order";
      catalogId: string | null;
      text: string | null;
      items: Array<{ productRetailerId: string | null; quantity: number | null; itemPrice: number | null; currency: string | null }>;
    }
  | { kind: "reaction"; emoji: string; messageWamid: string | null }
  | { kind: "system"; systemType: string | null; body: string | null }
  | { kind: "template"; name: string | null; language: string | null; rendered?: RenderedTemplate | null }
  | { kind: "interactive"; interactiveType: string | null; body: string | null }
  | { kind: "unsupported"; type: string; errors: Array<{ code: number | null; title: string | null }> };

/** A template as the customer received it (src/features/templates/render.ts). */
export type RenderedTemplate = {
  header:
    | { kind: "text"; text: string }
    | { kind: "media"; mediaType: "image" | "video" | "document"; filename: string | null; link: string | null }
    | { kind: "location"; latitude: number; longitude: number; name: string | null; address: string | null }
    | null;
  body: string | null;
  footer: string | null;
  buttons: Array<{ type: "quick_reply" | "url" | "phone_number" | "copy_code" | "other"; text: string; url: string | null }>;
};

/** A thread message as the API answers it, with its structured content. */
export type ThreadMessage = Message & { content?: MessageBody | null };

function mapLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

function Location({ content }: { content: Extract<MessageBody, { kind: "location" }> }) {
  const hasPoint =
    content.latitude !== null && content.longitude !== null && Math.abs(content.latitude) <= 90 && Math.abs(content.longitude) <= 180;
  return (
    <div className="message-location" data-kind="location">
      <p className="text">
        <strong>
          <LocationIcon className="inline-icon" /> {content.name ?? "Location"}
        </strong>
      </p>
      {content.address ? <p className="text">{content.address}</p> : null}
      {hasPoint ? (
        <p className="text">
          <a href={mapLink(content.latitude!, content.longitude!)} target="_blank" rel="noopener noreferrer">
            {content.latitude!.toFixed(5)}, {content.longitude!.toFixed(5)} — open map
          </a>
        </p>
      ) : null}
    </div>
  );
}

function Contacts({ contacts }: { contacts: SharedContact[] }) {
  return (
    <ul className="message-contacts" data-kind="contacts" aria-label="Shared contacts">
      {contacts.map((card, index) => (
        <li key={index}>
          <p className="text">
            <strong>
              <PersonIcon className="inline-icon" /> {card.name ?? "Unnamed contact"}
            </strong>
            {card.organization ? ` · ${card.organization}` : ""}
          </p>
          {card.phones.map((phone, phoneIndex) => (
            <p key={`p${phoneIndex}`} className="text">
              {phone.phone ?? phone.waId ?? ""}
              {phone.type ? ` (${phone.type.toLowerCase()})` : ""}
            </p>
          ))}
          {card.emails.map((email, emailIndex) => (
            <p key={`e${emailIndex}`} className="text">
              {email.email ?? ""}
            </p>
          ))}
        </li>
      ))}
    </ul>
  );
}

function Order({ content }: { content: Extract<MessageBody, { kind: "order" }> }) {
  return (
    <div data-kind="order">
      <p className="text">
        <strong>
          <CartIcon className="inline-icon" /> Order
        </strong>
        {content.text ? ` — ${content.text}` : ""}
      </p>
      <ul aria-label="Order items">
        {content.items.map((item, index) => (
          <li key={index} className="text">
            {item.quantity ?? "?"} × {item.productRetailerId ?? "item"}
            {item.itemPrice !== null ? ` @ ${item.itemPrice}${item.currency ? ` ${item.currency}` : ""}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

const MEDIA_KIND = { image: "Image", video: "Video", document: "Document" } as const;

function TemplateHeader({ header }: { header: NonNullable<RenderedTemplate["header"]> }) {
  switch (header.kind) {
    case "text":
      return (
        <p className="text template-header" dir="auto">
          {header.text}
        </p>
      );
    case "media":
      return (
        <p className="text template-media" dir="auto">
          <DocumentIcon className="inline-icon" /> {MEDIA_KIND[header.mediaType]}
          {header.filename ? `: ${header.filename}` : header.link ? `: ${header.link}` : ""}
        </p>
      );
    case "location":
      return (
        <p className="text template-media" dir="auto">
          <LocationIcon className="inline-icon" /> {header.name ?? "Location"}
          {header.address ? ` — ${header.address}` : ""}
        </p>
      );
  }
}

/**
 * A template as WhatsApp shows it: header, body, muted footer, and its buttons (not clickable here:
 * the customer presses them). Without a rendered form (sent before Parley rendered templates, or a
 * template it had not synced) the template is named.
 */
function Template({ content, fallback }: { content: Extract<MessageBody, { kind: "template" }>; fallback: string | null }) {
  const rendered = content.rendered;
  if (!rendered)
    return (
      <p className="text" data-kind="template">
        {fallback && !fallback.startsWith("Template: ") ? fallback : `Template: ${content.name ?? "unnamed"}`}
      </p>
    );
  return <RenderedTemplateView rendered={rendered} />;
}

/** A rendered template's parts as WhatsApp shows them; the Templates screen's preview draws its drafts with it too. */
export function RenderedTemplateView({ rendered }: { rendered: RenderedTemplate }) {
  return (
    <div className="message-template" data-kind="template">
      {rendered.header ? <TemplateHeader header={rendered.header} /> : null}
      {rendered.body !== null ? (
        <p className="text" dir="auto">
          {rendered.body}
        </p>
      ) : null}
      {rendered.footer !== null ? (
        <p className="text template-footer muted" dir="auto">
          {rendered.footer}
        </p>
      ) : null}
      {rendered.buttons.length > 0 ? (
        <ul className="template-bubble-buttons" aria-label="Template buttons">
          {rendered.buttons.map((button, index) => (
            <li key={index} dir="auto" title={button.url ?? undefined}>
              {button.type === "url" ? "↗ " : button.type === "phone_number" ? "☎ " : ""}
              {button.text}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** One message's content in the thread. */
export function MessageBodyView({ workspaceId, message }: { workspaceId: string; message: ThreadMessage }) {
  const content = message.content;
  if (!content || message.media || content.kind === "text" || content.kind === "media")
    return <MediaOrText workspaceId={workspaceId} message={message} />;
  switch (content.kind) {
    case "location":
      return <Location content={content} />;
    case "contacts":
      return <Contacts contacts={content.contacts} />;
    case "order":
      return <Order content={content} />;
    case "reply":
      return (
        <p className="text" data-kind="reply">
          <ReplyIcon className="inline-icon" /> {content.title ?? content.id ?? "Reply"}
          {content.description ? ` — ${content.description}` : ""}
        </p>
      );
    case "flow_reply":
      return (
        <div data-kind="flow_reply">
          <p className="text">
            <strong>
              <FormIcon className="inline-icon" /> {content.body ?? "Form reply"}
            </strong>
          </p>
          <dl>
            {Object.entries(content.response).map(([field, answer]) => (
              <div key={field}>
                <dt>{field}</dt>
                <dd>{answer}</dd>
              </div>
            ))}
          </dl>
        </div>
      );
    case "button":
      return (
        <p className="text" data-kind="button">
          <ReplyIcon className="inline-icon" /> {content.text ?? content.payload ?? "Button"}
        </p>
      );
    case "reaction":
      return (
        <p className="text" data-kind="reaction">
          Reacted {content.emoji}
        </p>
      );
    case "system":
      return (
        <p className="text muted" data-kind="system">
          ⓘ {content.body ?? content.systemType ?? "System message"}
        </p>
      );
    case "template":
      return <Template content={content} fallback={message.text ?? null} />;
    case "interactive":
      return (
        <p className="text" data-kind="interactive">
          {content.body ?? message.text ?? "Interactive message"}
        </p>
      );
    case "unsupported":
      return (
        <p className="text muted" data-kind="unsupported">
          Unsupported message ({content.type})
          {content.errors.length > 0 ? ` — ${content.errors.map((error) => error.title ?? `error ${error.code ?? ""}`).join("; ")}` : ""}
        </p>
      );
  }
}
