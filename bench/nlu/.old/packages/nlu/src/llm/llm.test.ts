import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createChatClient,
  createLlmIntentFallback,
  type IntentDescription,
  LlmError,
  parseIntentAnswer,
} from './index.ts';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

type Handler = (req: Recorded, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
const requests: Recorded[] = [];

function completion(content: string, model = 'test-model'): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 },
  });
}

function reply(content: string): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(completion(content));
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
  handler = reply('{"intent": null, "confidence": 0}');
});

const INTENTS: IntentDescription[] = [
  {
    name: 'order_status',
    description: 'where an order or parcel is',
    examples: ['我的快递到哪了', 'where is my order'],
  },
  { name: 'refund', description: 'money back for an order', examples: ['退款多久到账', 'I want a refund'] },
  { name: 'invoice', examples: ['能开发票吗'] },
];

describe('chat-completions client', () => {
  it('speaks the OpenAI wire format', async () => {
    handler = reply('你好！');
    const client = createChatClient({ baseUrl: `${baseUrl}/`, apiKey: 'sk-test', model: 'deepseek-chat' });
    const result = await client.complete([{ role: 'user', content: '你好' }], { maxTokens: 20 });
    expect(result).toEqual({
      content: '你好！',
      model: 'test-model',
      finishReason: 'stop',
      usage: { promptTokens: 120, completionTokens: 12 },
    });
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: '你好' }],
      temperature: 0,
      stream: false,
      max_tokens: 20,
    });
  });

  it('sends no Authorization header without an API key (Ollama)', async () => {
    await createChatClient({ baseUrl, model: 'qwen2.5' }).complete([{ role: 'user', content: 'hi' }]);
    expect(requests[0]?.headers.authorization).toBeUndefined();
  });

  it('reports HTTP errors with the provider message and status', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model overloaded', type: 'server_error' } }));
    };
    const error = await createChatClient({ baseUrl, model: 'm' })
      .complete([{ role: 'user', content: 'hi' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'http', status: 500 });
    expect((error as LlmError).message).toContain('model overloaded');
  });

  it('times out a slow server', async () => {
    handler = (_req, res) => {
      setTimeout(() => {
        if (!res.writableEnded && !res.destroyed) res.end(completion('late'));
      }, 2_000);
    };
    const started = Date.now();
    const error = await createChatClient({ baseUrl, model: 'm', timeoutMs: 150 })
      .complete([{ role: 'user', content: 'hi' }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('rejects a body that is not a chat completion', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>gateway</html>');
    };
    await expect(
      createChatClient({ baseUrl, model: 'm' }).complete([{ role: 'user', content: 'hi' }]),
    ).rejects.toMatchObject({
      code: 'bad_response',
    });
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices": []}');
    };
    await expect(
      createChatClient({ baseUrl, model: 'm' }).complete([{ role: 'user', content: 'hi' }]),
    ).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('reports an unreachable server as a network error', async () => {
    const error = await createChatClient({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2_000 })
      .complete([{ role: 'user', content: 'hi' }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network' });
  });
});

describe('LLM intent fallback', () => {
  const fallback = () =>
    createLlmIntentFallback({ baseUrl, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs: 2_000 });

  it('asks few-shot with the intent catalogue and reads the JSON answer', async () => {
    handler = reply('{"intent": "refund", "confidence": 0.82}');
    const result = await fallback().classify('钱怎么还没退给我', INTENTS);
    expect(result).toEqual({ intent: 'refund', confidence: 0.82 });
    const messages = requests[0]?.body.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toContain('order_status');
    expect(messages[0]?.content).toContain('退款多久到账');
    expect(messages[1]?.content).toContain('钱怎么还没退给我');
  });

  it('accepts fenced or chatty JSON', async () => {
    handler = reply('Sure! Here you go:\n```json\n{"intent": "Invoice", "confidence": "0.7"}\n```');
    expect(await fallback().classify('发票', INTENTS)).toEqual({ intent: 'invoice', confidence: 0.7 });
  });

  it('rejects intents that are not in the list', async () => {
    handler = reply('{"intent": "complaint", "confidence": 0.99}');
    expect(await fallback().classify('你们太差了', INTENTS)).toEqual({ intent: null, confidence: 0 });
  });

  it('treats garbage output as no intent', async () => {
    handler = reply('I think the customer is upset.');
    expect(await fallback().classify('???', INTENTS)).toEqual({ intent: null, confidence: 0 });
  });

  it('passes transport errors to the caller', async () => {
    handler = (_req, res) => {
      res.writeHead(503);
      res.end('busy');
    };
    await expect(fallback().classify('where is my parcel', INTENTS)).rejects.toMatchObject({
      code: 'http',
      status: 503,
    });
  });

  it('does not call the model without intents or text', async () => {
    expect(await fallback().classify('   ', INTENTS)).toEqual({ intent: null, confidence: 0 });
    expect(await fallback().classify('hi', [])).toEqual({ intent: null, confidence: 0 });
    expect(requests).toHaveLength(0);
  });
});

describe('parseIntentAnswer', () => {
  it.each([
    ['{"intent":"order_status","confidence":1.7}', { intent: 'order_status', confidence: 1 }],
    ['{"intent":"order_status"}', { intent: 'order_status', confidence: 0.5 }],
    ['{"intent":null,"confidence":0.9}', { intent: null, confidence: 0 }],
    ['intent: "refund"', { intent: 'refund', confidence: 0.5 }],
    ['{"intent": "refund", "note": "a } inside a string"}', { intent: 'refund', confidence: 0.5 }],
    ['{broken', { intent: null, confidence: 0 }],
    ['', { intent: null, confidence: 0 }],
  ])('%s', (content, expected) => {
    expect(parseIntentAnswer(content, INTENTS)).toEqual(expected);
  });
});
