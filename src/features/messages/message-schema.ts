import { z } from "zod";
import { asSafeString, safeString } from "../../http/safe-string.ts";
import type { RenderedTemplate } from "../templates/render.ts";

// The send API's body, with Meta's limits (reference/cloud-api.md §5; cited per field). Strict
// objects throughout: a field Meta would ignore is a client mistake we report. The accepted body is
// turned into the Graph type object (`toGraphContent`) that is stored encrypted and sent as is.

const E164 = /^\+[1-9]\d{7,14}$/;
// Numeric media ids (upload answer, §9) or a https link Meta fetches (§5).
const mediaId = safeString(64).regex(/^\d{1,64}$/, "must be a media id from an upload");
const mediaLink = asSafeString(z.url({ protocol: /^https$/ }).max(2048));
// Or a Parley media reference: a file uploaded to POST …/media for this conversation (kept
// encrypted; the worker uploads it to Graph and sends by the id Meta gives it).
const mediaUpload = z.uuid();
const oneSource = (media: { id?: string | undefined; link?: string | undefined; upload?: string | undefined }) =>
  [media.id, media.link, media.upload].filter((value) => value !== undefined).length === 1;

const mediaRef = z
  .strictObject({ id: mediaId.optional(), link: mediaLink.optional() })
  .refine((media) => (media.id === undefined) !== (media.link === undefined), { message: "give exactly one of id or link" });

/** A message's own media (not a template's or a header's): an id, a link or a Parley upload. */
const sendableMedia = z
  .strictObject({ id: mediaId.optional(), link: mediaLink.optional(), upload: mediaUpload.optional() })
  .refine(oneSource, { message: "give exactly one of id, link or upload" });

/** §5: caption ≤ 1024 for image, video and document; filename for documents only; none for audio and sticker. */
const captioned = z
  .strictObject({
    id: mediaId.optional(),
    link: mediaLink.optional(),
    upload: mediaUpload.optional(),
    caption: safeString(1024).min(1).optional(),
  })
  .refine(oneSource, { message: "give exactly one of id, link or upload" });
const documentMedia = z
  .strictObject({
    id: mediaId.optional(),
    link: mediaLink.optional(),
    upload: mediaUpload.optional(),
    caption: safeString(1024).min(1).optional(),
    filename: safeString(240)
      .min(1)
      .regex(/^[^/\\\0]+$/, "must be a file name, not a path")
      .optional(),
  })
  .refine(oneSource, { message: "give exactly one of id, link or upload" });

/** §5 text: body ≤ 4096 characters. */
const text = z.strictObject({ body: safeString(4096).min(1), previewUrl: z.boolean().optional() });

// Template parameters (§5 and §8). Meta publishes no per-parameter length; 1,024 bounds the hydrated
// text (132005 "too long" stays Meta's call).
const templateParameter = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("text"),
    text: safeString(1024).min(1),
    parameterName: safeString(64)
      .regex(/^[a-z0-9_]{1,64}$/)
      .optional(),
  }),
  z.strictObject({ type: z.literal("payload"), payload: safeString(256).min(1) }),
  z.strictObject({ type: z.literal("image"), image: mediaRef }),
  z.strictObject({ type: z.literal("video"), video: mediaRef }),
  z.strictObject({
    type: z.literal("document"),
    document: z.strictObject({ id: mediaId.optional(), link: mediaLink.optional(), filename: safeString(240).min(1).optional() }),
  }),
  z.strictObject({
    type: z.literal("currency"),
    currency: z.strictObject({
      fallbackValue: safeString(64).min(1),
      code: safeString(3).regex(/^[A-Z]{3}$/),
      amount1000: z.number().int(),
    }),
  }),
  z.strictObject({ type: z.literal("dateTime"), dateTime: z.strictObject({ fallbackValue: safeString(64).min(1) }) }),
  // A location header's value (§8): the map the customer sees above the body.
  z.strictObject({
    type: z.literal("location"),
    location: z.strictObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: safeString(1000).min(1).optional(),
      address: safeString(1000).min(1).optional(),
    }),
  }),
]);

const templateComponent = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("header"), parameters: z.array(templateParameter).min(1).max(1) }),
  z.strictObject({ type: z.literal("body"), parameters: z.array(templateParameter).min(1).max(60) }),
  z.strictObject({
    type: z.literal("button"),
    subType: z.enum(["quick_reply", "url", "copy_code"]),
    index: z.number().int().min(0).max(9),
    parameters: z.array(templateParameter).min(1).max(1),
  }),
]);

/** §8: name lowercase alphanumerics and underscores ≤ 512; language like en or en_US. */
const template = z.strictObject({
  name: safeString(512).regex(/^[a-z0-9_]{1,512}$/, "must be lowercase letters, digits and underscores"),
  language: safeString(6).regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "must be a language code such as en or en_US"),
  components: z.array(templateComponent).max(13).optional(),
});

/** §5 reply buttons: 1–3 buttons, id ≤ 256, title ≤ 20, body ≤ 1024, footer ≤ 60, header text ≤ 60. */
const buttonHeader = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), text: safeString(60).min(1) }),
  z.strictObject({ type: z.literal("image"), image: mediaRef }),
  z.strictObject({ type: z.literal("video"), video: mediaRef }),
  z.strictObject({ type: z.literal("document"), document: mediaRef }),
]);
const buttons = z.strictObject({
  type: z.literal("button"),
  header: buttonHeader.optional(),
  body: safeString(1024).min(1),
  footer: safeString(60).min(1).optional(),
  buttons: z
    .array(z.strictObject({ id: safeString(256).min(1), title: safeString(20).min(1) }))
    .min(1)
    .max(3)
    .refine((list) => new Set(list.map((b) => b.id)).size === list.length, { message: "button ids must be unique" })
    .refine((list) => new Set(list.map((b) => b.title)).size === list.length, { message: "button titles must be unique" }),
});

/** §5 list: ≤ 10 sections, ≤ 10 rows in all; button ≤ 20, row id ≤ 200, title ≤ 24, description ≤ 72, section title ≤ 24, body ≤ 4096, header text ≤ 60. */
const list = z
  .strictObject({
    type: z.literal("list"),
    header: safeString(60).min(1).optional(),
    body: safeString(4096).min(1),
    footer: safeString(60).min(1).optional(),
    button: safeString(20).min(1),
    sections: z
      .array(
        z.strictObject({
          title: safeString(24).min(1).optional(),
          rows: z
            .array(
              z.strictObject({ id: safeString(200).min(1), title: safeString(24).min(1), description: safeString(72).min(1).optional() }),
            )
            .min(1)
            .max(10),
        }),
      )
      .min(1)
      .max(10),
  })
  .superRefine((value, ctx) => {
    const rows = value.sections.flatMap((section) => section.rows);
    if (rows.length > 10) ctx.addIssue({ code: "custom", path: ["sections"], message: "a list holds at most 10 rows in all sections" });
    if (new Set(rows.map((row) => row.id)).size !== rows.length)
      ctx.addIssue({ code: "custom", path: ["sections"], message: "row ids must be unique" });
    if (value.sections.length > 1 && value.sections.some((section) => section.title === undefined)) {
      ctx.addIssue({ code: "custom", path: ["sections"], message: "every section needs a title when there are several" });
    }
  });

/** §5 reaction: to a message of the conversation (Parley's id); an empty emoji removes the reaction. */
const reaction = z.strictObject({
  messageId: z.uuid(),
  emoji: safeString(16).refine((value) => value === "" || /^\p{Extended_Pictographic}/u.test(value), {
    message: "must be an emoji, or empty to remove",
  }),
});

/** §5 location: coordinates in degrees; name and address are free text Meta shows under the map. */
const location = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: safeString(1000).min(1).optional(),
  address: safeString(1000).min(1).optional(),
});

export const MESSAGE_TYPES = [
  "text",
  "template",
  "image",
  "video",
  "audio",
  "document",
  "sticker",
  "interactive",
  "reaction",
  "location",
] as const;
export type SendMessageType = (typeof MESSAGE_TYPES)[number];

export const sendMessageBody = z
  .strictObject({
    /** An existing conversation (its number and contact), or `numberId` + `to`. */
    conversationId: z.uuid().optional(),
    numberId: z.uuid().optional(),
    to: safeString(16).regex(E164, "must be an E.164 phone number such as +4915112345678").optional(),
    type: z.enum(MESSAGE_TYPES),
    text: text.optional(),
    template: template.optional(),
    image: captioned.optional(),
    video: captioned.optional(),
    audio: sendableMedia.optional(),
    document: documentMedia.optional(),
    sticker: sendableMedia.optional(),
    interactive: z.discriminatedUnion("type", [buttons, list]).optional(),
    reaction: reaction.optional(),
    location: location.optional(),
    // Collision detection in the team inbox (see src/features/conversations/collision.ts).
    ifLastMessageId: z
      .uuid()
      .nullable()
      .optional()
      .describe(
        "The conversation's newest message when the reply was started (null: it had none). If someone else has sent a message in the conversation since, the send is refused with 409 REPLY_COLLISION.",
      ),
    takeover: z
      .boolean()
      .optional()
      .describe(
        "Send even though someone else answered since `ifLastMessageId` (after the person confirmed). Audited as conversation.takeover.",
      ),
  })
  .superRefine((value, ctx) => {
    if (value.conversationId === undefined) {
      if (value.ifLastMessageId !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["ifLastMessageId"],
          message: "only a reply in a conversation (conversationId) can carry ifLastMessageId",
        });
      if (value.takeover !== undefined)
        ctx.addIssue({ code: "custom", path: ["takeover"], message: "only a reply in a conversation (conversationId) can carry takeover" });
    }
    if (value.conversationId !== undefined) {
      if (value.to !== undefined)
        ctx.addIssue({ code: "custom", path: ["to"], message: "give either conversationId or numberId + to, not both" });
    } else if (value.to === undefined || value.numberId === undefined) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "give conversationId, or numberId and to" });
    }
    for (const type of MESSAGE_TYPES) {
      const present = value[type] !== undefined;
      if (type === value.type && !present)
        ctx.addIssue({ code: "custom", path: [type], message: `a ${type} message needs a ${type} object` });
      if (type !== value.type && present)
        ctx.addIssue({ code: "custom", path: [type], message: `only the ${value.type} object may be given` });
    }
  });

export type SendMessageBody = z.output<typeof sendMessageBody>;

/** The Parley upload a media message carries, if any (`image.upload`, `document.upload`, …). */
export function uploadOf(body: SendMessageBody): string | undefined {
  if (body.type === "image" || body.type === "video" || body.type === "audio" || body.type === "document" || body.type === "sticker")
    return body[body.type]!.upload;
  return undefined;
}

/** Free-form types need an open customer service window (§11); templates do not. */
export function needsServiceWindow(type: SendMessageType): boolean {
  return type !== "template";
}

type MediaInput = { id?: string | undefined; link?: string | undefined; caption?: string | undefined; filename?: string | undefined };

function graphMedia(media: MediaInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (media.id !== undefined) out.id = media.id;
  if (media.link !== undefined) out.link = media.link;
  if (media.caption !== undefined) out.caption = media.caption;
  if (media.filename !== undefined) out.filename = media.filename;
  return out;
}

function headerMedia(header: Exclude<z.output<typeof buttonHeader>, { type: "text" }>): MediaInput {
  if (header.type === "image") return header.image;
  if (header.type === "video") return header.video;
  return header.document;
}

type TemplateParameter = z.output<typeof templateParameter>;

function graphParameter(parameter: TemplateParameter): Record<string, unknown> {
  switch (parameter.type) {
    case "text":
      return { type: "text", text: parameter.text, ...(parameter.parameterName ? { parameter_name: parameter.parameterName } : {}) };
    case "payload":
      return { type: "payload", payload: parameter.payload };
    case "image":
      return { type: "image", image: graphMedia(parameter.image) };
    case "video":
      return { type: "video", video: graphMedia(parameter.video) };
    case "document":
      return { type: "document", document: graphMedia(parameter.document) };
    case "currency":
      return {
        type: "currency",
        currency: {
          fallback_value: parameter.currency.fallbackValue,
          code: parameter.currency.code,
          amount_1000: parameter.currency.amount1000,
        },
      };
    case "dateTime":
      return { type: "date_time", date_time: { fallback_value: parameter.dateTime.fallbackValue } };
    case "location":
      return { type: "location", location: { ...parameter.location } };
  }
}

/**
 * The Graph object for the message's type (the value of `body[type]` in POST /{id}/messages).
 * Reactions get the target's wamid from the caller (`reactionWamid`).
 */
export function toGraphContent(body: SendMessageBody, reactionWamid?: string): Record<string, unknown> {
  switch (body.type) {
    case "text":
      return { body: body.text!.body, ...(body.text!.previewUrl !== undefined ? { preview_url: body.text!.previewUrl } : {}) };
    case "template": {
      const value = body.template!;
      return {
        name: value.name,
        language: { code: value.language },
        ...(value.components
          ? {
              components: value.components.map((component) =>
                component.type === "button"
                  ? {
                      type: "button",
                      sub_type: component.subType,
                      index: String(component.index),
                      parameters: component.parameters.map(graphParameter),
                    }
                  : { type: component.type, parameters: component.parameters.map(graphParameter) },
              ),
            }
          : {}),
      };
    }
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return graphMedia(body[body.type]!);
    case "interactive": {
      const value = body.interactive!;
      if (value.type === "button") {
        const header = value.header;
        return {
          type: "button",
          ...(header
            ? {
                header:
                  header.type === "text"
                    ? { type: "text", text: header.text }
                    : { type: header.type, [header.type]: graphMedia(headerMedia(header)) },
              }
            : {}),
          body: { text: value.body },
          ...(value.footer ? { footer: { text: value.footer } } : {}),
          action: { buttons: value.buttons.map((button) => ({ type: "reply", reply: { id: button.id, title: button.title } })) },
        };
      }
      return {
        type: "list",
        ...(value.header ? { header: { type: "text", text: value.header } } : {}),
        body: { text: value.body },
        ...(value.footer ? { footer: { text: value.footer } } : {}),
        action: {
          button: value.button,
          sections: value.sections.map((section) => ({
            ...(section.title ? { title: section.title } : {}),
            rows: section.rows.map((row) => ({
              id: row.id,
              title: row.title,
              ...(row.description ? { description: row.description } : {}),
            })),
          })),
        },
      };
    }
    case "reaction":
      return { message_id: reactionWamid ?? "", emoji: body.reaction!.emoji };
    case "location": {
      const value = body.location!;
      return {
        latitude: value.latitude,
        longitude: value.longitude,
        ...(value.name !== undefined ? { name: value.name } : {}),
        ...(value.address !== undefined ? { address: value.address } : {}),
      };
    }
  }
}

/**
 * The key under which a template message's content keeps its rendered form (features/templates/
 * render.ts) beside the Graph object: stored encrypted with it, never sent to Meta (`graphPayloadOf`).
 */
export const RENDERED_KEY = "parley_rendered";

/** The stored content: the Graph object, with the rendered template when there is one. */
export function withRendered(content: Record<string, unknown>, rendered: RenderedTemplate | null): Record<string, unknown> {
  return rendered === null ? content : { ...content, [RENDERED_KEY]: rendered };
}

/** What Graph is sent for stored content: everything but Parley's own keys. */
export function graphPayloadOf(content: unknown): unknown {
  if (content === null || typeof content !== "object" || Array.isArray(content) || !(RENDERED_KEY in content)) return content;
  const { [RENDERED_KEY]: _rendered, ...graph } = content as Record<string, unknown>;
  return graph;
}
