// Attachment bytes on disk: each file encrypted (ZKF1 streaming AES-256-GCM) under its own random key,
// which is stored sealed with the customer's key (so erasing the customer shreds the file too). The type
// is decided by the file's first bytes, never by what the uploader declared.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MAX_ATTACHMENT_BYTES } from '@zhike/contracts';
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
  /** Streams `source` to disk encrypted; throws AttachmentRejected (nothing left behind) when refused. */
  save(workspaceId: string, id: string, source: Readable): Promise<StoredFile>;
  /** The decrypted bytes; authentication failures surface as stream errors. */
  open(workspaceId: string, id: string, fileKey: string): Readable;
  remove(workspaceId: string, id: string): Promise<void>;
  pathOf(workspaceId: string, id: string): string;
}

/** Where under the data directory attachment files live (a backup carries this folder). */
export const ATTACHMENTS_FOLDER = 'attachments';

export function createAttachmentFiles(options: { dataDir: string; maxBytes: number }): AttachmentFiles {
  const root = join(options.dataDir, ATTACHMENTS_FOLDER);
  // Ids are UUIDs checked by the route schemas; the guard keeps a bad id from ever naming another path.
  const safe = (part: string) => {
    if (!/^[0-9a-f-]{36}$/.test(part)) throw new Error('bad attachment path component');
    return part;
  };
  const pathOf = (workspaceId: string, id: string) => join(root, safe(workspaceId), `${safe(id)}.zkf`);
  return {
    pathOf,
    async save(workspaceId, id, source) {
      const key = randomBytes(32);
      const target = pathOf(workspaceId, id);
      await mkdir(join(root, safe(workspaceId)), { recursive: true, mode: 0o700 });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.part`;
      const sniffed: { type: AttachmentType | null } = { type: null };
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback: TransformCallback) {
          size += chunk.length;
          callback(null, chunk);
        },
      });
      try {
        await pipeline(
          source,
          inspector(options.maxBytes, (type) => {
            sniffed.type = type;
          }),
          counter,
          encryptStream(key),
          createWriteStream(tmp, { mode: 0o600 }),
        );
        if (!sniffed.type) throw new AttachmentRejected('empty', 'The file is empty');
        await rename(tmp, target);
      } catch (error) {
        await rm(tmp, { force: true });
        source.resume(); // drain what the client still sends so the reply can go out
        throw error;
      }
      return { id, mimeType: sniffed.type, size, fileKey: key.toString('base64url') };
    },
    open(workspaceId, id, fileKey) {
      const decrypt = decryptStream(Buffer.from(fileKey, 'base64url'));
      const file = createReadStream(pathOf(workspaceId, id));
      file.on('error', (error) => decrypt.destroy(error));
      return file.pipe(decrypt);
    },
    async remove(workspaceId, id) {
      await rm(pathOf(workspaceId, id), { force: true });
    },
  };
}

/** The app's attachment store: under the data directory, with the contracts' size limit. */
export const attachmentFilesOf = (config: { dataDir: string }): AttachmentFiles =>
  createAttachmentFiles({ dataDir: config.dataDir, maxBytes: MAX_ATTACHMENT_BYTES });
