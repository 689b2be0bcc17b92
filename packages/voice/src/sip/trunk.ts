// Which source addresses may send calls straight to us (trunk mode, no registration): IPs and CIDR
// ranges, IPv4 and IPv6; an IPv4 peer seen through a dual-stack socket (::ffff:a.b.c.d) matches its v4 rule.
//
// API:
//   const allowlist = TrunkAllowlist.parse(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7']);
//   allowlist.allows('203.0.113.9') → true      // TrunkAllowlist.parse throws on a malformed entry

import { isIPv4, isIPv6 } from 'node:net';

interface Range {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

export class TrunkAllowlist {
  private constructor(private readonly ranges: readonly Range[]) {}

  /** Parses `ip` and `ip/prefix` entries; throws an Error naming the first bad one (config validation). */
  static parse(entries: readonly string[]): TrunkAllowlist {
    return new TrunkAllowlist(entries.map(parseRange));
  }

  /** True when `address` (an IP, as the transport reports it) falls in any entry. */
  allows(address: string): boolean {
    const ip = toAddress(address);
    if (!ip) return false;
    return this.ranges.some((range) => range.family === ip.family && sameNetwork(range, ip.value));
  }

  get size(): number {
    return this.ranges.length;
  }
}

/** True when `address` is in the single entry `rule` (an IP or CIDR); false for a malformed rule. */
export function sourceInRange(rule: string, address: string): boolean {
  try {
    return TrunkAllowlist.parse([rule]).allows(address);
  } catch {
    return false;
  }
}

function parseRange(entry: string): Range {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const ip = toAddress(slash < 0 ? text : text.slice(0, slash));
  if (!ip) throw new Error(`not an IP address or CIDR range: "${entry}"`);
  const bits = ip.family === 4 && !ip.mapped ? 32 : 128;
  let prefix = ip.family === 4 ? 32 : 128;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      throw new Error(`bad prefix length in "${entry}"`);
    }
    // A v4-mapped v6 range (::ffff:10.0.0.0/104) keeps its meaning as a v4 range.
    prefix = ip.mapped ? Number(prefixText) - 96 : Number(prefixText);
    if (prefix < 0) throw new Error(`bad prefix length in "${entry}"`);
  }
  return { family: ip.family, base: ip.value, prefix };
}

function sameNetwork(range: Range, value: bigint): boolean {
  const bits = BigInt(range.family === 4 ? 32 : 128);
  const shift = bits - BigInt(range.prefix);
  return range.base >> shift === value >> shift;
}

function toAddress(text: string): { family: 4 | 6; value: bigint; mapped: boolean } | null {
  const address = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(address)) return { family: 4, value: ipv4Value(address), mapped: false };
  // A zone index (fe80::1%eth0) names an interface, not part of the address.
  const bare = address.replace(/%[A-Za-z0-9_.-]+$/, '');
  if (!isIPv6(bare)) return null;
  const value = ipv6Value(bare);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn, mapped: true };
  return { family: 6, value, mapped: false };
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Value(address: string): bigint {
  let text = address.toLowerCase();
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4Value(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
