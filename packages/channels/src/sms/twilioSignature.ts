// Twilio's webhook signature (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the Auth Token, over the
// full URL Twilio called followed by every POST parameter as name+value, sorted by name, no separators.
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './callbackToken.ts';

export type FormParams = readonly (readonly [string, string])[];

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function twilioSignatureBase(url: string, params: FormParams): string {
  // Repeated names (several MediaUrl values …) each contribute name+value; ties sort by value, as
  // Twilio's own validators do.
  const sorted = [...params].sort(([an, av], [bn, bv]) => byCodeUnits(an, bn) || byCodeUnits(av, bv));
  return url + sorted.map(([name, value]) => name + value).join('');
}

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  return createHmac('sha1', authToken).update(twilioSignatureBase(url, params), 'utf8').digest('base64');
}

/**
 * The URL as given, and with and without the scheme's default port: Twilio signs the URL as configured,
 * and a proxy in front of us may add or drop ":443". (WHATWG URL parsing drops a default port itself.)
 */
function urlVariants(url: string): string[] {
  const variants = new Set([url]);
  try {
    const parsed = new URL(url);
    const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : null;
    if (defaultPort && parsed.port === '') {
      variants.add(parsed.toString());
      variants.add(`${parsed.protocol}//${parsed.host}:${defaultPort}${parsed.pathname}${parsed.search}`);
    }
  } catch {
    // Not a URL: only the string as given can match.
  }
  return [...variants];
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: FormParams,
  header: string | undefined,
): boolean {
  if (!header || !authToken) return false;
  return urlVariants(url).some((candidate) =>
    constantTimeEqual(twilioSignature(authToken, candidate, params), header),
  );
}
