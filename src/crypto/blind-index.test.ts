import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { computeBlindIndex, deriveBlindIndexKey, normalizeEmail, normalizePhone } from "./blind-index.ts";

describe("blind index", () => {
  const workspaceKey = randomBytes(32);
  const workspaceId = randomUUID();

  it("is stable: the same key, column and value give the same 16-hex-digit index", () => {
    const first = computeBlindIndex(deriveBlindIndexKey(workspaceKey, workspaceId, "contacts.phone"), "+4915112345678");
    const second = computeBlindIndex(deriveBlindIndexKey(Buffer.from(workspaceKey), workspaceId, "contacts.phone"), "+4915112345678");
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(second).toBe(first);
  });

  it("differs across workspaces, columns, workspace keys and values", () => {
    const index = (key: Buffer, id: string, column: "contacts.phone" | "contacts.email", value: string) =>
      computeBlindIndex(deriveBlindIndexKey(key, id, column), value);
    const base = index(workspaceKey, workspaceId, "contacts.phone", "+4915112345678");
    expect(index(workspaceKey, randomUUID(), "contacts.phone", "+4915112345678")).not.toBe(base);
    expect(index(workspaceKey, workspaceId, "contacts.email", "+4915112345678")).not.toBe(base);
    expect(index(randomBytes(32), workspaceId, "contacts.phone", "+4915112345678")).not.toBe(base);
    expect(index(workspaceKey, workspaceId, "contacts.phone", "+4915112345679")).not.toBe(base);
  });
});

describe("normalizePhone", () => {
  it.each([
    ["+49 151 1234 5678", "+4915112345678"],
    ["0049 151 12345678", "+4915112345678"],
    ["+1 (415) 555-2671", "+14155552671"],
    ["+44.20.7946.0958", "+442079460958"],
    ["  +5511987654321 ", "+5511987654321"],
    ["+12345678", "+12345678"],
    ["+123456789012345", "+123456789012345"],
  ])("normalizes %j to %s", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ["no country code", "0151 12345678"],
    ["too short", "+1234567"],
    ["too long", "+1234567890123456"],
    ["letters", "+49 151 CALL ME"],
    ["leading zero country code", "+0151123456789"],
    ["two plus signs", "++4915112345678"],
    ["slash", "+49/15112345678"],
    ["extension", "+4915112345678 ext 12"],
    ["empty", ""],
    ["far too long input", `+49${" ".repeat(100)}15112345678`],
  ])("refuses %s without echoing the input", (_label, input) => {
    let error: unknown;
    try {
      normalizePhone(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION_FAILED");
    expect((error as AppError).message).toMatch(/international format/);
    if (input.trim()) expect((error as AppError).message).not.toContain(input.trim());
  });
});

describe("normalizeEmail", () => {
  it("trims and lower-cases", () => {
    expect(normalizeEmail("  Ada.Lovelace@Example.COM ")).toBe("ada.lovelace@example.com");
  });
});
