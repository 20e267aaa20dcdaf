import { z } from "zod";
import { safeString } from "../../http/safe-string.ts";
import { sendMessageBody, type SendMessageBody } from "../messages/message-schema.ts";
import { describeIssues } from "./graph-errors.ts";

// What a Cloud API client posts to POST /{phone-number-id}/messages (reference/cloud-api.md §5), and
// its translation into Parley's own send body, whose schema then applies Meta's limits once more
// (src/features/messages/message-schema.ts). Strict objects: a field Parley would silently drop
// (a reply `context`, `biz_opaque_callback_data`, which Parley uses itself) is refused, so a client
// never believes a message carries something it does not.

const text = (max: number) => safeString(max);
const mediaObject = z.strictObject({
  id: text(64).optional(),
  link: text(2048).optional(),
  caption: text(1024).optional(),
  filename: text(240).optional(),
});

const parameter = z.strictObject({
  type: z.enum(["text", "payload", "image", "video", "document", "currency", "date_time"]),
  text: text(1024).optional(),
  parameter_name: text(64).optional(),
  payload: text(256).optional(),
  image: mediaObject.optional(),
  video: mediaObject.optional(),
  document: mediaObject.optional(),
  currency: z.strictObject({ fallback_value: text(64), code: text(3), amount_1000: z.number().int() }).optional(),
  date_time: z.strictObject({ fallback_value: text(64) }).optional(),
});

const component = z.strictObject({
  type: z.enum(["header", "body", "button", "HEADER", "BODY", "BUTTON"]),
  sub_type: z.enum(["quick_reply", "url", "copy_code", "QUICK_REPLY", "URL", "COPY_CODE"]).optional(),
  index: z.union([z.number().int(), text(2)]).optional(),
  parameters: z.array(parameter).max(60).optional(),
});

const template = z.strictObject({
  name: text(512),
  language: z.strictObject({ code: text(16), policy: z.literal("deterministic").optional() }),
  components: z.array(component).max(13).optional(),
});

const interactiveHeader = z.strictObject({
  type: z.enum(["text", "image", "video", "document"]),
  text: text(60).optional(),
  image: mediaObject.optional(),
  video: mediaObject.optional(),
  document: mediaObject.optional(),
});

const interactive = z.strictObject({
  type: z.enum(["button", "list"]),
  header: interactiveHeader.optional(),
  body: z.strictObject({ text: text(4096) }),
  footer: z.strictObject({ text: text(60) }).optional(),
  action: z.strictObject({
    button: text(20).optional(),
    buttons: z
      .array(z.strictObject({ type: z.literal("reply"), reply: z.strictObject({ id: text(256), title: text(20) }) }))
      .max(3)
      .optional(),
    sections: z
      .array(
        z.strictObject({
          title: text(24).optional(),
          rows: z.array(z.strictObject({ id: text(200), title: text(24), description: text(72).optional() })).max(10),
        }),
      )
      .max(10)
      .optional(),
  }),
});

const GRAPH_TYPES = ["text", "template", "image", "video", "audio", "document", "sticker", "interactive", "reaction", "location"] as const;

/** A message send as Graph takes it. */
export const graphSendBody = z.strictObject({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.literal("individual").optional(),
  to: text(32).regex(/^\+?[1-9]\d{7,14}$/, "must be a phone number in international format"),
  type: z.enum(GRAPH_TYPES).optional(),
  text: z.strictObject({ body: text(4096), preview_url: z.boolean().optional() }).optional(),
  template: template.optional(),
  image: mediaObject.optional(),
  video: mediaObject.optional(),
  audio: mediaObject.optional(),
  document: mediaObject.optional(),
  sticker: mediaObject.optional(),
  interactive: interactive.optional(),
  reaction: z.strictObject({ message_id: text(256), emoji: text(16) }).optional(),
  // Graph takes the coordinates as numbers or numeric strings.
  location: z
    .strictObject({
      latitude: z.union([
        z.number(),
        text(32)
          .regex(/^-?\d+(\.\d+)?$/)
          .transform(Number),
      ]),
      longitude: z.union([
        z.number(),
        text(32)
          .regex(/^-?\d+(\.\d+)?$/)
          .transform(Number),
      ]),
      name: text(1000).optional(),
      address: text(1000).optional(),
    })
    .optional(),
});
export type GraphSendBody = z.output<typeof graphSendBody>;

/** A read receipt as Graph takes it (POST /{phone-number-id}/messages with `status: "read"`). */
export const graphReadBody = z.strictObject({
  messaging_product: z.literal("whatsapp"),
  status: z.literal("read"),
  message_id: text(256),
  typing_indicator: z.strictObject({ type: z.literal("text") }).optional(),
});
export type GraphReadBody = z.output<typeof graphReadBody>;

/** Types Graph sends that Parley's send path does not (yet) carry: refused with Meta's 131051. */
export const UNSUPPORTED_TYPES: ReadonlySet<string> = new Set(["contacts", "order", "address", "call_permission_request"]);

function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

function media(value: z.output<typeof mediaObject>): Record<string, string> {
  return defined({ id: value.id, link: value.link, caption: value.caption, filename: value.filename }) as Record<string, string>;
}

function templateParameter(value: z.output<typeof parameter>): Record<string, unknown> {
  switch (value.type) {
    case "text":
      return defined({ type: "text", text: value.text, parameterName: value.parameter_name });
    case "payload":
      return { type: "payload", payload: value.payload };
    case "image":
    case "video":
    case "document":
      return { type: value.type, [value.type]: value[value.type] ? media(value[value.type]!) : undefined };
    case "currency":
      return {
        type: "currency",
        currency: value.currency
          ? { fallbackValue: value.currency.fallback_value, code: value.currency.code, amount1000: value.currency.amount_1000 }
          : undefined,
      };
    case "date_time":
      return { type: "dateTime", dateTime: value.date_time ? { fallbackValue: value.date_time.fallback_value } : undefined };
  }
}

function templateOf(value: z.output<typeof template>): Record<string, unknown> {
  return defined({
    name: value.name,
    language: value.language.code,
    components: value.components?.map((entry) => {
      const type = entry.type.toLowerCase();
      const parameters = (entry.parameters ?? []).map(templateParameter);
      if (type !== "button") return { type, parameters };
      return {
        type,
        subType: entry.sub_type?.toLowerCase(),
        index: entry.index === undefined ? undefined : Number(entry.index),
        parameters,
      };
    }),
  });
}

function interactiveOf(value: z.output<typeof interactive>): Record<string, unknown> {
  if (value.type === "button") {
    const header = value.header;
    return defined({
      type: "button",
      header: header
        ? header.type === "text"
          ? { type: "text", text: header.text }
          : { type: header.type, [header.type]: header[header.type] ? media(header[header.type]!) : undefined }
        : undefined,
      body: value.body.text,
      footer: value.footer?.text,
      buttons: value.action.buttons?.map((button) => ({ id: button.reply.id, title: button.reply.title })),
    });
  }
  return defined({
    type: "list",
    header: value.header?.type === "text" ? value.header.text : value.header === undefined ? undefined : { unsupported: value.header.type },
    body: value.body.text,
    footer: value.footer?.text,
    button: value.action.button,
    sections: value.action.sections?.map((section) =>
      defined({
        title: section.title,
        rows: section.rows.map((row) => defined({ id: row.id, title: row.title, description: row.description })),
      }),
    ),
  });
}

export type TranslatedSend = { body: SendMessageBody } | { problems: string[] };

/**
 * Parley's send body for a Graph send from `numberId`. A reaction names its target by wamid; the
 * caller resolves it to Parley's message id first (`reactionMessageId`).
 */
export function toParleySend(graph: GraphSendBody, numberId: string, reactionMessageId?: string): TranslatedSend {
  const type = graph.type ?? "text";
  const to = graph.to.startsWith("+") ? graph.to : `+${graph.to}`;
  let payload: unknown;
  switch (type) {
    case "text":
      payload = graph.text ? defined({ body: graph.text.body, previewUrl: graph.text.preview_url }) : undefined;
      break;
    case "template":
      payload = graph.template ? templateOf(graph.template) : undefined;
      break;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      payload = graph[type] ? media(graph[type]) : undefined;
      break;
    case "interactive":
      payload = graph.interactive ? interactiveOf(graph.interactive) : undefined;
      break;
    case "reaction":
      payload = graph.reaction ? { messageId: reactionMessageId, emoji: graph.reaction.emoji } : undefined;
      break;
    case "location":
      payload = graph.location
        ? defined({
            latitude: graph.location.latitude,
            longitude: graph.location.longitude,
            name: graph.location.name,
            address: graph.location.address,
          })
        : undefined;
      break;
  }
  const candidate: Record<string, unknown> = { numberId, to, type, [type]: payload };
  for (const other of GRAPH_TYPES) if (other !== type && graph[other] !== undefined) candidate[other] = graph[other];
  const parsed = sendMessageBody.safeParse(candidate);
  if (parsed.success) return { body: parsed.data };
  return { problems: [describeIssues(parsed.error.issues, toGraphPath)] };
}

/** Parley's field path in Graph's spelling, for error_data.details. */
function toGraphPath(path: readonly PropertyKey[]): string {
  const names: Record<string, string> = {
    previewUrl: "preview_url",
    parameterName: "parameter_name",
    subType: "sub_type",
    fallbackValue: "fallback_value",
    amount1000: "amount_1000",
    dateTime: "date_time",
    messageId: "message_id",
  };
  return path.map((part) => (typeof part === "string" ? (names[part] ?? part) : String(part))).join(".") || "body";
}
