// Streaming AES-256-GCM for files at rest (attachments, recordings, exports). Format in README:
// header | chunk* | final chunk, each chunk sealed with a nonce carrying its index and a final flag, so
// reordering, truncation and appended data all fail authentication.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MAGIC = Buffer.from('ZKF1', 'ascii');
const SALT_BYTES = 16;
const PREFIX_BYTES = 7;
const HEADER_BYTES = MAGIC.length + 4 + SALT_BYTES + PREFIX_BYTES;
const TAG_BYTES = 16;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

export class FileDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileDecryptionError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new RangeError('file key must be 32 bytes');
}

// A fresh subkey per file: nonces are then unique per (subkey, index) without coordinating counters.
const fileKey = (key: Buffer, salt: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', key, salt, 'zhike/file/v1', 32));

function nonce(prefix: Buffer, index: number, final: boolean): Buffer {
  if (index > 0xffffffff) throw new RangeError('file has too many chunks');
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, PREFIX_BYTES);
  n[11] = final ? 1 : 0;
  return n;
}

export interface EncryptOptions {
  chunkSize?: number;
}

export function encryptStream(key: Buffer, options: EncryptOptions = {}): Transform {
  checkKey(key);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE)
    throw new RangeError('chunkSize out of range');
  const salt = randomBytes(SALT_BYTES);
  const prefix = randomBytes(PREFIX_BYTES);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkSize, MAGIC.length);
  salt.copy(header, MAGIC.length + 4);
  prefix.copy(header, MAGIC.length + 4 + SALT_BYTES);
  const subkey = fileKey(key, salt);
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const sealChunk = (plain: Buffer, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', subkey, nonce(prefix, index++, final));
    cipher.setAAD(header);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };

  return new Transform({
    construct(callback) {
      this.push(header);
      callback();
    },
    transform(data: Buffer, _encoding, callback: TransformCallback) {
      pending.push(data);
      pendingBytes += data.length;
      // Emit a full chunk only when more bytes follow it, so the final chunk is always < chunkSize.
      if (pendingBytes > chunkSize) {
        let all = Buffer.concat(pending);
        while (all.length > chunkSize) {
          this.push(sealChunk(all.subarray(0, chunkSize), false));
          all = all.subarray(chunkSize);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      let all = Buffer.concat(pending);
      if (all.length === chunkSize) {
        this.push(sealChunk(all, false));
        all = Buffer.alloc(0);
      }
      this.push(sealChunk(all, true));
      callback();
    },
  });
}

export function decryptStream(key: Buffer): Transform {
  checkKey(key);
  let header: Buffer | null = null;
  let subkey: Buffer | null = null;
  let prefix: Buffer | null = null;
  let chunkSize = 0;
  let index = 0;
  let done = false;
  let buffered: Buffer = Buffer.alloc(0);

  const openChunk = (sealed: Buffer, final: boolean): Buffer => {
    const decipher = createDecipheriv('aes-256-gcm', subkey!, nonce(prefix!, index++, final));
    decipher.setAAD(header!);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new FileDecryptionError(
        `chunk ${index - 1} failed authentication (tampered, reordered or truncated)`,
      );
    }
  };

  return new Transform({
    transform(data: Buffer, _encoding, callback: TransformCallback) {
      try {
        if (done) throw new FileDecryptionError('data after the final chunk');
        buffered = buffered.length ? Buffer.concat([buffered, data]) : data;
        if (!header) {
          if (buffered.length < HEADER_BYTES) return callback();
          header = Buffer.from(buffered.subarray(0, HEADER_BYTES));
          if (!header.subarray(0, MAGIC.length).equals(MAGIC))
            throw new FileDecryptionError('not a ZKF1 file');
          chunkSize = header.readUInt32BE(MAGIC.length);
          if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new FileDecryptionError('bad chunk size');
          subkey = fileKey(key, header.subarray(MAGIC.length + 4, MAGIC.length + 4 + SALT_BYTES));
          prefix = header.subarray(MAGIC.length + 4 + SALT_BYTES);
          buffered = buffered.subarray(HEADER_BYTES);
        }
        const sealedSize = chunkSize + TAG_BYTES;
        // A full-size sealed chunk is non-final only when bytes follow it; hold it back until then.
        while (buffered.length > sealedSize) {
          this.push(openChunk(buffered.subarray(0, sealedSize), false));
          buffered = buffered.subarray(sealedSize);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (!header) throw new FileDecryptionError('truncated header');
        if (buffered.length < TAG_BYTES || buffered.length >= chunkSize + TAG_BYTES)
          throw new FileDecryptionError('truncated: the final chunk is missing');
        this.push(openChunk(buffered, true));
        done = true;
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

export async function encryptFile(
  src: string,
  dst: string,
  key: Buffer,
  options?: EncryptOptions,
): Promise<void> {
  await writeAtomically(dst, (tmp) =>
    pipeline(createReadStream(src), encryptStream(key, options), createWriteStream(tmp, { mode: 0o600 })),
  );
}

/** Writes the plaintext to a temporary file renamed into place only once the last chunk authenticated. */
export async function decryptFile(src: string, dst: string, key: Buffer): Promise<void> {
  await writeAtomically(dst, (tmp) =>
    pipeline(createReadStream(src), decryptStream(key), createWriteStream(tmp, { mode: 0o600 })),
  );
}

async function writeAtomically(dst: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${dst}.${randomBytes(6).toString('hex')}.part`;
  try {
    await write(tmp);
    await rename(tmp, dst);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
