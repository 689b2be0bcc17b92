// A workspace's translation provider as plain data, in the style of the speech settings: the console posts
// one flat record (`provider` plus that provider's fields, secrets included); validation answers typed
// settings with the secrets split off (the server seals those and never returns them), or field errors.
import type { FieldSpec } from '../speech/settings.ts';

export const TRANSLATION_PROVIDER_IDS = ['openai', 'tencent', 'aliyun', 'deepl', 'libretranslate'] as const;
export type TranslationProviderId = (typeof TRANSLATION_PROVIDER_IDS)[number];

const timeout: FieldSpec = {
  name: 'timeoutMs',
  type: 'integer',
  min: 1000,
  max: 120_000,
  description: 'Request timeout in ms',
};

/** Every provider and its fields; the console renders its form from this. */
export const TRANSLATION_PROVIDERS: Record<TranslationProviderId, readonly FieldSpec[]> = {
  openai: [
    {
      name: 'baseUrl',
      type: 'url',
      required: true,
      description:
        'OpenAI-compatible API base URL, e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1 (/chat/completions is added)',
    },
    {
      name: 'model',
      type: 'string',
      required: true,
      description: "Model id, e.g. 'deepseek-chat', 'qwen-plus'",
    },
    { name: 'apiKey', type: 'string', secret: true, description: 'Bearer key, when the server wants one' },
    { name: 'maxBatch', type: 'integer', min: 1, max: 50, description: 'Texts per request (default 20)' },
    { ...timeout, description: 'Request timeout in ms (default 30000)' },
  ],
  tencent: [
    { name: 'secretId', type: 'string', required: true, description: 'API key SecretId' },
    { name: 'secretKey', type: 'string', required: true, secret: true, description: 'API key SecretKey' },
    { name: 'region', type: 'string', description: "Region, default 'ap-guangzhou'" },
    { name: 'projectId', type: 'integer', min: 0, max: 100_000_000, description: 'Project id (default 0)' },
    { name: 'baseUrl', type: 'url', description: 'API endpoint (default https://tmt.tencentcloudapi.com)' },
    { ...timeout, description: 'Request timeout in ms (default 15000)' },
  ],
  aliyun: [
    { name: 'accessKeyId', type: 'string', required: true, description: 'AccessKey ID' },
    {
      name: 'accessKeySecret',
      type: 'string',
      required: true,
      secret: true,
      description: 'AccessKey secret',
    },
    {
      name: 'baseUrl',
      type: 'url',
      description: 'API endpoint (default https://mt.cn-hangzhou.aliyuncs.com)',
    },
    {
      name: 'concurrency',
      type: 'integer',
      min: 1,
      max: 20,
      description: 'Requests at once for a batch (default 4)',
    },
    { ...timeout, description: 'Request timeout in ms (default 15000)' },
  ],
  deepl: [
    {
      name: 'authKey',
      type: 'string',
      required: true,
      secret: true,
      description: "Authentication key (a free-plan key ends in ':fx' and goes to api-free.deepl.com)",
    },
    { name: 'baseUrl', type: 'url', description: 'API endpoint (default chosen by the key type)' },
    { name: 'englishVariant', type: 'string', options: ['EN-US', 'EN-GB'], description: "Default 'EN-US'" },
    { ...timeout, description: 'Request timeout in ms (default 15000)' },
  ],
  libretranslate: [
    {
      name: 'baseUrl',
      type: 'url',
      required: true,
      description: 'LibreTranslate server, e.g. http://127.0.0.1:5000 (/translate is added)',
    },
    {
      name: 'apiKey',
      type: 'string',
      secret: true,
      description: 'API key, when the server runs with --api-keys',
    },
    { ...timeout, description: 'Request timeout in ms (default 15000)' },
  ],
};

interface Common {
  timeoutMs?: number;
}

export type TranslationSettings =
  | ({ provider: 'openai'; baseUrl: string; model: string; maxBatch?: number } & Common)
  | ({
      provider: 'tencent';
      secretId: string;
      region?: string;
      projectId?: number;
      baseUrl?: string;
    } & Common)
  | ({ provider: 'aliyun'; accessKeyId: string; baseUrl?: string; concurrency?: number } & Common)
  | ({ provider: 'deepl'; baseUrl?: string; englishVariant?: 'EN-US' | 'EN-GB' } & Common)
  | ({ provider: 'libretranslate'; baseUrl: string } & Common);

/** Secrets by field name ('apiKey', 'secretKey', 'accessKeySecret', 'authKey'), opened. */
export type TranslationSecrets = Partial<Record<string, string>>;

export interface TranslationFieldError {
  /** The field ('provider', 'baseUrl'…) or '' for the whole input. */
  field: string;
  message: string;
}

export type TranslationSettingsValidation =
  | { ok: true; settings: TranslationSettings; secrets: TranslationSecrets }
  | { ok: false; errors: TranslationFieldError[] };

function checkValue(spec: FieldSpec, value: unknown): { value?: string | number; error?: string } {
  if (spec.type === 'integer' || spec.type === 'number') {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n)))
      return { error: spec.type === 'integer' ? 'must be a whole number' : 'must be a number' };
    if (spec.min !== undefined && n < spec.min) return { error: `must be at least ${spec.min}` };
    if (spec.max !== undefined && n > spec.max) return { error: `must be at most ${spec.max}` };
    return { value: n };
  }
  if (typeof value !== 'string' || value.trim() === '') return { error: 'must be a non-empty text' };
  const text = value.trim();
  if (text.length > 500) return { error: 'is too long' };
  if (spec.options && !spec.options.includes(text))
    return { error: `must be one of ${spec.options.join(', ')}` };
  if (spec.type === 'url') {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return { error: 'is not a URL' };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return { error: 'must be an http(s) URL' };
    if (parsed.username || parsed.password)
      return { error: 'must not carry credentials (use the key fields)' };
  }
  return { value: text };
}

/**
 * Checks a provider record as the console posts it. `storedSecrets` names the secrets the server already
 * holds for this provider, so an edit that leaves a key blank keeps it. Unknown providers and fields are
 * errors (a typo must not silently fall back to a default).
 */
export function validateTranslationSettings(
  input: unknown,
  options: { storedSecrets?: readonly string[] } = {},
): TranslationSettingsValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, errors: [{ field: '', message: 'settings must be an object' }] };
  const record = input as Record<string, unknown>;
  const provider = record.provider;
  if (typeof provider !== 'string' || !(TRANSLATION_PROVIDER_IDS as readonly string[]).includes(provider))
    return {
      ok: false,
      errors: [{ field: 'provider', message: `must be one of ${TRANSLATION_PROVIDER_IDS.join(', ')}` }],
    };
  const specs = TRANSLATION_PROVIDERS[provider as TranslationProviderId];
  const errors: TranslationFieldError[] = [];
  const settings: Record<string, string | number> = { provider };
  const secrets: TranslationSecrets = {};
  for (const [field, value] of Object.entries(record)) {
    if (field === 'provider') continue;
    const spec = specs.find((s) => s.name === field);
    if (!spec) {
      errors.push({ field, message: `not a field of ${provider}` });
      continue;
    }
    // A blank optional value or a blank secret (kept as stored) is as if absent.
    if (value === undefined || value === null || value === '') continue;
    const checked = checkValue(spec, value);
    if (checked.error) errors.push({ field, message: `${field} ${checked.error}` });
    else if (spec.secret) secrets[field] = String(checked.value);
    else settings[field] = checked.value!;
  }
  for (const spec of specs) {
    if (!spec.required) continue;
    const present = spec.secret
      ? secrets[spec.name] !== undefined || (options.storedSecrets ?? []).includes(spec.name)
      : settings[spec.name] !== undefined;
    if (!present && !errors.some((e) => e.field === spec.name))
      errors.push({ field: spec.name, message: `${spec.name} is required for ${provider}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, settings: settings as unknown as TranslationSettings, secrets };
}

/** Names of the secret fields of a provider (what the server seals). */
export function secretFields(provider: TranslationProviderId): string[] {
  return TRANSLATION_PROVIDERS[provider].filter((spec) => spec.secret).map((spec) => spec.name);
}
