import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { assertBlobKey, InvalidBlobKeyError, type BlobStore } from "./types.ts";

// The embedded blob store: one file per key under a root directory (`<dataDir>/blobs`). Files are
// 0600 and directories 0700, so other local users cannot read even the ciphertext. A write goes to
// a temporary file that is synced and then renamed over the key: a crash leaves the old bytes or
// the new ones, never a torn file.

export function createLocalBlobStore(root: string): BlobStore {
  const base = resolve(root);

  function pathOf(key: string): string {
    assertBlobKey(key);
    const path = resolve(base, ...key.split("/"));
    // Belt and braces: the key check already rules out traversal.
    if (!path.startsWith(base + sep)) throw new InvalidBlobKeyError();
    return path;
  }

  return {
    kind: "local",

    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temporary = join(dirname(path), `.tmp-${randomBytes(8).toString("hex")}`);
      const handle = await open(temporary, "wx", 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      try {
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },

    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      try {
        await unlink(pathOf(key));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },

    async list(prefix) {
      const root = pathOf(prefix);
      let entries;
      try {
        entries = await readdir(root, { recursive: true, withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
      // Temporary files of a write in progress are not keys (no key segment starts with a dot).
      return entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
        .map((entry) => `${prefix}/${relative(root, join(entry.parentPath, entry.name)).split(sep).join("/")}`)
        .sort();
    },
  };
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT";
}
