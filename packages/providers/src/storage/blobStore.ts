// The file store port: opaque bytes (the server only ever stores ciphertext) under `/`-separated keys such
// as `attachments/<workspace>/<id>.zkf`, kept in a local directory or an S3-compatible bucket, so several
// server processes can share one store.
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface BlobInfo {
  key: string;
  size: number;
  modified: Date;
}

export interface BlobStore {
  /** For messages only: callers never branch on it. */
  readonly kind: 'local' | 's3';
  /** Where the bytes live, for messages (a directory, or s3://bucket/prefix at an endpoint); never secrets. */
  readonly location: string;
  /**
   * A stream that stores the object once it finishes: all or nothing. Destroyed (or errored) before that,
   * it stores nothing, so a refused upload or a failed store leaves no half-written object behind.
   */
  writer(key: string): Writable;
  put(key: string, body: Buffer | Readable): Promise<{ size: number }>;
  /**
   * Stores a local file's bytes under `key` and takes the file: the local store renames it into place (a
   * restore moves gigabytes of recordings without copying them), others upload it and delete it.
   */
  moveIn(key: string, file: string): Promise<void>;
  /** The bytes, read when first asked for; a missing object errors the stream with BlobNotFound. */
  get(key: string): Readable;
  stat(key: string): Promise<BlobInfo | null>;
  /** Deleting what is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` (unfinished writes left out). */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /** Proves the store answers with these credentials, so a wrong setting fails at start, not at an upload. */
  check(): Promise<void>;
  /** Lets go of kept-alive connections. */
  close(): Promise<void>;
}

/** A store that could not do what was asked (unreachable, refused, timed out); the message says why. */
export class BlobStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BlobStoreError';
  }
}

export class BlobNotFound extends BlobStoreError {
  constructor(readonly key: string) {
    super(`no stored file ${key}`);
    this.name = 'BlobNotFound';
  }
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Keys are relative, `/`-separated, of letters, digits, `.`, `_` and `-`, never `.` or `..`: they name the
 * same file on disk and the same object in a bucket, and nothing can point outside the store.
 */
export function assertBlobKey(key: string): string {
  const parts = key.split('/');
  if (key.length === 0 || key.length > 512 || parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..'))
    throw new BlobStoreError(`not a valid file store key: ${JSON.stringify(key.slice(0, 80))}`);
  return key;
}

/** A prefix for `list`: a key, or a key's start ending in `/`. */
export function assertBlobPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  assertBlobKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}

/**
 * Resolves once a writer has let go of everything (a failed one has removed its partial file or aborted
 * its upload). A pipeline rejects at the first error, before that: a caller that answers "refused" right
 * away could still see the leftovers.
 */
export function writerSettled(writer: Writable): Promise<void> {
  if (writer.closed) return Promise.resolve();
  return new Promise((resolve) => writer.once('close', () => resolve()));
}

/** `put` in terms of `writer`: the one write path both stores share. */
export async function putThrough(writer: Writable, body: Buffer | Readable): Promise<{ size: number }> {
  let size = 0;
  const source = Buffer.isBuffer(body) ? [body] : body;
  try {
    await pipeline(async function* () {
      for await (const chunk of source) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        size += bytes.length;
        yield bytes;
      }
    }, writer);
  } catch (error) {
    await writerSettled(writer);
    throw error;
  }
  return { size };
}
