// The short-lived token the Aliyun NLS gateway takes, from CreateToken (nls-meta, POP RPC signed), cached
// until shortly before it expires so a call's turns do not each pay a round trip; concurrent callers share one
// request.
import { randomUUID } from 'node:crypto';
import { signedQuery } from '../../http/aliyunSigning.ts';
import { SpeechProviderError } from '../errors.ts';
import { callHttp, type FetchLike, parseJson } from '../http.ts';

export interface NlsTokenOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** Default 'https://nls-meta.cn-shanghai.aliyuncs.com'. */
  metaUrl?: string;
  /** Default 'cn-shanghai'. */
  regionId?: string;
  fetch: FetchLike;
  timeoutMs?: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

export interface NlsTokenSource {
  token(signal?: AbortSignal): Promise<string>;
  /** Forget the cached token (the gateway refused it). */
  invalidate(): void;
}

/** Renew this long before the stated expiry. */
const MARGIN_MS = 5 * 60 * 1000;

export function createNlsTokenSource(options: NlsTokenOptions): NlsTokenSource {
  const metaUrl = (options.metaUrl ?? 'https://nls-meta.cn-shanghai.aliyuncs.com').replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  let cached: { id: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    const params: Record<string, string> = {
      AccessKeyId: options.accessKeyId,
      Action: 'CreateToken',
      Format: 'JSON',
      RegionId: options.regionId ?? 'cn-shanghai',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2019-02-28',
    };
    const answer = await callHttp({
      provider: 'aliyun',
      fetch: options.fetch,
      url: `${metaUrl}/?${signedQuery('GET', params, options.accessKeySecret)}`,
      method: 'GET',
      headers: { accept: 'application/json' },
      timeoutMs: options.timeoutMs ?? 10_000,
      signal,
    }).catch((error: unknown) => {
      // POP answers a bad signature or key with 400/404 and a JSON Code; name it as an auth failure.
      if (
        error instanceof SpeechProviderError &&
        /SignatureDoesNotMatch|InvalidAccessKeyId/.test(error.body ?? '')
      )
        throw new SpeechProviderError('aliyun', 'auth', `CreateToken refused: ${error.body}`, {
          status: error.status,
          body: error.body,
        });
      throw error;
    });
    const json = parseJson('aliyun', answer.body) as {
      Token?: { Id?: unknown; ExpireTime?: unknown };
      ErrMsg?: string;
    };
    const id = json?.Token?.Id;
    const expireTime = json?.Token?.ExpireTime;
    if (typeof id !== 'string' || typeof expireTime !== 'number')
      throw new SpeechProviderError(
        'aliyun',
        'bad_response',
        `CreateToken answer has no token: ${json?.ErrMsg ?? ''}`,
      );
    cached = { id, expiresAt: expireTime * 1000 };
    return id;
  };

  return {
    async token(signal) {
      if (cached && cached.expiresAt - MARGIN_MS > now()) return cached.id;
      pending ??= fetchToken(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
