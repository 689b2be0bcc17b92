import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, plainFetch, startLocalServer } from '../speech/testSupport/localServer.ts';
import { createOpenAiTranslator, parseTranslationReply } from './openaiChat.ts';
import type { TranslationUsage } from './translator.ts';

interface ChatBody {
  model: string;
  temperature: number;
  messages: { role: string; content: string }[];
}

describe('OpenAI-compatible translation', () => {
  let server: LocalServer;
  const usage: TranslationUsage[] = [];
  /** How the model misbehaves on batches: 'ok', 'short' (one translation too few), 'prose'. */
  let mode: 'ok' | 'short' | 'prose' = 'ok';

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url !== '/v1/chat/completions') return reply(404, { error: { message: 'Not found' } });
      if (req.headers.authorization !== 'Bearer sk-good')
        return reply(401, {
          error: {
            message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}`,
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        });
      const body = JSON.parse(req.body.toString()) as ChatBody;
      if (body.model === 'broke') return reply(402, { error: { message: 'Insufficient Balance' } });
      if (body.model === 'busy')
        return reply(429, { error: { message: 'Rate limit reached', type: 'requests' } });
      if (body.model === 'down') return reply(503, { error: { message: 'overloaded' } });
      const request = JSON.parse(body.messages[1]!.content) as { from: string; to: string; texts: string[] };
      let translations = request.texts.map((text) => `<${request.to.split(':')[0]}>${text}`);
      if (mode === 'short' && translations.length > 1) translations = translations.slice(1);
      const content =
        mode === 'prose' && translations.length > 1
          ? 'Sure! Here are your translations.'
          : `\`\`\`json\n${JSON.stringify({ detected: 'zh-Hans', translations })}\n\`\`\``;
      return reply(200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: 10 * translations.length, total_tokens: 0 },
      });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    mode = 'ok';
  });

  const make = (model = 'deepseek-chat', apiKey = 'sk-good', maxBatch?: number) =>
    createOpenAiTranslator({
      baseUrl: `${server.url}/v1/`,
      model,
      apiKey,
      maxBatch,
      fetch: plainFetch,
      onUsage: (u) => usage.push(u),
    });

  it('sends a strict system prompt and the texts as JSON, and reads one translation per text', async () => {
    mode = 'ok';
    const result = await make().translate({ texts: ['你好', '谢谢'], from: 'auto', to: 'yue' });
    expect(result).toEqual({
      texts: ['<yue>你好', '<yue>谢谢'],
      detected: 'zh-Hans',
      provider: 'openai',
      characters: 4,
      tokens: { prompt: 100, completion: 20 },
    });
    const request = server.requests.at(-1)!;
    expect(request.headers.authorization).toBe('Bearer sk-good');
    const body = JSON.parse(request.body.toString()) as ChatBody;
    expect(body).toMatchObject({ model: 'deepseek-chat', temperature: 0, stream: false });
    expect(body.messages[0]).toMatchObject({ role: 'system' });
    expect(body.messages[0]!.content).toContain('exactly one translation per input string');
    expect(JSON.parse(body.messages[1]!.content)).toEqual({
      from: 'auto (detect it)',
      to: 'yue: Cantonese (written Cantonese in Traditional Chinese characters, as used in Hong Kong)',
      texts: ['你好', '谢谢'],
    });
    expect(usage.at(-1)).toMatchObject({
      provider: 'openai',
      texts: 2,
      characters: 4,
      tokens: { prompt: 100 },
    });
  });

  it('asks again text by text when a batch answer has the wrong count or is not JSON', async () => {
    for (const next of ['short', 'prose'] as const) {
      mode = next;
      const before = server.requests.length;
      const result = await make().translate({ texts: ['a', 'b', 'c'], from: 'en', to: 'zh-Hans' });
      expect(result.texts, next).toEqual(['<zh-Hans>a', '<zh-Hans>b', '<zh-Hans>c']);
      expect(server.requests.length - before, next).toBe(4);
      expect(result.tokens, next).toEqual({ prompt: 400, completion: next === 'short' ? 50 : 60 });
    }
    mode = 'ok';
  });

  it('splits long batches by maxBatch', async () => {
    const before = server.requests.length;
    const texts = Array.from({ length: 5 }, (_, i) => `t${i}`);
    const result = await make('m', 'sk-good', 2).translate({ texts, from: 'en', to: 'ja' });
    expect(result.texts).toEqual(texts.map((t) => `<ja>${t}`));
    expect(server.requests.length - before).toBe(3);
  });

  it('maps errors and never repeats the key in a message', async () => {
    const wrong = await make('m', 'sk-secret-123')
      .translate({ texts: ['hi'], from: 'en', to: 'ja' })
      .catch((e: Error) => e);
    expect(wrong).toMatchObject({ code: 'auth', status: 401 });
    expect((wrong as Error).message).not.toContain('sk-secret-123');
    expect((wrong as Error).message).toContain('[redacted]');
    for (const [model, code] of [
      ['broke', 'quota'],
      ['busy', 'rate_limited'],
      ['down', 'unavailable'],
    ] as const)
      await expect(make(model).translate({ texts: ['hi'], from: 'en', to: 'ja' })).rejects.toMatchObject({
        code,
      });
  });

  it('reads replies with code fences or words around the JSON', () => {
    expect(parseTranslationReply('Here: {"translations":["x"],"detected":"en-US"} done', 1)).toEqual({
      translations: ['x'],
      detected: 'en',
    });
    expect(parseTranslationReply('{"translations":["x","y"]}', 1)).toBeUndefined();
    expect(parseTranslationReply('{"translations":[1]}', 1)).toBeUndefined();
    expect(parseTranslationReply('no json', 1)).toBeUndefined();
  });
});
