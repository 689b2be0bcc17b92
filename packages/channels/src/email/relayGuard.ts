// nodemailer opens its own sockets, so the HTTP SSRF guard the server hands adapters does not cover the
// SMTP relay. The same rule applies to it: the relay host must resolve to public addresses only, unless
// the operator listed it (ZHIKE_CHANNEL_ALLOW_HOSTS), and we connect to the address we checked so DNS
// cannot answer differently in between.
import { isIP } from 'node:net';
import { blockedRange, type Resolver, systemResolver } from '@zhike/security';

/** Resolves a relay host to the one address to connect to; throws RelayRefused or a lookup error. */
export type RelayGuard = (hostname: string) => Promise<string>;

/** The relay is somewhere the server must not connect to: a configuration problem, not a hiccup. */
export class RelayRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayRefused';
  }
}

const allowed = (hostname: string, allowHosts: readonly string[]) =>
  allowHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.')
      ? hostname.endsWith(p.slice(1)) && hostname.length > p.length - 1
      : hostname === p;
  });

export function relayGuard(
  options: { allowHosts?: readonly string[]; resolver?: Resolver } = {},
): RelayGuard {
  return async (host) => {
    const hostname = host.trim().toLowerCase().replace(/\.$/, '');
    const literal = isIP(hostname);
    // A failed lookup may be the resolver's bad minute: it throws as it is, so the send is retried.
    const addresses = literal
      ? [{ address: hostname, family: literal === 6 ? 6 : 4 }]
      : await (options.resolver ?? systemResolver)(hostname);
    if (addresses.length === 0) throw new Error(`${hostname} has no addresses`);
    if (!allowed(hostname, options.allowHosts ?? []))
      for (const a of addresses) {
        const range = blockedRange(a.address);
        // Every answer must be public, as for HTTP: a mixed answer is how DNS rebinding gets in.
        if (range)
          throw new RelayRefused(
            `SMTP relay ${hostname} resolves to a ${range} address; allow it with ZHIKE_CHANNEL_ALLOW_HOSTS`,
          );
      }
    return addresses[0]!.address;
  };
}
