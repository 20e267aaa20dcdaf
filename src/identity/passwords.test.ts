import { describe, expect, it } from "vitest";
import { ARGON2_OPTIONS, checkNewPassword, hashPassword, loadPasswordBlocklist, verifyPassword } from "./passwords.ts";

describe("password rules", () => {
  it("ships a blocklist of at least 10,000 common passwords", () => {
    expect(loadPasswordBlocklist().size).toBeGreaterThanOrEqual(10_000);
    expect(loadPasswordBlocklist().has("123456")).toBe(false); // shorter than 8: filtered at build, refused by length anyway
    expect(loadPasswordBlocklist().has("password123")).toBe(true);
  });

  it("refuses blocklisted passwords, including ones of 12+ characters, whatever their case", () => {
    const long = [...loadPasswordBlocklist()].filter((entry) => [...entry].length >= 12).slice(0, 20);
    expect(long.length).toBe(20);
    for (const entry of long) expect(checkNewPassword(entry)).toBe("common");
    expect(checkNewPassword("1q2w3e4r5t6y")).toBe("common");
    expect(checkNewPassword("QWERTYUIOPASDFGHJKL".slice(0, 12))).toBe(checkNewPassword("qwertyuiopas"));
  });

  it("counts code points: 12..128, no composition rules", () => {
    expect(checkNewPassword("a".repeat(11))).toBe("too_short");
    expect(checkNewPassword("correct horse battery")).toBeNull();
    expect(checkNewPassword("x".repeat(129))).toBe("too_long");
    expect(checkNewPassword("x".repeat(128))).toBeNull();
    // 12 emoji are 24 UTF-16 units but 12 characters; 11 are refused.
    expect(checkNewPassword("🔐".repeat(11))).toBe("too_short");
    expect(checkNewPassword("🔐🌍".repeat(6))).toBeNull();
    expect(checkNewPassword("пароль-очень-длинный-и-уникальный-ключ-🔑-日本語のパスフレーズ")).toBeNull();
  });

  it("hashes with argon2id m=19456 t=2 p=1 and verifies the whole password", async () => {
    const password = "mañana-長いパスワード-" + "z".repeat(90);
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(ARGON2_OPTIONS).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(hash, password)).toBe(true);
    // Nothing truncated: a change in the last character fails; nothing case-folded.
    expect(await verifyPassword(hash, password.slice(0, -1) + "y")).toBe(false);
    expect(await verifyPassword(hash, password.toUpperCase())).toBe(false);
    expect(await verifyPassword("not a hash", password)).toBe(false);
  });
});
