// Builds a workspace's translator from its validated settings: the provider's adapter, metered through
// `onUsage`, behind the LRU cache. Build once per settings change and reuse (the cache and the
// LibreTranslate language list live in the built object).
import { createHash } from 'node:crypto';
import type { FetchLike } from '../http/call.ts';
import { createAliyunMt } from './aliyunMt.ts';
import { type CachedTranslator, createCachedTranslator } from './cache.ts';
import { createDeepL } from './deepl.ts';
import { TranslationError } from './errors.ts';
import { createLibreTranslate } from './libreTranslate.ts';
import { createOpenAiTranslator } from './openaiChat.ts';
import type { TranslationSecrets, TranslationSettings } from './settings.ts';
import { createTencentTmt } from './tencentTmt.ts';
import type { Translator, UsageListener } from './translator.ts';

export interface TranslationDeps {
  /** Outbound HTTP (the server passes its SSRF-guarded fetch where tenants choose the URL). */
  fetch: FetchLike;
  /** Called after every provider call (cache misses only) with the characters and tokens it cost. */
  onUsage?: UsageListener;
  /** Cached translations; default 5,000, 0 turns the cache off. */
  cacheEntries?: number;
}

const need = (provider: string, field: string, value: string | undefined): string => {
  if (!value) throw new TranslationError(provider, 'config', `the secret ${field} is missing`);
  return value;
};

/** The adapter alone, without cache. */
export function buildRawTranslator(
  settings: TranslationSettings,
  secrets: TranslationSecrets,
  deps: TranslationDeps,
): Translator {
  const common = { fetch: deps.fetch, timeoutMs: settings.timeoutMs, onUsage: deps.onUsage };
  switch (settings.provider) {
    case 'openai':
      return createOpenAiTranslator({
        ...common,
        baseUrl: settings.baseUrl,
        model: settings.model,
        apiKey: secrets.apiKey,
        maxBatch: settings.maxBatch,
      });
    case 'tencent':
      return createTencentTmt({
        ...common,
        secretId: settings.secretId,
        secretKey: need(settings.provider, 'secretKey', secrets.secretKey),
        region: settings.region,
        projectId: settings.projectId,
        baseUrl: settings.baseUrl,
      });
    case 'aliyun':
      return createAliyunMt({
        ...common,
        accessKeyId: settings.accessKeyId,
        accessKeySecret: need(settings.provider, 'accessKeySecret', secrets.accessKeySecret),
        baseUrl: settings.baseUrl,
        concurrency: settings.concurrency,
      });
    case 'deepl':
      return createDeepL({
        ...common,
        authKey: need(settings.provider, 'authKey', secrets.authKey),
        baseUrl: settings.baseUrl,
        englishVariant: settings.englishVariant,
      });
    case 'libretranslate':
      return createLibreTranslate({ ...common, baseUrl: settings.baseUrl, apiKey: secrets.apiKey });
    default: {
      const provider: string = (settings as { provider: string }).provider;
      throw new TranslationError('settings', 'config', `unknown translation provider ${provider}`);
    }
  }
}

/**
 * The translator the settings choose, behind the cache. The cache key includes a digest of the non-secret
 * settings, so switching model or server never serves the old one's translations.
 */
export function buildTranslator(
  settings: TranslationSettings,
  secrets: TranslationSecrets,
  deps: TranslationDeps,
): CachedTranslator {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex')
    .slice(0, 16);
  return createCachedTranslator(buildRawTranslator(settings, secrets, deps), {
    maxEntries: deps.cacheEntries,
    keyPrefix: fingerprint,
  });
}
