import { beforeAll, describe, expect, it } from 'vitest';
import { type EndpointEvent, Endpointer, type EndpointerOptions, type Utterance } from './endpointer.ts';
import { concat, hum, mix, scale, silence, speechClip, toFrames, whiteNoise } from './test-support.ts';
import { frameLevelDb, VoiceActivityDetector } from './vad.ts';

function run(samples: Int16Array, options?: EndpointerOptions): EndpointEvent[] {
  const vad = new VoiceActivityDetector();
  const ep = new Endpointer(options);
  const events: EndpointEvent[] = [];
  for (const frame of toFrames(samples)) events.push(...ep.push(frame, vad.classify(frame).voiced));
  const rest = ep.flush();
  if (rest) events.push(rest);
  return events;
}

const utterances = (events: EndpointEvent[]) => events.filter((e): e is Utterance => e.type === 'utterance');

let ask: Int16Array;
let toAgent: Int16Array;
let english: Int16Array;

beforeAll(() => {
  ask = speechClip('你好，我想查询订单状态', { companding: 'PCMU' });
  toAgent = speechClip('转人工', { companding: 'PCMA' });
  english = speechClip('I would like to check my order please', { voice: 'en-us', companding: 'PCMU' });
});

/** First and last sample index whose 20 ms frame is clearly above silence: the clip's true extent. */
function extentMs(samples: Int16Array): { startMs: number; endMs: number } {
  const frames = toFrames(samples);
  const loud = frames.map((f) => frameLevelDb(f) > -45);
  return { startMs: loud.indexOf(true) * 20, endMs: (loud.lastIndexOf(true) + 1) * 20 };
}

describe('VoiceActivityDetector', () => {
  it('calls G.711-decoded espeak-ng speech voiced and digital silence not', () => {
    const vad = new VoiceActivityDetector();
    const quiet = toFrames(silence(500)).map((f) => vad.classify(f).voiced);
    const speech = toFrames(ask).map((f) => vad.classify(f));
    expect(quiet.some(Boolean)).toBe(false);
    const loudFrames = speech.filter((d) => d.levelDb > -40);
    expect(loudFrames.filter((d) => d.voiced).length / loudFrames.length).toBeGreaterThan(0.9);
  });

  it('does not call steady hiss or mains hum speech once it has heard the line', () => {
    for (const noise of [
      whiteNoise(3000, -35, 7),
      hum(3000, -30),
      mix(whiteNoise(3000, -40, 3), hum(3000, -38)),
    ]) {
      const vad = new VoiceActivityDetector();
      const decisions = toFrames(noise).map((f) => vad.classify(f).voiced);
      // The first few hundred ms teach the floor; after that nothing may be voiced.
      expect(decisions.slice(25).filter(Boolean).length).toBe(0);
    }
  });

  it('adapts its floor to the line noise', () => {
    const vad = new VoiceActivityDetector();
    for (const f of toFrames(whiteNoise(2000, -40, 5))) vad.classify(f);
    expect(vad.noiseFloorDb).toBeGreaterThan(-45);
    expect(vad.noiseFloorDb).toBeLessThan(-36);
  });
});

describe('Endpointer', () => {
  it('finds one utterance in a clip with silence around it, with the first syllable kept', () => {
    const audio = concat(silence(1000), ask, silence(1500));
    const events = run(audio);
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'utterance']);
    const [u] = utterances(events);
    const truth = extentMs(ask);
    expect(u!.reason).toBe('silence');
    expect(Math.abs(u!.startMs - (1000 + truth.startMs))).toBeLessThanOrEqual(60);
    expect(Math.abs(u!.endMs - (1000 + truth.endMs))).toBeLessThanOrEqual(60);
    // Default trailing silence is 500 ms.
    expect(u!.endpointMs - u!.endMs).toBe(500);
    // The pre-roll reaches back before the first voiced frame, so the onset is inside the audio.
    const lead = (u!.startMs - (1000 + truth.startMs)) * 8 + 300 * 8;
    expect(lead).toBeGreaterThan(0);
    expect(u!.audio.length).toBeGreaterThanOrEqual(((u!.endMs - u!.startMs + 300) * 8000) / 1000);
  });

  it('keeps finding speech over phone noise (hiss and hum) and ignores the noise alone', () => {
    const noise = mix(whiteNoise(8000, -42, 11), hum(8000, -40));
    const audio = mix(noise, concat(silence(1500), english, silence(1200), toAgent));
    const u = utterances(run(audio, { endSilenceMs: 500 }));
    expect(u).toHaveLength(2);
    expect(u[0]!.startMs).toBeGreaterThan(1400);
    expect(u[1]!.endMs).toBeLessThan(1500 + english.length / 8 + 1200 + toAgent.length / 8 + 100);
    expect(utterances(run(noise))).toHaveLength(0);
  });

  it('finds quiet speech (-20 dB) on a quiet line', () => {
    const audio = mix(whiteNoise(6000, -65, 2), concat(silence(800), scale(ask, -20), silence(1500)));
    expect(utterances(run(audio))).toHaveLength(1);
  });

  it('does not start on a click or a single syllable-length burst below the start time', () => {
    const click = new Int16Array(160).fill(20000);
    const audio = concat(silence(500), click, silence(1000));
    expect(run(audio)).toEqual([]);
  });

  it('honours the configured trailing silence: a pause longer than it splits, a shorter one does not', () => {
    const audio = concat(silence(500), toAgent, silence(800), toAgent, silence(1200));
    expect(utterances(run(audio, { endSilenceMs: 600 }))).toHaveLength(2);
    expect(utterances(run(audio, { endSilenceMs: 1000 }))).toHaveLength(1);
  });

  it('cuts an utterance at the maximum length', () => {
    const long = concat(ask, ask, ask);
    const events = utterances(run(concat(silence(300), long, silence(1000)), { maxUtteranceMs: 3000 }));
    expect(events[0]!.reason).toBe('max-length');
    expect(events[0]!.endpointMs - events[0]!.startMs).toBe(3000);
  });

  it('reset drops speech in progress', () => {
    const vad = new VoiceActivityDetector();
    const ep = new Endpointer();
    const frames = toFrames(concat(silence(200), ask));
    for (const f of frames.slice(0, 40)) ep.push(f, vad.classify(f).voiced);
    expect(ep.inSpeech).toBe(true);
    ep.reset();
    expect(ep.inSpeech).toBe(false);
    expect(ep.flush()).toBeNull();
  });

  it('rejects impossible settings', () => {
    expect(() => new Endpointer({ endSilenceMs: 0 })).toThrow(RangeError);
  });
});
