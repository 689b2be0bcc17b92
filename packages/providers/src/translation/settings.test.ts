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
