// DeepL API v2: POST /v2/translate with a JSON body (`text` as a list, up to 50 per request) and
// `Authorization: DeepL-Auth-Key …`; free-plan keys (ending in ':fx') go to api-free.deepl.com. It bills
// what it reports in `billed_characters`, asked for with `show_billed_characters`.
import { type FetchLike, joinUrl, sendHttp } from '../http/call.ts';
import { fromHttpError, parseJsonAnswer, TranslationError, type TranslationErrorCode } from './errors.ts';
import { type TranslationLanguage, translationLanguage } from './languages.ts';
import {
  batches,
  countCharacters,
  defineTranslator,
  type Translator,
  type UsageListener,
} from './translator.ts';

export interface DeepLOptions {
  authKey: string;
  /** Default by the key: https://api-free.deepl.com for ':fx' keys, else https://api.deepl.com. */
  baseUrl?: string;
  /** The English variant to write. Default 'EN-US'. */
  englishVariant?: 'EN-US' | 'EN-GB';
  fetch: FetchLike;
  timeoutMs?: number;
  onUsage?: UsageListener;
}

const PROVIDER = 'deepl';
const MAX_TEXTS = 50;
/** The request body limit is 128 KiB; characters here are at most 4 bytes each in UTF-8, plus JSON. */
const MAX_BATCH_CHARACTERS = 25_000;

/** Source codes name the language only; Chinese of any script or variety is 'ZH'. */
export const DEEPL_SOURCE: Record<TranslationLanguage, string> = {
  'zh-Hans': 'ZH',
  'zh-Hant': 'ZH',
  yue: 'ZH',
  en: 'EN',
  ja: 'JA',
  ko: 'KO',
  vi: 'VI',
  th: 'TH',
  ms: 'MS',
  id: 'ID',
  ru: 'RU',
};

/** Target codes; DeepL writes no Cantonese, so written Cantonese readers get traditional Chinese. */
export const DEEPL_TARGET: Record<TranslationLanguage, string> = {
  ...DEEPL_SOURCE,
  'zh-Hans': 'ZH-HANS',
  'zh-Hant': 'ZH-HANT',
  yue: 'ZH-HANT',
  en: 'EN-US',
};

export function deeplBaseUrl(authKey: string): string {
  return authKey.trim().endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com';
}

/** DeepL's statuses: 403 key, 456 quota, 429/529 too many requests; an unknown language is a 400 naming it. */
function classify(status: number, body: string): TranslationErrorCode | undefined {
  if (status === 400 && /(target_lang|source_lang|language).*(not supported|invalid|unsupported)/i.test(body))
    return 'unsupported_language';
  if (status === 413 || status === 414) return 'bad_request';
  return undefined;
}

interface TranslateAnswer {
  translations?: { detected_source_language?: unknown; text?: unknown; billed_characters?: unknown }[];
}

export function createDeepL(options: DeepLOptions): Translator {
  const baseUrl = options.baseUrl ?? deeplBaseUrl(options.authKey);
  const redact = (text: string) => text.split(options.authKey).join('[redacted]');

  async function translateBatch(
    texts: string[],
    from: TranslationLanguage | 'auto',
    to: TranslationLanguage,
    signal: AbortSignal | undefined,
  ) {
    const target = to === 'en' ? (options.englishVariant ?? 'EN-US') : DEEPL_TARGET[to];
    const payload = JSON.stringify({
      text: texts,
      ...(from === 'auto' ? {} : { source_lang: DEEPL_SOURCE[from] }),
      target_lang: target,
      preserve_formatting: true,
      show_billed_characters: true,
    });
    let answer: Awaited<ReturnType<typeof sendHttp>>;
    try {
      answer = await sendHttp({
        provider: PROVIDER,
        fetch: options.fetch,
        url: joinUrl(baseUrl, '/v2/translate'),
        headers: {
          authorization: `DeepL-Auth-Key ${options.authKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: payload,
        timeoutMs: options.timeoutMs ?? 15_000,
        signal,
      });
    } catch (error) {
      throw fromHttpError(PROVIDER, error, classify, redact);
    }
    const list = (parseJsonAnswer(PROVIDER, answer.body) as TranslateAnswer)?.translations;
    if (!Array.isArray(list) || list.length !== texts.length || list.some((t) => typeof t?.text !== 'string'))
      throw new TranslationError(
        PROVIDER,
        'bad_response',
        `answer has no translations for ${texts.length} texts`,
      );
    const billed = list.every((t) => typeof t.billed_characters === 'number')
      ? list.reduce((sum, t) => sum + (t.billed_characters as number), 0)
      : countCharacters(texts);
    const source = list[0]?.detected_source_language;
    return {
      texts: list.map((t) => t.text as string),
      characters: billed,
      detected: typeof source === 'string' ? translationLanguage(source) : undefined,
    };
  }

  return defineTranslator(
    PROVIDER,
    async ({ texts, from, to, signal }) => {
      const out: string[] = [];
      let characters = 0;
      let detected: TranslationLanguage | undefined;
      for (const batch of batches(texts, MAX_TEXTS, MAX_BATCH_CHARACTERS)) {
        const answer = await translateBatch(batch.texts, from, to, signal);
        out.push(...answer.texts);
        characters += answer.characters;
        if (from === 'auto') detected ??= answer.detected;
      }
      return { texts: out, ...(detected ? { detected } : {}), characters };
    },
    options.onUsage,
  );
}
