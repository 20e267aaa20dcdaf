import { describe, expect, it } from "vitest";
import { scrubDeep, scrubText } from "./scrub.ts";

describe("log scrubber", () => {
  it.each([
    ["phone in E.164", "call +4915112345678 now", "4915112345678"],
    ["phone with separators", "call +49 151 1234-5678 now", "151 1234-5678"],
    ["phone digits only", "wa_id 4915112345678", "4915112345678"],
    ["e-mail", "mail ada@example.com please", "ada@example.com"],
    ["bearer token", "Authorization: Bearer abc.def-ghi", "abc.def-ghi"],
    ["JWT", "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl", "eyJzdWIiOiJ1In0"],
    ["API key", "key pk_abc123_s3cr3tS3cr3t", "s3cr3tS3cr3t"],
    ["Meta access token", "EAAGm0PX4ZCpsBAKZCZBvbZC3ZAoZD12345", "ZCpsBAKZCZBvbZC3"],
    ["key material", "kek c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy1sb25n", "c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy1sb25n"],
  ])("removes a %s", (_kind, text, secret) => {
    const scrubbed = scrubText(text);
    expect(scrubbed).toContain("[Redacted]");
    expect(scrubbed).not.toContain(secret);
  });

  it("keeps identifiers, numbers and ordinary words", () => {
    const text = "workspace 0b9f2c4e-8a1d-4c3b-9e7f-123456789012 job 42 took 1532 ms";
    expect(scrubText(text)).toBe(text);
  });

  it("scrubs keys and values in nested objects and errors", () => {
    const scrubbed = JSON.stringify(
      scrubDeep({ a: [{ "+4915112345678": "x", note: "ada@example.com" }], err: new Error("for +4915112345678") }),
    );
    expect(scrubbed).not.toContain("4915112345678");
    expect(scrubbed).not.toContain("ada@example.com");
  });
});
