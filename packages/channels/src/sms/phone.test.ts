import { describe, expect, it } from 'vitest';
import { toE164 } from './phone.ts';

describe('toE164', () => {
  it('reads what the vendors send', () => {
    expect(toE164('13800138000')).toBe('+8613800138000'); // Alibaba Cloud, mainland
    expect(toE164('8613800138000')).toBe('+8613800138000');
    expect(toE164('008613800138000')).toBe('+8613800138000');
    expect(toE164('+86 138-0013-8000')).toBe('+8613800138000');
    expect(toE164('+14155550100')).toBe('+14155550100'); // Twilio
    expect(toE164('010 8888 6666')).toBe('+861088886666'); // a Beijing landline drops the trunk 0
    expect(toE164('4155550100', '1')).toBe('+14155550100');
  });

  it('refuses what cannot be a number', () => {
    expect(toE164('')).toBeNull();
    expect(toE164('hello')).toBeNull();
    expect(toE164('+12')).toBeNull();
    expect(toE164('+1234567890123456')).toBeNull();
    expect(toE164('+0123456789')).toBeNull();
  });
});
