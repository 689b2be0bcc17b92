// The local directory store: keys are paths under the root (today's data-directory layout), writes land
// whole or not at all, unfinished `.part` files are never listed.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFound, BlobStoreError } from './blobStore.ts';
import { createLocalBlobStore } from './localBlobStore.ts';

const root = mkdtempSync(join(tmpdir(), 'zhike-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = createLocalBlobStore(root);

describe('local file store', () => {
  it('keeps a key at the same path under the root, private to the server user', async () => {
    const key = 'attachments/0190a1b2-0000-7000-8000-0000000000ff/0190a1b2-0000-7000-8000-000000000001.zkf';
    expect(store.pathOf(key)).toBe(join(root, ...key.split('/')));
    expect(await store.put(key, Readable.from([Buffer.from('ZKF1'), Buffer.from('…')]))).toEqual({ size: 7 });
    expect(readFileSync(store.pathOf(key)).toString()).toBe('ZKF1…');
    expect(statSync(store.pathOf(key)).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'attachments')).mode & 0o777).toBe(0o700);
    expect(await store.stat(key)).toMatchObject({ key, size: 7 });
    expect(Buffer.concat(await store.get(key).toArray()).toString()).toBe('ZKF1…');
    await store.delete(key);
    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await expect(store.get(key).toArray()).rejects.toBeInstanceOf(BlobNotFound);
  });

  it('stores nothing when the writer is destroyed, and lists no unfinished file', async () => {
    const writer = store.writer('recordings/w/cut.zkf');
    await new Promise<void>((resolve, reject) =>
      writer.write(Buffer.alloc(5000), (e) => (e ? reject(e) : resolve())),
    );
    await new Promise<void>((resolve) => {
      writer.on('error', () => {}); // the refusal itself, expected
      writer.on('close', resolve);
      writer.destroy(new Error('refused'));
    });
    expect(readdirSync(join(root, 'recordings', 'w'))).toEqual([]);

    writeFileSync(join(root, 'recordings', 'w', 'crashed.zkf.abc.part'), 'half');
    await store.put('recordings/w/a.zkf', Buffer.from('a'));
    await store.put('recordings/x/b.zkf', Buffer.from('bb'));
    await store.put('recordingsX/c.zkf', Buffer.from('c'));
    const listed: string[] = [];
    for await (const blob of store.list('recordings/')) listed.push(`${blob.key}:${blob.size}`);
    expect(listed).toEqual(['recordings/w/a.zkf:1', 'recordings/x/b.zkf:2']);
    const none: string[] = [];
    for await (const blob of store.list('nothing-here/')) none.push(blob.key);
    expect(none).toEqual([]);
  });

  it('moves a file in by renaming it', async () => {
    mkdirSync(join(root, 'staging'), { recursive: true });
    const staged = join(root, 'staging', 'f');
    writeFileSync(staged, 'restored');
    await store.moveIn('attachments/w/restored.zkf', staged);
    expect(existsSync(staged)).toBe(false);
    expect(readFileSync(store.pathOf('attachments/w/restored.zkf'), 'utf8')).toBe('restored');
  });

  it('refuses keys that could leave the root', () => {
    for (const key of ['../x', '/abs', 'a/../b', 'a//b', '', 'a/./b', 'a b'])
      expect(() => store.pathOf(key), key).toThrow(BlobStoreError);
  });
});
