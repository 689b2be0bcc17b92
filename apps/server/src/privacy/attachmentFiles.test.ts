// The attachment store on its own: type from magic bytes, the size cap on a stream that never said its
// length, nothing left on disk when refused, ciphertext at rest, tampering detected on read.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createLocalBlobStore } from '@zhike/providers';
import { afterAll, describe, expect, it } from 'vitest';
import { AttachmentRejected, createAttachmentFiles, sniffType } from './attachmentFiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'zhike-attachments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = createLocalBlobStore(dir);
const files = createAttachmentFiles({ store, maxBytes: 64 * 1024 });
const pathOf = (workspaceId: string, id: string) => store.pathOf(files.keyOf(workspaceId, id));
const ws = '0190a1b2-0000-7000-8000-0000000000ff';
let n = 0;
const nextId = () => `0190a1b2-0000-7000-8000-${String(++n).padStart(12, '0')}`;
/** Delivered in small pieces, like a network body, with no declared length. */
const streamOf = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
    })(),
  );
const jpeg = (body: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(body)]);

describe('attachment files', () => {
  it('recognises the allowed types by their first bytes only', () => {
    expect(sniffType(jpeg('x'))).toBe('image/jpeg');
    expect(sniffType(Buffer.from('GIF89a......'))).toBe('image/gif');
    expect(sniffType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffType(Buffer.from('MZ\x90\0'))).toBeNull();
  });

  it('stores ciphertext and streams the same bytes back', async () => {
    const id = nextId();
    const body = jpeg('秘密的照片内容'.repeat(500));
    const saved = await files.save(ws, id, streamOf(body));
    expect(saved).toMatchObject({ id, mimeType: 'image/jpeg', size: body.length });
    const onDisk = readFileSync(pathOf(ws, id));
    expect(onDisk.includes(Buffer.from('秘密的照片内容'))).toBe(false);
    const back = Buffer.concat(await files.open(ws, id, saved.fileKey).toArray());
    expect(back.equals(body)).toBe(true);
  });

  it('refuses a stream over the cap or of another type, leaving nothing behind', async () => {
    const before = readdirSync(join(dir, 'attachments', ws)).length;
    const big = nextId();
    await expect(files.save(ws, big, streamOf(jpeg('x'.repeat(70 * 1024))))).rejects.toMatchObject({
      reason: 'too_large',
    });
    const html = nextId();
    await expect(
      files.save(ws, html, streamOf(Buffer.from('<html><body>hi</body></html>'))),
    ).rejects.toBeInstanceOf(AttachmentRejected);
    await expect(files.save(ws, nextId(), streamOf(Buffer.alloc(0)))).rejects.toMatchObject({
      reason: 'empty',
    });
    await expect(files.save(ws, nextId(), streamOf(Buffer.from('%PDF')))).rejects.toMatchObject({
      reason: 'unsupported_type',
    });
    expect(readdirSync(join(dir, 'attachments', ws))).toHaveLength(before);
  });

  it('fails the download when the file was tampered with or the key is wrong', async () => {
    const id = nextId();
    const saved = await files.save(ws, id, streamOf(jpeg('y'.repeat(2000))));
    const path = pathOf(ws, id);
    const bytes = readFileSync(path);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 1;
    writeFileSync(path, bytes);
    await expect(text(files.open(ws, id, saved.fileKey))).rejects.toThrow(/authentication/);
    await expect(text(files.open(ws, nextId(), saved.fileKey))).rejects.toThrow();
  });

  it('refuses ids that are not UUIDs as path parts', () => {
    expect(() => files.keyOf(ws, '../../etc/passwd')).toThrow();
  });
});
