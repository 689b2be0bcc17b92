// The file store in a local directory (the default): a key is a path under the root, written to a
// `*.part` file first and renamed into place, so a reader never sees half a file and a crash leaves only a
// `.part` that listing and backups skip. With one server this is all it takes; several processes on
// different machines need a shared directory or the S3 store.
import { randomBytes } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { copyFile, type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PassThrough, type Readable, Writable } from 'node:stream';
import {
  assertBlobKey,
  assertBlobPrefix,
  type BlobInfo,
  BlobNotFound,
  type BlobStore,
  putThrough,
} from './blobStore.ts';

export interface LocalBlobStore extends BlobStore {
  readonly kind: 'local';
  /** The file a key names (tests look at the bytes at rest). */
  pathOf(key: string): string;
}

const UNFINISHED = '.part';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function createLocalBlobStore(root: string): LocalBlobStore {
  const pathOf = (key: string) => join(root, ...assertBlobKey(key).split('/'));

  const writer = (key: string): Writable => {
    const target = pathOf(key);
    const tmp = `${target}.${randomBytes(6).toString('hex')}${UNFINISHED}`;
    let handle: FileHandle | null = null;
    let stored = false;
    return new Writable({
      construct(callback) {
        mkdir(dirname(target), { recursive: true, mode: 0o700 })
          .then(() => open(tmp, 'wx', 0o600))
          .then((opened) => {
            handle = opened;
            callback();
          }, callback);
      },
      write(chunk: Buffer, _encoding, callback) {
        writeAll(handle!, chunk).then(() => callback(), callback);
      },
      final(callback) {
        const file = handle!;
        handle = null;
        file
          .close()
          .then(() => rename(tmp, target))
          .then(() => {
            stored = true;
            callback();
          }, callback);
      },
      destroy(error, callback) {
        if (stored) return callback(error);
        const file = handle;
        handle = null;
        (file ? file.close() : Promise.resolve())
          .catch(() => {})
          .then(() => rm(tmp, { force: true }))
          .then(
            () => callback(error),
            () => callback(error),
          );
      },
    });
  };

  async function* walk(dir: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* walk(path);
      else if (entry.isFile() && !entry.name.endsWith(UNFINISHED)) yield path;
    }
  }

  const store: LocalBlobStore = {
    kind: 'local',
    location: root,
    pathOf,
    writer,
    put: (key, body) => putThrough(writer(key), body),
    async moveIn(key, file) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      try {
        await rename(file, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        // Another file system: copy beside the target, then rename, so the target is never half there.
        const tmp = `${target}.${randomBytes(6).toString('hex')}${UNFINISHED}`;
        await copyFile(file, tmp);
        await rename(tmp, target);
        await rm(file, { force: true });
      }
    },
    get(key) {
      const out = new PassThrough();
      const file = createReadStream(pathOf(key));
      file.on('error', (error) => out.destroy(isMissing(error) ? new BlobNotFound(key) : error));
      out.on('close', () => file.destroy());
      return file.pipe(out) as Readable;
    },
    async stat(key) {
      try {
        const found = await stat(pathOf(key));
        return found.isFile() ? { key, size: found.size, modified: found.mtime } : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async *list(prefix) {
      assertBlobPrefix(prefix);
      // Walk only the folder the prefix is in; a prefix may end inside a name (`attachments/01`).
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      for await (const path of walk(join(root, ...folder.split('/').filter(Boolean)))) {
        const key = relative(root, path).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        const found = await stat(path).catch((error) => {
          if (isMissing(error)) return null; // deleted while we listed
          throw error;
        });
        if (found) yield { key, size: found.size, modified: found.mtime } satisfies BlobInfo;
      }
    },
    async check() {
      // Nothing to prove: folders are made on the first write, with the rights the data directory has.
    },
    async close() {},
  };
  return store;
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}
