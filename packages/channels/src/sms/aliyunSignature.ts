// Alibaba Cloud's RPC request signature (SignatureVersion 1.0, HMAC-SHA1), which dysmsapi's SendSms
// accepts for both GET and form-encoded POST: every parameter but `Signature`, sorted by name and
// RFC 3986-encoded, folded into `METHOD&%2F&encode(query)` and keyed with the AccessKey secret plus "&".
import { createHmac } from 'node:crypto';

/**
 * RFC 3986 percent-encoding as Alibaba Cloud specifies it: only A–Z a–z 0–9 - _ . ~ stay literal, a
 * space is %20 (never "+"), and `!'()*`, which encodeURIComponent leaves alone, are encoded too.
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonicalised query: encoded name=value pairs in code-unit order of the names. */
export function aliyunCanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name] ?? '')}`)
    .join('&');
}

export function aliyunStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(aliyunCanonicalQuery(params))}`;
}

export function aliyunSignature(
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(aliyunStringToSign(method, params), 'utf8')
    .digest('base64');
}
