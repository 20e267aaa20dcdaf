import { randomBytes } from "node:crypto";
import { DecryptionError, decryptAesGcm, encryptAesGcm, KEY_BYTES, NONCE_BYTES } from "../../../crypto/aead.ts";
import type { Keyring } from "../../../crypto/keyring.ts";
import type { Tx } from "../../../db/database.ts";

// Media at rest (DESIGN §5): each blob gets a fresh content key; the bytes are sealed with
// AES-256-GCM under it, and the content key itself is sealed under the contact's data key through
// the keyring. Shredding the contact's data key therefore makes the media unreadable too, in every
// copy of the blob store. Both layers carry AAD binding workspace, message and blob key, so a blob
// moved to another message or workspace does not open.
//
// Layout: "PMB1" | u16 length of the wrapped-key envelope | envelope (ASCII) | nonce (12) | ciphertext + tag (16).

const MAGIC = Buffer.from("PMB1", "ascii");
const MAX_ENVELOPE_CHARS = 1024;

export type MediaBlobContext = { workspaceId: string; messageId: string; blobKey: string };

function keyField(context: MediaBlobContext) {
  return { workspaceId: context.workspaceId, table: "messages", column: "media_key", rowId: context.messageId };
}

function contentAad(context: MediaBlobContext): Buffer {
  return Buffer.from(`parley.media.v1|${context.workspaceId}|messages.media|${context.messageId}|${context.blobKey}`, "utf8");
}

/** The blob to store for `bytes`, under the data key `dataKeyId` (the message's contact). */
export async function sealMedia(
  trx: Tx,
  keyring: Keyring,
  context: MediaBlobContext & { dataKeyId: string },
  bytes: Buffer,
): Promise<Buffer> {
  const contentKey = randomBytes(KEY_BYTES);
  try {
    const envelope = Buffer.from(
      await keyring.encryptForSubject(trx, { ...keyField(context), dataKeyId: context.dataKeyId }, contentKey.toString("base64")),
      "ascii",
    );
    if (envelope.length > MAX_ENVELOPE_CHARS) throw new Error("wrapped media key is unexpectedly long");
    const nonce = randomBytes(NONCE_BYTES);
    const sealed = encryptAesGcm(contentKey, nonce, bytes, contentAad(context));
    const length = Buffer.alloc(2);
    length.writeUInt16BE(envelope.length);
    return Buffer.concat([MAGIC, length, envelope, nonce, sealed]);
  } finally {
    contentKey.fill(0);
  }
}

/** The plaintext of a blob made by sealMedia for the same context. Throws DecryptionError (shredded key, tampering, wrong place). */
export async function openMedia(trx: Tx, keyring: Keyring, context: MediaBlobContext, blob: Buffer): Promise<Buffer> {
  if (blob.length < MAGIC.length + 2 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw new DecryptionError();
  const envelopeLength = blob.readUInt16BE(MAGIC.length);
  const envelopeEnd = MAGIC.length + 2 + envelopeLength;
  if (envelopeLength > MAX_ENVELOPE_CHARS || blob.length < envelopeEnd + NONCE_BYTES) throw new DecryptionError();
  const envelope = blob.subarray(MAGIC.length + 2, envelopeEnd).toString("ascii");
  const contentKey = Buffer.from(await keyring.decrypt(trx, keyField(context), envelope), "base64");
  try {
    if (contentKey.length !== KEY_BYTES) throw new DecryptionError();
    const nonce = blob.subarray(envelopeEnd, envelopeEnd + NONCE_BYTES);
    return decryptAesGcm(contentKey, nonce, blob.subarray(envelopeEnd + NONCE_BYTES), contentAad(context));
  } finally {
    contentKey.fill(0);
  }
}
