import { z } from "zod";

// Request shapes for POST /{phone-number-id}/messages, with the limits of reference §5.
// Objects are loose: Meta ignores fields it does not know.

export const sendBaseSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.enum(["individual", "group"]).optional(),
  // A phone in `to`, or (from May 2026) a business-scoped user id in `recipient`: exactly one.
  to: z.string().min(1).max(64).optional(),
  recipient: z.string().min(1).max(200).optional(),
  type: z.string().default("text"),
  context: z.looseObject({ message_id: z.string().min(1).max(256) }).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
});

export const markReadSchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  status: z.literal("read"),
  message_id: z.string().min(1).max(256),
  typing_indicator: z.looseObject({ type: z.literal("text") }).optional(),
});

export const textSchema = z.looseObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() });

function mediaSchema(extra: { caption: boolean; filename: boolean }) {
  return z
    .looseObject({
      id: z.string().min(1).max(64).optional(),
      link: z.url().max(2048).optional(),
      caption: extra.caption ? z.string().max(1024).optional() : z.never().optional(),
      filename: extra.filename ? z.string().max(240).optional() : z.never().optional(),
    })
    .refine((m) => (m.id === undefined) !== (m.link === undefined), { message: "exactly one of id or link is required" });
}

export const mediaSchemas = {
  image: mediaSchema({ caption: true, filename: false }),
  video: mediaSchema({ caption: true, filename: false }),
  document: mediaSchema({ caption: true, filename: true }),
  audio: mediaSchema({ caption: false, filename: false }),
  sticker: mediaSchema({ caption: false, filename: false }),
} as const;

export type MediaType = keyof typeof mediaSchemas;

export const reactionSchema = z.looseObject({ message_id: z.string().min(1).max(256), emoji: z.string().max(16) });

export const locationSchema = z.looseObject({
  latitude: z.union([z.number(), z.string()]),
  longitude: z.union([z.number(), z.string()]),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
});

const templateParameterSchema = z.looseObject({ type: z.string().min(1), parameter_name: z.string().optional() });

export const templateSchema = z.looseObject({
  name: z.string().min(1).max(512),
  language: z.looseObject({ code: z.string().min(1).max(20), policy: z.literal("deterministic").optional() }),
  components: z
    .array(
      z.looseObject({
        type: z.enum(["header", "body", "button", "footer", "carousel", "limited_time_offer"]),
        sub_type: z.string().optional(),
        index: z.union([z.string(), z.number()]).optional(),
        parameters: z.array(templateParameterSchema).optional(),
      }),
    )
    .optional(),
});

// Interactive messages: the structure is checked here (a missing part is "(#100) The parameter
// interactive['body']['text'] is required."); the lengths and counts are WhatsApp's own checks,
// answered with 131009 (./interactive.ts).
const interactiveHeaderSchema = z.looseObject({ type: z.enum(["text", "image", "video", "document"]), text: z.string().optional() });
const interactiveFooterSchema = z.looseObject({ text: z.string() });

export const interactiveButtonSchema = z.looseObject({
  type: z.literal("button"),
  header: interactiveHeaderSchema.optional(),
  body: z.looseObject({ text: z.string() }),
  footer: interactiveFooterSchema.optional(),
  action: z.looseObject({
    buttons: z.array(z.looseObject({ type: z.literal("reply"), reply: z.looseObject({ id: z.string(), title: z.string() }) })),
  }),
});

export const interactiveListSchema = z.looseObject({
  type: z.literal("list"),
  header: z.looseObject({ type: z.literal("text"), text: z.string() }).optional(),
  body: z.looseObject({ text: z.string() }),
  footer: interactiveFooterSchema.optional(),
  action: z.looseObject({
    button: z.string(),
    sections: z.array(
      z.looseObject({
        title: z.string().optional(),
        rows: z.array(z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() })),
      }),
    ),
  }),
});

export type InteractiveButtons = z.infer<typeof interactiveButtonSchema>;
export type InteractiveList = z.infer<typeof interactiveListSchema>;

export const interactiveTypeSchema = z.looseObject({ type: z.enum(["button", "list"]) });
