import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, plainFetch, startLocalServer } from '../speech/testSupport/localServer.ts';
import { createDeepL, deeplBaseUrl } from './deepl.ts';

interface TranslateBody {
  text: string[];
  source_lang?: string;
  target_lang: string;
  show_billed_characters?: boolean;
}

const TARGETS = new Set(['EN-US', 'EN-GB', 'ZH-HANS', 'ZH-HANT', 'JA', 'KO', 'VI', 'TH', 'ID', 'RU']);

describe('DeepL', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v2/translate') return reply(404, { message: 'Not found' });
      if (req.headers.authorization !== 'DeepL-Auth-Key good-key:fx')
        return reply(403, { message: 'Wrong endpoint or authentication key' });
      const body = JSON.parse(req.body.toString()) as TranslateBody;
      if (!TARGETS.has(body.target_lang))
        return reply(400, { message: `Value for 'target_lang' not supported.` });
      if (body.text.length > 50) return reply(413, { message: 'Request Entity Too Large' });
      if (body.text[0] === 'quota') return reply(456, { message: 'Quota exceeded' });
      if (body.text[0] === 'busy') return reply(429, { message: 'Too many requests' });
      return reply(200, {
        translations: body.text.map((text) => ({
          detected_source_language: body.source_lang ?? 'EN',
          text: `${body.target_lang}:${text}`,
          ...(body.show_billed_characters ? { billed_characters: [...text].length + 1 } : {}),
        })),
      });
    });
  });
  afterAll(() => server.close());

  const make = (authKey = 'good-key:fx') => createDeepL({ authKey, baseUrl: server.url, fetch: plainFetch });

  it('chooses the endpoint by the key type', () => {
    expect(deeplBaseUrl('abc:fx')).toBe('https://api-free.deepl.com');
    expect(deeplBaseUrl('abc')).toBe('https://api.deepl.com');
  });

  it('sends the key in the DeepL-Auth-Key header and reports billed characters', async () => {
    const result = await make().translate({ texts: ['你好', '谢谢'], from: 'zh-Hans', to: 'en' });
    expect(result).toEqual({ texts: ['EN-US:你好', 'EN-US:谢谢'], provider: 'deepl', characters: 6 });
    expect(JSON.parse(server.requests.at(-1)!.body.toString())).toEqual({
      text: ['你好', '谢谢'],
      source_lang: 'ZH',
      target_lang: 'EN-US',
      preserve_formatting: true,
      show_billed_characters: true,
    });
  });

  it('maps Cantonese to ZH-HANT, leaves the source out for auto and reads the detected language', async () => {
    const result = await make().translate({ texts: ['thanks'], from: 'auto', to: 'yue' });
    expect(result).toMatchObject({ texts: ['ZH-HANT:thanks'], detected: 'en' });
    expect(JSON.parse(server.requests.at(-1)!.body.toString())).not.toHaveProperty('source_lang');
  });

  it('sends at most 50 texts per request', async () => {
    const before = server.requests.length;
    const texts = Array.from({ length: 120 }, (_, i) => `t${i}`);
    const result = await make().translate({ texts, from: 'en', to: 'ja' });
    expect(result.texts).toEqual(texts.map((t) => `JA:${t}`));
    expect(
      server.requests.slice(before).map((r) => (JSON.parse(r.body.toString()) as TranslateBody).text.length),
    ).toEqual([50, 50, 20]);
  });

  it('maps 403, 456, 429 and an unsupported target onto error codes, never echoing the key', async () => {
    const wrong = await make('leaked-key')
      .translate({ texts: ['x'], from: 'en', to: 'ja' })
      .catch((e: Error) => e);
    expect(wrong).toMatchObject({ code: 'auth', status: 403 });
    expect((wrong as Error).message).not.toContain('leaked-key');
    await expect(make().translate({ texts: ['quota'], from: 'en', to: 'ja' })).rejects.toMatchObject({
      code: 'quota',
    });
    await expect(make().translate({ texts: ['busy'], from: 'en', to: 'ja' })).rejects.toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
    await expect(make().translate({ texts: ['x'], from: 'en', to: 'ms' })).rejects.toMatchObject({
      code: 'unsupported_language',
    });
  });
});
