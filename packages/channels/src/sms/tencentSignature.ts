// Tencent Cloud API 3.0 request signature, TC3-HMAC-SHA256: a canonical request (method, "/", query,
// lower-cased signed headers, SHA-256 of the body), a string to sign scoped to date/service/tc3_request,
// and a signing key derived from "TC3" + SecretKey through the UTC date and the service name.
import { createHash, createHmac } from 'node:crypto';

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** Product name in the credential scope, e.g. `sms`. */
  service: string;
  method: 'GET' | 'POST';
  /** URL-encoded query string for GET; empty for POST. */
  query?: string;
  /** Headers to sign (at least content-type and host); names and values are lower-cased when signed. */
  headers: Readonly<Record<string, string>>;
  payload: string;
  /** Unix seconds, the value of X-TC-Timestamp. */
  timestamp: number;
}

export interface Tc3Signed {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  signedHeaders: string;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The UTC date of the timestamp; the server rejects a scope in the signer's local time zone. */
export const tc3Date = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

export function tc3Sign(request: Tc3Request): Tc3Signed {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.trim().toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join('');
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalRequest = [
    request.method,
    '/',
    request.query ?? '',
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  const date = tc3Date(request.timestamp);
  const credentialScope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(request.timestamp),
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${request.secretKey}`, date), request.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  const authorization = `TC3-HMAC-SHA256 Credential=${request.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign, credentialScope, signedHeaders };
}
