// The master key's home when no env var supplies it: a base64 file created once with mode 0600, the same
// way the server's signing secret is kept. Safe when two processes start at once (exclusive create).
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateMasterKey, MasterKeyError, parseMasterKey } from './masterKey.ts';

export function readOrCreateMasterKeyFile(file: string): { key: Buffer; created: boolean } {
  mkdirSync(dirname(file), { recursive: true });
  let created = false;
  try {
    writeFileSync(file, `${generateMasterKey()}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { key: readMasterKeyFile(file), created };
}

/** Refuses a key file other users can read: the key protects every customer's data. */
export function readMasterKeyFile(file: string): Buffer {
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
    throw new MasterKeyError(`${file} is readable by other users; chmod 600 it`);
  try {
    return parseMasterKey(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof MasterKeyError) throw new MasterKeyError(`${file}: ${error.message}`);
    throw error;
  }
}
