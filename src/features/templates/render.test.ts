import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import type { StoredTemplateComponents } from "../../whatsapp/templates/components.ts";
import { renderedLine, renderTemplate, type SentComponent } from "./render.ts";

// The renderer as a table: each row is a stored template, a send's components, and what the
// customer reads — or the sentence the send is refused with.

const template = (parts: Partial<StoredTemplateComponents>): StoredTemplateComponents => ({
  header: null,
  body: null,
  footer: null,
  buttons: [],
  ...parts,
});
const text = (value: string, parameterName?: string) => ({
  type: "text" as const,
  text: value,
  ...(parameterName ? { parameterName } : {}),
});
const body = (...parameters: SentComponent["parameters"]): SentComponent => ({ type: "body", parameters });
const header = (...parameters: SentComponent["parameters"]): SentComponent => ({ type: "header", parameters });

describe("renderTemplate", () => {
  const rows: Array<{ name: string; stored: StoredTemplateComponents; named?: boolean; sent: SentComponent[]; expected: unknown }> = [
    {
      name: "positional body, text header and footer",
      stored: template({
        header: { format: "TEXT", text: "Order {{1}}" },
        body: { text: "Hello {{1}}, your order {{2}} is on its way. {{1}}!" },
        footer: { text: "Reply STOP to opt out" },
      }),
      sent: [header(text("A-1")), body(text("Dana"), text("A-1042"))],
      expected: {
        header: { kind: "text", text: "Order A-1" },
        body: "Hello Dana, your order A-1042 is on its way. Dana!",
        footer: "Reply STOP to opt out",
        buttons: [],
      },
    },
    {
      name: "named parameters in any order",
      stored: template({ body: { text: "Hi {{first_name}}, see you on {{ day }}." } }),
      named: true,
      sent: [body(text("Monday", "day"), text("Dana", "first_name"))],
      expected: { header: null, body: "Hi Dana, see you on Monday.", footer: null, buttons: [] },
    },
    {
      name: "currency and date_time show their fallback value",
      stored: template({ body: { text: "You owe {{1}} by {{2}}." } }),
      sent: [
        body(
          { type: "currency", currency: { fallbackValue: "€12.50" } },
          { type: "dateTime", dateTime: { fallbackValue: "1 March 2027" } },
        ),
      ],
      expected: { header: null, body: "You owe €12.50 by 1 March 2027.", footer: null, buttons: [] },
    },
    {
      name: "a document header shows its kind and file name",
      stored: template({ header: { format: "DOCUMENT", text: null }, body: { text: "Your invoice." } }),
      sent: [header({ type: "document", document: { id: "123", filename: "invoice.pdf" } })],
      expected: {
        header: { kind: "media", mediaType: "document", filename: "invoice.pdf", link: null },
        body: "Your invoice.",
        footer: null,
        buttons: [],
      },
    },
    {
      name: "an image header by link",
      stored: template({ header: { format: "IMAGE", text: null }, body: { text: "New in." } }),
      sent: [header({ type: "image", image: { link: "https://cdn.example.test/a.png" } })],
      expected: {
        header: { kind: "media", mediaType: "image", filename: null, link: "https://cdn.example.test/a.png" },
        body: "New in.",
        footer: null,
        buttons: [],
      },
    },
    {
      name: "a location header",
      stored: template({ header: { format: "LOCATION", text: null }, body: { text: "Pick up here." } }),
      sent: [header({ type: "location", location: { latitude: 52.52, longitude: 13.405, name: "Depot", address: "Hauptstr. 1" } })],
      expected: {
        header: { kind: "location", latitude: 52.52, longitude: 13.405, name: "Depot", address: "Hauptstr. 1" },
        body: "Pick up here.",
        footer: null,
        buttons: [],
      },
    },
    {
      name: "buttons: quick reply, a dynamic URL with its suffix, a static URL, a phone number",
      stored: template({
        body: { text: "Track it." },
        buttons: [
          { type: "QUICK_REPLY", text: "Stop", url: null },
          { type: "URL", text: "Track", url: "https://shop.example.test/track/{{1}}" },
          { type: "URL", text: "Help", url: "https://shop.example.test/help" },
          { type: "PHONE_NUMBER", text: "Call us", url: null },
        ],
      }),
      sent: [{ type: "button", subType: "url", index: 1, parameters: [text("A-1042")] }],
      expected: {
        header: null,
        body: "Track it.",
        footer: null,
        buttons: [
          { type: "quick_reply", text: "Stop", url: null },
          { type: "url", text: "Track", url: "https://shop.example.test/track/A-1042" },
          { type: "url", text: "Help", url: "https://shop.example.test/help" },
          { type: "phone_number", text: "Call us", url: null },
        ],
      },
    },
  ];

  for (const row of rows) {
    it(row.name, () => {
      expect(renderTemplate(row.stored, row.named ? "NAMED" : "POSITIONAL", row.sent)).toEqual(row.expected);
    });
  }

  const refusals: Array<{ name: string; stored: StoredTemplateComponents; named?: boolean; sent: SentComponent[]; message: string }> = [
    {
      name: "a missing positional parameter",
      stored: template({ body: { text: "Hello {{1}}, order {{2}}." } }),
      sent: [body(text("Dana"))],
      message: "The template's body has no value for {{2}}.",
    },
    {
      name: "a named parameter given without its name",
      stored: template({ body: { text: "Hi {{first_name}}." } }),
      named: true,
      sent: [body(text("Dana"))],
      message: "The template's body has no value for {{first_name}}.",
    },
    {
      name: "a media header without its media",
      stored: template({ header: { format: "VIDEO", text: null }, body: { text: "Watch." } }),
      sent: [],
      message: "The template's header needs one video parameter.",
    },
    {
      name: "a location header without a location",
      stored: template({ header: { format: "LOCATION", text: null }, body: { text: "Here." } }),
      sent: [header(text("x"))],
      message: "The template's header needs one location parameter.",
    },
    {
      name: "a dynamic URL button without its suffix",
      stored: template({ body: { text: "Go." }, buttons: [{ type: "URL", text: "Open", url: "https://x.example.test/{{1}}" }] }),
      sent: [],
      message: "The template's button 1 link has no value for {{1}}.",
    },
  ];

  for (const row of refusals) {
    it(`refuses ${row.name} with a 422 naming it`, () => {
      let thrown: unknown;
      try {
        renderTemplate(row.stored, row.named ? "NAMED" : "POSITIONAL", row.sent);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: "UNPROCESSABLE", message: row.message, details: { reason: "template_parameters_mismatch" } });
    });
  }
});

describe("renderedLine", () => {
  it("is the body on one line, or the text header when there is no body", () => {
    expect(renderedLine({ header: null, body: "Hello\n\nDana,\n  welcome", footer: null, buttons: [] })).toBe("Hello Dana, welcome");
    expect(renderedLine({ header: { kind: "text", text: "Only a header" }, body: null, footer: null, buttons: [] })).toBe("Only a header");
    expect(renderedLine({ header: null, body: null, footer: "f", buttons: [] })).toBeNull();
  });
});
