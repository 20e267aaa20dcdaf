import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecryptionError } from "./aead.ts";
import { createEnvKeyProvider, KeyProviderError, openKeyProvider, parseMasterKey, wrappedKekVersion } from "./key-provider.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-keys-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const b64 = () => randomBytes(32).toString("base64");
const fileConfig = (path: string, allowedInProduction = false) => ({ kind: "file" as const, path, allowedInProduction });

describe("file key provider", () => {
  it("creates a missing key file with mode 0600 and one version", async () => {
    const path = join(dir, "nested", "master.key");
    const provider = await openKeyProvider(fileConfig(path), { isProduction: false });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(provider.versions()).toEqual([1]);
    expect(provider.describe()).toEqual({ kind: "file", versions: [1], primary: 1, location: path });
    expect((await readdir(join(dir, "nested"))).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("wraps and unwraps with AAD, and reopening the file gives the same KEK", async () => {
    const path = join(dir, "reopen.key");
    const provider = await openKeyProvider(fileConfig(path), { isProduction: false });
    const secret = randomBytes(32);
    const wrapped = provider.wrap(secret, "workspace_keys|a|1");
    expect(wrapped).toMatch(/^kek1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(wrappedKekVersion(wrapped)).toBe(1);
    const reopened = await openKeyProvider(fileConfig(path), { isProduction: false });
    expect(reopened.unwrap(wrapped, "workspace_keys|a|1").equals(secret)).toBe(true);
    expect(() => reopened.unwrap(wrapped, "workspace_keys|b|1")).toThrow(DecryptionError);
    // A wrap naming a KEK version the provider does not have is refused with an operator-facing error.
    expect(() => reopened.unwrap(wrapped.replace("kek1.1.", "kek1.2."), "workspace_keys|a|1")).toThrow(KeyProviderError);
  });

  it("refuses a key file readable or writable by group or others", async () => {
    const path = join(dir, "shared.key");
    await openKeyProvider(fileConfig(path), { isProduction: false });
    for (const mode of [0o640, 0o604, 0o620]) {
      await chmod(path, mode);
      await expect(openKeyProvider(fileConfig(path), { isProduction: false })).rejects.toThrow(/accessible by group or others.*chmod 600/);
    }
    await chmod(path, 0o600);
    await expect(openKeyProvider(fileConfig(path), { isProduction: false })).resolves.toBeDefined();
  });

  it("is refused in production unless explicitly allowed", async () => {
    const path = join(dir, "prod.key");
    await expect(openKeyProvider(fileConfig(path), { isProduction: true })).rejects.toThrow(/refused in production.*PARLEY_ALLOW_KEY_FILE/);
    await expect(stat(path)).rejects.toThrow();
    const provider = await openKeyProvider(fileConfig(path, true), { isProduction: true });
    expect(provider.kind).toBe("file");
  });

  it("refuses a file that is not a Parley key file", async () => {
    const path = join(dir, "bad.key");
    const provider = await openKeyProvider(fileConfig(path), { isProduction: false });
    expect(provider.kind).toBe("file");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path, JSON.stringify({ format: "parley-kek-file-v1", keys: [{ version: 1, key: "c2hvcnQ=" }] }), { mode: 0o600 });
    await expect(openKeyProvider(fileConfig(path), { isProduction: false })).rejects.toThrow(/exactly 32 bytes/);
    await writeFile(path, "not json", { mode: 0o600 });
    await expect(openKeyProvider(fileConfig(path), { isProduction: false })).rejects.toThrow(/not valid JSON/);
  });

  it("addVersion appends a primary version, persisted atomically with mode 0600; other instances pick it up", async () => {
    const path = join(dir, "rotate.key");
    const provider = await openKeyProvider(fileConfig(path), { isProduction: false });
    const other = await openKeyProvider(fileConfig(path), { isProduction: false });
    const old = provider.wrap(Buffer.from("k1"), "aad");
    expect(await provider.addVersion()).toBe(2);
    expect(provider.primaryVersion()).toBe(2);
    expect(provider.versions()).toEqual([1, 2]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, "utf8")) as { keys: Array<{ version: number }> };
    expect(file.keys.map((entry) => entry.version)).toEqual([1, 2]);
    const fresh = provider.wrap(Buffer.from("k2"), "aad");
    expect(wrappedKekVersion(fresh)).toBe(2);
    expect(provider.unwrap(old, "aad").toString()).toBe("k1");
    // `other` opened the file before the rotation and reloads it when it meets version 2.
    expect(other.unwrap(fresh, "aad").toString()).toBe("k2");
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("env key provider (PARLEY_MASTER_KEY)", () => {
  it("reads a single base64 key as version 1", () => {
    const provider = createEnvKeyProvider(b64());
    expect(provider.describe()).toEqual({ kind: "env", versions: [1], primary: 1, location: "PARLEY_MASTER_KEY" });
  });

  it("reads a versioned list; the highest version is primary", () => {
    const provider = createEnvKeyProvider(`1:${b64()}, 3:${b64()},2:${b64()}`);
    expect(provider.versions()).toEqual([1, 2, 3]);
    expect(provider.primaryVersion()).toBe(3);
    expect(wrappedKekVersion(provider.wrap(Buffer.from("x"), "a"))).toBe(3);
  });

  it("unwraps what an older configuration wrapped once its key stays listed", () => {
    const v1 = b64();
    const wrapped = createEnvKeyProvider(v1).wrap(Buffer.from("secret"), "aad");
    expect(createEnvKeyProvider(`1:${v1},2:${b64()}`).unwrap(wrapped, "aad").toString()).toBe("secret");
    expect(() => createEnvKeyProvider(`2:${b64()}`).unwrap(wrapped, "aad")).toThrow(/KEK version 1 is not available/);
  });

  it.each([
    ["a short key", "c2hvcnQ="],
    ["not base64", "!!!!"],
    ["a version 0", `0:${b64()}`],
    ["a repeated version", `1:${b64()},1:${b64()}`],
    ["an entry without version", `1:${b64()},${b64()}`],
    ["a short versioned key", `1:${b64()},2:c2hvcnQ=`],
    ["an empty list", ","],
  ])("refuses %s without echoing key material", (_label, value) => {
    let error: unknown;
    try {
      parseMasterKey(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyProviderError);
    for (const part of value.split(/[,:]/).filter((piece) => piece.length > 8)) expect((error as Error).message).not.toContain(part);
  });

  it("addVersion explains how the operator rotates", async () => {
    const provider = createEnvKeyProvider(`1:${b64()},2:${b64()}`);
    await expect(provider.addVersion()).rejects.toThrow(/add it as a new entry "3:<key>".*parley keys rotate/);
  });
});
