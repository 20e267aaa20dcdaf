import { z } from "zod";
import { authenticationBodyText, placeholdersOf, type HeaderFormat, type ParameterFormat, type TemplateContent } from "./rules.ts";

// A template's components as Meta lists them (reference/cloud-api.md §8), reduced to what filling
// and previewing it needs: the header (text or media format), the body, the footer and the buttons,
// each with the parameters it expects. Positional templates use {{1}}…{{n}}; named ones
// ({{first_name}}, parameter_format NAMED) use names, which a send must repeat as parameter_name.

export type { HeaderFormat, ParameterFormat } from "./rules.ts";

/** The stored form: the content Parley keeps (encrypted under the workspace key), examples included. */
export type StoredTemplateComponents = TemplateContent;

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

const exampleText = z.string().max(2048);
const namedExamples = z.array(z.looseObject({ param_name: z.string().max(200), example: exampleText })).max(100);

const metaComponent = z.looseObject({
  type: upper(32),
  format: upper(32).optional(),
  text: z.string().max(4096).optional(),
  add_security_recommendation: z.boolean().optional(),
  code_expiration_minutes: z.number().int().optional(),
  example: z
    .looseObject({
      header_text: z.array(exampleText).max(10).optional(),
      header_text_named_params: namedExamples.optional(),
      header_handle: z.array(z.string().max(4096)).max(10).optional(),
      body_text: z.array(z.array(exampleText).max(100)).max(10).optional(),
      body_text_named_params: namedExamples.optional(),
    })
    .optional(),
  buttons: z
    .array(
      z.looseObject({
        type: upper(32),
        text: z.string().max(200).optional(),
        url: z.string().max(2048).optional(),
        phone_number: z.string().max(40).optional(),
        otp_type: upper(32).optional(),
        example: z.union([z.string().max(2048), z.array(z.string().max(2048)).max(10)]).optional(),
      }),
    )
    .max(10)
    .optional(),
});

const HEADER_FORMATS: readonly string[] = ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];

/** Examples in the order of the text's parameters, from Meta's positional or named example form. */
function examplesOf(
  text: string,
  format: ParameterFormat,
  positional: readonly string[] | undefined,
  named: ReadonlyArray<{ param_name: string; example: string }> | undefined,
): string[] | undefined {
  if (named) return placeholdersOf(text, "NAMED").map((name) => named.find((item) => item.param_name === name)?.example ?? "");
  if (positional) return placeholdersOf(text, format).map((_name, index) => positional[index] ?? "");
  return undefined;
}

/**
 * Meta's `components` array → the stored form (examples included); unknown component types are
 * left out, and null when nothing usable is there.
 */
export function toStoredComponents(components: unknown, format: ParameterFormat = "POSITIONAL"): StoredTemplateComponents | null {
  const parsed = z.array(z.unknown()).max(20).safeParse(components);
  if (!parsed.success) return null;
  const stored: StoredTemplateComponents = { header: null, body: null, footer: null, buttons: [] };
  for (const item of parsed.data) {
    const component = metaComponent.safeParse(item);
    if (!component.success) continue;
    const { type, format: headerFormatName, text, buttons, example } = component.data;
    // One of each, as Meta defines them: a repeated component is ignored.
    if (type === "HEADER" && stored.header === null) {
      const headerFormat =
        headerFormatName && HEADER_FORMATS.includes(headerFormatName)
          ? (headerFormatName as HeaderFormat)
          : text !== undefined
            ? "TEXT"
            : null;
      if (headerFormat === "TEXT") {
        const examples = examplesOf(text ?? "", format, example?.header_text, example?.header_text_named_params);
        stored.header = { format: "TEXT", text: text ?? "", ...(examples ? { examples } : {}) };
      } else if (headerFormat) {
        stored.header = { format: headerFormat, text: null, ...(example?.header_handle?.[0] ? { handle: example.header_handle[0] } : {}) };
      }
    } else if (type === "BODY" && stored.body === null) {
      if (text !== undefined) {
        const examples = examplesOf(text, format, example?.body_text?.[0], example?.body_text_named_params);
        stored.body = { text, ...(examples ? { examples } : {}) };
      } else if (component.data.add_security_recommendation !== undefined) {
        const secure = component.data.add_security_recommendation;
        stored.body = { text: authenticationBodyText(secure), addSecurityRecommendation: secure };
      }
    } else if (type === "FOOTER") {
      if (text !== undefined) stored.footer = { text };
      else if (component.data.code_expiration_minutes !== undefined)
        stored.footer = {
          text: `This code expires in ${component.data.code_expiration_minutes} minutes.`,
          codeExpirationMinutes: component.data.code_expiration_minutes,
        };
    } else if (type === "BUTTONS" && buttons) {
      stored.buttons = buttons.map((button) => {
        const buttonExample = Array.isArray(button.example) ? button.example[0] : button.example;
        return {
          type: button.type,
          text: button.text ?? "",
          url: button.url ?? null,
          ...(buttonExample !== undefined ? { example: buttonExample } : {}),
          ...(button.phone_number !== undefined ? { phoneNumber: button.phone_number } : {}),
          ...(button.otp_type === "COPY_CODE" || button.otp_type === "ONE_TAP" ? { otpType: button.otp_type } : {}),
        };
      });
    }
  }
  return stored.header || stored.body || stored.footer || stored.buttons.length > 0 ? stored : null;
}

/**
 * The stored shape, strict and bounded, built on a string type: plain strings for the decrypted
 * column, the HTTP layer's safe strings for the API's input (src/features/templates/routes.ts).
 */
export function componentsSchemaWith(text: (max: number) => z.ZodString) {
  const optionalText = (max: number) => text(max).nullable().optional();
  return z.strictObject({
    header: z
      .strictObject({
        format: z.enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]),
        text: text(4096).nullable(),
        examples: z.array(text(2048)).max(100).optional(),
        handle: optionalText(4096),
      })
      .nullable(),
    body: z
      .strictObject({
        text: text(4096),
        examples: z.array(text(2048)).max(100).optional(),
        addSecurityRecommendation: z.boolean().optional(),
      })
      .nullable(),
    footer: z
      .strictObject({ text: text(4096), codeExpirationMinutes: z.number().int().min(0).max(10_000).nullable().optional() })
      .nullable(),
    buttons: z
      .array(
        z.strictObject({
          type: text(32),
          text: text(200),
          url: text(4096).nullable(),
          example: optionalText(4096),
          phoneNumber: optionalText(64),
          otpType: z.enum(["COPY_CODE", "ONE_TAP"]).nullable().optional(),
          packageName: optionalText(256),
          signatureHash: optionalText(64),
        }),
      )
      .max(20),
  });
}

const storedComponentsSchema = componentsSchemaWith((max) => z.string().max(max));

/** The components read back from the database (JSON), or null when they are not in the stored shape. */
export function readStoredComponents(value: unknown): StoredTemplateComponents | null {
  const stored = storedComponentsSchema.safeParse(typeof value === "string" ? safeJson(value) : value);
  return stored.success ? stored.data : null;
}

/**
 * The stored form → Meta's creation `components` (reference/messaging-and-integrations.md §1.2):
 * examples as `header_text`/`body_text` (an array of arrays) or their `_named_params` forms, a
 * media header's upload handle, authentication's preset body, expiry footer and OTP button.
 */
export function toMetaComponents(content: TemplateContent, category: string, format: ParameterFormat): Array<Record<string, unknown>> {
  const components: Array<Record<string, unknown>> = [];
  if (category === "AUTHENTICATION") {
    components.push({ type: "BODY", add_security_recommendation: content.body?.addSecurityRecommendation ?? false });
    const minutes = content.footer?.codeExpirationMinutes;
    if (minutes) components.push({ type: "FOOTER", code_expiration_minutes: minutes });
    components.push({
      type: "BUTTONS",
      buttons: content.buttons.map((button) => ({
        type: "OTP",
        otp_type: button.otpType ?? "COPY_CODE",
        ...(button.text ? { text: button.text } : {}),
        ...(button.otpType === "ONE_TAP"
          ? { supported_apps: [{ package_name: button.packageName ?? "", signature_hash: button.signatureHash ?? "" }] }
          : {}),
      })),
    });
    return components;
  }
  const named = (text: string, examples: readonly string[] | undefined) =>
    placeholdersOf(text, "NAMED").map((name, index) => ({ param_name: name, example: examples?.[index] ?? "" }));
  const header = content.header;
  if (header?.format === "TEXT") {
    const text = header.text ?? "";
    const hasParameter = placeholdersOf(text, format).length > 0;
    components.push({
      type: "HEADER",
      format: "TEXT",
      text,
      ...(hasParameter
        ? {
            example:
              format === "NAMED"
                ? { header_text_named_params: named(text, header.examples) }
                : { header_text: header.examples?.slice(0, 1) ?? [] },
          }
        : {}),
    });
  } else if (header?.format === "LOCATION") {
    components.push({ type: "HEADER", format: "LOCATION" });
  } else if (header) {
    components.push({ type: "HEADER", format: header.format, example: { header_handle: [header.handle ?? ""] } });
  }
  if (content.body) {
    const text = content.body.text;
    const count = placeholdersOf(text, format).length;
    components.push({
      type: "BODY",
      text,
      ...(count > 0
        ? {
            example:
              format === "NAMED"
                ? { body_text_named_params: named(text, content.body.examples) }
                : { body_text: [content.body.examples?.slice(0, count) ?? []] },
          }
        : {}),
    });
  }
  if (content.footer?.text) components.push({ type: "FOOTER", text: content.footer.text });
  if (content.buttons.length > 0) {
    components.push({
      type: "BUTTONS",
      buttons: content.buttons.map((button) => {
        switch (button.type) {
          case "URL":
            return {
              type: "URL",
              text: button.text,
              url: button.url ?? "",
              ...(/\{\{\s*1\s*\}\}$/.test(button.url ?? "") ? { example: [button.example ?? ""] } : {}),
            };
          case "PHONE_NUMBER":
            return { type: "PHONE_NUMBER", text: button.text, phone_number: button.phoneNumber ?? "" };
          case "COPY_CODE":
            return { type: "COPY_CODE", example: button.example ?? "" };
          default:
            return { type: button.type, text: button.text };
        }
      }),
    });
  }
  return components;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export { placeholdersOf };

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
