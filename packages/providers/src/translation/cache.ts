// A cache in front of any translator: agents and customers repeat themselves ("thank you", "where is my
// order?"), quick replies are sent again and again, and every repeat would be billed. An LRU of single
// translations keyed by provider, languages, glossary and text; a batch sends only the texts it misses, in
// one call, and concurrent requests for the same text share that call.
import { createHash } from 'node:crypto';
import { normaliseRequest, type TranslationResult, type Translator } from './translator.ts';

export interface TranslationCacheOptions {
  /** Translations kept. Default 5,000. */
  maxEntries?: number;
  /** Mixed into every key: whatever else changes the output, such as the model, so a settings change never
   * serves translations made by the old one. */
  keyPrefix?: string;
}

export interface CachedTranslator extends Translator {
  stats(): { hits: number; misses: number; entries: number };
  clear(): void;
}

interface Entry {
  text: string;
  detected: TranslationResult['detected'];
}

export function createCachedTranslator(
  inner: Translator,
  options: TranslationCacheOptions = {},
): CachedTranslator {
  const maxEntries = options.maxEntries ?? 5000;
  // Map iteration order is insertion order: re-inserting on a hit makes the first key the least recent.
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<Entry>>();
  const counts = { hits: 0, misses: 0 };

  const remember = (key: string, entry: Entry) => {
    if (maxEntries <= 0) return;
    entries.delete(key);
    entries.set(key, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };

  return {
    id: inner.id,
    async translate(request) {
      const { from, to, glossary } = normaliseRequest(inner.id, request);
      const scope = createHash('sha256')
        .update(JSON.stringify([inner.id, options.keyPrefix ?? '', from, to, glossary]))
        .digest('hex');
      const keyOf = (text: string) =>
        createHash('sha256').update(scope).update('\u0000').update(text).digest('hex');

      const keys = request.texts.map(keyOf);
      const found = new Map<string, Entry | Promise<Entry>>();
      const missing: { key: string; text: string }[] = [];
      const missingKeys = new Set<string>();
      for (const [index, key] of keys.entries()) {
        if (found.has(key) || missingKeys.has(key)) continue;
        const hit = entries.get(key);
        if (hit) {
          entries.delete(key);
          entries.set(key, hit);
          found.set(key, hit);
          counts.hits++;
          continue;
        }
        const shared = pending.get(key);
        if (shared) {
          found.set(key, shared);
          counts.hits++;
          continue;
        }
        missingKeys.add(key);
        missing.push({ key, text: request.texts[index]! });
      }

      let result: TranslationResult | undefined;
      if (missing.length > 0) {
        counts.misses += missing.length;
        const call = inner.translate({ ...request, texts: missing.map((item) => item.text) });
        for (const [index, item] of missing.entries()) {
          const entry = call.then((answer) => ({ text: answer.texts[index]!, detected: answer.detected }));
          // Callers that shared this text see the failure through their own await; this one must not leak.
          entry.catch(() => undefined);
          pending.set(item.key, entry);
          found.set(item.key, entry);
        }
        try {
          result = await call;
          for (const [index, item] of missing.entries())
            remember(item.key, { text: result.texts[index]!, detected: result.detected });
        } finally {
          for (const item of missing) pending.delete(item.key);
        }
      }

      const texts: string[] = [];
      let detected: TranslationResult['detected'];
      for (const key of keys) {
        const entry = await found.get(key)!;
        texts.push(entry.text);
        detected ??= entry.detected;
      }
      return {
        texts,
        ...(detected ? { detected } : {}),
        provider: inner.id,
        characters: result?.characters ?? 0,
        ...(result?.tokens ? { tokens: result.tokens } : {}),
        cachedTexts: request.texts.length - missing.length,
      };
    },
    stats: () => ({ ...counts, entries: entries.size }),
    clear: () => entries.clear(),
  };
}
