// Password hashing, opaque tokens, and the HMAC-signed visitor token.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

// Argon2id (the library's default algorithm) with OWASP's minimum parameters: 19 MiB, 2 passes.
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const hmacHex = (key: string, body: string | Buffer): string =>
  createHmac('sha256', key).update(body).digest('hex');

const visitorMac = (secret: string, inboxId: string, visitorId: string): string =>
  createHmac('sha256', secret).update(`visitor:${inboxId}:${visitorId}`).digest('base64url').slice(0, 32);

/** `<visitorId>.<mac>`: binds a visitor id to one inbox, unforgeable without ZHIKE_SECRET. */
export const signVisitorToken = (secret: string, inboxId: string, visitorId: string): string =>
  `${visitorId}.${visitorMac(secret, inboxId, visitorId)}`;

export function verifyVisitorToken(secret: string, inboxId: string, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const visitorId = token.slice(0, dot);
  return safeEqual(token.slice(dot + 1), visitorMac(secret, inboxId, visitorId)) ? visitorId : null;
}

export const API_KEY_PREFIX = 'zk_';
export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { secret, prefix: secret.slice(0, 10), hash: sha256(secret) };
}
