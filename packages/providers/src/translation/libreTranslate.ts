// Self-hosted LibreTranslate (Argos models): POST {baseUrl}/translate with `q` as an array, so a batch is one
// request. Chinese codes changed between releases ('zh'/'zt' before, 'zh-Hans'/'zh-Hant' since), so the
// server's GET /languages is asked once and the codes it lists are used.
import { type FetchLike, joinUrl, sendHttp } from '../http/call.ts';
import { fromHttpError, parseJsonAnswer, TranslationError, type TranslationErrorCode } from './errors.ts';
import { type TranslationLanguage, translationLanguage } from './languages.ts';
import { countCharacters, defineTranslator, type Translator, type UsageListener } from './translator.ts';

export interface LibreTranslateOptions {
  /** e.g. http://127.0.0.1:5000 (the paths /translate and /languages are added). */
  baseUrl: string;
  /** Only when the server runs with --api-keys. */
  apiKey?: string;
  fetch: FetchLike;
  timeoutMs?: number;
  onUsage?: UsageListener;
}

const PROVIDER = 'libretranslate';

/** Codes to try per language, preferred first; the first one the server lists is used. */
const CANDIDATES: Record<TranslationLanguage, readonly string[]> = {
  'zh-Hans': ['zh-Hans', 'zh'],
  'zh-Hant': ['zh-Hant', 'zt', 'zh-TW'],
  // No Cantonese model: written Cantonese goes as traditional Chinese.
  yue: ['yue', 'zh-Hant', 'zt'],
  en: ['en'],
  ja: ['ja'],
  ko: ['ko'],
  vi: ['vi'],
  th: ['th'],
  ms: ['ms'],
  id: ['id'],
  ru: ['ru'],
};

interface LanguageEntry {
  code?: unknown;
  targets?: unknown;
}

/** LibreTranslate answers errors as `{ "error": "…" }`; an unknown language is a 400 naming it. */
function classify(status: number, body: string): TranslationErrorCode | undefined {
  if (status === 400 && /not supported|unsupported/i.test(body)) return 'unsupported_language';
  if (status === 403 || status === 401) return 'auth';
  if (status === 429) return 'rate_limited';
  return undefined;
}

export function createLibreTranslate(options: LibreTranslateOptions): Translator {
  const timeoutMs = options.timeoutMs ?? 15_000;
  let languages: Promise<Map<string, Set<string>> | undefined> | undefined;

  const call = async (path: string, method: string, body: string | undefined, signal?: AbortSignal) => {
    try {
      return await sendHttp({
        provider: PROVIDER,
        fetch: options.fetch,
        url: joinUrl(options.baseUrl, path),
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body }),
        timeoutMs,
        signal,
      });
    } catch (error) {
      throw fromHttpError(PROVIDER, error, classify);
    }
  };

  /** Code → its targets, from GET /languages; undefined when the server has no such list (very old ones). */
  const listLanguages = (signal?: AbortSignal) => {
    languages ??= call('/languages', 'GET', undefined, signal)
      .then((answer) => {
        const list = parseJsonAnswer(PROVIDER, answer.body);
        if (!Array.isArray(list))
          throw new TranslationError(PROVIDER, 'bad_response', '/languages is not a list');
        const table = new Map<string, Set<string>>();
        for (const entry of list as LanguageEntry[]) {
          if (typeof entry?.code !== 'string') continue;
          const targets = Array.isArray(entry.targets)
            ? entry.targets.filter((t) => typeof t === 'string')
            : [];
          table.set(entry.code, new Set(targets as string[]));
        }
        return table;
      })
      .catch((error: unknown) => {
        languages = undefined; // ask again next time
        if (error instanceof TranslationError && error.status === 404) return undefined;
        throw error;
      });
    return languages;
  };

  const codeFor = (language: TranslationLanguage, table: Map<string, Set<string>> | undefined) => {
    const candidates = CANDIDATES[language];
    if (!table) return candidates[0]!;
    const code = candidates.find((candidate) => table.has(candidate));
    if (!code)
      throw new TranslationError(PROVIDER, 'unsupported_language', `the server has no model for ${language}`);
    return code;
  };

  return defineTranslator(
    PROVIDER,
    async ({ texts, from, to, signal }) => {
      const table = await listLanguages(signal);
      const source = from === 'auto' ? 'auto' : codeFor(from, table);
      const target = codeFor(to, table);
      const payload = JSON.stringify({
        q: texts,
        source,
        target,
        format: 'text',
        ...(options.apiKey ? { api_key: options.apiKey } : {}),
      });
      const answer = await call('/translate', 'POST', payload, signal);
      const json = parseJsonAnswer(PROVIDER, answer.body) as {
        translatedText?: unknown;
        detectedLanguage?: unknown;
        error?: unknown;
      };
      const translated = json?.translatedText;
      if (!Array.isArray(translated) || translated.some((t) => typeof t !== 'string'))
        throw new TranslationError(PROVIDER, 'bad_response', 'answer has no translatedText list');
      // With source 'auto' and a list, detectedLanguage is a list too (one per text); take the first.
      const detectedList = Array.isArray(json.detectedLanguage)
        ? json.detectedLanguage
        : [json.detectedLanguage];
      const first = detectedList[0] as { language?: unknown } | undefined;
      const detected = typeof first?.language === 'string' ? translationLanguage(first.language) : undefined;
      return {
        texts: translated as string[],
        ...(detected ? { detected } : {}),
        characters: countCharacters(texts),
      };
    },
    options.onUsage,
  );
}
