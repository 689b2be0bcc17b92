// A workspace's choice of speech providers as plain data: one flat record per direction (`provider` plus
// that provider's fields, which is what the server stores and the console edits) and the secrets kept apart
// under `asr.<field>` / `tts.<field>`. The field catalogue below drives validation and tells the console what
// to show; per-language fields are `<prefix>_<tag with _ for ->`, e.g. `voice_zh_CN`, `engine_yue`.

export type SpeechFieldValue = string | number | boolean;

/** `provider` plus that provider's non-secret fields. */
export type ProviderSettings = { provider: string } & Record<string, SpeechFieldValue>;

export interface SpeechSettings {
  /** Absent: no speech recognition (calls fall back to the keypad). */
  asr?: ProviderSettings;
  /** Absent: espeak-ng with its default voices. */
  tts?: ProviderSettings;
}

/** Opened secrets, keyed `asr.<field>` / `tts.<field>` (e.g. `asr.apiKey`, `tts.secretKey`). */
export type SpeechSecrets = Record<string, string>;

export type FieldType = 'string' | 'url' | 'path' | 'integer' | 'number' | 'boolean';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
  /** Stored sealed and never returned; arrives through SpeechSecrets. */
  secret?: boolean;
  /** Allowed values for a string field. */
  options?: readonly string[];
  min?: number;
  max?: number;
  /** A family of per-language fields: `${name}_<tag>`. */
  perLanguage?: boolean;
  description: string;
}

export type SpeechDirection = 'asr' | 'tts';

const url = (description: string, required = false): FieldSpec => ({
  name: 'baseUrl',
  type: 'url',
  required,
  description,
});
const timeout: FieldSpec = {
  name: 'timeoutMs',
  type: 'integer',
  min: 1000,
  max: 120_000,
  description: 'Request timeout in ms',
};
const speedup: FieldSpec = {
  name: 'speedup',
  type: 'number',
  min: 1,
  max: 3,
  description: 'Audio upload speed relative to real time (the vendor allows at most 3)',
};

/** Every provider and its fields, per direction. */
export const SPEECH_PROVIDERS: Record<SpeechDirection, Record<string, readonly FieldSpec[]>> = {
  asr: {
    openai: [
      url('Server base URL, e.g. http://127.0.0.1:10095 (the path /v1/audio/transcriptions is added)', true),
      { name: 'model', type: 'string', description: "Model id (default 'whisper-1')" },
      { name: 'apiKey', type: 'string', secret: true, description: 'Bearer key, when the server wants one' },
      timeout,
    ],
    'sherpa-onnx': [
      {
        name: 'modelDir',
        type: 'path',
        required: true,
        description: 'SenseVoice directory (model.int8.onnx or model.onnx, tokens.txt)',
      },
      {
        name: 'modelFile',
        type: 'string',
        description: 'Model file name when it is neither of the usual two',
      },
      {
        name: 'language',
        type: 'string',
        options: ['auto', 'zh', 'yue', 'en', 'ja', 'ko'],
        description: "Default 'auto'",
      },
      { name: 'numThreads', type: 'integer', min: 1, max: 16, description: 'Default 2' },
    ],
    tencent: [
      { name: 'appId', type: 'string', required: true, description: 'Tencent Cloud AppID' },
      { name: 'secretId', type: 'string', required: true, description: 'API key SecretId' },
      { name: 'secretKey', type: 'string', required: true, secret: true, description: 'API key SecretKey' },
      {
        name: 'engine',
        type: 'string',
        perLanguage: true,
        description:
          'engine_model_type per language, e.g. engine_zh_CN=8k_zh, engine_yue=16k_yue, engine_zh_sichuan=16k_zh_dialect',
      },
      { ...url('WebSocket base URL (default wss://asr.cloud.tencent.com)'), type: 'url' },
      speedup,
      timeout,
    ],
    aliyun: [
      { name: 'appKey', type: 'string', required: true, description: 'NLS project app key' },
      {
        name: 'appKey',
        type: 'string',
        perLanguage: true,
        description: 'App key of a dialect project per language, e.g. appKey_yue',
      },
      { name: 'accessKeyId', type: 'string', required: true, description: 'AccessKey ID' },
      {
        name: 'accessKeySecret',
        type: 'string',
        required: true,
        secret: true,
        description: 'AccessKey secret',
      },
      {
        name: 'sampleRate',
        type: 'integer',
        options: ['8000', '16000'],
        description: 'The project model rate (default 16000)',
      },
      {
        name: 'gatewayUrl',
        type: 'url',
        description: 'Default wss://nls-gateway-cn-shanghai.aliyuncs.com/ws/v1',
      },
      { name: 'metaUrl', type: 'url', description: 'Default https://nls-meta.cn-shanghai.aliyuncs.com' },
      speedup,
      timeout,
    ],
  },
  tts: {
    'espeak-ng': [
      { name: 'binary', type: 'path', description: "Program path (default 'espeak-ng')" },
      {
        name: 'voice',
        type: 'string',
        perLanguage: true,
        description: 'espeak-ng voice per language, e.g. voice_zh_CN=cmn-latn-pinyin',
      },
      { name: 'wordsPerMinute', type: 'integer', min: 80, max: 450, description: 'Default 175' },
    ],
    openai: [
      url('Server base URL (the path /v1/audio/speech is added)', true),
      { name: 'model', type: 'string', description: "Model id (default 'tts-1')" },
      {
        name: 'voice',
        type: 'string',
        perLanguage: true,
        description: 'Voice per language, e.g. voice_zh_CN',
      },
      { name: 'defaultVoice', type: 'string', description: "Default 'alloy'" },
      { name: 'responseFormat', type: 'string', options: ['wav', 'pcm'], description: "Default 'wav'" },
      { name: 'apiKey', type: 'string', secret: true, description: 'Bearer key, when the server wants one' },
      timeout,
    ],
    'sherpa-onnx': [
      {
        name: 'kind',
        type: 'string',
        required: true,
        options: ['vits', 'matcha'],
        description: 'Model family',
      },
      {
        name: 'modelDir',
        type: 'path',
        required: true,
        description: 'Model directory (model .onnx, tokens.txt, lexicon…)',
      },
      {
        name: 'modelFile',
        type: 'string',
        description: 'Model file name when the directory holds several .onnx files',
      },
      {
        name: 'vocoder',
        type: 'string',
        description: 'Matcha vocoder file (name in the directory or absolute path)',
      },
      {
        name: 'speakerId',
        type: 'integer',
        min: 0,
        max: 10_000,
        description: 'Speaker of a multi-speaker model',
      },
      { name: 'numThreads', type: 'integer', min: 1, max: 16, description: 'Default 2' },
    ],
    tencent: [
      { name: 'secretId', type: 'string', required: true, description: 'API key SecretId' },
      { name: 'secretKey', type: 'string', required: true, secret: true, description: 'API key SecretKey' },
      { name: 'region', type: 'string', description: "Default 'ap-guangzhou'" },
      {
        name: 'voice',
        type: 'string',
        perLanguage: true,
        description: 'VoiceType number per language, e.g. voice_yue=101019',
      },
      { name: 'defaultVoiceType', type: 'integer', min: 0, max: 10_000_000, description: 'Default 101001' },
      {
        name: 'sampleRate',
        type: 'integer',
        options: ['8000', '16000', '24000'],
        description: 'Default 16000',
      },
      url('API endpoint (default https://tts.tencentcloudapi.com)'),
      timeout,
    ],
    aliyun: [
      { name: 'appKey', type: 'string', required: true, description: 'NLS project app key' },
      { name: 'accessKeyId', type: 'string', required: true, description: 'AccessKey ID' },
      {
        name: 'accessKeySecret',
        type: 'string',
        required: true,
        secret: true,
        description: 'AccessKey secret',
      },
      {
        name: 'voice',
        type: 'string',
        perLanguage: true,
        description: 'Voice per language, e.g. voice_yue=shanshan',
      },
      { name: 'defaultVoice', type: 'string', description: "Default 'xiaoyun'" },
      {
        name: 'sampleRate',
        type: 'integer',
        options: ['8000', '16000', '24000'],
        description: 'Default 16000',
      },
      {
        name: 'gatewayUrl',
        type: 'url',
        description: 'Default https://nls-gateway-cn-shanghai.aliyuncs.com',
      },
      { name: 'metaUrl', type: 'url', description: 'Default https://nls-meta.cn-shanghai.aliyuncs.com' },
      timeout,
    ],
  },
};

/** Per-language field names: `voice_zh_CN` → family 'voice', tag 'zh-CN'. */
const PER_LANGUAGE = /^([A-Za-z]+)_([A-Za-z]{2,3}(?:_[A-Za-z0-9]{1,8}){0,2})$/;

function specFor(
  specs: readonly FieldSpec[],
  field: string,
): { spec: FieldSpec; language?: string } | undefined {
  const plain = specs.find((s) => !s.perLanguage && s.name === field);
  if (plain) return { spec: plain };
  const match = PER_LANGUAGE.exec(field);
  if (!match) return undefined;
  const spec = specs.find((s) => s.perLanguage && s.name === match[1]);
  return spec ? { spec, language: match[2]!.replace(/_/g, '-') } : undefined;
}

function checkValue(path: string, spec: FieldSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path} must be true or false`;
    case 'integer':
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n)))
        return `${path} must be ${spec.type === 'integer' ? 'a whole number' : 'a number'}`;
      if (spec.options && !spec.options.includes(String(n)))
        return `${path} must be one of ${spec.options.join(', ')}`;
      if (spec.min !== undefined && n < spec.min) return `${path} must be at least ${spec.min}`;
      if (spec.max !== undefined && n > spec.max) return `${path} must be at most ${spec.max}`;
      return undefined;
    }
    default: {
      if (typeof value !== 'string' || value.trim() === '') return `${path} must be a non-empty text`;
      if (value.length > 500) return `${path} is too long`;
      if (spec.options && !spec.options.includes(value))
        return `${path} must be one of ${spec.options.join(', ')}`;
      if (spec.type === 'url') {
        let parsed: URL;
        try {
          parsed = new URL(value);
        } catch {
          return `${path} is not a URL`;
        }
        if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol))
          return `${path} must be an http(s) or ws(s) URL`;
        if (parsed.username || parsed.password)
          return `${path} must not carry credentials (use the secret fields)`;
      }
      if (spec.type === 'path' && spec.name === 'modelDir' && !value.startsWith('/'))
        return `${path} must be an absolute path`;
      return undefined;
    }
  }
}

/**
 * Every problem with the settings and secrets, as `asr.field: what is wrong` lines; empty when valid.
 * Unknown providers and fields are problems (a typo must not silently fall back to a default).
 */
export function validateSpeechSettings(settings: unknown, secrets: SpeechSecrets = {}): string[] {
  const problems: string[] = [];
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    return ['settings must be an object'];
  for (const key of Object.keys(settings))
    if (key !== 'asr' && key !== 'tts') problems.push(`${key}: unknown section`);
  for (const direction of ['asr', 'tts'] as const) {
    const section = (settings as Record<string, unknown>)[direction];
    if (section === undefined) continue;
    if (typeof section !== 'object' || section === null || Array.isArray(section)) {
      problems.push(`${direction} must be an object`);
      continue;
    }
    const record = section as Record<string, unknown>;
    const provider = record.provider;
    const specs = typeof provider === 'string' ? SPEECH_PROVIDERS[direction][provider] : undefined;
    if (!specs) {
      const known = Object.keys(SPEECH_PROVIDERS[direction]).join(', ');
      problems.push(`${direction}.provider must be one of ${known}`);
      continue;
    }
    for (const [field, value] of Object.entries(record)) {
      if (field === 'provider') continue;
      const found = specFor(specs, field);
      if (!found) problems.push(`${direction}.${field}: not a field of ${provider}`);
      else if (found.spec.secret) problems.push(`${direction}.${field}: a secret, it belongs in the secrets`);
      else {
        const problem = checkValue(`${direction}.${field}`, found.spec, value);
        if (problem) problems.push(problem);
      }
    }
    for (const spec of specs) {
      if (!spec.required || spec.perLanguage) continue;
      const present = spec.secret
        ? Boolean(secrets[`${direction}.${spec.name}`])
        : record[spec.name] !== undefined;
      if (!present) problems.push(`${direction}.${spec.name} is required for ${provider}`);
    }
  }
  for (const key of Object.keys(secrets)) {
    const [direction, field] = key.split('.', 2) as [string, string | undefined];
    if ((direction !== 'asr' && direction !== 'tts') || !field) {
      problems.push(`${key}: secrets are named asr.<field> or tts.<field>`);
      continue;
    }
    const provider = (settings as SpeechSettings)[direction]?.provider;
    const spec = provider
      ? SPEECH_PROVIDERS[direction][provider]?.find((s) => s.name === field && s.secret)
      : undefined;
    if (provider && SPEECH_PROVIDERS[direction][provider] && !spec)
      problems.push(`${key}: ${provider} has no secret of that name`);
  }
  return problems;
}

/** The per-language family `prefix` of a settings record as a language → value table. */
export function perLanguage(record: ProviderSettings, prefix: string): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [field, value] of Object.entries(record)) {
    const match = PER_LANGUAGE.exec(field);
    if (match && match[1] === prefix) table[match[2]!.replace(/_/g, '-')] = String(value);
  }
  return table;
}
