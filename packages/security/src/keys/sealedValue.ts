// The text format of one encrypted field: zk1:<keyId>:<base64url(nonce | ciphertext | tag)>.
import { context } from './aead.ts';

export const SEALED_PREFIX = 'zk1:';
const SHAPE = /^zk1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$/;

export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedValueError';
  }
}

export interface SealedValue {
  keyId: string;
  packed: Buffer;
}

export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

export const formatSealed = (keyId: string, packed: Buffer): string =>
  `${SEALED_PREFIX}${keyId}:${packed.toString('base64url')}`;

export function parseSealed(stored: string): SealedValue {
  const m = SHAPE.exec(stored);
  if (!m) throw new SealedValueError('not a zk1 sealed value');
  return { keyId: m[1]!, packed: Buffer.from(m[2]!, 'base64url') };
}

/** What a value is bound to: moving it to another workspace, customer, field or key fails to open. */
export const valueContext = (workspaceId: string, subjectId: string | null, field: string, keyId: string) =>
  context('zhike/field/v1', workspaceId, subjectId ?? '', field, keyId);

export const wrapContext = (workspaceId: string, subjectId: string | null, purpose: string, keyId: string) =>
  context('zhike/dek/v1', workspaceId, subjectId ?? '', purpose, keyId);
