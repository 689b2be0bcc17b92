// Attachment bytes in the file store (data directory or S3 bucket): each file encrypted (ZKF1 streaming
// AES-256-GCM) under its own random key, which is stored sealed with the customer's key (so erasing the
// customer shreds the file too); the store only ever holds ciphertext. The type is decided by the file's
// first bytes, never by what the uploader declared.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobStore, writerSettled } from '@zhike/providers';
import { decryptStream, encryptStream } from '@zhike/security';

export type AttachmentType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'application/pdf';

export class AttachmentRejected extends Error {
  constructor(
    readonly reason: 'too_large' | 'unsupported_type' | 'empty',
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentRejected';
  }
}

const SNIFF_BYTES = 12;

/** The type a file's first bytes prove, or null. */
export function sniffType(head: Buffer): AttachmentType | null {
  const starts = (bytes: number[] | string, at = 0) => {
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    return head.length >= at + b.length && head.subarray(at, at + b.length).equals(b);
  };
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts('GIF87a') || starts('GIF89a')) return 'image/gif';
  if (starts('RIFF') && starts('WEBP', 8)) return 'image/webp';
  if (starts('%PDF-')) return 'application/pdf';
  return null;
}

export const extensionOf: Record<AttachmentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

export interface StoredFile {
  id: string;
  mimeType: AttachmentType;
  size: number;
  /** base64url of the file's 32-byte key; the caller seals it into the attachments row. */
  fileKey: string;
}

/** Counts and caps the bytes, and refuses the stream unless its first bytes are an allowed type. */
function inspector(maxBytes: number, found: (type: AttachmentType) => void): Transform {
  let size = 0;
  let head: Buffer | null = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > maxBytes) {
        callback(new AttachmentRejected('too_large', `Files may have at most ${maxBytes} bytes`));
        return;
      }
      if (head) {
        head = Buffer.concat([head, chunk]);
        if (head.length < SNIFF_BYTES) return callback();
        const type = sniffType(head);
        if (!type) {
          callback(
            new AttachmentRejected('unsupported_type', 'Only JPEG, PNG, GIF, WebP images and PDF files'),
          );
          return;
        }
        found(type);
        const buffered = head;
        head = null;
        callback(null, buffered);
        return;
      }
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (head) {
        // A file shorter than the sniffing window: decide on what there is.
        const type = head.length > 0 ? sniffType(head) : null;
        if (!type) {
          callback(
            head.length === 0
              ? new AttachmentRejected('empty', 'The file is empty')
              : new AttachmentRejected('unsupported_type', 'Only JPEG, PNG, GIF, WebP images and PDF files'),
          );
          return;
        }
        found(type);
        const buffered = head;
        head = null;
        callback(null, buffered);
        return;
      }
      callback();
    },
  });
}

export interface AttachmentFiles {
  /** Streams `source` into the store encrypted; throws AttachmentRejected (nothing left behind) when refused. */
  save(workspaceId: string, id: string, source: Readable): Promise<StoredFile>;
  /** The decrypted bytes; authentication failures surface as stream errors. */
  open(workspaceId: string, id: string, fileKey: string): Readable;
  remove(workspaceId: string, id: string): Promise<void>;
  /** The file's key in the store (`attachments/<workspace>/<id>.zkf`). */
  keyOf(workspaceId: string, id: string): string;
}

/** The key prefix of attachment files: a folder of the data directory, or of the bucket (a backup carries it). */
export const ATTACHMENTS_FOLDER = 'attachments';

export function createAttachmentFiles(options: { store: BlobStore; maxBytes: number }): AttachmentFiles {
  const { store } = options;
  // Ids are UUIDs checked by the route schemas; the guard keeps a bad id from ever naming another file.
  const safe = (part: string) => {
    if (!/^[0-9a-f-]{36}$/.test(part)) throw new Error('bad attachment path component');
    return part;
  };
  const keyOf = (workspaceId: string, id: string) =>
    `${ATTACHMENTS_FOLDER}/${safe(workspaceId)}/${safe(id)}.zkf`;
  return {
    keyOf,
    async save(workspaceId, id, source) {
      const key = randomBytes(32);
      const target = keyOf(workspaceId, id);
      const sniffed: { type: AttachmentType | null } = { type: null };
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback: TransformCallback) {
          size += chunk.length;
          callback(null, chunk);
        },
      });
      const writer = store.writer(target);
      try {
        // The store's writer keeps the object only if the whole pipeline finishes: a refused file is never stored.
        await pipeline(
          source,
          inspector(options.maxBytes, (type) => {
            sniffed.type = type;
          }),
          counter,
          encryptStream(key),
          writer,
        );
        if (!sniffed.type) {
          await store.delete(target);
          throw new AttachmentRejected('empty', 'The file is empty');
        }
      } catch (error) {
        source.resume(); // drain what the client still sends so the reply can go out
        await writerSettled(writer); // its partial file removed before the refusal is answered
        throw error;
      }
      return { id, mimeType: sniffed.type, size, fileKey: key.toString('base64url') };
    },
    open(workspaceId, id, fileKey) {
      const decrypt = decryptStream(Buffer.from(fileKey, 'base64url'));
      const file = store.get(keyOf(workspaceId, id));
      file.on('error', (error) => decrypt.destroy(error));
      return file.pipe(decrypt);
    },
    async remove(workspaceId, id) {
      await store.delete(keyOf(workspaceId, id));
    },
  };
}
