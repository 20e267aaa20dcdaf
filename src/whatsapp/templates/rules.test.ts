import { describe, expect, it } from "vitest";
import { isRightToLeft, messageTtlProblem, validateTemplateDraft, type TemplateDraft } from "./rules.ts";

// Meta's template limits (reference/messaging-and-integrations.md §1.2), each refused with its field
// named in words, as the API answers and the editor shows them.

function draft(overrides: Partial<TemplateDraft> = {}, components: Partial<TemplateDraft["components"]> = {}): TemplateDraft {
  return {
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    ...overrides,
    components: {
      header: null,
      body: { text: "Hi {{1}}, order {{2}} shipped.", examples: ["Ana", "A-1"] },
      footer: null,
      buttons: [],
      ...components,
    },
  };
}

const messages = (value: TemplateDraft) => validateTemplateDraft(value).map((problem) => problem.message);

describe("template rules", () => {
  it("accepts a complete template with every component kind", () => {
    expect(
      messages(
        draft(
          {},
          {
            header: { format: "TEXT", text: "Order {{1}}", examples: ["#12"] },
            footer: { text: "Lucky Shrub" },
            buttons: [
              { type: "QUICK_REPLY", text: "Stop", url: null },
              { type: "URL", text: "Track", url: "https://example.com/t/{{1}}", example: "abc" },
              { type: "PHONE_NUMBER", text: "Call", url: null, phoneNumber: "+14155550100" },
              { type: "COPY_CODE", text: "", url: null, example: "SAVE10" },
            ],
          },
        ),
      ),
    ).toEqual([]);
    expect(messages(draft({}, { header: { format: "IMAGE", text: null, handle: "4::aGFuZGxl" } }))).toEqual([]);
    expect(messages(draft({}, { header: { format: "LOCATION", text: null } }))).toEqual([]);
  });

  it("names each limit's field in words", () => {
    expect(messages(draft({}, { body: { text: "x".repeat(1025) } }))).toContain("Body: at most 1,024 characters");
    expect(messages(draft({}, { header: { format: "TEXT", text: "x".repeat(61) } }))).toContain("Header: at most 60 characters");
    expect(messages(draft({}, { header: { format: "TEXT", text: "{{1}} and {{2}}", examples: ["a", "b"] } }))).toContain(
      "Header: at most one parameter",
    );
    expect(messages(draft({}, { footer: { text: "y".repeat(61) } }))).toContain("Footer: at most 60 characters");
    expect(messages(draft({}, { footer: { text: "Hi {{1}}" } }))).toContain("Footer: no parameters");
    expect(messages(draft({}, { body: { text: "Hi {{1}} and {{3}}.", examples: ["a", "b"] } }))).toContain(
      "Body: parameters must be numbered {{1}}, {{2}}, … without gaps",
    );
    expect(messages(draft({}, { body: { text: "Hi {{1}}, order {{2}}.", examples: ["a"] } }))).toContain(
      "Body: the example for {{2}} is required",
    );
    expect(messages(draft({}, { header: { format: "VIDEO", text: null } }))).toContain("Header: upload an example video");
    expect(messages(draft({ name: "Order Update" }))).toContain("Name: lower-case letters, digits and underscores only");
    expect(messages(draft({ language: "english" }))).toContain("Language: a code like en or en_US");
  });

  it("checks named parameters and their examples", () => {
    const named = draft({ parameterFormat: "NAMED" }, { body: { text: "Hi {{first_name}}, see you {{Day}}.", examples: ["Ana"] } });
    expect(messages(named)).toEqual([
      "Body: parameter names use lower-case letters, digits and underscores, like {{first_name}}",
      "Body: the example for {{Day}} is required",
    ]);
  });

  it("checks buttons: caps, grouping, labels, URLs, phone numbers and codes", () => {
    const qr = { type: "QUICK_REPLY", text: "Yes", url: null };
    expect(messages(draft({}, { buttons: Array.from({ length: 11 }, () => qr) }))).toContain("Buttons: at most 10 buttons");
    const url = { type: "URL", text: "Go", url: "https://example.com" };
    expect(messages(draft({}, { buttons: [url, url, url] }))).toContain("Buttons: at most 2 URL buttons");
    expect(messages(draft({}, { buttons: [qr, url, qr] }))).toContain("Buttons: quick replies must be next to each other");
    expect(messages(draft({}, { buttons: [qr, { type: "URL", text: "Track", url: "https://example.com/{{1}}" }] }))).toContain(
      "Button 2 (URL): the example is required for a dynamic URL",
    );
    expect(messages(draft({}, { buttons: [{ type: "URL", text: "Track", url: "https://example.com/{{1}}/x", example: "a" }] }))).toContain(
      "Button 1 (URL): the URL may hold one variable, {{1}}, at its end",
    );
    expect(messages(draft({}, { buttons: [{ ...qr, text: "z".repeat(26) }] }))).toContain(
      "Button 1 (quick reply): the label: at most 25 characters",
    );
    expect(
      messages(draft({}, { buttons: [{ type: "PHONE_NUMBER", text: "Call", url: null, phoneNumber: "+1".padEnd(21, "5") }] })),
    ).toContain("Button 1 (phone number): the phone number: at most 20 characters");
    expect(messages(draft({}, { buttons: [{ type: "COPY_CODE", text: "", url: null, example: "C".repeat(16) }] }))).toContain(
      "Button 1 (copy code): the code: at most 15 characters",
    );
    expect(messages(draft({}, { buttons: [{ type: "OTP", text: "Copy", url: null, otpType: "COPY_CODE" }] }))).toContain(
      "Button 1 (one-time password): only in authentication templates",
    );
  });

  it("applies authentication's own rules: one OTP button, code expiry 1–90 minutes, no header, one-tap app details", () => {
    const auth = (components: Partial<TemplateDraft["components"]>) => draft({ category: "AUTHENTICATION" }, components);
    const otp = { type: "OTP", text: "Copy code", url: null, otpType: "COPY_CODE" as const };
    expect(
      messages(
        auth({ body: { text: "", addSecurityRecommendation: true }, footer: { text: "", codeExpirationMinutes: 10 }, buttons: [otp] }),
      ),
    ).toEqual([]);
    expect(messages(auth({ buttons: [] }))).toContain("Buttons: an authentication template has exactly one one-time password button");
    expect(messages(auth({ footer: { text: "", codeExpirationMinutes: 91 }, buttons: [otp] }))).toContain(
      "Footer: the code expiration is 1 to 90 minutes",
    );
    expect(messages(auth({ header: { format: "TEXT", text: "Code" }, buttons: [otp] }))).toContain(
      "Header: authentication templates have no header",
    );
    expect(messages(auth({ buttons: [{ ...otp, otpType: "ONE_TAP" }] }))).toEqual([
      "Button 1 (one-time password): the Android package name (like com.example.app) is required",
      "Button 1 (one-time password): the app signature hash is 11 characters",
    ]);
  });

  it("reads Arabic right to left, by language or by text", () => {
    expect(isRightToLeft("ar", "Hello")).toBe(true);
    expect(isRightToLeft("ar_EG", "Hello")).toBe(true);
    expect(isRightToLeft("en", "مرحبا {{1}}")).toBe(true);
    expect(isRightToLeft("en_US", "Hello")).toBe(false);
  });

  it("takes a message TTL within the category's range (reference §1.4), or -1, and names the field otherwise", () => {
    expect(messageTtlProblem("AUTHENTICATION", 30)).toBeNull();
    expect(messageTtlProblem("AUTHENTICATION", 900)).toBeNull();
    expect(messageTtlProblem("UTILITY", 43_200)).toBeNull();
    expect(messageTtlProblem("UTILITY", -1)).toBeNull();
    expect(messageTtlProblem("AUTHENTICATION", 901)).toEqual({
      field: "messageSendTtlSeconds",
      message: "Message TTL (message_send_ttl_seconds): for authentication templates 30 to 900 seconds, or -1 for 30 days",
    });
    expect(messageTtlProblem("UTILITY", 29)?.message).toBe(
      "Message TTL (message_send_ttl_seconds): for utility templates 30 to 43,200 seconds, or -1 for 30 days",
    );
    expect(messageTtlProblem("UTILITY", 0)?.field).toBe("messageSendTtlSeconds");
    expect(messageTtlProblem("UTILITY", 60.5)?.field).toBe("messageSendTtlSeconds");
    // A marketing template's TTL works only through the Marketing Messages API, which Parley does not use.
    expect(messageTtlProblem("MARKETING", 86_400)?.message).toContain("Marketing Messages API");
    expect(messages(draft({ messageSendTtlSeconds: 50_000 }))).toEqual([
      "Message TTL (message_send_ttl_seconds): for utility templates 30 to 43,200 seconds, or -1 for 30 days",
    ]);
    expect(messages(draft({ messageSendTtlSeconds: 3_600 }))).toEqual([]);
  });
});
