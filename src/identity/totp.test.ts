import { describe, expect, it } from "vitest";
import {
  decodeBase32,
  encodeBase32,
  generateRecoveryCodes,
  hashRecoveryCode,
  hotp,
  matchTotp,
  otpauthQrSvg,
  otpauthUri,
  totp,
  totpStep,
} from "./totp.ts";

// Known answers from RFC 4226 Appendix D and RFC 6238 Appendix B (seed length per hash, erratum 2866).
const seed = (length: number) => Buffer.from("1234567890".repeat(7).slice(0, length), "ascii");

describe("HOTP / TOTP known answers", () => {
  it("RFC 4226 Appendix D", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(seed(20), counter))).toEqual(expected);
  });

  it.each([
    [59, "94287082", "46119246", "90693936"],
    [1111111109, "07081804", "68084774", "25091201"],
    [1111111111, "14050471", "67062674", "99943326"],
    [1234567890, "89005924", "91819424", "93441116"],
    [2000000000, "69279037", "90698825", "38618901"],
    [20000000000, "65353130", "77737706", "47863826"],
  ])("RFC 6238 Appendix B at %i s", (seconds, sha1, sha256, sha512) => {
    expect(totp(seed(20), seconds * 1000, { digits: 8, algorithm: "sha1" })).toBe(sha1);
    expect(totp(seed(32), seconds * 1000, { digits: 8, algorithm: "sha256" })).toBe(sha256);
    expect(totp(seed(64), seconds * 1000, { digits: 8, algorithm: "sha512" })).toBe(sha512);
  });
});

describe("matchTotp", () => {
  const secret = seed(20);
  const now = 1_700_000_000_000;
  const step = totpStep(now);

  it("accepts the current step and ±1, not ±2", () => {
    expect(matchTotp(secret, hotp(secret, step), now, null)).toBe(step);
    expect(matchTotp(secret, hotp(secret, step - 1), now, null)).toBe(step - 1);
    expect(matchTotp(secret, hotp(secret, step + 1), now, null)).toBe(step + 1);
    expect(matchTotp(secret, hotp(secret, step - 2), now, null)).toBeNull();
    expect(matchTotp(secret, hotp(secret, step + 2), now, null)).toBeNull();
  });

  it("refuses a code at or below the last used step (replay)", () => {
    expect(matchTotp(secret, hotp(secret, step), now, step)).toBeNull();
    expect(matchTotp(secret, hotp(secret, step - 1), now, step)).toBeNull();
    expect(matchTotp(secret, hotp(secret, step + 1), now, step)).toBe(step + 1);
  });

  it("refuses malformed codes", () => {
    for (const code of ["", "12345", "1234567", "abcdef", " 12345"]) expect(matchTotp(secret, code, now, null)).toBeNull();
  });
});

describe("enrollment material", () => {
  it("base32 round-trips and the otpauth URI carries the RFC parameters", async () => {
    const secret = Buffer.from("12345678901234567890");
    expect(encodeBase32(secret)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(decodeBase32(encodeBase32(secret))).toEqual(secret);
    const uri = otpauthUri(secret, { issuer: "Parley", account: "owner@example.test" });
    expect(uri).toBe(
      "otpauth://totp/Parley:owner%40example.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Parley&algorithm=SHA1&digits=6&period=30",
    );
    expect(await otpauthQrSvg(uri)).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("makes 10 distinct recovery codes whose hashes ignore formatting", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(hashRecoveryCode(codes[0]!.toUpperCase().replaceAll("-", " "))).toBe(hashRecoveryCode(codes[0]!));
  });
});
