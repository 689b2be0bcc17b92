import { beforeAll, describe, expect, it } from 'vitest';
import type { BrainReply, CallerInput } from '../types.ts';
import { endReasonOf, type VoiceBotOutcome } from './outcome.ts';
import {
  ClipRecognizer,
  clockDelay,
  concat,
  EspeakSynthesizer,
  FakeLeg,
  type FakeLegOptions,
  ManualClock,
  ScriptedBrain,
  silence,
  speechClip,
  TEST_CALL,
  VirtualLine,
} from './test-support.ts';
import { PIPELINE_EVENTS as E, InMemoryCallTrace, turnLatencies } from './trace.ts';
import type { TranscriptSegment } from './transcript.ts';
import { runVoiceBot, type VoiceBotOptions } from './voiceBot.ts';

const GREETING: BrainReply = { say: ['您好，这里是智客商城。请问有什么可以帮您？'], next: 'listen' };
const LONG_GREETING: BrainReply = {
  say: ['您好，这里是智客商城客服中心。我们的营业时间是每天早上九点到晚上九点。请问有什么可以帮您？'],
  next: 'listen',
};

let ask: Int16Array;
let toAgent: Int16Array;
let digits: Int16Array;

beforeAll(() => {
  ask = speechClip('你好，我想查询订单状态', { companding: 'PCMU' });
  toAgent = speechClip('转人工', { companding: 'PCMU' });
  digits = speechClip('一零二四五', { companding: 'PCMU' });
});

interface Harness {
  clock: ManualClock;
  leg: FakeLeg;
  line: VirtualLine;
  brain: ScriptedBrain;
  recognizer: ClipRecognizer;
  synthesizer: EspeakSynthesizer;
  trace: InMemoryCallTrace;
  transcript: TranscriptSegment[];
  outcome: Promise<VoiceBotOutcome>;
  result: () => VoiceBotOutcome | undefined;
}

function start(
  greeting: BrainReply,
  answer: (input: CallerInput, index: number) => BrainReply | Promise<BrainReply>,
  extra: Partial<Omit<VoiceBotOptions, 'leg'>> & { leg?: FakeLegOptions } = {},
): Harness {
  const clock = new ManualClock();
  const leg = new FakeLeg(extra.leg);
  const brain = new ScriptedBrain(greeting, answer);
  const recognizer = new ClipRecognizer(clock, [
    { text: '你好，我想查询订单状态', samples: ask },
    { text: '转人工', samples: toAgent },
    { text: '一零二四五', samples: digits },
  ]);
  const synthesizer = new EspeakSynthesizer(clock);
  const trace = new InMemoryCallTrace(clock);
  const transcript: TranscriptSegment[] = [];
  const { leg: _legOptions, ...options } = extra;
  let settled: VoiceBotOutcome | undefined;
  const outcome = runVoiceBot({
    call: TEST_CALL,
    leg,
    brain,
    recognizer,
    synthesizer,
    clock,
    trace,
    language: 'zh-CN',
    silenceTimeoutMs: 5000,
    onTranscript: (s) => transcript.push(s),
    ...options,
  });
  outcome.then((o) => {
    settled = o;
  });
  return {
    clock,
    leg,
    line: new VirtualLine(clock, leg),
    brain,
    recognizer,
    synthesizer,
    trace,
    transcript,
    outcome,
    result: () => settled,
  };
}

/** Runs until the bot has spoken something more and gone quiet (its queue drained). */
async function untilQuiet(h: Harness): Promise<void> {
  const before = h.leg.sentAudioSlots.length;
  await h.line.runUntil(() => h.leg.sentAudioSlots.length > before);
  await h.line.runUntil(() => !h.leg.playing);
}

describe('runVoiceBot', () => {
  it('greets, answers a spoken question within 1 s, reads the order number back, and hands off', async () => {
    const h = start(GREETING, (_input, i) =>
      i === 0
        ? { say: ['您的订单10245已发货。请问还有什么可以帮您？'], next: 'listen', intent: 'order_status' }
        : { say: ['好的，正在为您转接人工客服。'], next: 'handoff', queueId: 'q-support', intent: 'handoff' },
    );
    await untilQuiet(h);
    h.leg.say(concat(silence(400), ask, silence(1500)));
    await h.line.runUntil(() => h.brain.inputs.length === 1);
    await untilQuiet(h);
    h.leg.say(concat(silence(300), toAgent, silence(1500)));
    await h.line.runUntil(() => h.result() !== undefined);

    expect(h.result()).toEqual({ kind: 'handoff', queueId: 'q-support', intent: 'handoff', turns: 2 });
    expect(endReasonOf(h.result()!)).toBeNull();
    expect(h.brain.inputs).toEqual([
      { kind: 'speech', text: '你好，我想查询订单状态', language: 'zh-CN' },
      { kind: 'speech', text: '转人工', language: 'zh-CN' },
    ]);
    // The recogniser got 16 kHz audio holding the whole clip (pre-roll and tail around it).
    expect(h.recognizer.calls.map((c) => c.sampleRate)).toEqual([16_000, 16_000]);
    expect(h.recognizer.calls[0]!.ms).toBeGreaterThan(ask.length / 8 - 100);
    // Read-back: the order number went to TTS digit by digit; sentences were synthesised one by one.
    expect(h.synthesizer.texts).toContain('您的订单，一 零 二 四 五，已发货。');
    expect(h.synthesizer.texts).toContain('请问还有什么可以帮您？');
    expect(h.leg.playing).toBe(false);

    const [turn1] = turnLatencies(h.trace.events());
    // ASR 150 ms + TTS 100 ms (virtual; the line advances in 20 ms slots) + one slot to send.
    expect(turn1!.totalMs).toBeLessThanOrEqual(320);
    expect(turn1!.providerMs).toBeGreaterThanOrEqual(250);
    expect(turn1!.providerMs).toBeLessThanOrEqual(290);
    expect(turn1!.serverMs).toBeLessThanOrEqual(40);
    expect(turn1!.endSilenceMs).toBe(500);

    expect(h.transcript.map((s) => [s.speaker, s.text])).toEqual([
      ['bot', '您好，这里是智客商城。'],
      ['bot', '请问有什么可以帮您？'],
      ['caller', '你好，我想查询订单状态'],
      ['bot', '您的订单10245已发货。'],
      ['bot', '请问还有什么可以帮您？'],
      ['caller', '转人工'],
      ['bot', '好的，正在为您转接人工客服。'],
    ]);
    for (let i = 1; i < h.transcript.length; i++) {
      expect(h.transcript[i]!.startMs).toBeGreaterThanOrEqual(h.transcript[i - 1]!.endMs - 20);
    }
  });

  it('stops playback when the caller talks over it, even with echo and line noise, and answers the interruption', async () => {
    const h = start(LONG_GREETING, () => ({ say: ['好的。'], next: 'hangup' }), {
      leg: { echo: { delayMs: 60, lossDb: 12 }, noiseDbfs: -55 },
    });
    await h.line.runUntil(() => h.leg.sentAudioSlots.length > 0);
    await h.line.run(1500);
    const saidAt = h.leg.slot;
    h.leg.say(ask);
    await h.line.runUntil(() => h.leg.stopCount > 0, 3000);
    const stoppedAt = h.leg.slot;
    // Barge-in within half a second of the caller's first syllable; the greeting's audio ends there.
    expect((stoppedAt - saidAt) * 20).toBeLessThanOrEqual(500);
    expect(h.trace.events().some((e) => e.name === E.bargeIn)).toBe(true);
    await h.line.runUntil(() => h.brain.inputs.length === 1, 10_000);
    expect(h.leg.sentAudioSlots.filter((s) => s >= stoppedAt)).toEqual([]);
    await h.line.runUntil(() => h.result() !== undefined, 20_000);
    expect(h.result()).toEqual({ kind: 'hangup', turns: 1 });
    // The whole interruption reached the recogniser (it matched the clip), not just its tail.
    expect(h.brain.inputs).toEqual([{ kind: 'speech', text: '你好，我想查询订单状态', language: 'zh-CN' }]);
    const interrupted = h.transcript.find((s) => s.speaker === 'bot' && s.interrupted);
    expect(interrupted).toBeDefined();
  });

  it('answers what the caller says while the bot is still thinking, cutting the stale reply short', async () => {
    let clock: ManualClock | null = null;
    const h = start(GREETING, async (_input, i) => {
      if (i === 0) {
        // A slow brain: the caller goes on talking meanwhile.
        await clockDelay(clock!, 2000);
        return { say: LONG_GREETING.say, next: 'listen' };
      }
      return { say: ['好的。'], next: 'hangup' };
    });
    clock = h.clock;
    await untilQuiet(h);
    h.leg.say(concat(silence(200), toAgent, silence(900), ask, silence(1200)));
    await h.line.runUntil(() => h.result() !== undefined, 15_000);
    expect(h.brain.inputs.map((x) => (x.kind === 'speech' ? x.text : x.kind))).toEqual([
      '转人工',
      '你好，我想查询订单状态',
    ]);
    // The long reply to the first utterance was stopped almost at once.
    const stale = h.transcript.find((s) => s.text.startsWith('您好，这里是智客商城客服中心'));
    expect(stale === undefined || stale.interrupted === true).toBe(true);
  });

  it('does not take the echo of its own voice for the caller', async () => {
    const h = start(LONG_GREETING, () => ({ say: ['再见。'], next: 'hangup' }), {
      leg: { echo: { delayMs: 120, lossDb: 10 }, noiseDbfs: -60 },
    });
    await untilQuiet(h);
    expect(h.leg.stopCount).toBe(0);
    expect(h.trace.events().some((e) => e.name === E.bargeIn)).toBe(false);
    // Nothing was heard, so the brain is told about the silence after the re-prompt window.
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.brain.inputs).toEqual([{ kind: 'silence' }]);
  });

  it('re-prompts through the brain after the silence window, and passes an empty transcript on no-match', async () => {
    const h = start(GREETING, (_input, i) =>
      i < 1 ? { say: ['不好意思，请再说一遍。'], next: 'listen' } : { say: ['再见。'], next: 'hangup' },
    );
    await untilQuiet(h);
    const quietFrom = h.clock.now();
    await h.line.runUntil(() => h.brain.inputs.length === 1, 8000);
    expect(h.brain.inputs[0]).toEqual({ kind: 'silence' });
    expect(h.clock.now() - quietFrom).toBeGreaterThanOrEqual(5000);
    expect(h.clock.now() - quietFrom).toBeLessThanOrEqual(5100);
    await untilQuiet(h);
    h.recognizer.fail = true;
    h.leg.say(concat(silence(200), ask, silence(1000)));
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.brain.inputs[1]).toEqual({ kind: 'speech', text: '' });
    expect(h.trace.events().some((e) => e.name === E.asrFailed)).toBe(true);
  });

  it('takes a short noise that gave no words for noise, not a no-match, and keeps listening', async () => {
    const h = start(GREETING, () => ({ say: ['好的。'], next: 'hangup' }));
    await untilQuiet(h);
    const bang = new Int16Array(2400).map((_, i) =>
      Math.round(12000 * Math.sin((2 * Math.PI * 300 * i) / 8000)),
    );
    h.leg.say(concat(silence(300), bang, silence(1500), toAgent, silence(1000)));
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.recognizer.calls).toHaveLength(2);
    expect(h.brain.inputs).toEqual([{ kind: 'speech', text: '转人工', language: 'zh-CN' }]);
    expect(h.trace.events().filter((e) => e.name === E.ignored)).toHaveLength(1);
    // The answer's latency is still read from the trace under its own turn number.
    expect(turnLatencies(h.trace.events())).toHaveLength(1);
  });

  it("collects keypad digits in 'digits' mode, ended by '#' or at maxDigits", async () => {
    const h = start({ say: ['请输入订单号，以井号结束。'], next: 'digits', maxDigits: 8 }, (_input, i) =>
      i === 0
        ? { say: ['请输入四位验证码。'], next: 'digits', maxDigits: 4 }
        : { say: ['谢谢。'], next: 'hangup' },
    );
    await untilQuiet(h);
    for (const d of ['1', '0', '2', '4', '5', '#'] as const) {
      h.leg.pressKey(d);
      await h.line.run(200);
    }
    await h.line.runUntil(() => h.brain.inputs.length === 1);
    await untilQuiet(h);
    for (const d of ['9', '8', '7', '6'] as const) {
      h.leg.pressKey(d);
      await h.line.run(100);
    }
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.brain.inputs).toEqual([
      { kind: 'digits', digits: '10245' },
      { kind: 'digits', digits: '9876' },
    ]);
  });

  it('keeps every key typed while the brain is still thinking (a whole phone check, not the last three)', async () => {
    let release: (reply: BrainReply) => void = () => {};
    const h = start({ say: ['请按一查询订单。'], next: 'digits', maxDigits: 1 }, (_input, i) =>
      i === 0
        ? new Promise<BrainReply>((resolve) => {
            release = resolve;
          })
        : { say: ['谢谢。'], next: 'hangup' },
    );
    await untilQuiet(h);
    h.leg.pressKey('1');
    await h.line.runUntil(() => h.brain.inputs.length === 1);
    // The caller already knows the next question and types the last four phone digits at once.
    for (const d of ['8', '0', '0', '0', '#'] as const) {
      h.leg.pressKey(d);
      await h.line.run(60);
    }
    release({ say: ['请输入手机号后四位。'], next: 'digits', maxDigits: 8 });
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.brain.inputs).toEqual([
      { kind: 'digits', digits: '1' },
      { kind: 'digits', digits: '8000' },
    ]);
  });

  it("accepts spoken digits in 'digits' mode and a key press during playback stops it", async () => {
    const h = start({ say: ['请说出或输入您的订单号。'], next: 'digits', maxDigits: 10 }, (_input, i) =>
      i === 0 ? { say: LONG_GREETING.say, next: 'listen' } : { say: ['好的。'], next: 'hangup' },
    );
    await untilQuiet(h);
    h.leg.say(concat(silence(200), digits, silence(1000)));
    await h.line.runUntil(() => h.brain.inputs.length === 1);
    expect(h.brain.inputs[0]).toEqual({ kind: 'digits', digits: '10245' });
    await h.line.runUntil(() => h.leg.playing);
    await h.line.run(500);
    h.leg.pressKey('0');
    await h.line.run(40);
    expect(h.leg.playing).toBe(false);
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    // Outside 'digits' mode a key entry ends after the inter-digit timeout.
    expect(h.brain.inputs[1]).toEqual({ kind: 'digits', digits: '0' });
  });

  it('ends with caller-hangup and no playback left when the leg closes mid-reply', async () => {
    const h = start(LONG_GREETING, () => ({ say: ['好的。'], next: 'listen' }));
    await h.line.runUntil(() => h.leg.sentAudioSlots.length > 10);
    h.leg.close();
    await h.line.runUntil(() => h.result() !== undefined, 1000);
    expect(h.result()).toEqual({ kind: 'caller-hangup', turns: 0 });
    expect(endReasonOf(h.result()!)).toBe('caller-hangup');
    expect(h.leg.playing).toBe(false);
  });

  it('stops at once when aborted, leaving nothing queued', async () => {
    const abort = new AbortController();
    const h = start(LONG_GREETING, () => ({ say: ['好的。'], next: 'listen' }), { signal: abort.signal });
    await h.line.runUntil(() => h.leg.sentAudioSlots.length > 10);
    abort.abort();
    await h.line.runUntil(() => h.result() !== undefined, 1000);
    expect(h.result()).toEqual({ kind: 'aborted', turns: 0 });
    expect(h.leg.playing).toBe(false);
  });

  it('reports a failing brain as a failed outcome', async () => {
    const h = start(GREETING, () => {
      throw new Error('brain down');
    });
    await untilQuiet(h);
    h.leg.say(concat(silence(200), toAgent, silence(1000)));
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    const outcome = h.result()!;
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.error.message).toBe('brain down');
    expect(endReasonOf(outcome)).toBe('failed');
  });

  it('fails clearly on a malformed brain reply instead of guessing', async () => {
    const h = start({ say: ['您好。'], next: 'transfer' as BrainReply['next'] }, () => GREETING);
    await h.line.runUntil(() => h.result() !== undefined, 5000);
    const outcome = h.result()!;
    expect(outcome.kind === 'failed' && outcome.error.message).toMatch(/unknown next step "transfer"/);
    expect(h.leg.playing).toBe(false);
  });

  it('keeps the call going when the transcript listener fails', async () => {
    const h = start(GREETING, () => ({ say: ['好的。'], next: 'hangup' }), {
      onTranscript: () => {
        throw new Error('storage down');
      },
    });
    await untilQuiet(h);
    h.leg.say(concat(silence(200), toAgent, silence(1000)));
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.result()).toEqual({ kind: 'hangup', turns: 1 });
    expect(h.trace.events().filter((e) => e.name === 'transcript.failed').length).toBeGreaterThanOrEqual(3);
  });

  it('skips a sentence the TTS cannot say and still speaks the rest', async () => {
    const h = start({ say: ['第一句话。第二句话。'], next: 'hangup' }, () => GREETING);
    h.synthesizer.failOn = (t) => t.startsWith('第一');
    await h.line.runUntil(() => h.result() !== undefined, 10_000);
    expect(h.result()).toEqual({ kind: 'hangup', turns: 0 });
    expect(h.transcript.map((s) => s.text)).toEqual(['第二句话。']);
    expect(h.trace.events().filter((e) => e.name === E.ttsFailed)).toHaveLength(1);
  });
});
