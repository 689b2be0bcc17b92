// Which IP addresses outbound HTTP may reach: anything globally routable. Loopback, private, link-local
// (cloud metadata at 169.254.169.254), CGNAT, multicast, reserved and their IPv6 forms are refused,
// including IPv4 hidden inside IPv6 (mapped, NAT64, 6to4).
import { isIPv4, isIPv6 } from 'node:net';

type Range = readonly [prefix: number[], bits: number, name: string];

const V4: Range[] = [
  [[0], 8, 'unspecified'],
  [[10], 8, 'private'],
  [[100, 64], 10, 'cgnat'],
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 0, 2], 24, 'documentation'],
  [[192, 88, 99], 24, 'reserved'],
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'benchmark'],
  [[198, 51, 100], 24, 'documentation'],
  [[203, 0, 113], 24, 'documentation'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'],
];

const V6: Range[] = [
  [[0xfc], 7, 'private'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'site-local'],
  [[0xff], 8, 'multicast'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64, 'discard'],
];

function matches(bytes: number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

const v4Bytes = (address: string): number[] => address.split('.').map(Number);

function v6Bytes(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = v4Bytes(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/** null = public (allowed); otherwise the name of the blocked range. */
export function blockedRange(address: string): string | null {
  if (isIPv4(address)) {
    const bytes = v4Bytes(address);
    if (bytes.every((b) => b === 255)) return 'broadcast';
    return V4.find((r) => matches(bytes, r))?.[2] ?? null;
  }
  if (!isIPv6(address)) return 'not an IP address';
  const bytes = v6Bytes(address);
  if (bytes.slice(0, 15).every((b) => b === 0)) return bytes[15] === 1 ? 'loopback' : 'unspecified';
  const embedded = embeddedV4(bytes);
  if (embedded) {
    const inner = blockedRange(embedded);
    return inner ? `${inner} (IPv4 in IPv6)` : null;
  }
  return V6.find((r) => matches(bytes, r))?.[2] ?? null;
}

function embeddedV4(b: number[]): string | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const tail = (at: number) => b.slice(at, at + 4).join('.');
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return tail(12); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return tail(12); // ::a.b.c.d (deprecated compatible form)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return tail(12); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return tail(2); // 6to4
  return null;
}
