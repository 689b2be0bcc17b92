import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.ts';
import { hotp, otpauthUri, totp, verifyTotp } from './totp.ts';

const rfcSecret = Buffer.from('12345678901234567890', 'ascii');
const at = (seconds: number) => new Date(seconds * 1000);

describe('base32 (RFC 4648 §10 vectors)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];
  it.each(vectors)('%s ↔ %s', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain), { padding: true })).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
    expect(base32Decode(encoded.toLowerCase().replace(/=/g, '')).toString()).toBe(plain);
  });
  it('refuses invalid characters and tolerates grouping', () => {
    expect(() => base32Decode('MZ1W')).toThrow(SyntaxError);
    expect(base32Decode('MZXW 6YTB-OI').toString()).toBe('foobar');
  });
});

describe('TOTP', () => {
  it('RFC 4226 HOTP vectors', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, i) => hotp(rfcSecret, i))).toEqual(expected);
  });

  it('RFC 6238 SHA-1 vectors (8 digits, and their 6-digit tails)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [t, code] of vectors) {
      expect(totp(rfcSecret, at(t), { digits: 8 })).toBe(code);
      expect(totp(rfcSecret, at(t))).toBe(code.slice(2));
    }
  });

  it('accepts ±1 step, refuses ±2, wrong and malformed codes', () => {
    const now = at(1234567890);
    expect(verifyTotp(rfcSecret, totp(rfcSecret, now), now)).toMatchObject({ ok: true, step: 41152263 });
    expect(verifyTotp(rfcSecret, totp(rfcSecret, at(1234567890 - 30)), now)).toMatchObject({ ok: true });
    expect(verifyTotp(rfcSecret, totp(rfcSecret, at(1234567890 + 30)), now)).toMatchObject({ ok: true });
    expect(verifyTotp(rfcSecret, totp(rfcSecret, at(1234567890 - 60)), now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyTotp(rfcSecret, '000000', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyTotp(rfcSecret, '12345', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyTotp(rfcSecret, '12345a', now)).toEqual({ ok: false, reason: 'invalid' });
    const spaced = totp(rfcSecret, now).replace(/^(\d{3})/, '$1 ');
    expect(verifyTotp(rfcSecret, spaced, now)).toMatchObject({ ok: true });
  });

  it('refuses a replayed code through the last-used step', () => {
    const now = at(1234567890);
    const code = totp(rfcSecret, now);
    const first = verifyTotp(rfcSecret, code, now);
    expect(first.ok).toBe(true);
    const step = first.ok ? first.step : -1;
    expect(verifyTotp(rfcSecret, code, at(1234567890 + 5), { lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    const next = totp(rfcSecret, at(1234567890 + 30));
    expect(verifyTotp(rfcSecret, next, at(1234567890 + 30), { lastUsedStep: step })).toMatchObject({
      ok: true,
    });
  });

  it('builds an otpauth:// URI', () => {
    const uri = otpauthUri({ secret: Buffer.from('foobar'), account: 'owner@shop.cn', issuer: '智客 Zhike' });
    expect(uri).toBe(
      'otpauth://totp/%E6%99%BA%E5%AE%A2%20Zhike:owner%40shop.cn?secret=MZXW6YTBOI&issuer=%E6%99%BA%E5%AE%A2%20Zhike&algorithm=SHA1&digits=6&period=30',
    );
  });
});
