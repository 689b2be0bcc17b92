import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWav } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecognizer, buildSynthesizer } from './registry.ts';
import { perLanguage, SPEECH_PROVIDERS, validateSpeechSettings } from './settings.ts';
import { type LocalServer, parseMultipart, plainFetch, startLocalServer } from './testSupport/localServer.ts';

describe('speech settings', () => {
  it('accepts a valid choice of every provider', () => {
    const valid = [
      [
        { asr: { provider: 'openai', baseUrl: 'http://127.0.0.1:9000', model: 'sensevoice' } },
        { 'asr.apiKey': 'k' },
      ],
      [{ asr: { provider: 'sherpa-onnx', modelDir: '/models/sv', language: 'auto', numThreads: 2 } }, {}],
      [
        {
          asr: {
            provider: 'tencent',
            appId: '125',
            secretId: 'AKID',
            engine_zh_CN: '8k_zh',
            engine_zh_sichuan: '16k_zh_dialect',
          },
        },
        { 'asr.secretKey': 's' },
      ],
      [
        { asr: { provider: 'aliyun', appKey: 'a', appKey_yue: 'b', accessKeyId: 'LTAI', sampleRate: 8000 } },
        { 'asr.accessKeySecret': 's' },
      ],
      [{ tts: { provider: 'espeak-ng', voice_zh_CN: 'cmn-latn-pinyin', wordsPerMinute: 160 } }, {}],
      [
        {
          tts: {
            provider: 'openai',
            baseUrl: 'https://api.example.com/v1',
            voice_en: 'nova',
            responseFormat: 'pcm',
          },
        },
        {},
      ],
      [
        {
          tts: {
            provider: 'sherpa-onnx',
            kind: 'matcha',
            modelDir: '/m',
            vocoder: 'vocos.onnx',
            speakerId: 0,
          },
        },
        {},
      ],
      [
        { tts: { provider: 'tencent', secretId: 'AKID', voice_yue: '101019', sampleRate: '8000' } },
        { 'tts.secretKey': 's' },
      ],
      [
        { tts: { provider: 'aliyun', appKey: 'a', accessKeyId: 'L', voice_yue: 'shanshan' } },
        { 'tts.accessKeySecret': 's' },
      ],
      [{}, {}],
    ] as const;
    for (const [settings, secrets] of valid)
      expect(validateSpeechSettings(settings, secrets), JSON.stringify(settings)).toEqual([]);
  });

  it('names every problem: provider, unknown field, misplaced secret, missing, types, ranges, URLs', () => {
    expect(validateSpeechSettings(null)).toEqual(['settings must be an object']);
    expect(validateSpeechSettings({ asr: { provider: 'whisper' } })).toEqual([
      'asr.provider must be one of openai, sherpa-onnx, tencent, aliyun',
    ]);
    expect(
      validateSpeechSettings(
        {
          asr: {
            provider: 'tencent',
            appId: '1',
            secretId: 'x',
            secretKey: 'leaked',
            engin_zh: '16k_zh',
            timeoutMs: 5,
          },
        },
        { 'asr.token': 'x' },
      ),
    ).toEqual([
      'asr.secretKey: a secret, it belongs in the secrets',
      'asr.engin_zh: not a field of tencent',
      'asr.timeoutMs must be at least 1000',
      'asr.secretKey is required for tencent',
      'asr.token: tencent has no secret of that name',
    ]);
    expect(validateSpeechSettings({ asr: { provider: 'openai', baseUrl: 'file:///etc/passwd' } })).toEqual([
      'asr.baseUrl must be an http(s) or ws(s) URL',
    ]);
    expect(validateSpeechSettings({ asr: { provider: 'openai', baseUrl: 'http://u:p@host' } })[0]).toMatch(
      /credentials/,
    );
    expect(validateSpeechSettings({ tts: { provider: 'espeak-ng', wordsPerMinute: 'fast' } })).toEqual([
      'tts.wordsPerMinute must be a whole number',
    ]);
    expect(
      validateSpeechSettings(
        { tts: { provider: 'tencent', secretId: 'a', sampleRate: 44100 } },
        { 'tts.secretKey': 's' },
      ),
    ).toEqual(['tts.sampleRate must be one of 8000, 16000, 24000']);
    expect(validateSpeechSettings({ asr: { provider: 'sherpa-onnx', modelDir: 'models/sv' } })).toEqual([
      'asr.modelDir must be an absolute path',
    ]);
    expect(validateSpeechSettings({ stt: {} })).toEqual(['stt: unknown section']);
  });

  it('reads per-language fields as a language table and lists fields for the console', () => {
    expect(
      perLanguage(
        { provider: 'x', voice_zh_CN: 'a', voice_yue: 'b', engine_en: 'c', defaultVoice: 'd' },
        'voice',
      ),
    ).toEqual({
      'zh-CN': 'a',
      yue: 'b',
    });
    expect(SPEECH_PROVIDERS.asr.tencent!.filter((f) => f.secret).map((f) => f.name)).toEqual(['secretKey']);
  });
});

describe('building providers from settings', () => {
  let server: LocalServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhike-speech-registry-'));
    server = await startLocalServer((req, res) => {
      if (req.url === '/v1/audio/transcriptions') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ text: `key=${req.headers.authorization}` }));
      } else {
        res.writeHead(200, { 'content-type': 'audio/wav' });
        res.end(writeWav({ samples: Int16Array.from([1, 2, 3]), sampleRate: 24000, channels: 1 }));
      }
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to build a recognizer without ASR settings, or from invalid settings', () => {
    expect(() => buildRecognizer({}, {}, { fetch: plainFetch })).toThrow(
      /no speech recognition is configured/,
    );
    expect(() => buildRecognizer({ asr: { provider: 'openai' } }, {}, { fetch: plainFetch })).toThrow(
      expect.objectContaining({
        code: 'config',
        message: expect.stringContaining('asr.baseUrl is required'),
      }),
    );
  });

  it('builds the OpenAI-compatible recognizer with its secret key from the secrets', async () => {
    const asr = buildRecognizer(
      { asr: { provider: 'openai', baseUrl: server.url, model: 'sensevoice' } },
      { 'asr.apiKey': 'sk-1' },
      { fetch: plainFetch },
    );
    expect(asr.id).toBe('openai');
    expect(await asr.transcribe({ samples: new Int16Array(160), sampleRate: 8000 })).toEqual({
      text: 'key=Bearer sk-1',
    });
    const parts = parseMultipart(
      server.requests.at(-1)!.body,
      server.requests.at(-1)!.headers['content-type'],
    );
    expect(parts.find((p) => p.name === 'model')?.data.toString()).toBe('sensevoice');
  });

  it('builds every other recognizer without touching the network', async () => {
    await writeFile(join(dir, 'model.int8.onnx'), 'x');
    await writeFile(join(dir, 'tokens.txt'), 'x');
    const deps = { fetch: plainFetch };
    expect(buildRecognizer({ asr: { provider: 'sherpa-onnx', modelDir: dir } }, {}, deps).id).toBe(
      'sherpa-onnx',
    );
    expect(
      buildRecognizer(
        { asr: { provider: 'tencent', appId: '1', secretId: 'a' } },
        { 'asr.secretKey': 'b' },
        deps,
      ).id,
    ).toBe('tencent');
    expect(
      buildRecognizer(
        { asr: { provider: 'aliyun', appKey: 'a', accessKeyId: 'b' } },
        { 'asr.accessKeySecret': 'c' },
        deps,
      ).id,
    ).toBe('aliyun');
    expect(() =>
      buildRecognizer({ asr: { provider: 'sherpa-onnx', modelDir: join(dir, 'none') } }, {}, deps),
    ).toThrow(/model directory not found/);
  });

  it('defaults to cached espeak-ng and keys the cache by the settings', async () => {
    const tts = buildSynthesizer({}, {}, { fetch: plainFetch });
    expect(tts.id).toBe('espeak-ng');
    const first = await tts.synthesize('您好', { language: 'zh-CN' });
    expect(first.sampleRate).toBe(22050);
    await tts.synthesize('您好', { language: 'zh-CN' });
    expect(tts.stats()).toMatchObject({ misses: 1, memoryHits: 1 });

    const openai = buildSynthesizer(
      { tts: { provider: 'openai', baseUrl: server.url, voice_zh_CN: 'zf' } },
      {},
      { fetch: plainFetch, ttsCacheDirectory: join(dir, 'cache') },
    );
    expect(await openai.synthesize('您好', { language: 'zh-CN' })).toEqual({
      samples: Int16Array.from([1, 2, 3]),
      sampleRate: 24000,
    });
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).voice).toBe('zf');
    const before = server.requests.length;
    const again = buildSynthesizer(
      { tts: { provider: 'openai', baseUrl: server.url, voice_zh_CN: 'zf' } },
      {},
      { fetch: plainFetch, ttsCacheDirectory: join(dir, 'cache') },
    );
    await again.synthesize('您好', { language: 'zh-CN' });
    expect(server.requests.length).toBe(before);
    const otherVoice = buildSynthesizer(
      { tts: { provider: 'openai', baseUrl: server.url, voice_zh_CN: 'zm' } },
      {},
      { fetch: plainFetch, ttsCacheDirectory: join(dir, 'cache') },
    );
    await otherVoice.synthesize('您好', { language: 'zh-CN' });
    expect(server.requests.length).toBe(before + 1);
  });
});
