// WeChat's request signatures and its message encryption ("safe mode"), as the platform specifies them:
// signature = SHA-1 over the lexically sorted concatenation of the parts; the AES key is the 43-character
// EncodingAESKey plus "=" read as base64 (32 bytes), AES-256-CBC with the key's first 16 bytes as IV, the
// plaintext random(16) + length(4, big-endian) + message + AppID padded PKCS#7-style to a multiple of 32.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BLOCK = 32;

export class WechatCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

export function wechatSignature(parts: readonly string[]): string {
  // Plain code-unit order is WeChat's "dictionary order" for the ASCII values it signs.
  const joined = [...parts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Compares a received hex signature with the expected one without leaking where they differ. */
export function signatureMatches(received: string | undefined, expected: string): boolean {
  if (typeof received !== 'string' || !/^[0-9a-fA-F]{40}$/.test(received)) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase(), 'latin1'), Buffer.from(expected, 'latin1'));
}

export function isEncodingAesKey(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9]{43}$/.test(value);
}

export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!isEncodingAesKey(encodingAesKey))
    throw new WechatCryptoError('EncodingAESKey must be 43 letters or digits');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WechatCryptoError('EncodingAESKey does not decode to 32 bytes');
  return key;
}

/** Encrypts a message for `appId`; `random` is only given by tests that need a fixed ciphertext. */
export function encryptMessage(
  key: Buffer,
  message: string,
  appId: string,
  random: Buffer = randomBytes(16),
): string {
  if (random.length !== 16) throw new WechatCryptoError('random prefix must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]);
  const padLength = BLOCK - (plain.length % BLOCK);
  const padded = Buffer.concat([plain, Buffer.alloc(padLength, padLength)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/**
 * Decrypts an `Encrypt` value and checks it was made for `appId`. Throws `WechatCryptoError` for anything
 * that is not exactly the platform's format (bad base64, padding, length, trailing AppID).
 */
export function decryptMessage(key: Buffer, encrypted: string, appId: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new WechatCryptoError('Encrypt is not base64');
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < BLOCK || data.length % 16 !== 0)
    throw new WechatCryptoError('ciphertext has a bad length');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WechatCryptoError('ciphertext could not be decrypted');
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WechatCryptoError('bad padding');
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) throw new WechatCryptoError('bad padding');
  }
  const content = plain.subarray(0, plain.length - pad);
  if (content.length < 20) throw new WechatCryptoError('plaintext too short');
  const length = content.readUInt32BE(16);
  if (20 + length > content.length) throw new WechatCryptoError('message length out of range');
  const receiver = content.subarray(20 + length).toString('utf8');
  if (receiver !== appId) throw new WechatCryptoError('message was encrypted for another AppID');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content.subarray(20, 20 + length));
  } catch {
    throw new WechatCryptoError('message is not UTF-8');
  }
}
