// Alibaba Cloud machine translation, general edition: RPC action TranslateGeneral (version 2018-10-12),
// POSTed as a form signed with POP signature v1 (HMAC-SHA1), FormatType text, Scene general; one text per
// request, a few at a time. Alibaba translates Cantonese ('yue') and traditional Chinese ('zh-tw') only to and
// from simplified Chinese, so other pairs with them go through simplified Chinese in two steps.
import { randomUUID } from 'node:crypto';
import { signedQuery } from '../http/aliyunSigning.ts';
import { type FetchLike, joinUrl, sendHttp } from '../http/call.ts';
import { fromHttpError, parseJsonAnswer, TranslationError, type TranslationErrorCode } from './errors.ts';
import { type TranslationLanguage, translationLanguage } from './languages.ts';
import { countCharacters, defineTranslator, type Translator, type UsageListener } from './translator.ts';

export interface AliyunMtOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** Default 'https://mt.cn-hangzhou.aliyuncs.com'. */
  baseUrl?: string;
  /** Default 'cn-hangzhou' (the only region of the service). */
  regionId?: string;
  fetch: FetchLike;
  timeoutMs?: number;
  /** Requests in flight at once for a batch. Default 4 (the account limit is 50 QPS). */
  concurrency?: number;
  /** Milliseconds since the epoch; tests pin it. */
  now?: () => number;
  onUsage?: UsageListener;
}

const PROVIDER = 'aliyun';

export const ALIYUN_CODES: Record<TranslationLanguage, string> = {
  'zh-Hans': 'zh',
  'zh-Hant': 'zh-tw',
  yue: 'yue',
  en: 'en',
  ja: 'ja',
  ko: 'ko',
  vi: 'vi',
  th: 'th',
  ms: 'ms',
  id: 'id',
  ru: 'ru',
};

/** Codes that pair only with simplified Chinese. */
const CHINESE_ONLY = new Set(['zh-tw', 'yue']);

/** The business codes of TranslateGeneral's answer (HTTP 200, Code ≠ 200). */
export function aliyunErrorCode(code: string): TranslationErrorCode {
  switch (code) {
    case '10001':
      return 'timeout';
    case '10002':
    case '10007':
    case '10012':
    case '19999':
      return 'unavailable';
    case '10005':
    case '10006':
      return 'unsupported_language';
    case '10009':
    case '10011':
      return 'auth';
    case '10010':
    case '10013':
      return 'quota';
    default:
      return 'bad_request';
  }
}

/** POP gateway errors (HTTP 4xx/5xx with a JSON Code) by their code. */
function classifyGateway(status: number, body: string): TranslationErrorCode | undefined {
  const code = /"Code"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? '';
  if (/^(SignatureDoesNotMatch|InvalidAccessKeyId|IncompleteSignature|Forbidden|InvalidTimeStamp)/.test(code))
    return 'auth';
  if (/^Throttling/.test(code)) return 'rate_limited';
  if (/^(ServiceUnavailable|InternalError)/.test(code) || status >= 500) return 'unavailable';
  return undefined;
}

interface TranslateAnswer {
  Code?: unknown;
  Message?: unknown;
  Data?: { Translated?: unknown; WordCount?: unknown; DetectedLanguage?: unknown };
}

export function createAliyunMt(options: AliyunMtOptions): Translator {
  const baseUrl = options.baseUrl ?? 'https://mt.cn-hangzhou.aliyuncs.com';
  const now = options.now ?? Date.now;
  const concurrency = Math.max(1, options.concurrency ?? 4);

  async function translateGeneral(text: string, source: string, target: string, signal?: AbortSignal) {
    const params: Record<string, string> = {
      AccessKeyId: options.accessKeyId,
      Action: 'TranslateGeneral',
      Format: 'JSON',
      FormatType: 'text',
      RegionId: options.regionId ?? 'cn-hangzhou',
      Scene: 'general',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      SourceLanguage: source,
      SourceText: text,
      TargetLanguage: target,
      Timestamp: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2018-10-12',
    };
    let answer: Awaited<ReturnType<typeof sendHttp>>;
    try {
      answer = await sendHttp({
        provider: PROVIDER,
        fetch: options.fetch,
        url: joinUrl(baseUrl, '/'),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: signedQuery('POST', params, options.accessKeySecret),
        timeoutMs: options.timeoutMs ?? 15_000,
        signal,
      });
    } catch (error) {
      throw fromHttpError(PROVIDER, error, classifyGateway);
    }
    const json = parseJsonAnswer(PROVIDER, answer.body) as TranslateAnswer;
    const code = String(json?.Code ?? '');
    if (code !== '200') {
      throw new TranslationError(PROVIDER, aliyunErrorCode(code), `${code}: ${String(json?.Message ?? '')}`, {
        vendorCode: code,
        body: JSON.stringify(json).slice(0, 300),
      });
    }
    const translated = json.Data?.Translated;
    if (typeof translated !== 'string')
      throw new TranslationError(PROVIDER, 'bad_response', 'answer has no Data.Translated');
    const words = Number(json.Data?.WordCount);
    const detected = json.Data?.DetectedLanguage;
    return {
      text: translated,
      characters: Number.isFinite(words) && words > 0 ? words : countCharacters([text]),
      detected: typeof detected === 'string' && detected !== '' ? translationLanguage(detected) : undefined,
    };
  }

  /** One text, through simplified Chinese when the pair needs it. */
  async function translateText(
    text: string,
    from: TranslationLanguage | 'auto',
    to: TranslationLanguage,
    signal: AbortSignal | undefined,
  ) {
    const source = from === 'auto' ? 'auto' : ALIYUN_CODES[from];
    const target = ALIYUN_CODES[to];
    const pivot =
      (CHINESE_ONLY.has(source) && target !== 'zh') || (CHINESE_ONLY.has(target) && source !== 'zh');
    if (!pivot) return translateGeneral(text, source, target, signal);
    const first = await translateGeneral(text, source, 'zh', signal);
    const second = await translateGeneral(first.text, 'zh', target, signal);
    return { text: second.text, characters: first.characters + second.characters, detected: first.detected };
  }

  return defineTranslator(
    PROVIDER,
    async ({ texts, from, to, signal }) => {
      const results: Awaited<ReturnType<typeof translateText>>[] = new Array(texts.length);
      let next = 0;
      const worker = async () => {
        while (next < texts.length) {
          const index = next++;
          results[index] = await translateText(texts[index]!, from, to, signal);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, texts.length) }, worker));
      const detected = from === 'auto' ? results.find((r) => r.detected)?.detected : undefined;
      return {
        texts: results.map((r) => r.text),
        ...(detected ? { detected } : {}),
        characters: results.reduce((sum, r) => sum + r.characters, 0),
      };
    },
    options.onUsage,
  );
}
