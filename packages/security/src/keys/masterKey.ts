// The master key (key-encryption key): 32 random bytes handed in by the config layer as bytes or base64.
import { createHash, randomBytes } from 'node:crypto';
import { KEY_BYTES } from './aead.ts';

export interface MasterKey {
  /** Stored beside every wrapped data key, so rotation knows what each row is wrapped under. */
  id: string;
  key: Buffer;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/** Accepts a 32-byte Buffer or its base64 / base64url text (surrounding whitespace ignored). */
export function parseMasterKey(input: Buffer | string): Buffer {
  let bytes: Buffer;
  if (typeof input === 'string') {
    const text = input.trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new MasterKeyError('master key is not base64 text');
    bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  } else {
    bytes = Buffer.from(input);
  }
  if (bytes.length !== KEY_BYTES)
    throw new MasterKeyError(`master key must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  if (bytes.every((b) => b === 0)) throw new MasterKeyError('master key is all zeros');
  return bytes;
}

/** A stable, non-secret id for a master key: a truncated hash that reveals nothing useful about it. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('zhike/kek-id/v1').update(key).digest('base64url').slice(0, 10);
}

export function masterKey(input: Buffer | string): MasterKey {
  const key = parseMasterKey(input);
  return { id: masterKeyId(key), key };
}

export const generateMasterKey = (): string => randomBytes(KEY_BYTES).toString('base64');
