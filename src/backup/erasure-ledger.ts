import { z } from "zod";
import type { BlobStore } from "../blob/types.ts";
import type { Keyring } from "../crypto/keyring.ts";
import type { Database } from "../db/database.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import { eraseContact } from "../features/contacts/repository.ts";

// Erasure must outlive a restore. A backup taken before a contact was erased still holds its rows
// and its data key; restoring it would bring the contact back. So every erasure also appends an
// entry to this ledger — identifiers and a time only, no personal data — kept in the blob store
// outside the backups, and every restore replays it: the listed contacts are erased again (rows,
// media, data key) and the listed data keys shredded, before the restored database serves anyone.

const LEDGER_PREFIX = "erasure-ledger";

export const erasureEntrySchema = z.strictObject({
  workspaceId: z.uuid(),
  contactId: z.uuid(),
  dataKeyId: z.uuid(),
  erasedAt: z.iso.datetime(),
});

export type ErasureEntry = z.infer<typeof erasureEntrySchema>;

/**
 * Appends one entry: a blob of its own, so concurrent erasures in several processes never
 * overwrite each other. Called after the erasing transaction committed.
 */
export async function appendErasure(blobs: BlobStore, entry: ErasureEntry): Promise<void> {
  const parsed = erasureEntrySchema.parse(entry);
  const stamp = String(Date.parse(parsed.erasedAt)).padStart(15, "0");
  await blobs.put(`${LEDGER_PREFIX}/${parsed.workspaceId}/${stamp}-${parsed.contactId}.json`, Buffer.from(JSON.stringify(parsed), "utf8"));
}

/** Every entry, oldest first. An entry that does not parse stops the replay: it is never skipped. */
export async function readErasureLedger(blobs: BlobStore): Promise<ErasureEntry[]> {
  const entries: ErasureEntry[] = [];
  for (const key of await blobs.list(LEDGER_PREFIX)) {
    const bytes = await blobs.get(key);
    if (!bytes) continue;
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString("utf8"));
    } catch {
      json = undefined;
    }
    const parsed = erasureEntrySchema.safeParse(json);
    if (!parsed.success) throw new Error(`erasure ledger entry ${key} is not valid; fix or remove it before restoring`);
    entries.push(parsed.data);
  }
  return entries.sort((a, b) => a.erasedAt.localeCompare(b.erasedAt));
}

export type ReplayResult = { entries: number; contactsErased: number; keysShredded: number };

/** Erases again, in the restored database, everything the ledger lists. Idempotent. */
export async function replayErasureLedger(options: {
  db: Database;
  keyring: Keyring;
  blobs: BlobStore;
  onProgress?: (done: number, total: number) => void;
}): Promise<ReplayResult> {
  const entries = await readErasureLedger(options.blobs);
  const result: ReplayResult = { entries: entries.length, contactsErased: 0, keysShredded: 0 };
  options.onProgress?.(0, entries.length);
  for (const [index, entry] of entries.entries()) {
    await withWorkspace(options.db, { workspaceId: entry.workspaceId }, async (trx) => {
      // eraseContact deletes the rows, shreds the contact's current data key and enqueues its media's deletion.
      if (await eraseContact(trx, options.keyring, entry.workspaceId, entry.contactId)) result.contactsErased += 1;
      // The key named at erasure time goes too, even when its contact row was already gone.
      if (await options.keyring.shredDataKey(trx, entry.workspaceId, entry.dataKeyId)) result.keysShredded += 1;
    });
    options.onProgress?.(index + 1, entries.length);
  }
  return result;
}
