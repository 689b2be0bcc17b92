import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMasterKey, parseMasterKey } from './masterKey.ts';
import { readMasterKeyFile, readOrCreateMasterKeyFile, writeMasterKeyFile } from './masterKeyFile.ts';

describe('master key file', () => {
  it('creates a 0600 base64 key once and reads the same key afterwards', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zk-kek-')), 'data', 'master.key');
    const first = readOrCreateMasterKeyFile(file);
    expect(first.created).toBe(true);
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first.keys[0]);
    expect(readOrCreateMasterKeyFile(file)).toEqual({ keys: first.keys, created: false });
  });

  it('holds several keys during a rotation, first = current, replaced atomically', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zk-kek-')), 'master.key');
    const [a, b] = [parseMasterKey(generateMasterKey()), parseMasterKey(generateMasterKey())];
    writeMasterKeyFile(file, [a, b]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readMasterKeyFile(file)).toEqual([a, b]);
    writeMasterKeyFile(file, [a]);
    expect(readMasterKeyFile(file)).toEqual([a]);
  });

  it('refuses a group/world-readable file, an empty file and a malformed key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zk-kek-'));
    const open = join(dir, 'open.key');
    writeFileSync(open, Buffer.alloc(32, 7).toString('base64'));
    chmodSync(open, 0o644);
    expect(() => readMasterKeyFile(open)).toThrow(/chmod 600/);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'c2hvcnQ=', { mode: 0o600 });
    expect(() => readMasterKeyFile(short)).toThrow(/short\.key: master key must be 32 bytes/);
    const empty = join(dir, 'empty.key');
    writeFileSync(empty, '# nothing\n', { mode: 0o600 });
    expect(() => readMasterKeyFile(empty)).toThrow(/no key/);
  });
});
