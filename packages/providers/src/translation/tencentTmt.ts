// Tencent Cloud machine translation (TMT), API 3.0 action TextTranslateBatch (version 2018-03-21) signed
// with TC3-HMAC-SHA256: a batch is one request (SourceTextList → TargetTextList). Errors come back as HTTP
// 200 with Response.Error.Code, mapped here onto what the caller can act on.
import { type FetchLike, joinUrl, sendHttp } from '../http/call.ts';
import { tc3Headers } from '../http/tencentSigning.ts';
import { fromHttpError, parseJsonAnswer, TranslationError, type TranslationErrorCode } from './errors.ts';
import { type TranslationLanguage, translationLanguage } from './languages.ts';
import {
  batches,
  countCharacters,
  defineTranslator,
  type Translator,
  type UsageListener,
} from './translator.ts';

export interface TencentTmtOptions {
  secretId: string;
  secretKey: string;
  /** Default 'ap-guangzhou'. */
  region?: string;
  /** Default 0 (the default project). */
  projectId?: number;
  /** Default 'https://tmt.tencentcloudapi.com'. */
  baseUrl?: string;
  fetch: FetchLike;
  timeoutMs?: number;
  /** Seconds since the epoch; tests pin it. */
  now?: () => number;
  onUsage?: UsageListener;
}

const PROVIDER = 'tencent';

/** TMT has no Cantonese: it goes out (and comes back) as traditional Chinese. */
export const TENCENT_CODES: Record<TranslationLanguage, string> = {
  'zh-Hans': 'zh',
  'zh-Hant': 'zh-TW',
  yue: 'zh-TW',
  en: 'en',
  ja: 'ja',
  ko: 'ko',
  vi: 'vi',
  th: 'th',
  ms: 'ms',
  id: 'id',
  ru: 'ru',
};

/** The documented limit is on the length of one request's text; stay well under it. */
const MAX_BATCH_CHARACTERS = 2000;
const MAX_BATCH_TEXTS = 100;

export function tencentErrorCode(code: string): TranslationErrorCode {
  if (
    code.startsWith('AuthFailure') ||
    code === 'UnauthorizedOperation' ||
    code.startsWith('UnauthorizedOperation.')
  )
    return code === 'UnauthorizedOperation.ActionNotFound' ? 'config' : 'auth';
  if (
    code === 'FailedOperation.NoFreeAmount' ||
    code === 'FailedOperation.ServiceIsolate' ||
    code === 'FailedOperation.StopUsing'
  )
    return 'quota';
  if (code === 'FailedOperation.UserNotRegistered') return 'config';
  if (code.startsWith('RequestLimitExceeded') || code.startsWith('LimitExceeded')) return 'rate_limited';
  if (code === 'InternalError.BackendTimeout') return 'timeout';
  if (code.startsWith('InternalError')) return 'unavailable';
  if (/^UnsupportedOperation\.Un[Ss]upported(Target|Source)?Language$/.test(code))
    return 'unsupported_language';
  if (code === 'FailedOperation.LanguageRecognitionErr') return 'unsupported_language';
  return 'bad_request';
}

interface BatchAnswer {
  Response?: {
    Source?: unknown;
    Target?: unknown;
    TargetTextList?: unknown;
    Error?: { Code?: string; Message?: string };
    RequestId?: string;
  };
}

export function createTencentTmt(options: TencentTmtOptions): Translator {
  const baseUrl = options.baseUrl ?? 'https://tmt.tencentcloudapi.com';
  const host = new URL(baseUrl).host;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  async function translateOne(
    texts: string[],
    from: TranslationLanguage | 'auto',
    to: TranslationLanguage,
    signal: AbortSignal | undefined,
  ) {
    const payload = JSON.stringify({
      Source: from === 'auto' ? 'auto' : TENCENT_CODES[from],
      Target: TENCENT_CODES[to],
      ProjectId: options.projectId ?? 0,
      SourceTextList: texts,
    });
    const headers = tc3Headers({
      secretId: options.secretId,
      secretKey: options.secretKey,
      service: 'tmt',
      host,
      action: 'TextTranslateBatch',
      version: '2018-03-21',
      region: options.region ?? 'ap-guangzhou',
      timestamp: now(),
      payload,
    });
    let answer: Awaited<ReturnType<typeof sendHttp>>;
    try {
      answer = await sendHttp({
        provider: PROVIDER,
        fetch: options.fetch,
        url: joinUrl(baseUrl, '/'),
        headers,
        body: payload,
        timeoutMs: options.timeoutMs ?? 15_000,
        signal,
      });
    } catch (error) {
      throw fromHttpError(PROVIDER, error);
    }
    const response = (parseJsonAnswer(PROVIDER, answer.body) as BatchAnswer)?.Response;
    if (response?.Error) {
      const vendorCode = response.Error.Code ?? 'unknown';
      throw new TranslationError(
        PROVIDER,
        tencentErrorCode(vendorCode),
        `${vendorCode}: ${response.Error.Message ?? ''}`,
        { vendorCode, body: JSON.stringify(response.Error).slice(0, 300) },
      );
    }
    const list = response?.TargetTextList;
    if (!Array.isArray(list) || list.length !== texts.length || list.some((t) => typeof t !== 'string'))
      throw new TranslationError(
        PROVIDER,
        'bad_response',
        `answer has no TargetTextList of ${texts.length} texts`,
      );
    const source = typeof response?.Source === 'string' ? translationLanguage(response.Source) : undefined;
    return { texts: list as string[], source };
  }

  return defineTranslator(
    PROVIDER,
    async ({ texts, from, to, signal }) => {
      const out: string[] = [];
      let detected: TranslationLanguage | undefined;
      for (const batch of batches(texts, MAX_BATCH_TEXTS, MAX_BATCH_CHARACTERS)) {
        const answer = await translateOne(batch.texts, from, to, signal);
        out.push(...answer.texts);
        if (from === 'auto') detected ??= answer.source;
      }
      return { texts: out, ...(detected ? { detected } : {}), characters: countCharacters(texts) };
    },
    options.onUsage,
  );
}
