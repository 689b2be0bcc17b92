import { describe, expect, it } from 'vitest';
import { plainFetch } from '../speech/testSupport/localServer.ts';
import { buildTranslator } from './registry.ts';
import { TRANSLATION_PROVIDERS, validateTranslationSettings } from './settings.ts';

describe('translation settings', () => {
  it('splits secrets from the settings and converts numbers', () => {
    expect(
      validateTranslationSettings({
        provider: 'openai',
        baseUrl: 'https://api.deepseek.com/v1',
        model: 'deepseek-chat',
        apiKey: 'sk-1',
        timeoutMs: '20000',
      }),
    ).toEqual({
      ok: true,
      settings: {
        provider: 'openai',
        baseUrl: 'https://api.deepseek.com/v1',
        model: 'deepseek-chat',
        timeoutMs: 20000,
      },
      secrets: { apiKey: 'sk-1' },
    });
  });

  it('answers field errors: unknown provider, unknown field, bad values, missing required ones', () => {
    expect(validateTranslationSettings({ provider: 'google' })).toEqual({
      ok: false,
      errors: [{ field: 'provider', message: expect.stringContaining('must be one of') }],
    });
    const result = validateTranslationSettings({
      provider: 'libretranslate',
      baseUrl: 'ftp://x',
      colour: 'red',
      timeoutMs: 10,
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.field).sort()).toEqual([
      'baseUrl',
      'colour',
      'timeoutMs',
    ]);
    expect(
      validateTranslationSettings({ provider: 'openai', baseUrl: 'http://u:p@h/v1', model: 'm' }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'baseUrl', message: expect.stringContaining('credentials') }],
    });
  });

  it('every provider lists its fields, and a built translator keeps the provider id', () => {
    for (const specs of Object.values(TRANSLATION_PROVIDERS)) expect(specs.length).toBeGreaterThan(0);
    const checked = validateTranslationSettings({
      provider: 'libretranslate',
      baseUrl: 'http://127.0.0.1:5000',
    });
    if (!checked.ok) throw new Error('valid settings refused');
    expect(buildTranslator(checked.settings, checked.secrets, { fetch: plainFetch }).id).toBe(
      'libretranslate',
    );
  });
});

describe('translation settings of the cloud providers', () => {
  it('accepts each with its secret and keeps a stored secret on edit', () => {
    const tencent = validateTranslationSettings({
      provider: 'tencent',
      secretId: 'AKID1',
      secretKey: 'sk',
      region: 'ap-shanghai',
      projectId: 0,
    });
    expect(tencent).toEqual({
      ok: true,
      settings: { provider: 'tencent', secretId: 'AKID1', region: 'ap-shanghai', projectId: 0 },
      secrets: { secretKey: 'sk' },
    });
    expect(validateTranslationSettings({ provider: 'aliyun', accessKeyId: 'LTAI1' })).toMatchObject({
      ok: false,
      errors: [{ field: 'accessKeySecret' }],
    });
    expect(
      validateTranslationSettings(
        { provider: 'aliyun', accessKeyId: 'LTAI1', accessKeySecret: '' },
        { storedSecrets: ['accessKeySecret'] },
      ),
    ).toMatchObject({ ok: true, secrets: {} });
    expect(
      validateTranslationSettings({ provider: 'deepl', authKey: 'k:fx', englishVariant: 'EN-AU' }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'englishVariant' }],
    });
  });

  it('builds every provider, and a missing secret is a config error', () => {
    const cases = [
      [{ provider: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' }, {}],
      [{ provider: 'tencent', secretId: 'AKID1' }, { secretKey: 'sk' }],
      [{ provider: 'aliyun', accessKeyId: 'LTAI1' }, { accessKeySecret: 's' }],
      [{ provider: 'deepl' }, { authKey: 'k:fx' }],
      [{ provider: 'libretranslate', baseUrl: 'http://127.0.0.1:1' }, {}],
    ] as const;
    for (const [settings, secrets] of cases)
      expect(buildTranslator(settings, secrets, { fetch: plainFetch }).id).toBe(settings.provider);
    expect(() => buildTranslator({ provider: 'deepl' }, {}, { fetch: plainFetch })).toThrow(
      expect.objectContaining({ code: 'config' }),
    );
  });
});
