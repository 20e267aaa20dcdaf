import { describe, expect, it } from "vitest";
import { serializeWireJson } from "./wire-json.ts";

describe("serializeWireJson", () => {
  it("escapes slashes and non-ASCII like Meta's captured webhook bodies", () => {
    const body = { caption: "Hola quiero un café", mime_type: "image/jpeg", url: "https://lookaside.fbsbx.com/x?mid=1" };
    expect(serializeWireJson(body)).toBe(
      '{"caption":"Hola quiero un caf\\u00e9","mime_type":"image\\/jpeg","url":"https:\\/\\/lookaside.fbsbx.com\\/x?mid=1"}',
    );
  });

  it("writes astral characters as lowercase surrogate pairs and keeps the output ASCII-only", () => {
    const wire = serializeWireJson({ emoji: "👍", text: "Ñandú ü" });
    expect(wire).toBe('{"emoji":"\\ud83d\\udc4d","text":"\\u00d1and\\u00fa \\u00fc"}');
    expect(/^[\x20-\x7e]*$/.test(wire)).toBe(true);
  });

  it("round-trips to the same value and stays compact", () => {
    const value = { a: [1, 2.5, null, true], b: { "c/d": 'q"uote\\back\nline\u0001', e: "😀/é" } };
    const wire = serializeWireJson(value);
    expect(JSON.parse(wire)).toEqual(value);
    expect(wire).not.toMatch(/[\s](?=(?:[^"]*"[^"]*")*[^"]*$)/);
  });
});
