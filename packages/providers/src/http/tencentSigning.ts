// Tencent Cloud request signing, shared by speech and translation: HMAC-SHA1 over the sorted query for the
// real-time ASR WebSocket (API 2.0 style), and TC3-HMAC-SHA256 for API 3.0 calls (TTS TextToVoice, TMT).
import { createHash, createHmac } from 'node:crypto';

/** Real-time ASR: base64(HMAC-SHA1(key, host + path + '?' + sorted raw k=v pairs)). */
export function signAsrQuery(secretKey: string, hostAndPath: string, params: Record<string, string>): string {
  const query = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  return createHmac('sha1', secretKey).update(`${hostAndPath}?${query}`).digest('base64');
}

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** 'tts', 'asr'… the product's service name, also the first label of its endpoint. */
  service: string;
  host: string;
  action: string;
  version: string;
  region?: string;
  /** Seconds since the epoch. */
  timestamp: number;
  payload: string;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/** Headers for a signed POST of a JSON payload to `/` (Host itself comes from the URL). */
export function tc3Headers(request: Tc3Request): Record<string, string> {
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${CONTENT_TYPE}\nhost:${request.host}\nx-tc-action:${request.action.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  const scope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(request.timestamp),
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${request.secretKey}`, date), request.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${request.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    'content-type': CONTENT_TYPE,
    'x-tc-action': request.action,
    'x-tc-version': request.version,
    'x-tc-timestamp': String(request.timestamp),
    ...(request.region ? { 'x-tc-region': request.region } : {}),
  };
}
