// The seam every translation provider sits behind: a batch of texts from one language (or 'auto') into
// another, one translation per text in order, with what the call cost so the server can meter it.
import { TranslationError } from './errors.ts';
import { protectTerms, restoreTerms } from './glossary.ts';
import { type TranslationLanguage, translationLanguage } from './languages.ts';

/**
 * A glossary entry: a brand or product name kept as written ('智客', 'iPhone 15'), or a term with fixed
 * renderings per language ({ term: '顺丰', translations: { en: 'SF Express' } }); any of its forms found in
 * a text is replaced by the target language's form, or kept as found when there is none.
 */
export type GlossaryTerm =
  | string
  | { term: string; translations?: Partial<Record<TranslationLanguage, string>> };

export interface TranslationRequest {
  texts: readonly string[];
  /** A Zhike language tag (aliases like 'zh-CN' accepted) or 'auto' to let the provider detect it. */
  from: string;
  to: string;
  glossary?: readonly GlossaryTerm[];
  signal?: AbortSignal;
  /** Called, besides the translator's own listener, for this request's provider call (not for cache hits),
   * so usage can be put on the conversation that caused it. */
  onUsage?: UsageListener;
}

export interface TokenUsage {
  prompt: number;
  completion: number;
}

export interface TranslationResult {
  /** One per request text, in order. */
  texts: string[];
  /** The source language the provider detected (when `from` was 'auto' and it said). */
  detected?: TranslationLanguage;
  /** The provider id ('deepl', 'openai'…; a cache in front keeps the inner id). */
  provider: string;
  /** Characters the provider billed for this call (Unicode code points of what was sent, unless it says). */
  characters: number;
  /** LLM tokens, when the server reported them. */
  tokens?: TokenUsage;
  /** How many texts came from the cache without a provider call. */
  cachedTexts?: number;
}

/** What one provider call cost, reported through `onUsage` for metering. */
export interface TranslationUsage {
  provider: string;
  from: TranslationLanguage | 'auto';
  to: TranslationLanguage;
  /** Texts sent to the provider. */
  texts: number;
  characters: number;
  tokens?: TokenUsage;
}

export type UsageListener = (usage: TranslationUsage) => void;

export interface Translator {
  readonly id: string;
  translate(request: TranslationRequest): Promise<TranslationResult>;
}

/** Characters as vendors bill them: Unicode code points ('深' and 'A' are one each). */
export function countCharacters(texts: readonly string[]): number {
  let total = 0;
  for (const text of texts) for (const _ of text) total++;
  return total;
}

export interface NormalisedRequest {
  texts: readonly string[];
  from: TranslationLanguage | 'auto';
  to: TranslationLanguage;
  glossary: readonly GlossaryTerm[];
  signal: AbortSignal | undefined;
}

/** Checks and normalises the language tags; a tag we do not serve is 'unsupported_language'. */
export function normaliseRequest(provider: string, request: TranslationRequest): NormalisedRequest {
  const from = request.from === 'auto' ? 'auto' : translationLanguage(request.from);
  if (!from)
    throw new TranslationError(provider, 'unsupported_language', `no translation from '${request.from}'`);
  const to = translationLanguage(request.to);
  if (!to)
    throw new TranslationError(provider, 'unsupported_language', `no translation into '${request.to}'`);
  if (!Array.isArray(request.texts) || request.texts.some((text) => typeof text !== 'string'))
    throw new TranslationError(provider, 'bad_request', 'texts must be an array of strings');
  return { texts: request.texts, from, to, glossary: request.glossary ?? [], signal: request.signal };
}

/**
 * Wraps an adapter's batch function with what every adapter does the same way: normalising the request,
 * answering empty and blank texts (and same-language requests) without a call, keeping glossary terms out of
 * the provider's reach, and reporting usage. The adapter sees only non-blank, glossary-protected texts.
 */
export function defineTranslator(
  id: string,
  translateBatch: (request: NormalisedRequest) => Promise<Omit<TranslationResult, 'provider'>>,
  onUsage?: UsageListener,
): Translator {
  return {
    id,
    async translate(request) {
      const normalised = normaliseRequest(id, request);
      const { texts, from, to } = normalised;
      const sendIndexes: number[] = [];
      for (const [index, text] of texts.entries()) if (text.trim() !== '') sendIndexes.push(index);
      if (sendIndexes.length === 0 || from === to) return { texts: [...texts], provider: id, characters: 0 };
      const shielded = sendIndexes.map((index) => protectTerms(texts[index]!, normalised.glossary, to));
      const sent = shielded.map((item) => item.text);
      const answer = await translateBatch({ ...normalised, texts: sent });
      if (answer.texts.length !== sent.length)
        throw new TranslationError(
          id,
          'bad_response',
          `${answer.texts.length} translations for ${sent.length} texts`,
        );
      const out = [...texts];
      for (const [position, index] of sendIndexes.entries())
        out[index] = restoreTerms(answer.texts[position]!, shielded[position]!.replacements, to);
      const usage: TranslationUsage = {
        provider: id,
        from,
        to,
        texts: sent.length,
        characters: answer.characters,
        ...(answer.tokens ? { tokens: answer.tokens } : {}),
      };
      onUsage?.(usage);
      request.onUsage?.(usage);
      return { ...answer, texts: out, provider: id };
    },
  };
}

/** Splits texts into consecutive batches of at most `maxTexts` texts and `maxCharacters` characters. */
export function batches(
  texts: readonly string[],
  maxTexts: number,
  maxCharacters: number,
): { start: number; texts: string[] }[] {
  const out: { start: number; texts: string[] }[] = [];
  let current: { start: number; texts: string[] } | undefined;
  let size = 0;
  for (const [index, text] of texts.entries()) {
    const length = countCharacters([text]);
    if (!current || current.texts.length >= maxTexts || size + length > maxCharacters) {
      current = { start: index, texts: [] };
      out.push(current);
      size = 0;
    }
    current.texts.push(text);
    size += length;
  }
  return out;
}
