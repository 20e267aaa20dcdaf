import { randomBytes } from "node:crypto";
import { DecryptionError, decryptAesGcm, encryptAesGcm, KEY_BYTES, NONCE_BYTES } from "../../crypto/aead.ts";
import type { Keyring } from "../../crypto/keyring.ts";
import type { Tx } from "../../db/database.ts";

// A subject export at rest (DESIGN §5): the zip is sealed with AES-256-GCM under a fresh key of its
// own; that key is sealed under the contact's data key through the keyring and kept in the export's
// row (`subject_exports.wrapped_key`). Erasing the contact shreds its data key, so every copy of
// the bundle — blob store, backups — becomes unreadable even before the file is deleted. AAD binds
// workspace, export and blob key, so a bundle moved to another export or workspace does not open.
//
// Blob layout: "PSX1" | nonce (12) | ciphertext + tag (16).

const MAGIC = Buffer.from("PSX1", "ascii");

export type BundleContext = { workspaceId: string; exportId: string; blobKey: string };

/** Where an export's sealed bundle lives in the blob store. */
export function subjectExportBlobKey(workspaceId: string, exportId: string): string {
  return `subject-exports/${workspaceId}/${exportId}`;
}

function keyField(context: BundleContext) {
  return { workspaceId: context.workspaceId, table: "subject_exports", column: "wrapped_key", rowId: context.exportId };
}

function contentAad(context: BundleContext): Buffer {
  return Buffer.from(`parley.subject-export.v1|${context.workspaceId}|${context.exportId}|${context.blobKey}`, "utf8");
}

/** The blob to store for `zip` and its wrapped key, under the contact's data key `dataKeyId`. */
export async function sealBundle(
  trx: Tx,
  keyring: Keyring,
  context: BundleContext & { dataKeyId: string },
  zip: Buffer,
): Promise<{ blob: Buffer; wrappedKey: string }> {
  const key = randomBytes(KEY_BYTES);
  try {
    const wrappedKey = await keyring.encryptForSubject(trx, { ...keyField(context), dataKeyId: context.dataKeyId }, key.toString("base64"));
    const nonce = randomBytes(NONCE_BYTES);
    return { blob: Buffer.concat([MAGIC, nonce, encryptAesGcm(key, nonce, zip, contentAad(context))]), wrappedKey };
  } finally {
    key.fill(0);
  }
}

/** The zip inside a blob made by sealBundle for the same context. Throws DecryptionError (shredded key, tampering, wrong place). */
export async function openBundle(trx: Tx, keyring: Keyring, context: BundleContext, wrappedKey: string, blob: Buffer): Promise<Buffer> {
  if (blob.length < MAGIC.length + NONCE_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw new DecryptionError();
  const key = Buffer.from(await keyring.decrypt(trx, keyField(context), wrappedKey), "base64");
  try {
    if (key.length !== KEY_BYTES) throw new DecryptionError();
    const nonce = blob.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
    return decryptAesGcm(key, nonce, blob.subarray(MAGIC.length + NONCE_BYTES), contentAad(context));
  } finally {
    key.fill(0);
  }
}
