import { describe, expect, it } from 'vitest';
import { normaliseIdentity } from './normaliseIdentity.ts';

describe('normaliseIdentity', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['138 1234 5678', '+8613812345678'],
    ['138-1234-5678', '+8613812345678'],
    ['+86 138-1234-5678', '+8613812345678'],
    ['8613812345678', '+8613812345678'],
    ['0086 138 1234 5678', '+8613812345678'],
    ['(+86) 138.1234.5678', '+8613812345678'],
    ['１３８１２３４５６７８', '+8613812345678'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['010-8888 6666', '01088886666'],
    ['10690000', '10690000'],
  ])('phone %s → %s', (input, expected) => {
    expect(normaliseIdentity('phone', input)).toBe(expected);
  });

  it.each(['', 'abc', '138x1234', '12', '+', '1'.repeat(16)])('refuses %j as a phone', (input) => {
    expect(() => normaliseIdentity('phone', input)).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('lower-cases and trims emails, refusing what is not one', () => {
    expect(normaliseIdentity('email', '  Zhang.San@Example.COM ')).toBe('zhang.san@example.com');
    for (const bad of ['zhang', '@x.com', 'a@', 'a@b@c', 'a b@c.com'])
      expect(() => normaliseIdentity('email', bad)).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
  });

  it('keeps WeChat OpenIDs case-sensitive and scoped by the official account', () => {
    expect(normaliseIdentity('wechat', ' wx1234:oAbC-dEf ')).toBe('wx1234:oAbC-dEf');
    for (const bad of ['oAbC', ':oAbC', 'wx1234:', 'wx 1:o'])
      expect(() => normaliseIdentity('wechat', bad)).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
  });

  it('trims opaque visitor and external ids and refuses empty ones', () => {
    expect(normaliseIdentity('external', ' crm-42 ')).toBe('crm-42');
    expect(normaliseIdentity('visitor', 'V-Abc')).toBe('V-Abc');
    expect(() => normaliseIdentity('visitor', '  ')).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});
