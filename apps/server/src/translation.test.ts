// Issue 11 over the API on both backends, against a local server speaking LibreTranslate's protocol:
// languages detected and remembered, the bot answering an English customer through translation (its own
// wording kept for agents), customer messages translated for agents by a job, agent replies sent in the
// customer's language with the agent's words kept, the per-conversation switch, a provider failure that
// refuses the reply but never loses the customer's message, Cantonese answered in traditional characters
// without any provider, secrets never returned, usage metered.
import type { Message, TranslationSettings } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTranslationDouble,
  type TranslationDouble,
  translateWithPhrases,
} from '../../../tests/support/translationDouble.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const HAN = /\p{Script=Han}/u;

describe.each(testBackends)('live translation on %s', { timeout: 120_000 }, (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let key = '';
  let double: TranslationDouble;

  const inject = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, as?: TestSession) =>
    t.app.inject({ method, url, headers: (as ?? owner).headers, ...(payload ? { payload } : {}) });
  const inbound = async (externalId: string, text: string, messageId: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: { customer: { externalId, name: externalId }, text, messageId },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { conversationId: string; messageId: string };
  };
  const messages = async (conversationId: string) => {
    const res = await inject('GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { messages: Message[] }).messages;
  };

  beforeAll(async () => {
    double = await startTranslationDouble({ apiKey: 'libre-key' });
    t = await createTestApp(backend, { env: { ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1' } });
    owner = await t.login();
    key = await t.apiKey();
  });
  afterAll(async () => {
    await t?.close();
    await double?.close();
  });

  it('answers a Cantonese customer in traditional characters with no provider configured', async () => {
    const { conversationId } = await inbound('hk-1', '退貨嘅規則係點樣㗎？', 'hk-1-a');
    const bot = await eventually(async () =>
      (await messages(conversationId)).find((m) => m.author === 'bot'),
    );
    const customer = (await messages(conversationId)).find((m) => m.author === 'customer');
    expect(customer?.language).toBe('yue');
    expect(bot.language).toBe('yue');
    // Written in traditional characters: converting it to traditional again changes nothing, and it is not
    // the simplified original (which has 货/规 etc.).
    expect(bot.text).toMatch(/[貨規與們費個還問題時說單號請際後]/u);
    expect(bot.text).not.toMatch(/[货规与们费个还问题时说单号请际后]/u);
    expect(bot.translation).toBeUndefined();
  });

  it('keeps secrets write-only and refuses unknown providers with a field error', async () => {
    const bad = await inject('PUT', '/api/v1/translation-settings', { provider: { provider: 'babelfish' } });
    expect(bad.statusCode).toBe(400);
    const missing = await inject('PUT', '/api/v1/translation-settings', {
      provider: { provider: 'libretranslate' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('/provider/baseUrl');

    const saved = await inject('PUT', '/api/v1/translation-settings', {
      provider: { provider: 'libretranslate', baseUrl: double.url, apiKey: 'libre-key' },
      glossary: ['智客', ' 智客 ', 'ZK-Pro'],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const body = saved.json() as TranslationSettings;
    expect(body.provider).toEqual({ provider: 'libretranslate', baseUrl: double.url });
    expect(body.secretsSet).toEqual(['apiKey']);
    expect(body.glossary).toEqual(['智客', 'ZK-Pro']);
    expect(body.agentLanguage).toBe('zh-Hans');
    expect(saved.body).not.toContain('libre-key');
    // Saving again without the key keeps it.
    const again = await inject('PUT', '/api/v1/translation-settings', {
      provider: { provider: 'libretranslate', baseUrl: double.url, apiKey: '' },
    });
    expect((again.json() as TranslationSettings).secretsSet).toEqual(['apiKey']);
    expect((again.json() as TranslationSettings).glossary).toEqual(['智客', 'ZK-Pro']);
  });

  let english = '';
  it('answers an English customer through translation and translates their messages for agents', async () => {
    const { conversationId, messageId } = await inbound('us-1', 'Where is my order?', 'us-1-a');
    english = conversationId;
    const bot = await eventually(async () =>
      (await messages(conversationId)).find((m) => m.author === 'bot'),
    );
    // The bot understood the Chinese translation and answered in Chinese; the customer got English.
    expect(bot.language).toBe('en');
    expect(bot.translation?.language).toBe('zh-Hans');
    expect(bot.translation?.machine).toBe('text');
    expect(bot.translation?.text).toMatch(HAN);
    expect(bot.text).toBe(translateWithPhrases(bot.translation?.text ?? '', 'zh-Hans', 'en'));
    expect(double.calls.some((c) => c.texts.includes('Where is my order?') && c.to.startsWith('zh'))).toBe(
      true,
    );

    const customer = await eventually(async () =>
      (await messages(conversationId)).find((m) => m.id === messageId && m.translation),
    );
    expect(customer.text).toBe('Where is my order?');
    expect(customer.language).toBe('en');
    expect(customer.translation).toMatchObject({
      language: 'zh-Hans',
      machine: 'translation',
      text: '我的订单在哪里？',
    });

    const state = await inject('GET', `/api/v1/conversations/${conversationId}/translation`);
    expect(state.json()).toEqual({
      conversationId,
      enabled: true,
      chosen: false,
      available: true,
      customerLanguage: 'en',
      agentLanguage: 'zh-Hans',
    });
  });

  it('sends an agent reply in the customer language and keeps what the agent wrote', async () => {
    const res = await inject('POST', `/api/v1/conversations/${english}/messages`, {
      text: '您的订单明天发货。',
    });
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json() as Message;
    expect(sent.text).toBe('Your order ships tomorrow.');
    expect(sent.language).toBe('en');
    expect(sent.translation).toEqual({
      language: 'zh-Hans',
      text: '您的订单明天发货。',
      machine: 'text',
      provider: 'libretranslate',
    });
    // Glossary names reach the customer as written.
    const named = await inject('POST', `/api/v1/conversations/${english}/messages`, { text: '智客 谢谢' });
    expect((named.json() as Message).text).toContain('智客');
  });

  it('refuses a reply it cannot translate, stores nothing, and still accepts the customer', async () => {
    const before = (await messages(english)).length;
    double.fail(503);
    try {
      const res = await inject('POST', `/api/v1/conversations/${english}/messages`, { text: '请稍等' });
      expect(res.statusCode).toBe(503);
      expect(res.json().type).toBe('urn:zhike:problem:unavailable');
      expect((await messages(english)).length).toBe(before);
      await inbound('us-1', 'Hello', 'us-1-b');
      expect((await messages(english)).some((m) => m.text === 'Hello' && m.author === 'customer')).toBe(true);
    } finally {
      double.fail(undefined);
    }
  });

  it('sends replies as written once an agent switches translation off', async () => {
    const off = await inject('PUT', `/api/v1/conversations/${english}/translation`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, chosen: true });
    const res = await inject('POST', `/api/v1/conversations/${english}/messages`, { text: '好的' });
    expect((res.json() as Message).text).toBe('好的');
    expect((res.json() as Message).translation).toBeUndefined();
    const on = await inject('PUT', `/api/v1/conversations/${english}/translation`, { enabled: true });
    expect(on.json()).toMatchObject({ enabled: true, chosen: true });
    // Switched back on: the message that arrived while the provider failed is translated now.
    await eventually(async () =>
      (await messages(english)).find((m) => m.text === 'Hello' && m.translation?.text === '你好'),
    );
  });

  it('meters what was translated and 404s another conversation id', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const usage = await inject('GET', `/api/v1/translation-usage?from=${today}&to=${today}`);
    const days = usage.json().days as { provider: string; characters: number; requests: number }[];
    expect(days[0]?.provider).toBe('libretranslate');
    expect(days[0]?.characters).toBeGreaterThan(20);
    expect(days[0]?.requests).toBeGreaterThan(3);
    const missing = await inject('PUT', '/api/v1/conversations/01J000000000000000000000/translation', {
      enabled: true,
    });
    expect(missing.statusCode).toBe(404);
    const bad = await inject('PUT', `/api/v1/conversations/${english}/translation`, { enabled: 'yes' });
    expect(bad.statusCode).toBe(400);
  });
});
