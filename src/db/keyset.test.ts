import { describe, expect, it } from "vitest";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset.ts";

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const ID = "0b7e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4";

describe("keyset cursors", () => {
  it("round-trips a sort key (a Date or exact ISO text with microseconds) and an id", () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    expect(decodeKeysetCursor(encodeKeysetCursor(at, ID), { sortKey: SORT_KEY })).toEqual({ at: at.toISOString(), id: ID });
    const micro = "2026-01-02T03:04:05.678901Z";
    expect(decodeKeysetCursor(encodeKeysetCursor(micro, ID), { sortKey: SORT_KEY })).toEqual({ at: micro, id: ID });
  });

  it("is opaque base64url text", () => {
    expect(encodeKeysetCursor(new Date(0), ID)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("refuses what it did not make: other encodings, shapes, sort keys, ids and impossible dates", () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
    for (const cursor of [
      "",
      "not a cursor",
      Buffer.from("seq:5").toString("base64url"),
      forged({ at: "2026-01-02T03:04:05Z", id: ID }),
      forged(["2026-01-02", ID]),
      forged(["2026-01-02T03:04:05Z", "1; drop table contacts"]),
      forged(["2026-13-45T03:04:05Z", ID]),
      forged([1, ID]),
    ]) {
      expect(decodeKeysetCursor(cursor, { sortKey: SORT_KEY })).toBeUndefined();
    }
  });

  it("takes a looser id pattern where a caller asks for one", () => {
    const loose = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa".replace(/a/g, "0");
    expect(decodeKeysetCursor(encodeKeysetCursor(new Date(0), loose), { sortKey: SORT_KEY, id: /^[0-9a-f-]{36}$/i })).toEqual({
      at: new Date(0).toISOString(),
      id: loose,
    });
  });
});
