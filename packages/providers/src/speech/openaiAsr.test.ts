import { readMonoWav } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiAsr } from './openaiAsr.ts';
import { type LocalServer, parseMultipart, plainFetch, startLocalServer } from './testSupport/localServer.ts';

describe('OpenAI-compatible ASR', () => {
  let server: LocalServer;
  let reply: { status: number; body: string; delayMs?: number } = {
    status: 200,
    body: '{"text":" 我想查询订单 "}',
  };

  beforeAll(async () => {
    server = await startLocalServer(async (_req, res) => {
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  afterAll(() => server.close());

  it('uploads a 16 kHz mono PCM16 WAV with model, language and response_format as multipart', async () => {
    reply = { status: 200, body: '{"text":" 我想查询订单 "}' };
    const asr = createOpenAiAsr({
      baseUrl: `${server.url}/`,
      apiKey: 'sk-test',
      model: 'sensevoice',
      fetch: plainFetch,
    });
    // One second of a 440 Hz tone at 8 kHz.
    const samples = Int16Array.from({ length: 8000 }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)),
    );
    const result = await asr.transcribe({ samples, sampleRate: 8000 }, { language: 'zh-CN' });
    expect(result).toEqual({ text: '我想查询订单' });

    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/audio/transcriptions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    const parts = parseMultipart(request.body, request.headers['content-type']);
    expect(parts.map((p) => p.name)).toEqual(['file', 'model', 'response_format', 'language']);
    const file = parts[0]!;
    expect(file.filename).toBe('utterance.wav');
    expect(file.contentType).toBe('audio/wav');
    expect(file.data.readUInt16LE(22)).toBe(1);
    expect(file.data.readUInt16LE(34)).toBe(16);
    const wav = readMonoWav(file.data);
    expect(wav.sampleRate).toBe(16000);
    expect(wav.samples.length).toBe(16000);
    expect(Object.fromEntries(parts.slice(1).map((p) => [p.name, p.data.toString()]))).toEqual({
      model: 'sensevoice',
      response_format: 'json',
      language: 'zh',
    });
  });

  it('sends no Authorization without a key, maps Cantonese to yue, and accepts a base URL ending in /v1', async () => {
    reply = { status: 200, body: '{"text":"轉人工","language":"yue"}' };
    const asr = createOpenAiAsr({ baseUrl: `${server.url}/v1`, fetch: plainFetch });
    const result = await asr.transcribe(
      { samples: new Int16Array(1600), sampleRate: 16000 },
      { language: 'zh-HK' },
    );
    expect(result).toEqual({ text: '轉人工', language: 'yue' });
    const request = server.requests.at(-1)!;
    expect(request.url).toBe('/v1/audio/transcriptions');
    expect(request.headers.authorization).toBeUndefined();
    const parts = parseMultipart(request.body, request.headers['content-type']);
    expect(parts.find((p) => p.name === 'language')?.data.toString()).toBe('yue');
    expect(parts.find((p) => p.name === 'model')?.data.toString()).toBe('whisper-1');
  });

  it('maps HTTP errors to typed errors with the status and the body excerpt', async () => {
    const asr = createOpenAiAsr({ baseUrl: server.url, apiKey: 'bad', fetch: plainFetch });
    const audio = { samples: new Int16Array(800), sampleRate: 8000 };
    reply = { status: 401, body: '{"error":{"message":"Incorrect API key provided"}}' };
    await expect(asr.transcribe(audio)).rejects.toMatchObject({
      code: 'auth',
      status: 401,
      body: expect.stringContaining('Incorrect API key'),
    });
    reply = { status: 500, body: 'model crashed' };
    await expect(asr.transcribe(audio)).rejects.toMatchObject({
      code: 'http',
      status: 500,
      body: 'model crashed',
    });
    reply = { status: 200, body: '<html>proxy</html>' };
    await expect(asr.transcribe(audio)).rejects.toMatchObject({ code: 'bad_response' });
    reply = { status: 200, body: '{"result":"x"}' };
    await expect(asr.transcribe(audio)).rejects.toThrow(/no text field/);
  });

  it('times out, honours an abort signal, and reports a refused connection', async () => {
    const audio = { samples: new Int16Array(800), sampleRate: 8000 };
    reply = { status: 200, body: '{"text":"late"}', delayMs: 2000 };
    const slow = createOpenAiAsr({ baseUrl: server.url, fetch: plainFetch, timeoutMs: 100 });
    await expect(slow.transcribe(audio)).rejects.toMatchObject({ code: 'timeout' });
    const controller = new AbortController();
    const pending = createOpenAiAsr({ baseUrl: server.url, fetch: plainFetch }).transcribe(audio, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    const closed = await startLocalServer(() => {});
    const deadUrl = closed.url;
    await closed.close();
    await expect(
      createOpenAiAsr({ baseUrl: deadUrl, fetch: plainFetch }).transcribe(audio),
    ).rejects.toMatchObject({
      code: 'network',
    });
  });

  it('answers empty audio with empty text without a request', async () => {
    const before = server.requests.length;
    const asr = createOpenAiAsr({ baseUrl: server.url, fetch: plainFetch });
    expect(await asr.transcribe({ samples: new Int16Array(0), sampleRate: 8000 })).toEqual({ text: '' });
    expect(server.requests.length).toBe(before);
  });
});

describe('OpenAI-compatible ASR answer size', () => {
  it('refuses an answer larger than the cap', async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"text":"${'x'.repeat(64 * 1024)}"}`);
    });
    try {
      const { callHttp } = await import('./http.ts');
      await expect(
        callHttp({
          provider: 'openai',
          fetch: plainFetch,
          url: server.url,
          headers: {},
          timeoutMs: 5000,
          maxResponseBytes: 1024,
        }),
      ).rejects.toThrow(/larger than 1024 bytes/);
    } finally {
      await server.close();
    }
  });
});
