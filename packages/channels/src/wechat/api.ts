// The Official Account HTTP API the adapter calls: access_token (POST /cgi-bin/stable_token), the customer-service
// message (POST /cgi-bin/message/custom/send) and temporary media (upload for outgoing images, get for a
// customer's image). Every call goes through the server's `http` client; tokens are cached per app.
import { createHash } from 'node:crypto';
import { type HttpClient, PermanentSendFailure } from '../adapter.ts';

export interface WechatApiTarget {
  apiBase: string;
  appId: string;
  appSecret: string;
}

/** An error WeChat answered with (`errcode` ≠ 0); retried by the job unless it is a PermanentSendFailure. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
    readonly path: string,
  ) {
    super(`WeChat ${path} answered errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

/** Codes meaning the token we sent is no longer good: fetch a new one and try once more. */
const STALE_TOKEN = new Set([40001, 40014, 42001]);

/**
 * Codes after which a retry cannot succeed: outside the 48-hour reply window or unsubscribed (45015), the
 * per-customer-message quota used up (45047), an OpenID that is not this app's (40003), the follower left
 * (43004), text too long (45002), media refused (40004, 40005, 40007, 40009), the account lacks the
 * customer-service permission (48001).
 */
const PERMANENT: Readonly<Record<number, string>> = {
  45015:
    'the customer has not written in the last 48 hours (or unfollowed), so WeChat refuses service messages',
  40003: 'the OpenID does not belong to this Official Account',
  43004: 'the customer no longer follows the Official Account',
  45002: 'the message is longer than WeChat accepts',
  40004: 'WeChat refused the media type',
  40005: 'WeChat refused the file type',
  40007: 'the media id is not valid',
  40009: 'the image is larger than WeChat accepts',
  48001: 'this Official Account is not allowed to use the customer-service message API',
  // Since 2023 a customer message allows 5 service messages within 48 hours; more wait for the next one.
  45047: 'WeChat allows only 5 service messages per customer message; the customer must write again',
};

const HINT: Readonly<Record<number, string>> = {
  [-1]: 'WeChat is busy; retrying',
  40164: "this server's IP address is not on the Official Account's API IP whitelist",
  40013: 'the AppID is not valid',
  40125: 'the AppSecret is not valid',
};

interface CachedToken {
  token: string;
  /** Epoch ms after which we fetch a new one (WeChat's expiry minus a safety margin). */
  refreshAt: number;
}

/** Refresh this long before WeChat's stated expiry, so a token never dies between our check and its use. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Access tokens cached per app, from the stable-token API (/cgi-bin/stable_token). Unlike /cgi-bin/token,
 * whose every call ends the previous token five minutes later, it hands every caller the same token while
 * it is valid and is isolated from /cgi-bin/token: our server processes do not end each other's token, and
 * neither do the shop's other WeChat tools. Tokens are reused until shortly before they expire; when WeChat
 * calls one stale, a normal call first, and a forced refresh only if that returns the same token.
 */
export class AccessTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  private keyOf(target: WechatApiTarget): string {
    // The secret is part of the key so a rotated AppSecret never reuses a token fetched with the old one.
    const secret = createHash('sha256').update(target.appSecret).digest('hex').slice(0, 16);
    return `${target.apiBase}|${target.appId}|${secret}`;
  }

  async get(http: HttpClient, target: WechatApiTarget, now: () => Date, stale?: string): Promise<string> {
    const key = this.keyOf(target);
    const cached = this.tokens.get(key);
    if (cached && cached.token !== stale && cached.refreshAt > now().getTime()) return cached.token;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const request = (async () => {
      const fresh = await fetchToken(http, target, now, false);
      // The platform still hands out the token WeChat refused (revoked, secret reset): force a new one.
      return stale !== undefined && fresh.token === stale ? fetchToken(http, target, now, true) : fresh;
    })().then(
      (fresh) => {
        this.tokens.set(key, fresh);
        this.pending.delete(key);
        return fresh.token;
      },
      (error: unknown) => {
        this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, request);
    return request;
  }
}

async function readJson(response: Response, path: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (!response.ok) throw new Error(`WeChat ${path} answered HTTP ${response.status}`);
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error(`WeChat ${path} answered something that is not a JSON object`);
}

/** The body, or null as soon as it passes `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number): Promise<Buffer | null> {
  if (Number(response.headers.get('content-length') ?? '0') > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function errorOf(body: Record<string, unknown>, path: string): WechatApiError | null {
  const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
  if (errcode === 0) return null;
  const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
  const hint = HINT[errcode] ?? PERMANENT[errcode];
  return new WechatApiError(errcode, hint ? `${errmsg} (${hint})` : errmsg, path);
}

async function fetchToken(
  http: HttpClient,
  target: WechatApiTarget,
  now: () => Date,
  forceRefresh: boolean,
): Promise<CachedToken> {
  const path = '/cgi-bin/stable_token';
  const response = await http(new URL(path, target.apiBase).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      grant_type: 'client_credential',
      appid: target.appId,
      secret: target.appSecret,
      force_refresh: forceRefresh,
    }),
  });
  const body = await readJson(response, path);
  const error = errorOf(body, path);
  if (error) throw error;
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new Error('WeChat /cgi-bin/stable_token answered without an access_token');
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200;
  const lifetime = expiresIn * 1000;
  // Short-lived tokens (tests, or a platform change) still get used for at least half their life.
  const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 2);
  return { token: body.access_token, refreshAt: now().getTime() + lifetime - margin };
}

/** Turns a WeChat error into what the delivery job understands: give up, or throw to retry. */
export function asSendFailure(error: unknown): unknown {
  if (error instanceof WechatApiError && error.errcode in PERMANENT) {
    return new PermanentSendFailure(`${PERMANENT[error.errcode]} (errcode ${error.errcode})`);
  }
  return error;
}

export interface WechatApi {
  /** POST a JSON body to an API path with the access token, renewing the token once if WeChat says so. */
  postJson(path: string, payload: unknown): Promise<Record<string, unknown>>;
  /** Upload a temporary media file (image for outgoing messages); returns its media_id. */
  uploadMedia(
    type: 'image' | 'voice',
    file: { name: string; mimeType: string; content: Buffer },
  ): Promise<string>;
  /** Download a temporary media file a customer sent. */
  getMedia(mediaId: string, maxBytes: number): Promise<{ mimeType: string; content: Buffer }>;
}

export function wechatApi(
  tokens: AccessTokenCache,
  http: HttpClient,
  target: WechatApiTarget,
  now: () => Date,
): WechatApi {
  // Runs `call` with a token; on a stale-token answer fetches a new token once and runs it again.
  async function withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await tokens.get(http, target, now);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof WechatApiError) || !STALE_TOKEN.has(error.errcode)) throw error;
      return call(await tokens.get(http, target, now, token));
    }
  }

  const urlFor = (path: string, token: string, extra: Record<string, string> = {}) => {
    const url = new URL(path, target.apiBase);
    url.searchParams.set('access_token', token);
    for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
    return url.toString();
  };

  return {
    postJson: (path, payload) =>
      withToken(async (token) => {
        const response = await http(urlFor(path, token), {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          // WeChat wants the characters themselves, not \u escapes, in text it shows to people.
          body: JSON.stringify(payload),
        });
        const body = await readJson(response, path);
        const error = errorOf(body, path);
        if (error) throw error;
        return body;
      }),

    uploadMedia: (type, file) =>
      withToken(async (token) => {
        const path = '/cgi-bin/media/upload';
        const form = new FormData();
        form.append('media', new Blob([new Uint8Array(file.content)], { type: file.mimeType }), file.name);
        const response = await http(urlFor(path, token, { type }), { method: 'POST', body: form });
        const body = await readJson(response, path);
        const error = errorOf(body, path);
        if (error) throw error;
        if (typeof body.media_id !== 'string' || body.media_id === '') {
          throw new Error('WeChat /cgi-bin/media/upload answered without a media_id');
        }
        return body.media_id;
      }),

    getMedia: (mediaId, maxBytes) =>
      withToken(async (token) => {
        const path = '/cgi-bin/media/get';
        const response = await http(urlFor(path, token, { media_id: mediaId }), { method: 'GET' });
        const mimeType = (response.headers.get('content-type') ?? 'application/octet-stream')
          .split(';')[0]
          ?.trim();
        if (!response.ok) throw new Error(`WeChat ${path} answered HTTP ${response.status}`);
        // Errors come back as JSON (or text/plain JSON) instead of the file.
        if (mimeType === 'application/json' || mimeType === 'text/plain') {
          const error = errorOf(await readJson(response, path), path);
          throw error ?? new Error(`WeChat ${path} answered JSON instead of the media`);
        }
        const content = await readCapped(response, maxBytes);
        if (!content) throw new Error(`WeChat media ${mediaId} is larger than ${maxBytes} bytes`);
        return { mimeType: mimeType || 'application/octet-stream', content };
      }),
  };
}
