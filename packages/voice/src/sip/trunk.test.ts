import { describe, expect, it } from 'vitest';
import { sourceInRange, TrunkAllowlist } from './trunk.ts';

describe('TrunkAllowlist', () => {
  const list = TrunkAllowlist.parse([
    '203.0.113.0/24',
    '198.51.100.7',
    '10.0.0.0/8',
    '2001:db8:abcd::/48',
    '2001:db8::1',
    '[fe80::1]',
  ]);

  it('matches IPv4 addresses and ranges', () => {
    expect(list.allows('203.0.113.9')).toBe(true);
    expect(list.allows('203.0.114.1')).toBe(false);
    expect(list.allows('198.51.100.7')).toBe(true);
    expect(list.allows('198.51.100.8')).toBe(false);
    expect(list.allows('10.255.1.2')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
  });

  it('matches IPv6 addresses and ranges, in any spelling', () => {
    expect(list.allows('2001:db8:abcd:12::5')).toBe(true);
    expect(list.allows('2001:0db8:abcd:0000:0000:0000:0000:0001')).toBe(true);
    expect(list.allows('2001:db8:abce::1')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('2001:db8::2')).toBe(false);
    expect(list.allows('fe80::1%eth0')).toBe(true);
  });

  it('treats IPv4-mapped IPv6 peers as their IPv4 address', () => {
    expect(list.allows('::ffff:203.0.113.50')).toBe(true);
    expect(list.allows('::ffff:cb00:7132')).toBe(true); // 203.0.113.50 in hex groups
    expect(TrunkAllowlist.parse(['::ffff:10.1.0.0/112']).allows('10.1.3.4')).toBe(true);
    // The v4 rule never matches an unrelated v6 address with the same low bits.
    expect(list.allows('::cb00:7132')).toBe(false);
  });

  it('allows nothing when empty and rejects garbage entries', () => {
    expect(TrunkAllowlist.parse([]).allows('127.0.0.1')).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
    expect(list.allows('')).toBe(false);
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0/8',
      '2001:db8::/129',
      'example.com',
      '1.2.3.4/',
      '1.2.3.4/-1',
      '::ffff:1.2.3.4/95',
    ]) {
      expect(() => TrunkAllowlist.parse([bad]), bad).toThrow(/bad prefix|not an IP/);
    }
    expect(sourceInRange('garbage', '1.2.3.4')).toBe(false);
    expect(sourceInRange('0.0.0.0/0', '1.2.3.4')).toBe(true);
    expect(sourceInRange('::/0', '2001:db8::9')).toBe(true);
  });
});
