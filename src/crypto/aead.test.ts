import { randomBytes, randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeBase64Url,
  decryptAesGcm,
  DecryptionError,
  encryptAesGcm,
  openField,
  parseEnvelope,
  sealField,
  type FieldContext,
} from "./aead.ts";

const hex = (value: string) => Buffer.from(value, "hex");

describe("AES-256-GCM known answer", () => {
  // Test Case 16 (256-bit key, 96-bit IV, with AAD) of D. McGrew and J. Viega, "The Galois/Counter
  // Mode of Operation (GCM)", Appendix B, the specification NIST SP 800-38D is based on:
  // http://csrc.nist.gov/groups/ST/toolkit/BCM/documents/proposedmodes/gcm/gcm-spec.pdf
  const vector = {
    key: hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"),
    iv: hex("cafebabefacedbaddecaf888"),
    plaintext: hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    ),
    aad: hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
    ciphertext: hex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
    ),
    tag: hex("76fc6ece0f4e1768cddf8853bb2d551b"),
  };

  it("encrypts McGrew–Viega test case 16 to the published ciphertext and tag", () => {
    const sealed = encryptAesGcm(vector.key, vector.iv, vector.plaintext, vector.aad);
    expect(sealed.subarray(0, -16).toString("hex")).toBe(vector.ciphertext.toString("hex"));
    expect(sealed.subarray(-16).toString("hex")).toBe(vector.tag.toString("hex"));
  });

  it("decrypts test case 16, and refuses it with other AAD or a truncated tag", () => {
    const sealed = Buffer.concat([vector.ciphertext, vector.tag]);
    expect(decryptAesGcm(vector.key, vector.iv, sealed, vector.aad).equals(vector.plaintext)).toBe(true);
    expect(() => decryptAesGcm(vector.key, vector.iv, sealed, Buffer.from("other"))).toThrow(DecryptionError);
    // A 12-byte tag must not be accepted as a short tag (DEP0182): it is read as a corrupt message.
    expect(() => decryptAesGcm(vector.key, vector.iv, sealed.subarray(0, -4), vector.aad)).toThrow(DecryptionError);
  });
});

describe("field envelopes", () => {
  const key = randomBytes(32);
  const context: FieldContext = { workspaceId: randomUUID(), table: "contacts", column: "phone", rowId: randomUUID() };

  it("round-trips arbitrary strings, unicode included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (value) => {
        const envelope = sealField(key, "w1", context, value);
        expect(envelope).toMatch(/^pv1\.w1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
        expect(openField(key, context, envelope)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it("uses a fresh nonce every time", () => {
    const nonces = new Set(Array.from({ length: 200 }, () => parseEnvelope(sealField(key, "w1", context, "same")).nonce.toString("hex")));
    expect(nonces.size).toBe(200);
  });

  it("refuses a single flipped bit anywhere in nonce, ciphertext or tag", () => {
    const envelope = sealField(key, "w1", context, "+4915112345678");
    const { nonce, sealed } = parseEnvelope(envelope);
    const bytes = Buffer.concat([nonce, sealed]);
    for (let bit = 0; bit < bytes.length * 8; bit += 1) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const tampered = `pv1.w1.${flipped.subarray(0, 12).toString("base64url")}.${flipped.subarray(12).toString("base64url")}`;
      expect(() => openField(key, context, tampered), `bit ${bit}`).toThrow(DecryptionError);
    }
  });

  it("refuses a ciphertext moved to another row, column, workspace or key id", () => {
    const envelope = sealField(key, "w1", context, "Ada");
    expect(() => openField(key, { ...context, rowId: randomUUID() }, envelope)).toThrow(DecryptionError);
    expect(() => openField(key, { ...context, column: "name" }, envelope)).toThrow(DecryptionError);
    expect(() => openField(key, { ...context, table: "users" }, envelope)).toThrow(DecryptionError);
    expect(() => openField(key, { ...context, workspaceId: randomUUID() }, envelope)).toThrow(DecryptionError);
    expect(() => openField(key, context, envelope.replace("pv1.w1.", "pv1.w2."))).toThrow(DecryptionError);
    expect(() => openField(randomBytes(32), context, envelope)).toThrow(DecryptionError);
  });

  it("refuses malformed envelopes with the same generic error", () => {
    const envelope = sealField(key, "w1", context, "x");
    const [, , nonce, sealed] = envelope.split(".");
    const malformed = [
      "",
      "pv1",
      envelope.replace("pv1.", "pv2."),
      `${envelope}.extra`,
      `pv1.w1.${nonce}`,
      `pv1.w1.${nonce}.${sealed}=`,
      `pv1.w1.${nonce}.${sealed!.slice(0, 10)}`,
      `pv1.w1.${nonce!.slice(0, -1)}.${sealed}`,
      `pv1.w/1.${nonce}.${sealed}`,
      `pv1.w1.${nonce}.${sealed!.slice(0, -1)}!`,
    ];
    for (const value of malformed) {
      const error = (() => {
        try {
          openField(key, context, value);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, value).toBeInstanceOf(DecryptionError);
      expect((error as Error).message).toBe("decryption failed");
    }
  });
});

describe("strict base64url", () => {
  it("accepts exactly the canonical encoding of every byte string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const text = Buffer.from(bytes).toString("base64url");
        if (text.length > 0) expect(decodeBase64Url(text).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it("never accepts a second spelling: whatever it decodes re-encodes to the same text", () => {
    const chars = fc.constantFrom(..."AQgw_-+/=9 .\né".split(""));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), (list) => {
        const text = list.join("");
        let bytes: Buffer;
        try {
          bytes = decodeBase64Url(text);
        } catch (error) {
          expect(error).toBeInstanceOf(DecryptionError);
          return;
        }
        expect(bytes.toString("base64url")).toBe(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses padding, foreign characters, impossible lengths and non-zero trailing bits", () => {
    for (const text of ["QQ==", "Q+/A", "QUJD!", "QUJDR", "QR", "QUF", "QUJ", "QU I", "QUI\n", "QUJD\u00e9"]) {
      expect(() => decodeBase64Url(text), text).toThrow(DecryptionError);
    }
    expect(decodeBase64Url("QQ").toString()).toBe("A");
    expect(decodeBase64Url("QUI").toString()).toBe("AB");
  });
});
