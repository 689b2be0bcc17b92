// The SSRF guard every outbound HTTP call goes through: scheme, credentials, and where the host resolves.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { blockedRange } from './addressRanges.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface SafeUrlOptions {
  /**
   * Hosts exempt from the address check, for services the operator runs on the LAN on purpose (a local
   * LLM, an internal order API). Exact names, or `*.example.internal` for subdomains.
   */
  allowHosts?: readonly string[];
  resolver?: Resolver;
}

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export interface SafeTarget {
  url: URL;
  /** Connect only to these (what the check saw), so DNS cannot change its answer after the check. */
  addresses: ResolvedAddress[];
}

const hostAllowed = (hostname: string, allow: readonly string[]) =>
  allow.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.')
      ? hostname.endsWith(p.slice(1)) && hostname.length > p.length - 1
      : hostname === p;
  });

export async function assertSafeUrl(input: string | URL, options: SafeUrlOptions = {}): Promise<SafeTarget> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UnsafeUrlError('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UnsafeUrlError(`scheme ${url.protocol} is not allowed; use http or https`);
  if (url.username || url.password) throw new UnsafeUrlError('credentials in URLs are not allowed');
  // WHATWG URL already turned 0x7f.1, 2130706433 and friends into dotted IPv4.
  const hostname = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (!hostname) throw new UnsafeUrlError('URL has no host');
  const exempt = hostAllowed(hostname, options.allowHosts ?? []);

  let addresses: ResolvedAddress[];
  const literal = isIP(hostname);
  if (literal) addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolver ?? systemResolver)(hostname);
    } catch {
      throw new UnsafeUrlError(`could not resolve ${hostname}`);
    }
    if (addresses.length === 0) throw new UnsafeUrlError(`${hostname} has no addresses`);
  }
  if (!exempt)
    for (const a of addresses) {
      const range = blockedRange(a.address);
      // Every answer must be public: a mixed answer is how DNS-rebinding attacks get a foot in.
      if (range) throw new UnsafeUrlError(`${hostname} resolves to a ${range} address`);
    }
  return { url, addresses };
}
