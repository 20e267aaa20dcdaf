import {
  authenticationBodyText,
  isRightToLeft,
  placeholdersOf,
  type ButtonType,
  type HeaderFormat,
  type OtpType,
  type ParameterFormat,
  type TemplateCategory,
  type TemplateContent,
  type TemplateProblem,
} from "../../../../src/whatsapp/templates/rules.ts";
import { ApiError, describeError, type ApiAnswer } from "../../lib/api.ts";

// The Templates screen's model: a template as the API lists it, the editor's draft and its way to
// and from the API's content, and the words the screen uses for statuses, qualities and refusals.
// Meta's rules themselves live in src/whatsapp/templates/rules.ts, shared with the server.

export type { ButtonType, HeaderFormat, OtpType, ParameterFormat, TemplateCategory, TemplateContent, TemplateProblem };
export { isRightToLeft, placeholdersOf };

export type Template = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/templates">["data"][number];
export type NumberRow = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/numbers">["numbers"][number];

export const CATEGORY_LABELS: Record<TemplateCategory, string> = {
  MARKETING: "Marketing",
  UTILITY: "Utility",
  AUTHENTICATION: "Authentication",
};

export const STATUS_LABELS: Record<string, string> = {
  APPROVED: "Approved",
  PENDING: "Pending review",
  REJECTED: "Rejected",
  PAUSED: "Paused",
  DISABLED: "Disabled",
  IN_APPEAL: "In appeal",
  PENDING_DELETION: "Pending deletion",
  DELETED: "Deleted",
  LIMIT_EXCEEDED: "Limit exceeded",
  ARCHIVED: "Archived",
};

export const statusLabel = (status: string) => STATUS_LABELS[status] ?? status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");

/** The statuses the filter offers: Meta's common ones, then any other the list holds. */
export const FILTER_STATUSES = ["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED"] as const;

export const QUALITY_LABELS: Record<string, string> = {
  GREEN: "High quality",
  YELLOW: "Medium quality",
  RED: "Low quality",
  UNKNOWN: "Quality not rated yet",
};

/** Meta's rejection reasons (message_template_status_update `reason`) in words. */
const REJECTION_REASONS: Record<string, string> = {
  ABUSIVE_CONTENT: "the content was found abusive",
  INCORRECT_CATEGORY: "the category does not match the content",
  INVALID_FORMAT: "the format is not valid",
  SCAM: "the content looks like a scam",
  TAG_CONTENT_MISMATCH: "the content does not match the category",
  PROMOTIONAL: "the content is promotional",
};

const TTL_UNITS: Array<[seconds: number, one: string, many: string]> = [
  [86_400, "day", "days"],
  [3_600, "hour", "hours"],
  [60, "minute", "minutes"],
  [1, "second", "seconds"],
];

/** A duration in the largest whole units: 600 → "10 minutes", 5 400 → "1 hour and 30 minutes". */
export function durationWords(totalSeconds: number): string {
  let left = totalSeconds;
  const parts: string[] = [];
  for (const [size, one, many] of TTL_UNITS) {
    const count = Math.floor(left / size);
    if (count === 0) continue;
    parts.push(`${count} ${count === 1 ? one : many}`);
    left -= count * size;
  }
  return parts.length <= 1 ? (parts[0] ?? "0 seconds") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)!}`;
}

/**
 * The template's delivery time-to-live in words ("Expires if not delivered within 10 minutes"), or
 * null for the category's default (none set, or -1), which the screen does not mention.
 */
export function ttlText(template: Pick<Template, "messageSendTtlSeconds">): string | null {
  const seconds = template.messageSendTtlSeconds;
  if (seconds === null || seconds <= 0) return null;
  return `Expires if not delivered within ${durationWords(seconds)}`;
}

/** "Rejected: the format is not valid", or null when there is no reason to give. */
export function rejectionText(template: Template): string | null {
  const reason = template.reason;
  if (!reason || reason === "NONE") return null;
  return REJECTION_REASONS[reason] ?? reason.toLowerCase().replace(/_/g, " ");
}

export const BUTTON_TYPE_LABELS: Record<ButtonType, string> = {
  QUICK_REPLY: "Quick reply",
  URL: "Website (URL)",
  PHONE_NUMBER: "Call phone number",
  COPY_CODE: "Copy offer code",
  OTP: "One-time password",
};

export const HEADER_LABELS: Record<"NONE" | HeaderFormat, string> = {
  NONE: "None",
  TEXT: "Text",
  IMAGE: "Image",
  VIDEO: "Video",
  DOCUMENT: "Document",
  LOCATION: "Location",
};

/** The file types Meta takes as a media header's example. */
export const EXAMPLE_ACCEPT: Record<"IMAGE" | "VIDEO" | "DOCUMENT", string> = {
  IMAGE: "image/jpeg,image/png",
  VIDEO: "video/mp4",
  DOCUMENT: "application/pdf",
};

export type ButtonDraft = {
  key: number;
  type: ButtonType;
  text: string;
  url: string;
  example: string;
  phoneNumber: string;
  otpType: OtpType;
  packageName: string;
  signatureHash: string;
};

/** What the editor holds; examples by parameter name, so rewording the text keeps them. */
export type EditorDraft = {
  numberId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  headerFormat: "NONE" | HeaderFormat;
  headerText: string;
  headerExamples: Record<string, string>;
  headerHandle: string | null;
  bodyText: string;
  bodyExamples: Record<string, string>;
  addSecurityRecommendation: boolean;
  footerText: string;
  codeExpirationMinutes: string;
  buttons: ButtonDraft[];
};

let nextButtonKey = 1;

export function newButton(type: ButtonType): ButtonDraft {
  return {
    key: nextButtonKey++,
    type,
    text: type === "OTP" ? "Copy code" : "",
    url: "",
    example: "",
    phoneNumber: "",
    otpType: "COPY_CODE",
    packageName: "",
    signatureHash: "",
  };
}

export function emptyDraft(numberId: string): EditorDraft {
  return {
    numberId,
    name: "",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    headerFormat: "NONE",
    headerText: "",
    headerExamples: {},
    headerHandle: null,
    bodyText: "",
    bodyExamples: {},
    addSecurityRecommendation: true,
    footerText: "",
    codeExpirationMinutes: "",
    buttons: [],
  };
}

const byName = (text: string, format: ParameterFormat, examples: readonly string[] | undefined): Record<string, string> =>
  Object.fromEntries(placeholdersOf(text, format).map((name, index) => [name, examples?.[index] ?? ""]));

const isCategory = (value: string | null): value is TemplateCategory =>
  value === "MARKETING" || value === "UTILITY" || value === "AUTHENTICATION";

/** A listed template in the editor's terms (its content unknown until a sync: an empty body). */
export function draftOf(template: Template, fallbackNumberId: string): EditorDraft {
  const format = template.parameterFormat;
  const content = template.components;
  const header = content?.header ?? null;
  return {
    numberId: template.numberId ?? fallbackNumberId,
    name: template.name,
    language: template.language,
    category: isCategory(template.category) ? template.category : "UTILITY",
    parameterFormat: format,
    headerFormat: header?.format ?? "NONE",
    headerText: header?.text ?? "",
    headerExamples: byName(header?.text ?? "", format, header?.examples),
    headerHandle: header?.handle ?? null,
    bodyText: content?.body?.text ?? "",
    bodyExamples: byName(content?.body?.text ?? "", format, content?.body?.examples),
    addSecurityRecommendation: content?.body?.addSecurityRecommendation ?? false,
    footerText: content?.footer?.text ?? "",
    codeExpirationMinutes: content?.footer?.codeExpirationMinutes ? String(content.footer.codeExpirationMinutes) : "",
    buttons: (content?.buttons ?? []).map((button) => ({
      ...newButton(button.type as ButtonType),
      text: button.text,
      url: button.url ?? "",
      example: button.example ?? "",
      phoneNumber: button.phoneNumber ?? "",
      otpType: button.otpType ?? "COPY_CODE",
      packageName: button.packageName ?? "",
      signatureHash: button.signatureHash ?? "",
    })),
  };
}

const examplesOf = (text: string, format: ParameterFormat, examples: Record<string, string>) =>
  placeholdersOf(text, format).map((name) => examples[name] ?? "");

/** The draft's content as the API takes it; authentication templates carry only what Meta lets them choose. */
export function contentOf(draft: EditorDraft): TemplateContent {
  const format = draft.parameterFormat;
  if (draft.category === "AUTHENTICATION") {
    const minutes = Number(draft.codeExpirationMinutes);
    return {
      header: null,
      body: { text: authenticationBodyText(draft.addSecurityRecommendation), addSecurityRecommendation: draft.addSecurityRecommendation },
      footer:
        draft.codeExpirationMinutes.trim() !== ""
          ? { text: `This code expires in ${minutes} minutes.`, codeExpirationMinutes: Number.isFinite(minutes) ? minutes : 0 }
          : null,
      buttons: draft.buttons.map((button) => ({
        type: "OTP",
        text: button.text,
        url: null,
        otpType: button.otpType,
        ...(button.otpType === "ONE_TAP" ? { packageName: button.packageName, signatureHash: button.signatureHash } : {}),
      })),
    };
  }
  const header =
    draft.headerFormat === "NONE"
      ? null
      : draft.headerFormat === "TEXT"
        ? { format: "TEXT" as const, text: draft.headerText, examples: examplesOf(draft.headerText, format, draft.headerExamples) }
        : draft.headerFormat === "LOCATION"
          ? { format: "LOCATION" as const, text: null }
          : { format: draft.headerFormat, text: null, handle: draft.headerHandle };
  return {
    header,
    body: { text: draft.bodyText, examples: examplesOf(draft.bodyText, format, draft.bodyExamples) },
    footer: draft.footerText.trim() !== "" ? { text: draft.footerText } : null,
    buttons: draft.buttons.map((button) => {
      switch (button.type) {
        case "URL":
          return {
            type: "URL",
            text: button.text,
            url: button.url,
            ...(/\{\{\s*1\s*\}\}$/.test(button.url) ? { example: button.example } : {}),
          };
        case "PHONE_NUMBER":
          return { type: "PHONE_NUMBER", text: button.text, url: null, phoneNumber: button.phoneNumber };
        case "COPY_CODE":
          return { type: "COPY_CODE", text: button.text || "Copy offer code", url: null, example: button.example };
        default:
          return { type: button.type, text: button.text, url: null };
      }
    }),
  };
}

/** The rule problems of a refusal (UNPROCESSABLE with details.problems), each naming its field. */
export function problemsOf(error: unknown): TemplateProblem[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { problems?: unknown } | undefined;
  if (!Array.isArray(details?.problems)) return [];
  return details.problems.filter(
    (problem): problem is TemplateProblem =>
      typeof problem === "object" &&
      problem !== null &&
      typeof (problem as TemplateProblem).field === "string" &&
      typeof (problem as TemplateProblem).message === "string",
  );
}

/** What a failed write shows: the refusal in the server's words, and its field problems. */
export type Refusal = { message: string; problems: TemplateProblem[] };

export function describeRefusal(error: unknown): Refusal {
  const problems = problemsOf(error);
  return {
    message: describeError(error),
    problems,
  };
}

/** The problems about `field` or anything under it ("buttons.1" takes "buttons.1.url"). */
export function problemsFor(problems: readonly TemplateProblem[], field: string): string[] {
  return problems.filter((problem) => problem.field === field || problem.field.startsWith(`${field}.`)).map((problem) => problem.message);
}

/** A number as the screen names it: its mode and the last digits of its phone. */
export function numberLabel(number: Pick<NumberRow, "mode" | "displayPhoneLast4">): string {
  const kind = number.mode === "sandbox" ? "Sandbox number" : "Number";
  return number.displayPhoneLast4 ? `${kind} ••••${number.displayPhoneLast4}` : kind;
}

export const TEMPLATE_NAME_HINT = "Lower-case letters, digits and underscores, like order_update.";
