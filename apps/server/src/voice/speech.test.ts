import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelHttpClient } from '../channels/adapterContext.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { noRecognizer, speechSettingsProblems, workspaceSpeech } from './speech.ts';

describe("a workspace's speech settings", () => {
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

  it('name their problems before they are saved', () => {
    expect(speechSettingsProblems({ asr: { provider: 'openai' } }, {}, '/srv/models').join()).toContain(
      'asr.baseUrl',
    );
    expect(
      speechSettingsProblems({ asr: { provider: 'whisperer' } }, {}, '/srv/models').length,
    ).toBeGreaterThan(0);
    expect(speechSettingsProblems({ asr: { provider: 'openai', baseUrl: url } }, {}, '/srv/models')).toEqual(
      [],
    );
  });

  it('are used for calls, through the guarded client, and rebuilt after a change', async () => {
    const workspaceId = await t.demoWorkspaceId();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const guarded = workspaceSpeech({
      db: t.app.zhike.db,
      http: channelHttpClient({ allowHosts: [] }),
      modelsRoot: '/srv/models',
    });
    const allowed = workspaceSpeech({
      db: t.app.zhike.db,
      http: channelHttpClient({ allowHosts: ['127.0.0.1'] }),
      modelsRoot: '/srv/models',
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
    // Settings that no longer build fall back to no ASR (the call goes to people), reported once.
    const invalid: string[] = [];
    const reporting = workspaceSpeech({
      db: t.app.zhike.db,
      http: channelHttpClient({ allowHosts: [] }),
      modelsRoot: '/srv/models',
      onInvalid: (id) => invalid.push(id),
    });
    await store.voice.speechSettings.save({
      settings: { asr: { provider: 'openai' } },
      secrets: {},
      at: '2026-11-26T00:01:00.000Z',
    });
    expect((await reporting(workspaceId)).recognizer).toBe(noRecognizer);
    expect(invalid).toEqual([workspaceId]);
    await store.voice.speechSettings.save({ settings: {}, secrets: {}, at: '2026-11-26T00:02:00.000Z' });
    expect((await allowed(workspaceId)).recognizer).toBe(noRecognizer);
  }, 30_000);
});
