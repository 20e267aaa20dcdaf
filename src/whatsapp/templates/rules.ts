// Meta's rules for a template's content (reference/messaging-and-integrations.md §1.1–§1.2), the
// one home for the server and the dashboard: the dashboard's build imports this file by relative
// path, so it imports nothing and holds only pure functions. Each problem names its field in words
// ("Body: at most 1,024 characters"), so the editor shows it beside the field and the API answers
// it in `details`.

export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";
export type ParameterFormat = "POSITIONAL" | "NAMED";
export type HeaderFormat = "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
export type OtpType = "COPY_CODE" | "ONE_TAP";
export type ButtonType = "QUICK_REPLY" | "URL" | "PHONE_NUMBER" | "COPY_CODE" | "OTP";

/**
 * A template's content as Parley keeps it (encrypted) and as the editor writes it. Examples follow
 * the parameters in order (`placeholdersOf`): positional {{1}}, {{2}}… or named in order of
 * appearance. Optional fields are absent for templates read from Meta without them.
 */
export type TemplateContent = {
  header: { format: HeaderFormat; text: string | null; examples?: string[] | undefined; handle?: string | null | undefined } | null;
  body: { text: string; examples?: string[] | undefined; addSecurityRecommendation?: boolean | undefined } | null;
  footer: { text: string; codeExpirationMinutes?: number | null | undefined } | null;
  buttons: Array<{
    type: string;
    text: string;
    url: string | null;
    example?: string | null | undefined;
    phoneNumber?: string | null | undefined;
    otpType?: OtpType | null | undefined;
    packageName?: string | null | undefined;
    signatureHash?: string | null | undefined;
  }>;
};

export type TemplateDraft = {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  components: TemplateContent;
  /** Meta's `message_send_ttl_seconds`: how long an undelivered message is retried before it is dropped. */
  messageSendTtlSeconds?: number | undefined;
};

export type TemplateProblem = { field: string; message: string };

export const TEMPLATE_LIMITS = {
  name: 512,
  headerText: 60,
  body: 1024,
  footer: 60,
  example: 1024,
  buttons: 10,
  quickReplies: 10,
  urlButtons: 2,
  phoneButtons: 1,
  copyCodeButtons: 1,
  buttonText: 25,
  url: 2000,
  phoneNumber: 20,
  copyCode: 15,
  codeExpirationMinutes: { min: 1, max: 90 },
} as const;

/**
 * The delivery time-to-live a template may set, per category (reference §1.4), in seconds.
 * Authentication and utility templates take it through the Cloud API, where -1 means the default
 * 30 days; a marketing template's (43,200–2,592,000) applies only through the Marketing Messages
 * API, which Parley does not send through, so Parley refuses it rather than store a setting that
 * would do nothing.
 */
export const MESSAGE_TTL_RANGES = {
  AUTHENTICATION: { min: 30, max: 900, cloudApi: true },
  UTILITY: { min: 30, max: 43_200, cloudApi: true },
  MARKETING: { min: 43_200, max: 2_592_000, cloudApi: false },
} as const satisfies Record<TemplateCategory, { min: number; max: number; cloudApi: boolean }>;

/** Why this TTL cannot be set on a template of this category, naming the field; null when it can. */
export function messageTtlProblem(category: TemplateCategory, ttl: number): TemplateProblem | null {
  const field = "messageSendTtlSeconds";
  const range = MESSAGE_TTL_RANGES[category];
  if (!range.cloudApi) {
    return {
      field,
      message: `Message TTL (message_send_ttl_seconds): a marketing template's TTL applies only through the Marketing Messages API, which Parley does not use; leave it unset`,
    };
  }
  if (ttl === -1 || (Number.isInteger(ttl) && ttl >= range.min && ttl <= range.max)) return null;
  return {
    field,
    message: `Message TTL (message_send_ttl_seconds): for ${category.toLowerCase()} templates ${range.min.toLocaleString("en")} to ${range.max.toLocaleString("en")} seconds, or -1 for 30 days`,
  };
}

export const NAME_PATTERN = /^[a-z0-9_]+$/;
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(_[A-Za-z]{2,4})?$/;
const NAMED_PARAMETER = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The authentication body Meta sets (the text cannot be chosen), with the security sentence when asked. */
export function authenticationBodyText(addSecurityRecommendation: boolean): string {
  return `{{1}} is your verification code.${addSecurityRecommendation ? " For your security, do not share this code." : ""}`;
}

const BUTTON_WORDS: Record<string, string> = {
  QUICK_REPLY: "quick reply",
  URL: "URL",
  PHONE_NUMBER: "phone number",
  COPY_CODE: "copy code",
  OTP: "one-time password",
};

/** "Button 2 (URL)", as the problems and the editor name a button. */
export function buttonLabel(index: number, type: string): string {
  return `Button ${index + 1} (${BUTTON_WORDS[type] ?? type.toLowerCase()})`;
}

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

/** Replaces each parameter by its example (or leaves {{name}} when there is none), for a preview. */
export function fillExamples(text: string, format: ParameterFormat, examples: readonly string[] | undefined): string {
  const names = placeholdersOf(text, format);
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const index = names.indexOf(name);
    const example = index >= 0 ? examples?.[index] : undefined;
    return example ? example : whole;
  });
}

const RTL_LANGUAGES = ["ar", "he", "fa", "ur"];
const RTL_TEXT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** Whether a template reads right to left: an Arabic (or Hebrew, Persian, Urdu) language, or such text. */
export function isRightToLeft(language: string, text: string): boolean {
  return RTL_LANGUAGES.includes(language.split("_")[0]!.toLowerCase()) || RTL_TEXT.test(text);
}

const formatNumber = (value: number) => value.toLocaleString("en-US");
const atMost = (label: string, max: number) => `${label}: at most ${formatNumber(max)} characters`;

function checkParameters(
  problems: TemplateProblem[],
  field: string,
  label: string,
  text: string,
  format: ParameterFormat,
  examples: readonly string[] | undefined,
): string[] {
  const all = [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  if (format === "POSITIONAL") {
    if (all.some((name) => !/^\d+$/.test(name)))
      problems.push({ field, message: `${label}: use numbered parameters like {{1}}, or choose named parameters` });
    const numbers = placeholdersOf(text, format).map(Number);
    if (numbers.some((value, index) => value !== index + 1))
      problems.push({ field, message: `${label}: parameters must be numbered {{1}}, {{2}}, … without gaps` });
  } else if (all.some((name) => !NAMED_PARAMETER.test(name))) {
    problems.push({ field, message: `${label}: parameter names use lower-case letters, digits and underscores, like {{first_name}}` });
  }
  const names = placeholdersOf(text, format);
  names.forEach((name, index) => {
    const example = examples?.[index]?.trim() ?? "";
    if (example === "")
      problems.push({ field: `${field.split(".")[0]}.examples.${index}`, message: `${label}: the example for {{${name}}} is required` });
    else if (example.length > TEMPLATE_LIMITS.example)
      problems.push({
        field: `${field.split(".")[0]}.examples.${index}`,
        message: atMost(`${label}: the example for {{${name}}}`, TEMPLATE_LIMITS.example),
      });
  });
  return names;
}

function checkAuthentication(problems: TemplateProblem[], components: TemplateContent): void {
  if (components.header) problems.push({ field: "header", message: "Header: authentication templates have no header" });
  const expiration = components.footer?.codeExpirationMinutes;
  const { min, max } = TEMPLATE_LIMITS.codeExpirationMinutes;
  if (expiration !== undefined && expiration !== null && (!Number.isInteger(expiration) || expiration < min || expiration > max))
    problems.push({ field: "footer.codeExpirationMinutes", message: `Footer: the code expiration is ${min} to ${max} minutes` });
  const otp = components.buttons.filter((button) => button.type === "OTP");
  if (otp.length !== 1 || components.buttons.length !== 1)
    problems.push({ field: "buttons", message: "Buttons: an authentication template has exactly one one-time password button" });
  components.buttons.forEach((button, index) => {
    if (button.type !== "OTP") return;
    const label = buttonLabel(index, button.type);
    if (button.otpType !== "COPY_CODE" && button.otpType !== "ONE_TAP")
      problems.push({ field: `buttons.${index}.otpType`, message: `${label}: choose copy code or one-tap autofill` });
    if (button.text.length > TEMPLATE_LIMITS.buttonText)
      problems.push({ field: `buttons.${index}.text`, message: atMost(`${label}: the label`, TEMPLATE_LIMITS.buttonText) });
    if (button.otpType === "ONE_TAP") {
      if (!button.packageName || !/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/.test(button.packageName) || button.packageName.length > 224)
        problems.push({
          field: `buttons.${index}.packageName`,
          message: `${label}: the Android package name (like com.example.app) is required`,
        });
      if (!button.signatureHash || !/^[A-Za-z0-9+/]{11}$/.test(button.signatureHash))
        problems.push({ field: `buttons.${index}.signatureHash`, message: `${label}: the app signature hash is 11 characters` });
    }
  });
}

function checkButtons(problems: TemplateProblem[], draft: TemplateDraft): void {
  const { buttons } = draft.components;
  if (buttons.length > TEMPLATE_LIMITS.buttons)
    problems.push({ field: "buttons", message: `Buttons: at most ${TEMPLATE_LIMITS.buttons} buttons` });
  const count = (type: string) => buttons.filter((button) => button.type === type).length;
  if (count("QUICK_REPLY") > TEMPLATE_LIMITS.quickReplies)
    problems.push({ field: "buttons", message: `Buttons: at most ${TEMPLATE_LIMITS.quickReplies} quick replies` });
  if (count("URL") > TEMPLATE_LIMITS.urlButtons)
    problems.push({ field: "buttons", message: `Buttons: at most ${TEMPLATE_LIMITS.urlButtons} URL buttons` });
  if (count("PHONE_NUMBER") > TEMPLATE_LIMITS.phoneButtons)
    problems.push({ field: "buttons", message: "Buttons: at most one phone number button" });
  if (count("COPY_CODE") > TEMPLATE_LIMITS.copyCodeButtons)
    problems.push({ field: "buttons", message: "Buttons: at most one copy code button" });
  // Quick replies form one group: QR,QR,URL or URL,QR,QR, never QR,URL,QR.
  const quickIndexes = buttons.flatMap((button, index) => (button.type === "QUICK_REPLY" ? [index] : []));
  if (quickIndexes.length > 1 && quickIndexes[quickIndexes.length - 1]! - quickIndexes[0]! !== quickIndexes.length - 1)
    problems.push({ field: "buttons", message: "Buttons: quick replies must be next to each other" });

  buttons.forEach((button, index) => {
    const label = buttonLabel(index, button.type);
    const field = `buttons.${index}`;
    if (!(button.type in BUTTON_WORDS)) {
      problems.push({ field: `${field}.type`, message: `${label}: this kind of button is not supported` });
      return;
    }
    if (button.type === "OTP") {
      problems.push({ field: `${field}.type`, message: `${label}: only in authentication templates` });
      return;
    }
    if (button.type !== "COPY_CODE") {
      if (button.text.trim() === "") problems.push({ field: `${field}.text`, message: `${label}: the label is required` });
      else if (button.text.length > TEMPLATE_LIMITS.buttonText)
        problems.push({ field: `${field}.text`, message: atMost(`${label}: the label`, TEMPLATE_LIMITS.buttonText) });
    }
    if (button.type === "URL") {
      const url = button.url ?? "";
      if (!/^https?:\/\/[^\s]+$/i.test(url))
        problems.push({ field: `${field}.url`, message: `${label}: the URL must start with https://` });
      else if (url.length > TEMPLATE_LIMITS.url)
        problems.push({ field: `${field}.url`, message: atMost(`${label}: the URL`, TEMPLATE_LIMITS.url) });
      const variables = [...url.matchAll(PLACEHOLDER)];
      if (variables.length > 1 || (variables.length === 1 && !/\{\{\s*1\s*\}\}$/.test(url)))
        problems.push({ field: `${field}.url`, message: `${label}: the URL may hold one variable, {{1}}, at its end` });
      else if (variables.length === 1) {
        const example = button.example?.trim() ?? "";
        if (example === "") problems.push({ field: `${field}.example`, message: `${label}: the example is required for a dynamic URL` });
        else if (example.length > TEMPLATE_LIMITS.url)
          problems.push({ field: `${field}.example`, message: atMost(`${label}: the example`, TEMPLATE_LIMITS.url) });
      }
    }
    if (button.type === "PHONE_NUMBER") {
      const phone = button.phoneNumber ?? "";
      if (phone.length > TEMPLATE_LIMITS.phoneNumber)
        problems.push({ field: `${field}.phoneNumber`, message: atMost(`${label}: the phone number`, TEMPLATE_LIMITS.phoneNumber) });
      else if (!/^\+?[0-9]{6,19}$/.test(phone))
        problems.push({
          field: `${field}.phoneNumber`,
          message: `${label}: the phone number is digits with its country code, like +14155550100`,
        });
    }
    if (button.type === "COPY_CODE") {
      const code = button.example?.trim() ?? "";
      if (code === "") problems.push({ field: `${field}.example`, message: `${label}: the example code is required` });
      else if (code.length > TEMPLATE_LIMITS.copyCode)
        problems.push({ field: `${field}.example`, message: atMost(`${label}: the code`, TEMPLATE_LIMITS.copyCode) });
    }
  });
}

/** Everything Meta would refuse in this draft, each naming its field in words; empty when it may be submitted. */
export function validateTemplateDraft(draft: TemplateDraft): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const { components, parameterFormat: format } = draft;
  if (draft.name.length === 0) problems.push({ field: "name", message: "Name: required" });
  else if (draft.name.length > TEMPLATE_LIMITS.name) problems.push({ field: "name", message: atMost("Name", TEMPLATE_LIMITS.name) });
  else if (!NAME_PATTERN.test(draft.name))
    problems.push({ field: "name", message: "Name: lower-case letters, digits and underscores only" });
  if (!LANGUAGE_PATTERN.test(draft.language)) problems.push({ field: "language", message: "Language: a code like en or en_US" });
  if (draft.messageSendTtlSeconds !== undefined) {
    const problem = messageTtlProblem(draft.category, draft.messageSendTtlSeconds);
    if (problem) problems.push(problem);
  }

  if (draft.category === "AUTHENTICATION") {
    checkAuthentication(problems, components);
    return problems;
  }

  const header = components.header;
  if (header) {
    if (header.format === "TEXT") {
      const text = header.text ?? "";
      if (text.trim() === "") problems.push({ field: "header.text", message: "Header: the text is required" });
      else if (text.length > TEMPLATE_LIMITS.headerText)
        problems.push({ field: "header.text", message: atMost("Header", TEMPLATE_LIMITS.headerText) });
      if (/[*~`]|\n/.test(text.replace(PLACEHOLDER, "")))
        problems.push({ field: "header.text", message: "Header: no formatting characters (* ~ `) or line breaks" });
      const names = checkParameters(problems, "header.text", "Header", text, format, header.examples);
      if (names.length > 1) problems.push({ field: "header.text", message: "Header: at most one parameter" });
    } else if (header.format === "LOCATION") {
      // A location header takes no example: the location is given at send time.
    } else if (!header.handle) {
      problems.push({ field: "header.handle", message: `Header: upload an example ${header.format.toLowerCase()}` });
    }
  }

  const body = components.body;
  if (!body || body.text.trim() === "") problems.push({ field: "body.text", message: "Body: the text is required" });
  else {
    if (body.text.length > TEMPLATE_LIMITS.body) problems.push({ field: "body.text", message: atMost("Body", TEMPLATE_LIMITS.body) });
    checkParameters(problems, "body.text", "Body", body.text, format, body.examples);
  }

  if (components.footer) {
    const text = components.footer.text;
    if (text.length > TEMPLATE_LIMITS.footer) problems.push({ field: "footer.text", message: atMost("Footer", TEMPLATE_LIMITS.footer) });
    if ([...text.matchAll(PLACEHOLDER)].length > 0) problems.push({ field: "footer.text", message: "Footer: no parameters" });
  }

  checkButtons(problems, draft);
  return problems;
}
