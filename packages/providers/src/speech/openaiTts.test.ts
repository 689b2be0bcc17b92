import { pcm16ToBytes, writeWav } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiTts } from './openaiTts.ts';
import { type LocalServer, plainFetch, startLocalServer } from './testSupport/localServer.ts';

describe('OpenAI-compatible TTS', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const body = JSON.parse(req.body.toString()) as { input: string; response_format: string };
      if (body.input === 'fail') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"voice not found"}}');
      } else if (body.input === 'mp3') {
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        res.end(Buffer.from('ID3\x03\x00fake'));
      } else if (body.response_format === 'pcm') {
        res.writeHead(200, { 'content-type': 'audio/pcm' });
        res.end(pcm16ToBytes(Int16Array.from([1, -2, 3, -4])));
      } else {
        res.writeHead(200, { 'content-type': 'audio/wav' });
        res.end(writeWav({ samples: Int16Array.from([10, 20, 30]), sampleRate: 22050, channels: 1 }));
      }
    });
  });
  afterAll(() => server.close());

  it('posts the documented JSON and parses the WAV answer', async () => {
    const tts = createOpenAiTts({
      baseUrl: server.url,
      apiKey: 'k',
      model: 'cosyvoice',
      voices: { 'zh-CN': 'zh-female', en: 'en-male' },
      fetch: plainFetch,
    });
    const audio = await tts.synthesize('您好，欢迎致电', { language: 'zh-CN', rate: 1.2 });
    expect(audio).toEqual({ samples: Int16Array.from([10, 20, 30]), sampleRate: 22050 });
    const request = server.requests.at(-1)!;
    expect(request.url).toBe('/v1/audio/speech');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe('Bearer k');
    expect(JSON.parse(request.body.toString())).toEqual({
      model: 'cosyvoice',
      input: '您好，欢迎致电',
      voice: 'zh-female',
      response_format: 'wav',
      speed: 1.2,
    });
    await tts.synthesize('hello', { language: 'en-GB' });
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).voice).toBe('en-male');
    await tts.synthesize('hello', { language: 'fr', voice: 'explicit' });
    expect(JSON.parse(server.requests.at(-1)!.body.toString())).toMatchObject({
      voice: 'explicit',
      model: 'cosyvoice',
    });
    await tts.synthesize('hello', { language: 'fr' });
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).voice).toBe('alloy');
  });

  it('reads raw pcm as 24 kHz PCM16', async () => {
    const tts = createOpenAiTts({ baseUrl: server.url, responseFormat: 'pcm', fetch: plainFetch });
    const audio = await tts.synthesize('hi');
    expect(audio).toEqual({ samples: Int16Array.from([1, -2, 3, -4]), sampleRate: 24000 });
    expect(JSON.parse(server.requests.at(-1)!.body.toString())).toEqual({
      model: 'tts-1',
      input: 'hi',
      voice: 'alloy',
      response_format: 'pcm',
    });
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('maps errors: HTTP status with body, audio that is not WAV, empty text', async () => {
    const tts = createOpenAiTts({ baseUrl: server.url, fetch: plainFetch });
    await expect(tts.synthesize('fail')).rejects.toMatchObject({
      code: 'http',
      status: 400,
      body: expect.stringContaining('voice not found'),
    });
    await expect(tts.synthesize('mp3')).rejects.toThrow(/not PCM WAV \(audio\/mpeg\)/);
    await expect(tts.synthesize(' ')).rejects.toMatchObject({ code: 'config' });
  });
});
