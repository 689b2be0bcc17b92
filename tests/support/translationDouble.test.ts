// The translation double speaks LibreTranslate and OpenAI chat well enough for Zhike's own adapters, and
// its phrase table lets an English visitor and a Chinese-only agent each read their own language.
import {
  createLibreTranslate,
  createOpenAiTranslator,
  globalFetch,
  TranslationError,
  type Translator,
} from '@zhike/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTranslationDouble, type TranslationDouble, translateWithPhrases } from './translationDouble.ts';

let double: TranslationDouble;
let libre: Translator;
let llm: Translator;

beforeAll(async () => {
  double = await startTranslationDouble({ apiKey: 'double-key' });
  libre = createLibreTranslate({ baseUrl: double.url, apiKey: 'double-key', fetch: globalFetch });
  llm = createOpenAiTranslator({
    baseUrl: double.openaiBaseUrl,
    model: 'double',
    apiKey: 'double-key',
    fetch: globalFetch,
  });
});
afterAll(() => double.close());

describe('translation double', () => {
  it('translates the phrase table both ways and marks what it does not know', () => {
    expect(translateWithPhrases('Where is my order?', 'en', 'zh-Hans')).toBe('我的订单在哪里？');
    expect(translateWithPhrases('我的订单在哪里', 'zh-Hans', 'en')).toBe('Where is my order?');
    expect(translateWithPhrases('您的订单明天发货。', 'auto', 'en')).toBe('Your order ships tomorrow.');
    expect(translateWithPhrases('thank you!!', 'en', 'zh')).toBe('谢谢');
    expect(translateWithPhrases('你好，我的订单在哪里？', 'zh-Hans', 'en')).toBe('Hello, Where is my order?');
    expect(translateWithPhrases('这个颜色有吗', 'zh-Hans', 'en')).toBe('[en] 这个颜色有吗');
    expect(translateWithPhrases('Hello', 'en', 'ja')).toBe('[ja] Hello');
  });

  for (const [name, translator] of [
    ['LibreTranslate', () => libre],
    ['OpenAI chat', () => llm],
  ] as const)
    it(`serves Zhike's ${name} adapter: a visitor and an agent each read their own language`, async () => {
      const before = double.calls.length;
      const toAgent = await translator().translate({
        texts: ['Where is my order?'],
        from: 'auto',
        to: 'zh-Hans',
      });
      expect(toAgent).toMatchObject({ texts: ['我的订单在哪里？'], detected: 'en' });
      const toVisitor = await translator().translate({
        texts: ['您的订单明天发货。', '谢谢'],
        from: 'zh-Hans',
        to: 'en',
      });
      expect(toVisitor.texts).toEqual(['Your order ships tomorrow.', 'Thank you']);
      expect(double.calls.slice(before).map((call) => call.protocol)).toEqual(
        name === 'LibreTranslate' ? ['libretranslate', 'libretranslate'] : ['openai', 'openai'],
      );
    });

  it('checks the key and can be told to fail', async () => {
    const wrong = createLibreTranslate({ baseUrl: double.url, apiKey: 'nope', fetch: globalFetch });
    await expect(wrong.translate({ texts: ['你好'], from: 'zh-Hans', to: 'en' })).rejects.toMatchObject({
      code: 'auth',
    });
    double.fail(503);
    try {
      const error = await llm
        .translate({ texts: ['你好'], from: 'zh-Hans', to: 'en' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TranslationError);
      expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    } finally {
      double.fail(undefined);
    }
  });
});
