// Whether the From address of an inbound mail is proven, so the customer's email identity may count as
// verified (verified identities merge customers automatically). A From header alone proves nothing: anyone
// can write any address. It is proven when the mail came from the shop's own mail host over SMTP AUTH
// (that host checked its sender), or when the receiving mail host the operator trusts (its authserv-id
// configured on the inbox) recorded a DMARC pass, or a DKIM pass for the From domain, in an
// Authentication-Results header (RFC 8601).

export interface SenderCheckInput {
  fromAddress: string;
  /** The client authenticated with the listener's AUTH credentials. */
  authenticatedRelay: boolean;
  /** Raw Authentication-Results header values, topmost (newest) first. */
  authenticationResults: readonly string[];
  /** authserv-id of the mail host whose results are trusted; null = trust none. */
  trustedAuthServId: string | null;
}

interface ResultSet {
  authServId: string;
  results: { method: string; result: string; props: Record<string, string> }[];
}

/** Comments in parentheses carry no meaning for the results and may contain semicolons. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

export function parseAuthenticationResults(value: string): ResultSet | null {
  const parts = withoutComments(value.replace(/\r?\n[ \t]+/g, ' '))
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  const head = parts.shift();
  if (!head) return null;
  const authServId = head.split(/\s+/)[0]!.toLowerCase();
  const results: ResultSet['results'] = [];
  for (const part of parts) {
    const m = /^([a-z0-9_-]+)\s*=\s*([a-z]+)(.*)$/i.exec(part);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const p of m[3]!.matchAll(/([a-z0-9_-]+\.[a-z0-9_-]+)\s*=\s*("[^"]*"|[^\s;]+)/gi))
      props[p[1]!.toLowerCase()] = p[2]!.replace(/^"|"$/g, '').toLowerCase();
    results.push({ method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), props });
  }
  return { authServId, results };
}

const domainOfAddress = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** DKIM aligned with From in DMARC's relaxed sense: the signing domain is the From domain or a parent. */
const aligned = (signingDomain: string, fromDomain: string) =>
  fromDomain === signingDomain || fromDomain.endsWith(`.${signingDomain}`);

export function senderVerified(input: SenderCheckInput): boolean {
  if (input.authenticatedRelay) return true;
  const trusted = input.trustedAuthServId?.toLowerCase();
  if (!trusted) return false;
  // Only the newest header from the trusted host counts: that host adds its own on top and (RFC 8601
  // §5) removes forged ones carrying its id, so anything further down may have come from the sender.
  const mine = input.authenticationResults
    .map(parseAuthenticationResults)
    .find((set) => set?.authServId === trusted);
  if (!mine) return false;
  const fromDomain = domainOfAddress(input.fromAddress);
  return mine.results.some((r) => {
    if (r.result !== 'pass') return false;
    if (r.method === 'dmarc') {
      const headerFrom = r.props['header.from'];
      return headerFrom === undefined || headerFrom === fromDomain;
    }
    if (r.method === 'dkim') {
      const d = r.props['header.d'] ?? r.props['header.i']?.replace(/^.*@/, '');
      return d !== undefined && aligned(d, fromDomain);
    }
    return false;
  });
}
