import { AppError } from "../../errors.ts";
import type { ParameterFormat, StoredTemplateComponents } from "../../whatsapp/templates/components.ts";

// A template message as the customer reads it: the stored template's header, body, footer and
// buttons with the send's parameters filled in (reference/cloud-api.md §8). Stored with the message
// (encrypted with its content) so the thread and the inbox show what was received, not the
// template's name. Whatever cannot be filled is refused before anything is queued.

export type RenderedHeader =
  | { kind: "text"; text: string }
  | { kind: "media"; mediaType: "image" | "video" | "document"; filename: string | null; link: string | null }
  | { kind: "location"; latitude: number; longitude: number; name: string | null; address: string | null };

export type RenderedButton = { type: "quick_reply" | "url" | "phone_number" | "copy_code" | "other"; text: string; url: string | null };

export type RenderedTemplate = {
  header: RenderedHeader | null;
  body: string | null;
  footer: string | null;
  buttons: RenderedButton[];
};

type MediaValue = { id?: string | undefined; link?: string | undefined; filename?: string | undefined };

/** A send's parameter, in the send API's shape (src/features/messages/message-schema.ts). */
export type SentParameter =
  | { type: "text"; text: string; parameterName?: string | undefined }
  | { type: "payload"; payload: string }
  | { type: "image"; image: MediaValue }
  | { type: "video"; video: MediaValue }
  | { type: "document"; document: MediaValue }
  | { type: "currency"; currency: { fallbackValue: string } }
  | { type: "dateTime"; dateTime: { fallbackValue: string } }
  | {
      type: "location";
      location: { latitude: number; longitude: number; name?: string | undefined; address?: string | undefined };
    };

export type SentComponent =
  | { type: "header" | "body"; parameters: SentParameter[] }
  | { type: "button"; subType: string; index: number; parameters: SentParameter[] };

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function refuse(message: string): AppError {
  return new AppError("UNPROCESSABLE", message, { details: { reason: "template_parameters_mismatch" } });
}

/** The text a parameter puts in place of a placeholder; currencies and dates show their fallback value. */
function textOf(parameter: SentParameter): string | null {
  switch (parameter.type) {
    case "text":
      return parameter.text;
    case "currency":
      return parameter.currency.fallbackValue;
    case "dateTime":
      return parameter.dateTime.fallbackValue;
    default:
      return null;
  }
}

/** Fills `{{1}}`… (positional) or `{{name}}` (named) in `text`; a placeholder without a value is refused. */
function fill(text: string, parameters: readonly SentParameter[], format: ParameterFormat, where: string): string {
  const values = new Map<string, string>();
  parameters.forEach((parameter, index) => {
    const value = textOf(parameter);
    if (value === null) return;
    const name = format === "NAMED" && parameter.type === "text" ? parameter.parameterName : String(index + 1);
    if (name !== undefined) values.set(name, value);
  });
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw refuse(`The template's ${where} has no value for {{${name}}}.`);
    return value;
  });
}

function renderHeader(
  header: NonNullable<StoredTemplateComponents["header"]>,
  parameters: readonly SentParameter[],
  format: ParameterFormat,
): RenderedHeader {
  if (header.format === "TEXT") return { kind: "text", text: fill(header.text ?? "", parameters, format, "header") };
  const parameter = parameters[0];
  if (header.format === "LOCATION") {
    if (parameter?.type !== "location") throw refuse("The template's header needs one location parameter.");
    const { latitude, longitude, name, address } = parameter.location;
    return { kind: "location", latitude, longitude, name: name ?? null, address: address ?? null };
  }
  const mediaType = header.format.toLowerCase() as "image" | "video" | "document";
  if (parameter?.type !== mediaType) throw refuse(`The template's header needs one ${mediaType} parameter.`);
  const media: MediaValue =
    parameter.type === "image" ? parameter.image : parameter.type === "video" ? parameter.video : parameter.document;
  return { kind: "media", mediaType, filename: media.filename ?? null, link: media.link ?? null };
}

function buttonType(type: string): RenderedButton["type"] {
  switch (type) {
    case "QUICK_REPLY":
      return "quick_reply";
    case "URL":
      return "url";
    case "PHONE_NUMBER":
      return "phone_number";
    case "COPY_CODE":
      return "copy_code";
    default:
      return "other";
  }
}

/**
 * The template as received: `components` is the stored template (./repository.ts), `sent` the send's
 * components. A dynamic URL button takes its suffix from the button component of the same index.
 */
export function renderTemplate(
  components: StoredTemplateComponents,
  format: ParameterFormat,
  sent: readonly SentComponent[],
): RenderedTemplate {
  const given = (type: "header" | "body") => sent.find((component) => component.type === type)?.parameters ?? [];
  const buttons = components.buttons.map((button, index): RenderedButton => {
    const type = buttonType(button.type);
    let url = button.url;
    if (url !== null && type === "url" && new RegExp(PLACEHOLDER.source).test(url)) {
      const suffix = sent.find((component) => component.type === "button" && component.index === index)?.parameters ?? [];
      // A URL button's one variable is always {{1}}, named templates included.
      url = fill(url, suffix, "POSITIONAL", `button ${index + 1} link`);
    }
    return { type, text: button.text, url };
  });
  return {
    header: components.header ? renderHeader(components.header, given("header"), format) : null,
    body: components.body ? fill(components.body.text, given("body"), format, "body") : null,
    footer: components.footer?.text ?? null,
    buttons,
  };
}

/** The inbox's one line for a rendered template: its body (or header) with line breaks folded. */
export function renderedLine(rendered: RenderedTemplate): string | null {
  const text = rendered.body ?? (rendered.header?.kind === "text" ? rendered.header.text : null);
  return text === null ? null : text.replace(/\s*\n+\s*/g, " ").trim();
}
