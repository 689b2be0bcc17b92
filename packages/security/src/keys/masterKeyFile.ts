// The master key's home when no env var supplies it: a file of base64 keys, one per line (first = current,
// further lines only during a rotation), created once with mode 0600 like the server's signing secret.
// Safe when two processes start at once (exclusive create).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateMasterKey, MasterKeyError, parseMasterKey } from './masterKey.ts';

export function readOrCreateMasterKeyFile(file: string): { keys: Buffer[]; created: boolean } {
  mkdirSync(dirname(file), { recursive: true });
  let created = false;
  try {
    writeFileSync(file, `${generateMasterKey()}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { keys: readMasterKeyFile(file), created };
}

/** Refuses a key file other users can read: the key protects every customer's data. */
export function readMasterKeyFile(file: string): Buffer[] {
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
    throw new MasterKeyError(`${file} is readable by other users; chmod 600 it`);
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
  if (lines.length === 0) throw new MasterKeyError(`${file} holds no key`);
  try {
    return lines.map((l) => parseMasterKey(l));
  } catch (error) {
    if (error instanceof MasterKeyError) throw new MasterKeyError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Replaces the file atomically (write a 0600 sibling, then rename), so a crash never leaves it half-written. */
export function writeMasterKeyFile(file: string, keys: Buffer[]): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, keys.map((k) => `${k.toString('base64')}\n`).join(''), { flag: 'wx', mode: 0o600 });
  renameSync(tmp, file);
}
