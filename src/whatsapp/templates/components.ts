import { z } from "zod";

// A template's components as Meta lists them (reference/cloud-api.md §8), reduced to what filling
// and previewing it needs: the header (text or media format), the body, the footer and the buttons,
// each with the parameters it expects. Positional templates use {{1}}…{{n}}; named ones
// ({{first_name}}, parameter_format NAMED) use names, which a send must repeat as parameter_name.

export type ParameterFormat = "POSITIONAL" | "NAMED";

export type HeaderFormat = "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";

export type StoredTemplateComponents = {
  header: { format: HeaderFormat; text: string | null } | null;
  body: { text: string } | null;
  footer: { text: string } | null;
  buttons: Array<{ type: string; text: string; url: string | null }>;
};

/** What a send must supply: the parameters of the header and of the body, in order. */
export type TemplateParameters = {
  header: { kind: "text"; names: string[] } | { kind: "media"; format: "IMAGE" | "VIDEO" | "DOCUMENT" } | null;
  body: string[];
};

const upper = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) => value.toUpperCase());

const metaComponent = z.looseObject({
  type: upper(32),
  format: upper(32).optional(),
  text: z.string().max(4096).optional(),
  buttons: z
    .array(z.looseObject({ type: upper(32), text: z.string().max(200).optional(), url: z.string().max(2048).optional() }))
    .max(10)
    .optional(),
});

const HEADER_FORMATS: readonly string[] = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];

/** Meta's `components` array → the stored form; unknown component types are left out, and null when nothing usable is there. */
export function toStoredComponents(components: unknown): StoredTemplateComponents | null {
  const parsed = z.array(z.unknown()).max(20).safeParse(components);
  if (!parsed.success) return null;
  const stored: StoredTemplateComponents = { header: null, body: null, footer: null, buttons: [] };
  for (const item of parsed.data) {
    const component = metaComponent.safeParse(item);
    if (!component.success) continue;
    const { type, format, text, buttons } = component.data;
    // One of each, as Meta defines them: a repeated component is ignored.
    if (type === "HEADER" && stored.header === null) {
      const headerFormat = format && HEADER_FORMATS.includes(format) ? (format as HeaderFormat) : text !== undefined ? "TEXT" : null;
      if (headerFormat) stored.header = { format: headerFormat, text: headerFormat === "TEXT" ? (text ?? "") : null };
    } else if (type === "BODY" && text !== undefined && stored.body === null) {
      stored.body = { text };
    } else if (type === "FOOTER" && text !== undefined) {
      stored.footer = { text };
    } else if (type === "BUTTONS" && buttons) {
      stored.buttons = buttons.map((button) => ({ type: button.type, text: button.text ?? "", url: button.url ?? null }));
    }
  }
  return stored.header || stored.body || stored.footer || stored.buttons.length > 0 ? stored : null;
}

/** The components read back from the database (JSON), or null when they are not in the stored shape. */
export function readStoredComponents(value: unknown): StoredTemplateComponents | null {
  const stored = z
    .object({
      header: z.object({ format: z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]), text: z.string().nullable() }).nullable(),
      body: z.object({ text: z.string() }).nullable(),
      footer: z.object({ text: z.string() }).nullable(),
      buttons: z.array(z.object({ type: z.string(), text: z.string(), url: z.string().nullable() })),
    })
    .safeParse(typeof value === "string" ? safeJson(value) : value);
  return stored.success ? stored.data : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * The parameter names in a text, each once: positional ones in numeric order ("1", "2", …), named
 * ones in the order they first appear.
 */
export function placeholdersOf(text: string, format: ParameterFormat): string[] {
  const seen: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!seen.includes(name)) seen.push(name);
  }
  if (format === "NAMED") return seen;
  return seen.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
}

/** What a send of this template must supply. */
export function parametersOf(components: StoredTemplateComponents, format: ParameterFormat): TemplateParameters {
  let header: TemplateParameters["header"] = null;
  if (components.header) {
    if (components.header.format === "TEXT") {
      const names = placeholdersOf(components.header.text ?? "", format);
      if (names.length > 0) header = { kind: "text", names };
    } else if (components.header.format !== "LOCATION") {
      header = { kind: "media", format: components.header.format };
    }
    // A location header takes a location parameter; it is left to Meta like buttons.
  }
  return { header, body: components.body ? placeholdersOf(components.body.text, format) : [] };
}

type GivenParameter = { type: string; parameterName?: string | undefined };
type GivenComponent = { type: string; parameters: GivenParameter[] };

/**
 * Compares a send's components with what the template expects. Answers a sentence for people when
 * they do not match (count, kind or names), or null when they do. Buttons are left to Meta.
 */
export function describeParameterMismatch(
  expected: TemplateParameters,
  format: ParameterFormat,
  given: readonly GivenComponent[],
): string | null {
  const body = given.find((component) => component.type === "body")?.parameters ?? [];
  const header = given.find((component) => component.type === "header")?.parameters ?? [];
  const plural = (count: number) => `${count} parameter${count === 1 ? "" : "s"}`;
  if (body.length !== expected.body.length) {
    return `The template's body needs ${plural(expected.body.length)}; ${body.length} ${body.length === 1 ? "was" : "were"} given.`;
  }
  // Currency and date parameters are text in the rendered template too; media cannot fill a body.
  if (body.some((parameter) => !["text", "currency", "dateTime"].includes(parameter.type)))
    return "The template's body takes text parameters only.";
  if (format === "NAMED") {
    const names = body.map((parameter) => parameter.parameterName ?? "");
    const missing = expected.body.filter((name) => !names.includes(name));
    if (missing.length > 0 || names.some((name) => !expected.body.includes(name))) {
      return `The template's body parameters are named ${expected.body.map((name) => `{{${name}}}`).join(", ")}; give each with its parameterName.`;
    }
  }
  const expectedHeader = expected.header;
  if (!expectedHeader) {
    if (header.length > 0) return "The template's header takes no parameters.";
    return null;
  }
  if (expectedHeader.kind === "media") {
    const kind = expectedHeader.format.toLowerCase();
    if (header.length !== 1 || header[0]!.type !== kind) return `The template's header needs one ${kind} parameter.`;
    return null;
  }
  if (header.length !== expectedHeader.names.length || header.some((parameter) => parameter.type !== "text")) {
    return `The template's header needs ${plural(expectedHeader.names.length)} of type text; ${header.length} ${header.length === 1 ? "was" : "were"} given.`;
  }
  return null;
}
