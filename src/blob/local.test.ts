import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalBlobStore } from "./local.ts";
import { InvalidBlobKeyError, type BlobStore } from "./types.ts";

let root: string;
let store: BlobStore;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "parley-blobs-"));
  store = createLocalBlobStore(join(root, "blobs"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("local blob store", () => {
  it("puts, gets, replaces and deletes bytes; a missing key reads as null", async () => {
    expect(await store.get("media/a/b")).toBeNull();
    await store.put("media/a/b", Buffer.from("first"));
    expect((await store.get("media/a/b"))?.toString()).toBe("first");
    await store.put("media/a/b", Buffer.from("second"));
    expect((await store.get("media/a/b"))?.toString()).toBe("second");
    await store.delete("media/a/b");
    await store.delete("media/a/b");
    expect(await store.get("media/a/b")).toBeNull();
  });

  it("writes files 0600 in 0700 directories and leaves no temporary files behind", async () => {
    await store.put("media/w/m1", Buffer.alloc(1024, 7));
    expect((await stat(join(root, "blobs", "media", "w", "m1"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, "blobs", "media", "w"))).mode & 0o777).toBe(0o700);
    await Promise.all(Array.from({ length: 8 }, (_, index) => store.put("media/w/m1", Buffer.alloc(4096, index))));
    const bytes = await store.get("media/w/m1");
    // Concurrent writers: the result is one writer's bytes whole, never a mix.
    expect(new Set(bytes).size).toBe(1);
    expect(await readdir(join(root, "blobs", "media", "w"))).toEqual(["m1"]);
  });

  it.each([
    "../escape",
    "media/../../etc/passwd",
    "/abs",
    "media//x",
    "media/.hidden",
    "media/x/",
    "",
    "a\\b",
    "media/..",
    "x".repeat(600),
    "media/a b",
    "media/ä",
  ])("refuses the key %j", async (key) => {
    await expect(store.put(key, Buffer.from("x"))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    await expect(store.list(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
  });

  it("lists every key under a folder, sorted, without temporary files; an empty folder lists nothing", async () => {
    expect(await store.list("listing")).toEqual([]);
    await store.put("listing/b/2", Buffer.from("x"));
    await store.put("listing/a", Buffer.from("x"));
    await store.put("listing/b/1", Buffer.from("x"));
    await store.put("other/c", Buffer.from("x"));
    await writeFile(join(root, "blobs", "listing", "b", ".tmp-unfinished"), "x");
    expect(await store.list("listing")).toEqual(["listing/a", "listing/b/1", "listing/b/2"]);
    expect(await store.list("listing/b")).toEqual(["listing/b/1", "listing/b/2"]);
  });
});
