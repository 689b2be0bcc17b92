import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioFrame } from '../types.ts';
import { ClipRecognizer, concat, ManualClock, silence, speechClip, toFrames } from './test-support.ts';
import { PIPELINE_EVENTS as E, InMemoryCallTrace } from './trace.ts';
import { LiveTranscriber } from './transcriber.ts';
import type { TranscriptSegment } from './transcript.ts';

let question: Int16Array;
let answer: Int16Array;
let thanks: Int16Array;

beforeAll(() => {
  question = speechClip('你好，我想查询订单状态', { companding: 'PCMU' });
  answer = speechClip('Your order has shipped and arrives tomorrow', { voice: 'en-us', companding: 'PCMA' });
  thanks = speechClip('转人工', { companding: 'PCMU' });
});

/** A frame source the test pushes into. */
function source() {
  const listeners = new Set<(f: AudioFrame) => void>();
  return {
    subscribe: (l: (f: AudioFrame) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    push: (f: AudioFrame) => {
      for (const l of listeners) l(f);
    },
    get listening() {
      return listeners.size;
    },
  };
}

async function play(
  clock: ManualClock,
  sources: { push(f: AudioFrame): void }[],
  tracks: Int16Array[],
): Promise<void> {
  const framed = tracks.map(toFrames);
  const n = Math.max(...framed.map((f) => f.length));
  for (let i = 0; i < n; i++) {
    clock.advance(20);
    sources.forEach((s, k) => {
      s.push(framed[k]![i] ?? new Int16Array(160));
    });
    await nextMacrotask();
  }
}

describe('LiveTranscriber', () => {
  it('transcribes both parties, labelled, with times on the call axis, as each utterance completes', async () => {
    const clock = new ManualClock();
    const recognizer = new ClipRecognizer(
      clock,
      [
        { text: '你好，我想查询订单状态', samples: question },
        { text: 'Your order has shipped and arrives tomorrow', samples: answer },
        { text: '转人工', samples: thanks },
      ],
      100,
    );
    const segments: TranscriptSegment[] = [];
    const t = new LiveTranscriber({ recognizer, clock, onSegment: (s) => segments.push(s), callStartMs: 0 });
    const caller = source();
    const agent = source();
    clock.advance(1000);
    t.addSource('caller', caller.subscribe);
    t.addSource('agent', agent.subscribe);
    const callerTrack = concat(silence(500), question, silence(4500), thanks, silence(1000));
    const agentTrack = concat(silence(500 + question.length / 8 + 700), answer, silence(1000));
    await play(clock, [caller, agent], [callerTrack, agentTrack]);
    // The caller's question is out before the agent finished answering.
    expect(segments[0]?.speaker).toBe('caller');
    await t.stop();
    expect(segments.map((s) => [s.speaker, s.text])).toEqual([
      ['caller', '你好，我想查询订单状态'],
      ['agent', 'Your order has shipped and arrives tomorrow'],
      ['caller', '转人工'],
    ]);
    expect(recognizer.calls.every((c) => c.sampleRate === 16_000)).toBe(true);
    // The question starts 1.5 s into the call (1 s before the source was added, 0.5 s of silence).
    expect(Math.abs(segments[0]!.startMs - 1500)).toBeLessThanOrEqual(60);
    expect(Math.abs(segments[0]!.endMs - (1500 + question.length / 8))).toBeLessThanOrEqual(80);
    expect(segments[1]!.startMs).toBeGreaterThan(segments[0]!.endMs);
    expect(caller.listening + agent.listening).toBe(0);
  });

  it('transcribes speech still in progress when stopped, and survives a failing recogniser', async () => {
    const clock = new ManualClock();
    const recognizer = new ClipRecognizer(clock, [{ text: '转人工', samples: thanks }], 0);
    const trace = new InMemoryCallTrace(clock);
    const segments: TranscriptSegment[] = [];
    let calls = 0;
    const t = new LiveTranscriber({
      recognizer,
      clock,
      trace,
      onSegment: (s) => {
        // The first listener call fails; the later segments must still arrive.
        if (calls++ === 0) throw new Error('storage down');
        segments.push(s);
      },
    });
    const caller = source();
    t.addSource('caller', caller.subscribe);
    recognizer.fail = true;
    await play(clock, [caller], [concat(silence(300), question, silence(1000))]);
    recognizer.fail = false;
    await play(clock, [caller], [concat(silence(300), thanks, silence(1000))]);
    await play(clock, [caller], [concat(silence(300), thanks)]);
    let stopped = false;
    t.stop().then(() => {
      stopped = true;
    });
    for (let i = 0; i < 50 && !stopped; i++) {
      await nextMacrotask();
      clock.advance(20);
    }
    expect(stopped).toBe(true);
    expect(segments.map((s) => s.text)).toEqual(['转人工']);
    expect(trace.events().filter((e) => e.name === E.asrFailed)).toHaveLength(1);
    expect(trace.events().filter((e) => e.name === 'transcript.failed')).toHaveLength(1);
    expect(() => t.addSource('agent', source().subscribe)).toThrow(/after stop/);
  });
});
