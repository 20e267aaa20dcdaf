import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readZip, writeZip } from "./zip.ts";

// The store-only zip writer: what it writes, Info-ZIP's unzip reads back byte for byte (names in
// UTF-8 included), and it refuses names that would escape the archive's folder or repeat.

const run = promisify(execFile);

describe("writeZip", () => {
  it("writes an archive that unzip verifies and extracts unchanged", async () => {
    const entries = [
      { name: "subject.json", bytes: Buffer.from('{"a":1}\n') },
      { name: "README.txt", bytes: Buffer.from("Grüße — données\n") },
      { name: "media/empty.bin", bytes: Buffer.alloc(0) },
      { name: "media/straße.bin", bytes: Buffer.from([0, 1, 2, 255]) },
    ];
    const zip = writeZip(entries, new Date("2026-12-07T10:20:30Z"));
    expect(readZip(zip)).toEqual(entries);
    const dir = await mkdtemp(join(tmpdir(), "parley-zip-"));
    try {
      await writeFile(join(dir, "a.zip"), zip);
      expect((await run("unzip", ["-t", join(dir, "a.zip")])).stdout).toContain("No errors detected");
      const listed = await run("unzip", ["-Z1", join(dir, "a.zip")]);
      // The UTF-8 name's spelling in the listing depends on the locale; the ASCII ones do not.
      expect(listed.stdout.trim().split("\n").slice(0, 3)).toEqual(entries.slice(0, 3).map((entry) => entry.name));
      const piped = await run("unzip", ["-p", join(dir, "a.zip"), "README.txt"], { encoding: "buffer" });
      expect(Buffer.from(piped.stdout).equals(entries[1]!.bytes)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses unsafe or repeated names, and readZip refuses a corrupted entry", () => {
    for (const name of ["/etc/passwd", "../up.txt", "media/../../up", "a\\b", "", "media/./x"]) {
      expect(() => writeZip([{ name, bytes: Buffer.from("x") }]), name).toThrow(RangeError);
    }
    expect(() =>
      writeZip([
        { name: "a", bytes: Buffer.from("x") },
        { name: "a", bytes: Buffer.from("y") },
      ]),
    ).toThrow(RangeError);
    const zip = writeZip([{ name: "a.txt", bytes: Buffer.from("hello") }]);
    const corrupted = Buffer.from(zip);
    corrupted[30 + "a.txt".length]! ^= 1;
    expect(() => readZip(corrupted)).toThrow(/CRC/);
  });
});
