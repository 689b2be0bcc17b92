// The streaming client against a local server that frames chat completions as the real servers do.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeLlm, startFakeLlm } from '../../../../tests/support/fakeLlm.ts';
import { createChatClient, LlmError } from './chat.ts';

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(async () => llm.close());
beforeEach(() => {
  llm.requests.length = 0;
});

const ask = [{ role: 'user' as const, content: '退货要多久？' }];
const client = (extra: Partial<Parameters<typeof createChatClient>[0]> = {}) =>
  createChatClient({ baseUrl: llm.baseUrl, apiKey: 'sk-secret-123', model: 'qwen-plus', ...extra });

describe('streamed chat completions', () => {
  it('delivers the deltas in order and the whole answer, with the key as a bearer token', async () => {
    for (const eol of ['\n', '\r\n'] as const) {
      llm.script({ kind: 'stream', pieces: ['收到退货后', '3 个工作日', '内退款。'], delayMs: 5, eol });
      const seen: [string, string][] = [];
      const result = await client().stream(ask, {
        maxTokens: 300,
        onDelta: (delta, content) => seen.push([delta, content]),
      });
      expect(seen).toEqual([
        ['收到退货后', '收到退货后'],
        ['3 个工作日', '收到退货后3 个工作日'],
        ['内退款。', '收到退货后3 个工作日内退款。'],
      ]);
      expect(result).toEqual({
        content: '收到退货后3 个工作日内退款。',
        model: 'qwen-plus',
        finishReason: 'stop',
      });
    }
    const request = llm.requests[0];
    expect(request?.headers.authorization).toBe('Bearer sk-secret-123');
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.body).toMatchObject({ model: 'qwen-plus', stream: true, max_tokens: 300, messages: ask });
  });

  it('reports the finish reason of a cut answer', async () => {
    llm.script({ kind: 'stream', pieces: ['Returns are'], finishReason: 'length' });
    expect((await client().stream(ask)).finishReason).toBe('length');
  });

  it.each([
    [401, '{"error":{"message":"Incorrect API key provided: sk-secret-123","type":"invalid_request_error"}}'],
    [429, '{"error":{"message":"Rate limit reached","type":"rate_limit_error"}}'],
    [500, 'upstream crashed'],
    [503, '{"error":{"message":"overloaded"}}'],
  ])('HTTP %i is an http error naming the status, never the key', async (status, body) => {
    llm.script({ kind: 'status', status, body });
    const error = await client()
      .stream(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'http', status });
    expect(String((error as Error).message)).not.toContain('sk-secret-123');
  });

  it('an error object inside a 200 stream is a provider error', async () => {
    llm.script({ kind: 'stream_error', message: 'model crashed' });
    await expect(client().stream(ask)).rejects.toMatchObject({ code: 'provider' });
  });

  it('times out when the first token is late, even though headers came at once', async () => {
    llm.script({ kind: 'stream', pieces: ['late'], firstDelayMs: 1_000 });
    const started = Date.now();
    const error = await client({ timeoutMs: 5_000 })
      .stream(ask, { firstTokenTimeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect((error as Error).message).toContain('no content within 150 ms');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('times out overall when the answer trickles on too long', async () => {
    llm.script({ kind: 'stream', pieces: ['a', 'b', 'c', 'd', 'e', 'f'], delayMs: 100 });
    await expect(client({ timeoutMs: 250 }).stream(ask, { firstTokenTimeoutMs: 200 })).rejects.toMatchObject({
      code: 'timeout',
    });
  });

  it('times out on a server that never sends a byte of content', async () => {
    llm.script({ kind: 'silent' });
    await expect(client({ timeoutMs: 300 }).stream(ask)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('stops when the caller aborts mid-stream', async () => {
    llm.script({ kind: 'stream', pieces: ['one', 'two', 'three'], delayMs: 80 });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await client()
      .stream(ask, {
        signal: controller.signal,
        onDelta: (delta) => {
          seen.push(delta);
          controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(seen).toEqual(['one']);
  });

  it('a stream cut before [DONE] is not taken for a short answer', async () => {
    const cut = createChatClient({
      baseUrl: 'http://fake/v1',
      model: 'm',
      fetch: async () =>
        new Response('data: {"choices":[{"index":0,"delta":{"content":"半句"},"finish_reason":null}]}\n\n', {
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
        }),
    });
    await expect(cut.stream(ask)).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('an unreachable server is a network error', async () => {
    await expect(
      createChatClient({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2_000 }).stream(ask),
    ).rejects.toMatchObject({ code: 'network' });
  });
});
