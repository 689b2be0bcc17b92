// The same call with the real pipeline (runVoiceBot: VAD, endpointing, ASR, brain, TTS, keypad entry) in
// virtual time: espeak-ng speech clips on an in-memory line, an ASR double that knows the clips by length,
// espeak-ng as TTS. Proves the server's brain and the pipeline agree: the order's status is spoken after
// the keypad phone check, "转人工" queues the call, and the stored transcript is the pipeline's own, timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClipRecognizer,
  EspeakSynthesizer,
  FakeLeg,
  ManualClock,
  speechClip,
  VirtualLine,
} from '../../../../packages/voice/src/pipeline/test-support.ts';
import { createTestApp, eventually, type TestApp } from '../testing.ts';

describe('a call through the real voice bot pipeline', () => {
  const clock = new ManualClock();
  const ask = speechClip('你好，我想查一下订单 Z K 二零二六一一二五零零一 到哪里了');
  const human = speechClip('转人工');
  const recognizer = new ClipRecognizer(clock, [
    { text: '帮我查下订单ZK20261125001到哪了', samples: ask },
    { text: '转人工', samples: human },
  ]);
  const synthesizer = new EspeakSynthesizer(clock);
  let t: TestApp;
  let workspaceId: string;
  let inboxId: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      voice: { clock, speechFor: async () => ({ recognizer, synthesizer }) },
    });
    const owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: 'hotline',
        adapter: 'sip-voice',
        config: { mode: 'trunk', allowedSources: '127.0.0.1' },
      },
    });
    inboxId = created.json().id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers the order status, hands off on "转人工" and stores the timed transcript', async () => {
    const leg = new FakeLeg();
    const line = new VirtualLine(clock, leg);
    const call = await t.app.zhike.voice.calls.startInbound({
      workspaceId,
      inboxId,
      leg,
      start: {
        callId: 'pipeline-call',
        direction: 'inbound',
        transport: 'sip',
        from: { uri: 'sip:13800138000@127.0.0.1', phone: '13800138000' },
        to: { uri: 'sip:zhike@127.0.0.1' },
        startedAt: new Date(),
      },
    });
    // Notice and greeting spoken to the end.
    await line.runUntil(() => synthesizer.texts.length >= 2 && !leg.playing);
    leg.say(ask);
    await line.runUntil(() => synthesizer.texts.length >= 3 && !leg.playing);
    await line.run(200);
    for (const key of ['8', '0', '0', '0'] as const) {
      leg.pressKey(key);
      await line.run(100);
    }
    await line.runUntil(() => synthesizer.texts.join().includes('已发货') && !leg.playing);
    leg.say(human);
    await line.runUntil(() => t.app.zhike.voice.liveCalls.get(workspaceId, call.callId)?.state === 'queued');
    leg.close();
    expect(await call.done).toEqual({ reason: 'caller-hangup' });

    const s = t.app.zhike.db.forWorkspace(workspaceId);
    const transcript = await s.voice.transcript.list(call.callId);
    const caller = transcript.filter((g) => g.speaker === 'caller').map((g) => g.text);
    expect(caller).toEqual(['帮我查下订单ZK20261125001到哪了', '转人工']);
    expect(transcript.some((g) => g.speaker === 'bot' && g.text.includes('已发货'))).toBe(true);
    const asked = transcript.find((g) => g.speaker === 'caller');
    // The pipeline's own timing: the utterance lasts about as long as the clip.
    expect((asked?.endMs ?? 0) - (asked?.startMs ?? 0)).toBeGreaterThan((ask.length / 8000) * 1000 - 400);
    const stored = await s.voice.calls.get(call.callId);
    expect(stored?.state).toBe('ended');
    expect(stored?.handedOffAt).not.toBeNull();
    expect(stored?.trace.map((e) => e.name)).toEqual(
      expect.arrayContaining(['endpoint', 'asr.done', 'bot.handoff']),
    );
    expect(stored?.usage.asrSeconds).toBeGreaterThan(2);
    expect(stored?.recording?.durationMs).toBeGreaterThan(5000);
    // The stored call was announced (call.ended) and quality inspection scored it from its transcript.
    const scored = await eventually(
      async () => (await s.quality.results.forSubject('call', call.callId)) ?? undefined,
    );
    expect(scored).toMatchObject({ subject: 'call', conversationId: call.conversationId, channel: 'voice' });
  }, 60_000);

  it('hears and answers a caller remembered as Cantonese with the Cantonese engines', async () => {
    const s = t.app.zhike.db.forWorkspace(workspaceId);
    const [first] = await s.voice.calls.list({ limit: 1 });
    await s.languages.rememberCustomerLanguage(first!.customerId, 'yue');
    const heard = recognizer.calls.length;
    const leg = new FakeLeg();
    const line = new VirtualLine(clock, leg);
    const call = await t.app.zhike.voice.calls.startInbound({
      workspaceId,
      inboxId,
      leg,
      start: {
        callId: 'pipeline-call-yue',
        direction: 'inbound',
        transport: 'sip',
        from: { uri: 'sip:13800138000@127.0.0.1', phone: '13800138000' },
        to: { uri: 'sip:zhike@127.0.0.1' },
        startedAt: new Date(),
      },
    });
    expect(call.customerId).toBe(first!.customerId);
    await line.runUntil(() => !leg.playing && synthesizer.texts.length >= 2);
    leg.say(human);
    await line.runUntil(() => recognizer.calls.length > heard);
    expect(recognizer.calls.slice(heard).map((c) => c.language)).toEqual(['yue']);
    leg.close();
    await call.done;
    const transcript = await s.voice.transcript.list(call.callId);
    expect(transcript.every((g) => g.language === 'yue')).toBe(true);
  }, 60_000);
});
