import { crc32 } from "node:zlib";

// A store-only zip writer (PKWARE APPNOTE 6.3.10, method 0): enough for a subject export, whose
// media are already compressed formats and whose JSON is small next to them, and no dependency for
// it. Names are UTF-8 (general purpose flag bit 11). No ZIP64: the writer refuses an archive that
// would need it (more than 65,535 entries or 4 GiB), which the export's own limits keep far from.

export type ZipEntry = { name: string; bytes: Buffer };

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: what a stored entry with UTF-8 names needs
const UTF8_NAMES = 1 << 11;
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;
const SAFE_NAME = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[^\\\0]{1,255}$/;

/** MS-DOS date and time of `at` (UTC), the format zip headers carry. */
function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  };
}

/** The zip archive of `entries`, in order, stored uncompressed. Throws for an unsafe or repeated name, or an archive too large. */
export function writeZip(entries: readonly ZipEntry[], at: Date = new Date()): Buffer {
  if (entries.length > MAX_ENTRIES) throw new RangeError("too many files for a zip without ZIP64");
  const { date, time } = dosDateTime(at);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const entry of entries) {
    if (!SAFE_NAME.test(entry.name) || names.has(entry.name)) throw new RangeError(`unsafe or repeated zip entry name`);
    names.add(entry.name);
    const name = Buffer.from(entry.name, "utf8");
    const checksum = crc32(entry.bytes);
    const size = entry.bytes.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(checksum, 16);
    header.writeUInt32LE(size, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    parts.push(local, name, entry.bytes);
    offset += local.length + name.length + size;
    if (offset > MAX_OFFSET) throw new RangeError("the archive would need ZIP64");
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length > MAX_OFFSET) throw new RangeError("the archive would need ZIP64");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/**
 * The entries of a stored (method 0) zip, read through its central directory, each checked against
 * its local header and CRC-32. For tests and verification of what writeZip made; throws otherwise.
 */
export function readZip(archive: Buffer): ZipEntry[] {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || archive.length - endAt < 22) throw new Error("not a zip archive");
  const count = archive.readUInt16LE(endAt + 10);
  let at = archive.readUInt32LE(endAt + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (archive.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error("bad central directory");
    const method = archive.readUInt16LE(at + 10);
    const checksum = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    if (method !== 0) throw new Error("only stored entries are read");
    if (archive.readUInt32LE(localAt) !== LOCAL_HEADER) throw new Error("bad local header");
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    const bytes = archive.subarray(dataAt, dataAt + size);
    if (crc32(bytes) !== checksum) throw new Error(`CRC mismatch in ${name}`);
    entries.push({ name, bytes: Buffer.from(bytes) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
