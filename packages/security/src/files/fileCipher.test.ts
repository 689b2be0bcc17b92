import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { decryptFile, decryptStream, encryptFile, encryptStream, FileDecryptionError } from './fileCipher.ts';

const key = randomBytes(32);
const HEADER = 31;

/** Feeds the input in odd-sized pieces so chunk boundaries never line up with writes. */
const run = (stream: NodeJS.ReadWriteStream, input: Buffer, piece = 7777) =>
  buffer(
    Readable.from(
      (function* () {
        for (let i = 0; i < input.length; i += piece) yield input.subarray(i, i + piece);
      })(),
    ).pipe(stream),
  );

const encrypt = (plain: Buffer, chunkSize = 1024) => run(encryptStream(key, { chunkSize }), plain);
const decrypt = (sealed: Buffer, k = key) => run(decryptStream(k), sealed);

describe('streaming file encryption', () => {
  it('round-trips multi-MB data and sizes on and around chunk boundaries', async () => {
    const big = randomBytes(5 * 1024 * 1024 + 123);
    const sealed = await run(encryptStream(key), big, 100_000);
    expect(sealed.subarray(0, 4).toString()).toBe('ZKF1');
    expect((await run(decryptStream(key), sealed, 65_536)).equals(big)).toBe(true);
    for (const size of [0, 1, 1023, 1024, 1025, 2048, 4097]) {
      const plain = randomBytes(size);
      const out = await encrypt(plain);
      expect(out.length).toBe(HEADER + size + (Math.floor(size / 1024) + 1) * 16);
      expect((await decrypt(out)).equals(plain)).toBe(true);
    }
  });

  it('detects a flipped byte anywhere (header, body, tag)', async () => {
    const sealed = await encrypt(randomBytes(5000));
    for (const at of [2, 10, HEADER + 5, HEADER + 1030, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 1;
      await expect(decrypt(bad)).rejects.toThrow(FileDecryptionError);
    }
  });

  it('detects truncation at a chunk boundary, mid-chunk and of the header', async () => {
    const sealed = await encrypt(randomBytes(5000));
    for (const len of [HEADER + 1040, HEADER + 2 * 1040, HEADER + 1500, sealed.length - 1, 20, 0])
      await expect(decrypt(sealed.subarray(0, len))).rejects.toThrow(FileDecryptionError);
  });

  it('detects reordered, dropped and appended chunks', async () => {
    const sealed = await encrypt(randomBytes(4000));
    const c = (i: number) => sealed.subarray(HEADER + i * 1040, HEADER + (i + 1) * 1040);
    const head = sealed.subarray(0, HEADER);
    const tail = sealed.subarray(HEADER + 3 * 1040);
    await expect(decrypt(Buffer.concat([head, c(1), c(0), c(2), tail]))).rejects.toThrow(FileDecryptionError);
    await expect(decrypt(Buffer.concat([head, c(0), c(2), tail]))).rejects.toThrow(FileDecryptionError);
    await expect(decrypt(Buffer.concat([sealed, c(0)]))).rejects.toThrow(FileDecryptionError);
    // A chunk spliced in from another file encrypted under the same key fails too (per-file subkey).
    const other = await encrypt(randomBytes(4000));
    await expect(
      decrypt(Buffer.concat([head, other.subarray(HEADER, HEADER + 1040), c(1), c(2), tail])),
    ).rejects.toThrow();
  });

  it('refuses the wrong key and bad key sizes', async () => {
    const sealed = await encrypt(randomBytes(100));
    await expect(decrypt(sealed, randomBytes(32))).rejects.toThrow(FileDecryptionError);
    expect(() => encryptStream(randomBytes(16))).toThrow(RangeError);
  });

  it('encryptFile / decryptFile; a failed decrypt leaves no output behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zk-file-'));
    const plain = randomBytes(3 * 1024 * 1024);
    writeFileSync(join(dir, 'rec.wav'), plain);
    await encryptFile(join(dir, 'rec.wav'), join(dir, 'rec.zkf'), key);
    expect(readFileSync(join(dir, 'rec.zkf')).includes(plain.subarray(0, 64))).toBe(false);
    await decryptFile(join(dir, 'rec.zkf'), join(dir, 'out.wav'), key);
    expect(readFileSync(join(dir, 'out.wav')).equals(plain)).toBe(true);

    const sealed = readFileSync(join(dir, 'rec.zkf'));
    writeFileSync(join(dir, 'cut.zkf'), sealed.subarray(0, sealed.length - 100));
    await expect(decryptFile(join(dir, 'cut.zkf'), join(dir, 'cut.wav'), key)).rejects.toThrow(
      FileDecryptionError,
    );
    expect(existsSync(join(dir, 'cut.wav'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});
