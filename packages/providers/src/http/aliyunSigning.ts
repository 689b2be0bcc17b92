// Alibaba Cloud POP RPC signature, version 1.0 (HMAC-SHA1), shared by speech (CreateToken on nls-meta) and
// translation (TranslateGeneral): parameters sorted, RFC 3986 percent-encoded, "METHOD&%2F&" + encoded query,
// signed with the AccessKey secret plus "&".
import { createHmac } from 'node:crypto';

/** RFC 3986 encoding: only A–Z a–z 0–9 - _ . ~ stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key]!)}`)
    .join('&');
}

export function popSignature(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** The full signed query string, Signature last. */
export function signedQuery(method: string, params: Record<string, string>, accessKeySecret: string): string {
  return `${canonicalQuery(params)}&Signature=${percentEncode(popSignature(method, params, accessKeySecret))}`;
}
