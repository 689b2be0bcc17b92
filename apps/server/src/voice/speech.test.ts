import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpeechProviderError } from '@zhike/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelHttpClient } from '../channels/adapterContext.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { buildRecognizer, buildSynthesizer, noRecognizer, workspaceSpeech } from './speech.ts';

const fetchNever = async () => {
  throw new Error('no network in this test');
};
const espeak = { id: 'espeak', synthesize: async () => ({ samples: new Int16Array(1), sampleRate: 8000 }) };

describe('speech providers from settings', () => {
  it('picks the provider each setting names and refuses incomplete or unknown ones', async () => {
    expect(buildRecognizer({}, {}, fetchNever)).toBe(noRecognizer);
    await expect(noRecognizer.transcribe({ samples: new Int16Array(8), sampleRate: 8000 })).rejects.toThrow(
      SpeechProviderError,
    );
    expect(buildRecognizer({ provider: 'openai', baseUrl: 'http://asr.test' }, {}, fetchNever).id).toMatch(
      /openai/,
    );
    expect(
      buildRecognizer(
        { provider: 'tencent', appId: '1250000000' },
        { 'asr.secretId': 'id', 'asr.secretKey': 'k' },
        fetchNever,
      ).id,
    ).toMatch(/tencent/);
    expect(() => buildRecognizer({ provider: 'openai' }, {}, fetchNever)).toThrow(/asr.baseUrl/);
    expect(() => buildRecognizer({ provider: 'tencent', appId: '1' }, {}, fetchNever)).toThrow(
      /asr.secretId/,
    );
    expect(() => buildRecognizer({ provider: 'whisperer' }, {}, fetchNever)).toThrow(/unknown ASR/);
    expect(buildSynthesizer({}, {}, fetchNever, espeak)).toBe(espeak);
    expect(
      buildSynthesizer({ provider: 'openai', baseUrl: 'http://tts.test' }, {}, fetchNever, espeak).id,
    ).toMatch(/openai/);
    expect(() => buildSynthesizer({ provider: 'tencent' }, {}, fetchNever, espeak)).toThrow(/tts.secretId/);
  });
});

describe("a workspace's saved settings", () => {
  let t: TestApp;
  let asrCalls = 0;
  const server = createServer((req, res) => {
    asrCalls++;
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ text: req.headers.authorization === 'Bearer sk-test' ? '转人工' : 'wrong key' }),
      );
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp('sqlite');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('are used for calls, through the guarded client, and rebuilt after a change', async () => {
    const workspaceId = await t.demoWorkspaceId();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const guarded = workspaceSpeech({ db: t.app.zhike.db, http: channelHttpClient({ allowHosts: [] }) });
    const allowed = workspaceSpeech({
      db: t.app.zhike.db,
      http: channelHttpClient({ allowHosts: ['127.0.0.1'] }),
    });
    expect((await allowed(workspaceId)).recognizer).toBe(noRecognizer);
    await store.voice.speechSettings.save({
      settings: { asr: { provider: 'openai', baseUrl: url, model: 'sensevoice' } },
      secrets: { 'asr.apiKey': 'sk-test' },
      at: '2026-11-26T00:00:00.000Z',
    });
    const audio = { samples: new Int16Array(8000), sampleRate: 8000 };
    // Loopback is refused unless the operator allowed the host.
    await expect((await guarded(workspaceId)).recognizer.transcribe(audio)).rejects.toThrow();
    expect(asrCalls).toBe(0);
    const speech = await allowed(workspaceId);
    expect((await speech.recognizer.transcribe(audio)).text).toBe('转人工');
    expect(await allowed(workspaceId)).toBe(speech);
    await store.voice.speechSettings.save({ settings: {}, secrets: {}, at: '2026-11-26T00:01:00.000Z' });
    expect((await allowed(workspaceId)).recognizer).toBe(noRecognizer);
  }, 30_000);
});
