// A call through the one entry point (voiceCalls.startInbound) on the demo shop, with an in-memory media
// leg and fake ASR/TTS: the bot answers the order-status question with the order's real status (after
// the phone check, answered on the keypad), "转人工" hands the call to people with a hand-off card while
// the caller holds, an agent's leg is bridged in and hangs up; the transcript, the encrypted recording,
// the trace and the usage meters are stored and served over HTTP (recording audited, Range supported).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AudioFrame,
  BrainReply,
  CallStart,
  DtmfDigit,
  MediaLeg,
  PcmAudio,
  Playback,
  SpeechRecognizer,
  SpeechSynthesizer,
} from '@zhike/voice';
import { FRAME_SAMPLES } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from './privacy/retention.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';
import type { RunVoiceBot } from './voice/voiceCalls.ts';

/** A MediaLeg in memory: what the test "says" arrives as frames; what is played is "sent" at once. */
class MemoryLeg implements MediaLeg {
  readonly codec = 'PCMU' as const;
  private audio = new Set<(f: AudioFrame) => void>();
  private dtmf = new Set<(d: DtmfDigit) => void>();
  private sent = new Set<(f: AudioFrame) => void>();
  private closeLeg!: () => void;
  readonly closed = new Promise<void>((resolve) => {
    this.closeLeg = resolve;
  });
  isClosed = false;
  played: Int16Array[] = [];
  /** Utterances waiting for the bot loop, in order. */
  readonly heard: PcmAudio[] = [];
  private wake: (() => void) | null = null;
  constructor(readonly id: string) {}
  onAudio(l: (f: AudioFrame) => void) {
    this.audio.add(l);
    return () => this.audio.delete(l);
  }
  onDtmf(l: (d: DtmfDigit) => void) {
    this.dtmf.add(l);
    return () => this.dtmf.delete(l);
  }
  onSent(l: (f: AudioFrame) => void) {
    this.sent.add(l);
    return () => this.sent.delete(l);
  }
  play(samples: Int16Array): Playback {
    this.played.push(samples);
    for (let at = 0; at < samples.length; at += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(samples.subarray(at, at + FRAME_SAMPLES));
      for (const l of this.sent) l(frame);
    }
    return { stop() {}, done: Promise.resolve('finished') };
  }
  stopPlayback() {}
  async sendDtmf() {}
  setMuted() {}
  close() {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeLeg();
    this.wake?.();
  }
  stats() {
    return { packetsSent: 0, packetsReceived: 0, lateSent: 0, droppedReceived: 0 };
  }
  /** The far end speaks: frames arrive, and the utterance is queued for the bot loop. */
  say(audio: PcmAudio) {
    for (let at = 0; at < audio.samples.length; at += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(audio.samples.subarray(at, at + FRAME_SAMPLES));
      for (const l of this.audio) l(frame);
    }
    this.heard.push(audio);
    this.wake?.();
  }
  press(digit: DtmfDigit) {
    for (const l of this.dtmf) l(digit);
  }
  async next(): Promise<PcmAudio | null> {
    while (this.heard.length === 0 && !this.isClosed) await new Promise<void>((r) => (this.wake = r));
    return this.heard.shift() ?? null;
  }
}

/** Speech the fake ASR knows: each clip is a tone whose samples map back to its text. */
const clips = new WeakMap<Int16Array, string>();
function clip(text: string): PcmAudio {
  const samples = new Int16Array(8000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  clips.set(samples, text);
  return { samples, sampleRate: 8000 };
}
const recognizer: SpeechRecognizer = {
  id: 'fake-asr',
  async transcribe(audio) {
    return { text: clips.get(audio.samples) ?? '' };
  },
};
const spoken: string[] = [];
const synthesizer: SpeechSynthesizer = {
  id: 'fake-tts',
  async synthesize(text) {
    spoken.push(text);
    // 16 kHz, as real providers answer: the call resamples to 8 kHz.
    const samples = new Int16Array(Math.min(16000, 800 * [...text].length));
    for (let i = 0; i < samples.length; i++)
      samples[i] = Math.round(4000 * Math.sin((2 * Math.PI * 300 * i) / 16000));
    return { samples, sampleRate: 16000 };
  },
};

/**
 * The pipeline's part, reduced to what this test is about (the pipeline has its own tests): speak each
 * reply, hand each utterance to ASR and the brain, keypad digits as 'digits', follow `next`.
 */
const scriptedBot: RunVoiceBot = async ({ leg, call, brain, recognizer: asr, synthesizer: tts }) => {
  const speak = async (reply: BrainReply) => {
    for (const sentence of reply.say) {
      const pcm = await tts.synthesize(sentence);
      const pcm8k = new Int16Array(Math.floor(pcm.samples.length / 2));
      for (let i = 0; i < pcm8k.length; i++) pcm8k[i] = pcm.samples[i * 2] ?? 0;
      await leg.play(pcm8k).done;
    }
  };
  const memory = leg as MemoryLeg;
  const digits: string[] = [];
  const off = leg.onDtmf((d) => {
    digits.push(d);
    if (digits.length === 4) memory.say(clip(`#dtmf:${digits.splice(0).join('')}`));
  });
  try {
    let reply = await brain.start(call);
    for (;;) {
      await speak(reply);
      if (reply.next === 'handoff')
        return { kind: 'handoff', turns: 0, ...(reply.queueId ? { queueId: reply.queueId } : {}) };
      if (reply.next === 'hangup') return { kind: 'hangup', turns: 0 };
      const audio = await memory.next();
      if (!audio) return { kind: 'caller-hangup', turns: 0 };
      const text = (await asr.transcribe(audio)).text;
      reply = text.startsWith('#dtmf:')
        ? await brain.turn(call.callId, { kind: 'digits', digits: text.slice(6) })
        : await brain.turn(call.callId, { kind: 'speech', text });
    }
  } finally {
    off();
  }
};

const rms = (samples: Int16Array) =>
  Math.sqrt(samples.reduce((a, s) => a + s * s, 0) / Math.max(1, samples.length));

describe('a call through voiceCalls.startInbound', () => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;
  let inboxId: string;

  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      voice: {
        runVoiceBot: scriptedBot,
        speechFor: async () => ({ recognizer, synthesizer }),
        holdRepeatMs: 60_000,
      },
    });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '客服热线',
        adapter: 'sip-voice',
        config: {
          mode: 'trunk',
          allowedSources: '127.0.0.1',
          numbers: '4008001234',
          password: 'not-used-in-trunk',
        },
      },
    });
    expect(created.statusCode).toBe(201);
    inboxId = created.json().id;
    expect(created.json()).toMatchObject({ channel: 'voice' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers the order status, hands off with a card, bridges an agent and stores it all', async () => {
    const caller = new MemoryLeg('caller');
    const start: CallStart = {
      callId: 'a84d2c1e@192.0.2.10',
      direction: 'inbound',
      transport: 'sip',
      from: { uri: 'sip:13800138000@192.0.2.10', phone: '13800138000' },
      to: { uri: 'sip:4008001234@127.0.0.1' },
      startedAt: new Date(),
    };
    const call = await t.app.zhike.voice.calls.startInbound({ workspaceId, inboxId, leg: caller, start });
    expect(t.app.zhike.voice.liveCalls.get(workspaceId, call.callId)).toMatchObject({ state: 'bot' });

    // Recording notice first, then the greeting.
    await expect.poll(() => spoken.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(spoken[0]).toContain('录音');
    caller.say(clip('帮我查下订单ZK20261125001到哪了'));
    await expect.poll(() => spoken.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(spoken.join()).not.toContain('已发货');
    // The phone check, answered on the keypad.
    for (const d of ['8', '0', '0', '0'] as const) caller.press(d);
    await expect.poll(() => spoken.join(), { timeout: 15_000 }).toContain('已发货');

    caller.say(clip('转人工'));
    await expect
      .poll(() => t.app.zhike.voice.liveCalls.get(workspaceId, call.callId)?.state, { timeout: 15_000 })
      .toBe('queued');
    const conversation = await t.app.inject({
      url: `/api/v1/conversations/${call.conversationId}`,
      headers: owner.headers,
    });
    expect(conversation.json()).toMatchObject({ handedOff: true, channel: 'voice' });
    await expect
      .poll(
        async () =>
          (
            await t.app.inject({
              url: `/api/v1/conversations/${call.conversationId}/handoff`,
              headers: owner.headers,
            })
          ).statusCode,
        { timeout: 15_000 },
      )
      .toBe(200);
    const card = (
      await t.app.inject({
        url: `/api/v1/conversations/${call.conversationId}/handoff`,
        headers: owner.headers,
      })
    ).json();
    expect(JSON.stringify(card)).toContain('ZK20261125001');

    // An agent's leg is bridged in: each side hears the other.
    const agent = new MemoryLeg('agent');
    await t.app.zhike.voice.liveCalls.connectAgent(workspaceId, call.callId, owner.info.user.id, agent);
    await expect(
      t.app.zhike.voice.liveCalls.connectAgent(
        workspaceId,
        call.callId,
        owner.info.user.id,
        new MemoryLeg('late'),
      ),
    ).rejects.toThrow(/taken/);
    const playedBefore = caller.played.length;
    agent.say(clip('您好，我是客服小王'));
    expect(caller.played.length).toBeGreaterThan(playedBefore);
    caller.say(clip('你好'));
    expect(agent.played.length).toBeGreaterThan(0);
    // Another workspace cannot touch the call.
    expect(t.app.zhike.voice.liveCalls.get('0190d3a0-0000-7000-8000-000000000000', call.callId)).toBeNull();

    agent.close();
    expect(await call.done).toEqual({ reason: 'agent-hangup' });

    const list = await t.app.inject({ url: '/api/v1/calls', headers: owner.headers });
    expect(list.statusCode).toBe(200);
    const summary = list.json().calls[0];
    expect(summary).toMatchObject({
      id: call.callId,
      state: 'ended',
      endReason: 'agent-hangup',
      transport: 'sip',
      agentId: owner.info.user.id,
    });
    expect(summary.from).not.toContain('13800138000');
    expect(summary.handedOffAt).not.toBeNull();

    const detail = (
      await t.app.inject({ url: `/api/v1/calls/${call.callId}`, headers: owner.headers })
    ).json();
    const lines = detail.transcript.map((s: { speaker: string; text: string }) => `${s.speaker}:${s.text}`);
    expect(lines).toContain('caller:帮我查下订单ZK20261125001到哪了');
    expect(lines).toContain('caller:转人工');
    expect(lines.some((l: string) => l.startsWith('bot:') && l.includes('已发货'))).toBe(true);
    expect(detail.trace.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['call.accepted', 'bot.handoff', 'agent.connected', 'stored']),
    );
    expect(detail.usage.ttsCharacters).toBeGreaterThan(20);
    expect(detail.usage.asrSeconds).toBeGreaterThanOrEqual(3);

    // The recording: encrypted at rest, served decrypted as a stereo WAV with both sides audible.
    const dir = join(t.config.dataDir, 'recordings', workspaceId);
    const [file] = readdirSync(dir);
    expect(
      readFileSync(join(dir, file ?? ''))
        .subarray(0, 4)
        .toString('latin1'),
    ).not.toBe('RIFF');
    const wav = await t.app.inject({ url: `/api/v1/calls/${call.callId}/recording`, headers: owner.headers });
    expect(wav.statusCode).toBe(200);
    expect(wav.headers['content-type']).toBe('audio/wav');
    const bytes = wav.rawPayload;
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.readUInt16LE(22)).toBe(2);
    const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
    const left = pcm.filter((_s, i) => i % 2 === 0);
    const right = pcm.filter((_s, i) => i % 2 === 1);
    expect(rms(left)).toBeGreaterThan(500);
    expect(rms(right)).toBeGreaterThan(500);
    const part = await t.app.inject({
      url: `/api/v1/calls/${call.callId}/recording`,
      headers: { ...owner.headers, range: 'bytes=0-43' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-43/${bytes.length}`);
    expect(part.rawPayload.equals(bytes.subarray(0, 44))).toBe(true);
    const bad = await t.app.inject({
      url: `/api/v1/calls/${call.callId}/recording`,
      headers: { ...owner.headers, range: `bytes=${bytes.length + 5}-` },
    });
    expect(bad.statusCode).toBe(416);
    const audit = await t.app.inject({
      url: '/api/v1/audit?action=call.recording_played',
      headers: owner.headers,
    });
    expect(audit.body).toContain(call.callId);

    const day = new Date().toISOString().slice(0, 10);
    const usage = await t.app.inject({
      url: `/api/v1/voice/usage?from=${day}&to=${day}`,
      headers: owner.headers,
    });
    // An answered call under a minute is one started minute, however short (this one may last under
    // half a second, which is 0 whole seconds but still a minute, as the cost meter bills it).
    expect(usage.json().totals).toMatchObject({ calls: 1, inboundMinutes: 1, outboundMinutes: 0 });
    expect(usage.json().totals.ttsCharacters).toBe(detail.usage.ttsCharacters);
    // Billed as the carrier and the cloud engines bill it: the line by started minute, ASR by second heard.
    const costs = (await t.app.inject({ url: '/api/v1/costs', headers: owner.headers })).json() as {
      units: { unit: string; quantity: number }[];
    };
    const billed = (unit: string) => costs.units.find((u) => u.unit === unit)?.quantity;
    expect(billed('call_minute')).toBe(1);
    expect(billed('asr_second')).toBe(Math.ceil(detail.usage.asrSeconds));
    expect(billed('tts_character')).toBe(detail.usage.ttsCharacters);
  }, 60_000);

  it('keeps speech secrets write-only and checks the request', async () => {
    const put = (payload: unknown) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/voice/speech-settings',
        headers: owner.headers,
        payload: payload as object,
      });
    const tencent = { provider: 'tencent', appId: '1250000000', secretId: 'AKIDxyz', engine_zh: '8k_zh' };
    const saved = await put({
      settings: { asr: tencent, tts: { provider: 'espeak-ng' } },
      secrets: { 'asr.secretKey': 'tencent-secret-value' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain('tencent-secret-value');
    expect(saved.json().secretsSet).toEqual(['asr.secretKey']);
    // Removing a secret the provider needs is refused; the stored settings stay.
    const removing = await put({ settings: { asr: tencent }, secrets: { 'asr.secretKey': null } });
    expect(removing.statusCode).toBe(400);
    const kept = await put({ settings: { asr: { ...tencent, engine_zh: '16k_zh' } } });
    expect(kept.json()).toMatchObject({
      settings: { asr: { engine_zh: '16k_zh' } },
      secretsSet: ['asr.secretKey'],
    });
    expect((await put({ settings: { asr: { provider: 'openai' } } })).json().detail).toContain('asr.baseUrl');
    const read = await t.app.inject({ url: '/api/v1/voice/speech-settings', headers: owner.headers });
    expect(read.body).not.toContain('tencent-secret-value');
    expect(await t.app.zhike.db.forWorkspace(workspaceId).voice.speechSettings.secrets()).toEqual({
      'asr.secretKey': 'tencent-secret-value',
    });
    expect((await put({ settings: { asr: { provider: { nested: true } } } })).statusCode).toBe(400);
    expect((await put({ settings: {}, secrets: { 'other.x': 'y' } })).statusCode).toBe(400);
    // Embedded models load only from inside ZHIKE_SPEECH_MODELS_DIR: no workspace points the server at /etc.
    const outside = await put({
      settings: { asr: { provider: 'sherpa-onnx', modelDir: '/etc' } },
      secrets: { 'asr.secretKey': null },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().detail).toContain('asr.modelDir must lie inside the speech models directory');
    const inside = await put({
      settings: {
        asr: { provider: 'sherpa-onnx', modelDir: `${t.app.zhike.config.speechModelsDir}/sense-voice` },
      },
      secrets: { 'asr.secretKey': null },
    });
    expect(inside.statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          url: '/api/v1/voice/usage?from=2026-02-01&to=2026-01-01',
          headers: owner.headers,
        })
      ).statusCode,
    ).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/calls/not-an-id', headers: owner.headers })).statusCode).toBe(
      400,
    );
  });

  /** A call that asks the opening hours and hangs up. */
  async function shortCall(phone: string) {
    const caller = new MemoryLeg(`short-${phone}`);
    const call = await t.app.zhike.voice.calls.startInbound({
      workspaceId,
      inboxId,
      leg: caller,
      start: {
        callId: `short-${phone}`,
        direction: 'inbound',
        transport: 'sip',
        from: { uri: `sip:${phone}@192.0.2.10`, phone },
        to: { uri: 'sip:4008001234@127.0.0.1' },
        startedAt: new Date(),
      },
    });
    const before = spoken.length;
    caller.say(clip('你们几点关门'));
    await expect.poll(() => spoken.slice(before).join(), { timeout: 15_000 }).toContain('9:00');
    caller.close();
    expect(await call.done).toEqual({ reason: 'caller-hangup' });
    return call;
  }

  it('erases a caller with their calls, transcripts and recordings', async () => {
    const call = await shortCall('13911113333');
    const s = t.app.zhike.db.forWorkspace(workspaceId);
    expect(await t.app.zhike.voice.recordings.exists(workspaceId, call.callId)).toBe(true);
    const erased = await t.app.inject({
      method: 'POST',
      url: `/api/v1/customers/${call.customerId}/erase`,
      headers: owner.headers,
      payload: { confirm: 'ERASE' },
    });
    expect(erased.statusCode).toBe(200);
    expect(await s.voice.calls.get(call.callId)).toBeNull();
    expect(await s.voice.transcript.list(call.callId)).toEqual([]);
    expect(await t.app.zhike.voice.recordings.exists(workspaceId, call.callId)).toBe(false);
  }, 30_000);

  it('purges recordings and transcripts past retention', async () => {
    const call = await shortCall('13911112222');
    const s = t.app.zhike.db.forWorkspace(workspaceId);
    expect((await s.voice.calls.get(call.callId))?.recording).not.toBeNull();
    const policy = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/privacy/retention',
      headers: owner.headers,
      payload: { transcriptsDays: 30, recordingsDays: 7, attachmentsDays: null },
    });
    expect(policy.statusCode).toBe(200);
    const later = (days: number) => ({ now: () => new Date(Date.now() + days * 86_400_000) });
    const ctx = { db: t.app.zhike.db, log: t.app.zhike.log };
    const run = (days: number) =>
      applyRetention({ ...ctx, clock: later(days) }, t.app.zhike.attachments, t.app.zhike.voice.recordings);
    // Not yet: nothing of this call goes.
    await run(1);
    expect(await t.app.zhike.voice.recordings.exists(workspaceId, call.callId)).toBe(true);
    expect((await run(8)).recordings).toBeGreaterThanOrEqual(1);
    expect(await t.app.zhike.voice.recordings.exists(workspaceId, call.callId)).toBe(false);
    expect((await s.voice.calls.get(call.callId))?.recording).toBeNull();
    expect(
      (await t.app.inject({ url: `/api/v1/calls/${call.callId}/recording`, headers: owner.headers }))
        .statusCode,
    ).toBe(404);
    expect((await s.voice.transcript.list(call.callId)).length).toBeGreaterThan(0);
    await run(31);
    expect(await s.voice.transcript.list(call.callId)).toEqual([]);
    expect(await s.voice.calls.get(call.callId)).not.toBeNull();
  }, 30_000);

  it('hands a caller back to the bot from an agent, and the bot answers again', async () => {
    const caller = new MemoryLeg('back');
    const call = await t.app.zhike.voice.calls.startInbound({
      workspaceId,
      inboxId,
      leg: caller,
      start: {
        callId: 'back-to-bot',
        direction: 'inbound',
        transport: 'sip',
        from: { uri: 'sip:13922223333@192.0.2.10', phone: '13922223333' },
        to: { uri: 'sip:4008001234@127.0.0.1' },
        startedAt: new Date(),
      },
    });
    caller.say(clip('转人工'));
    const live = () => t.app.zhike.voice.liveCalls.get(workspaceId, call.callId)?.state;
    await expect.poll(live, { timeout: 15_000 }).toBe('queued');
    const agent = new MemoryLeg('agent-back');
    await t.app.zhike.voice.liveCalls.connectAgent(workspaceId, call.callId, owner.info.user.id, agent);
    await t.app.zhike.voice.liveCalls.transferToBot(workspaceId, call.callId);
    expect(agent.isClosed).toBe(true);
    expect(live()).toBe('bot');
    const conversation = await t.app.zhike.db
      .forWorkspace(workspaceId)
      .conversations.get(call.conversationId);
    expect(conversation).toMatchObject({ botActive: true, handedOff: false, waitingSince: null });
    const before = spoken.length;
    caller.say(clip('你们几点关门'));
    await expect.poll(() => spoken.slice(before).join(), { timeout: 15_000 }).toContain('9:00');
    caller.close();
    expect(await call.done).toEqual({ reason: 'caller-hangup' });
  }, 30_000);
});
