import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aesKeyOf,
  decryptMessage,
  encryptMessage,
  signatureMatches,
  WechatCryptoError,
  wechatSignature,
} from './crypto.ts';

// Published vectors that several independent WeChat SDKs test against (Python, Rust), made with the
// platform's own sample code; matching them means the byte layout is the platform's.
const vectorKey = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';

describe('WeChat signatures and message encryption', () => {
  it('signs the sorted concatenation with SHA-1 (published vector)', () => {
    expect(wechatSignature(['test', '123456', 'test', 'rust'])).toBe(
      'd6056f2bb3ad3e30f4afa5ef90cc9ddcdc7b7b27',
    );
  });

  it('encrypts exactly as the platform does with a fixed random prefix (published vector)', () => {
    const key = aesKeyOf(vectorKey);
    expect(encryptMessage(key, 'test', 'rust', Buffer.from('1234567890123456'))).toBe(
      '9s4gMv99m88kKTh/H8IdkNiFGeG9pd7vNWl50fGRWXY=',
    );
    expect(decryptMessage(key, '9s4gMv99m88kKTh/H8IdkNiFGeG9pd7vNWl50fGRWXY=', 'rust')).toBe('test');
  });

  it('checks and decrypts a platform-made verification string (published vector)', () => {
    const echo = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
    const expected = wechatSignature(['123456', '1411443780', '437374425', echo]);
    expect(signatureMatches('dd6b9c95b495b3f7e2901bfbc76c664930ffdb96', expected)).toBe(true);
    expect(
      signatureMatches(
        'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96',
        wechatSignature(['123456', '1411443780', '437374424', echo]),
      ),
    ).toBe(false);
    expect(decryptMessage(aesKeyOf(vectorKey), echo, 'wx49f0ab532d5d035a')).toMatch(/^\d+$/);
  });

  it('round-trips Chinese text of every padding length and refuses another app, tampering and garbage', () => {
    const key = aesKeyOf('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C');
    for (let n = 0; n < 40; n++) {
      const message = `<xml><Content><![CDATA[${'你'.repeat(n)}]]></Content></xml>`;
      expect(
        decryptMessage(key, encryptMessage(key, message, 'wx5823bf96d3bd56c7'), 'wx5823bf96d3bd56c7'),
      ).toBe(message);
    }
    const encrypted = encryptMessage(key, 'hello', 'wx5823bf96d3bd56c7');
    expect(() => decryptMessage(key, encrypted, 'wx0000000000000000')).toThrow(WechatCryptoError);
    const bytes = Buffer.from(encrypted, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(() => decryptMessage(key, bytes.toString('base64'), 'wx5823bf96d3bd56c7')).toThrow(
      WechatCryptoError,
    );
    for (const garbage of ['', 'not base64!', 'AAAA', Buffer.alloc(33).toString('base64')]) {
      expect(() => decryptMessage(key, garbage, 'wx5823bf96d3bd56c7')).toThrow(WechatCryptoError);
    }
    expect(() => aesKeyOf('short')).toThrow(WechatCryptoError);
  });

  it('pads to a multiple of 32 bytes, not the AES block size of 16', () => {
    const key = aesKeyOf(vectorKey);
    // 16 random + 4 length + 5 message + 18 AppID = 43 bytes: 21 bytes of padding to reach 64 (16-byte padding would add 5).
    const encrypted = Buffer.from(encryptMessage(key, 'hello', 'wx5823bf96d3bd56c7'), 'base64');
    expect(encrypted.length).toBe(64);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
    expect([...plain.subarray(43)]).toEqual(Array.from({ length: 21 }, () => 21));
  });

  it('compares signatures only when they are 40 hex digits', () => {
    const expected = wechatSignature(['a', 'b']);
    expect(signatureMatches(expected.toUpperCase(), expected)).toBe(true);
    expect(signatureMatches(undefined, expected)).toBe(false);
    expect(signatureMatches(`${expected}0`, expected)).toBe(false);
    expect(signatureMatches('zz', expected)).toBe(false);
  });
});
