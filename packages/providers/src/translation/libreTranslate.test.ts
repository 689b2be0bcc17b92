import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, plainFetch, startLocalServer } from '../speech/testSupport/localServer.ts';
import { TranslationError } from './errors.ts';
import { createLibreTranslate } from './libreTranslate.ts';
import type { TranslationUsage } from './translator.ts';

interface TranslateBody {
  q: string | string[];
  source: string;
  target: string;
  format?: string;
  api_key?: string;
}

/** A LibreTranslate server as its API documents it: keys checked, `q` as a string or a list. */
async function startLibreTranslate(
  codes: string[],
  translate: (text: string, body: TranslateBody) => string,
): Promise<LocalServer> {
  return startLocalServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/languages')
      return reply(
        200,
        codes.map((code) => ({ code, name: code, targets: codes.filter((c) => c !== code) })),
      );
    if (req.method !== 'POST' || req.url !== '/translate') return reply(404, { error: 'Not Found' });
    const body = JSON.parse(req.body.toString()) as TranslateBody;
    if (body.api_key !== 'lt-key') return reply(403, { error: 'Invalid API key' });
    for (const code of [body.source, body.target])
      if (code !== 'auto' && !codes.includes(code)) return reply(400, { error: `${code} is not supported` });
    const texts = Array.isArray(body.q) ? body.q : [body.q];
    if (texts.some((text) => text === '限流'))
      return reply(429, { error: 'Too many request limits violations' });
    if (texts.some((text) => text === '崩溃')) return reply(500, { error: 'Cannot translate text: boom' });
    const translated = texts.map((text) => translate(text, body));
    const detected = { confidence: 90, language: /[\u4e00-\u9fff]/.test(texts[0]!) ? 'zh-Hans' : 'en' };
    return reply(200, {
      translatedText: Array.isArray(body.q) ? translated : translated[0],
      ...(body.source === 'auto'
        ? { detectedLanguage: Array.isArray(body.q) ? texts.map(() => detected) : detected }
        : {}),
    });
  });
}

describe('LibreTranslate', () => {
  let server: LocalServer;
  let legacy: LocalServer;
  const usage: TranslationUsage[] = [];
  beforeAll(async () => {
    server = await startLibreTranslate(
      ['en', 'zh-Hans', 'zh-Hant', 'ja', 'vi'],
      (text, body) =>
        // Mangles the placeholder the way engines do: lower case, spaces inside and around.
        `[${body.source}>${body.target}] ${text.replace(/ZXQ(\d)QXZ/g, ' zxq $1 qxz ')}`,
    );
    legacy = await startLibreTranslate(
      ['en', 'zh', 'zt'],
      (text, body) => `[${body.source}>${body.target}] ${text}`,
    );
  });
  afterAll(async () => {
    await server.close();
    await legacy.close();
  });

  const make = (url: string, apiKey = 'lt-key') =>
    createLibreTranslate({ baseUrl: url, apiKey, fetch: plainFetch, onUsage: (u) => usage.push(u) });

  it('sends a batch as one request with q as a list and reports the billed characters', async () => {
    const translator = make(server.url);
    const before = server.requests.length;
    const result = await translator.translate({
      texts: ['你好', '', '我的订单在哪里'],
      from: 'zh-CN',
      to: 'en-US',
    });
    expect(result).toEqual({
      texts: ['[zh-Hans>en] 你好', '', '[zh-Hans>en] 我的订单在哪里'],
      provider: 'libretranslate',
      characters: 9,
    });
    const sent = server.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /languages', 'POST /translate']);
    expect(JSON.parse(sent[1]!.body.toString())).toEqual({
      q: ['你好', '我的订单在哪里'],
      source: 'zh-Hans',
      target: 'en',
      format: 'text',
      api_key: 'lt-key',
    });
    expect(usage.at(-1)).toEqual({
      provider: 'libretranslate',
      from: 'zh-Hans',
      to: 'en',
      texts: 2,
      characters: 9,
    });
    // The language list is asked once per translator.
    await translator.translate({ texts: ['谢谢'], from: 'zh-Hans', to: 'en' });
    expect(server.requests.slice(before).filter((r) => r.url === '/languages')).toHaveLength(1);
  });

  it('maps Cantonese to traditional Chinese and detects the source language with auto', async () => {
    const result = await make(server.url).translate({ texts: ['Thank you'], from: 'auto', to: 'yue' });
    expect(result.texts).toEqual(['[auto>zh-Hant] Thank you']);
    expect(result.detected).toBe('en');
  });

  it('uses the old Chinese codes of a server that lists zh and zt', async () => {
    const result = await make(legacy.url).translate({ texts: ['hello'], from: 'en', to: 'zh-Hant' });
    expect(result.texts).toEqual(['[en>zt] hello']);
    const simplified = await make(legacy.url).translate({ texts: ['hello'], from: 'en', to: 'zh-Hans' });
    expect(simplified.texts).toEqual(['[en>zh] hello']);
    await expect(
      make(legacy.url).translate({ texts: ['hello'], from: 'en', to: 'th' }),
    ).rejects.toMatchObject({
      code: 'unsupported_language',
    });
  });

  it('keeps glossary terms through an engine that mangles the placeholder', async () => {
    const result = await make(server.url).translate({
      texts: ['Does zhike ship the iPhone 15 today?', '智客的iPhone 15什么时候发货'],
      from: 'en',
      to: 'zh-Hans',
      glossary: ['智客', 'iPhone 15', 'Zhike'],
    });
    expect(result.texts).toEqual([
      '[en>zh-Hans] Does zhike ship the iPhone 15 today?',
      '[en>zh-Hans]智客的iPhone 15什么时候发货', // Chinese takes no space after the bracket
    ]);
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).q).toEqual([
      'Does ZXQ0QXZ ship the ZXQ1QXZ today?',
      'ZXQ0QXZ的ZXQ1QXZ什么时候发货',
    ]);
  });

  it('maps errors onto codes the caller can act on', async () => {
    const cases: [string, string, string][] = [
      ['wrong-key', '你好', 'auth'],
      ['lt-key', '限流', 'rate_limited'],
      ['lt-key', '崩溃', 'unavailable'],
    ];
    for (const [key, text, code] of cases) {
      const error = await make(server.url, key)
        .translate({ texts: [text], from: 'zh-Hans', to: 'en' })
        .catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(TranslationError);
      expect(error, text).toMatchObject({ code, provider: 'libretranslate' });
    }
    await expect(make(server.url).translate({ texts: ['x'], from: 'en', to: 'fr' })).rejects.toMatchObject({
      code: 'unsupported_language',
    });
    const closed = await startLocalServer(() => undefined);
    await closed.close();
    await expect(make(closed.url).translate({ texts: ['x'], from: 'en', to: 'ja' })).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
  });

  it('answers same-language and blank requests without a call', async () => {
    const before = server.requests.length;
    const translator = make(server.url);
    expect((await translator.translate({ texts: ['hi'], from: 'en', to: 'en-GB' })).texts).toEqual(['hi']);
    expect((await translator.translate({ texts: [' ', ''], from: 'en', to: 'ja' })).texts).toEqual([' ', '']);
    expect(server.requests.length).toBe(before);
  });
});
