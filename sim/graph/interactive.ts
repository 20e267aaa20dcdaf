import { GraphError } from "./errors.ts";
import type { InteractiveButtons, InteractiveList } from "./send-schema.ts";

// WhatsApp's own checks of an interactive message's lengths and counts (reference §5), refused as
// "(#131009) Parameter value is not valid" with details in Meta's words, e.g. "Button title length
// invalid. Min length: 1, Max length: 20" or "Invalid buttons count. Min allowed buttons: 1, Max
// allowed buttons: 3".

function checkLength(what: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  const length = [...value].length;
  if (length < min || length > max) throw new GraphError(131009, `${what} length invalid. Min length: ${min}, Max length: ${max}`);
}

function checkCount(what: string, count: number, min: number, max: number): void {
  if (count < min || count > max) {
    throw new GraphError(131009, `Invalid ${what} count. Min allowed ${what}: ${min}, Max allowed ${what}: ${max}`);
  }
}

function checkCommonParts(message: { header?: { text?: string | undefined } | undefined; footer?: { text: string } | undefined }): void {
  checkLength("Header text", message.header?.text, 1, 60);
  checkLength("Footer text", message.footer?.text, 1, 60);
}

export function checkInteractiveButtons(message: InteractiveButtons): void {
  checkCommonParts(message);
  checkLength("Body text", message.body.text, 1, 1024);
  checkCount("buttons", message.action.buttons.length, 1, 3);
  for (const { reply } of message.action.buttons) {
    checkLength("Button title", reply.title, 1, 20);
    checkLength("Button id", reply.id, 1, 256);
  }
}

export function checkInteractiveList(message: InteractiveList): void {
  checkCommonParts(message);
  checkLength("Body text", message.body.text, 1, 4096);
  checkLength("Button text", message.action.button, 1, 20);
  checkCount("sections", message.action.sections.length, 1, 10);
  const rows = message.action.sections.flatMap((section) => section.rows);
  checkCount("rows", rows.length, 1, 10);
  for (const section of message.action.sections) checkLength("Section title", section.title, 1, 24);
  for (const row of rows) {
    checkLength("Row title", row.title, 1, 24);
    checkLength("Row id", row.id, 1, 200);
    checkLength("Row description", row.description, 0, 72);
  }
}
