// The backup file: a gzip'd POSIX tar (readable with `tar tzf`), written and read by streaming so a large
// recording store never sits in memory. Every entry's SHA-256 is computed on the way in and on the way out;
// the manifest (last entry) lists them, so a restore can tell a damaged archive from a good one.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const BLOCK = 512;

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface EntryDigest {
  path: string;
  size: number;
  sha256: string;
}

/** Archive paths are relative, `/`-separated, without `..`: nothing restored can land outside its folder. */
export function isSafeEntryPath(path: string): boolean {
  return (
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) &&
    !path.split('/').some((part) => part === '.' || part === '..')
  );
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(path: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new ArchiveError(`path too long for the archive: ${path}`);
  }
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o600, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/**
 * Writes with backpressure. `failed` settles when the destination breaks (disk full, a directory in the
 * way): without it a write waiting for 'drain' from a stream that errored would wait forever.
 */
async function write(stream: Writable, chunk: Buffer, failed: Promise<unknown>): Promise<void> {
  if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
  if (stream.destroyed) await failed;
}

export interface ArchiveWriter {
  /** Streams a file from disk into the archive; it must not change size meanwhile. */
  addFile(path: string, source: string): Promise<EntryDigest>;
  /**
   * Streams `size` bytes into the archive (an object read from the file store); a source that turns out
   * longer or shorter fails the backup, since the tar header already promised `size`.
   */
  addStream(path: string, size: number, mtime: Date, source: Readable): Promise<EntryDigest>;
  addBuffer(path: string, data: Buffer): Promise<EntryDigest>;
  /** Ends the archive and waits until the file is flushed. */
  close(): Promise<void>;
}

export function createArchiveWriter(file: string): ArchiveWriter {
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
  const done = pipeline(gzip, out);
  done.catch(() => {}); // observed by every write and by close()
  const put = (chunk: Buffer) => write(gzip, chunk, done);
  const pad = async (size: number) => {
    const rest = size % BLOCK;
    if (rest > 0) await put(Buffer.alloc(BLOCK - rest, 0));
  };
  const addStream = async (path: string, size: number, mtime: Date, source: Readable, what: string) => {
    await put(header(path, size, mtime));
    const hash = createHash('sha256');
    let seen = 0;
    try {
      for await (const chunk of source) {
        const bytes = chunk as Buffer;
        seen += bytes.length;
        if (seen > size) break;
        hash.update(bytes);
        await put(bytes);
      }
    } finally {
      source.destroy();
    }
    if (seen !== size) throw new ArchiveError(`${what} changed size while it was being archived`);
    await pad(size);
    return { path, size, sha256: hash.digest('hex') };
  };
  return {
    async addFile(path, source) {
      const { size, mtime } = statSync(source);
      return addStream(path, size, mtime, createReadStream(source), source);
    },
    addStream: (path, size, mtime, source) => addStream(path, size, mtime, source, path),
    async addBuffer(path, data) {
      await put(header(path, data.length, new Date()));
      await put(data);
      await pad(data.length);
      return { path, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    },
    async close() {
      await put(Buffer.alloc(BLOCK * 2, 0));
      gzip.end();
      await done;
    },
  };
}

/** Pulls exact byte counts out of a stream of chunks. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private ended = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.length < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
  }

  /** Exactly n bytes, or null when the stream ends first. */
  async take(n: number): Promise<Buffer | null> {
    await this.fill(n);
    if (this.length < n) return null;
    const all = this.joined();
    this.buffered = [all.subarray(n)];
    this.length -= n;
    return all.subarray(0, n);
  }

  private joined(): Buffer {
    return this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
  }

  /** Up to `max` bytes that are already here (reading more if nothing is), or null at the end. */
  async some(max: number): Promise<Buffer | null> {
    await this.fill(1);
    if (this.length === 0) return null;
    const all = this.joined();
    const n = Math.min(max, all.length);
    this.buffered = [all.subarray(n)];
    this.length -= n;
    return all.subarray(0, n);
  }
}

function parseOctal(field: Buffer): number {
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]*$/.test(text)) return Number.NaN;
  return text.length === 0 ? 0 : Number.parseInt(text, 8);
}

function parseHeader(block: Buffer): { path: string; size: number; type: string } | null {
  if (block.every((b) => b === 0)) return null;
  const stored = parseOctal(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  if (sum !== stored) throw new ArchiveError('an entry header is damaged (checksum mismatch)');
  const cString = (from: number, len: number) =>
    block
      .subarray(from, from + len)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  const name = cString(0, 100);
  const prefix = cString(345, 155);
  const size = parseOctal(block.subarray(124, 136));
  if (!Number.isFinite(size)) throw new ArchiveError('an entry header is damaged (size)');
  return { path: prefix ? `${prefix}/${name}` : name, size, type: cString(156, 1) || '0' };
}

/**
 * Unpacks every regular file of the archive under `dir`, returning each entry's digest. Damage — a gzip
 * error, a bad header, a truncated entry, an unsafe path — throws ArchiveError.
 */
export async function extractArchive(file: string, dir: string): Promise<EntryDigest[]> {
  const gunzip = createGunzip();
  const input = createReadStream(file).pipe(gunzip);
  const reader = new ByteReader(input[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const entries: EntryDigest[] = [];
  try {
    for (;;) {
      const block = await reader.take(BLOCK);
      if (!block) throw new ArchiveError('the archive ends early (truncated)');
      const entry = parseHeader(block);
      if (!entry) {
        // Read to the end so gzip checks its trailer (CRC and length) too.
        while (await reader.some(1 << 16));
        break;
      }
      if (entry.type !== '0')
        throw new ArchiveError(`unexpected entry type "${entry.type}" for ${entry.path}`);
      if (!isSafeEntryPath(entry.path)) throw new ArchiveError(`unsafe path in the archive: ${entry.path}`);
      const target = join(dir, entry.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const out = createWriteStream(target, { mode: 0o600 });
      const written = finished(out);
      written.catch(() => {});
      const hash = createHash('sha256');
      let left = entry.size;
      while (left > 0) {
        const chunk = await reader.some(Math.min(left, 1 << 20));
        if (!chunk) {
          out.destroy();
          throw new ArchiveError(`the archive ends inside ${entry.path} (truncated)`);
        }
        hash.update(chunk);
        await write(out, chunk, written);
        left -= chunk.length;
      }
      out.end();
      await written;
      const rest = entry.size % BLOCK;
      if (rest > 0 && !(await reader.take(BLOCK - rest)))
        throw new ArchiveError(`the archive ends inside ${entry.path} (truncated)`);
      entries.push({ path: entry.path, size: entry.size, sha256: hash.digest('hex') });
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || /unexpected end of file/i.test((error as Error).message))
      throw new ArchiveError(
        `the archive is damaged or not a Zhike backup (gzip: ${(error as Error).message})`,
      );
    throw error;
  } finally {
    input.destroy();
  }
  return entries;
}
