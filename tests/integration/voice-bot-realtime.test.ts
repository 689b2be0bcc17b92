// The voice bot loop in real time with the real speech adapters: a caller on a 20 ms-paced leg asks in
// Mandarin (espeak-ng audio after a µ-law line), the OpenAI-compatible ASR adapter uploads each
// endpointed utterance to the ASR double, the espeak-ng TTS adapter speaks the replies, and the trace
// gives each turn's latency (end of speech → first reply frame), with the providers' time apart.
import { createEspeakTts, createOpenAiAsr, globalFetch } from '@zhike/providers';
import {
  type BrainReply,
  InMemoryCallTrace,
  resample,
  runVoiceBot,
  summarizeLatencies,
  type TranscriptSegment,
  turnLatencies,
  type VoiceBotOutcome,
  type VoiceClock,
} from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLeg, ScriptedBrain, TEST_CALL } from '../../packages/voice/src/pipeline/test-support.ts';
import { type AsrDouble, startAsrDouble } from '../support/voice/asrDouble.js';
import { mulawRoundTrip } from '../support/voice/mulaw.js';

const ASK = '你好，我想查询订单状态';
const TO_AGENT = '转人工';

let asr: AsrDouble;
const tts = createEspeakTts();

/** What the caller says, as it arrives after a PCMU hop: the TTS voice the double knows, at 8 kHz. */
async function callerSays(text: string): Promise<Int16Array> {
  const pcm = await tts.synthesize(text, { language: 'zh-CN' });
  return mulawRoundTrip(resample(pcm.samples, pcm.sampleRate, 8000));
}

const realClock: VoiceClock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** Ticks the leg every 20 ms of wall time, catching up when the event loop was late. */
function pace(leg: FakeLeg): () => void {
  const start = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout;
  const loop = () => {
    const due = Math.floor((performance.now() - start) / 20);
    while (sent < due) {
      leg.tick();
      sent++;
    }
    timer = setTimeout(loop, Math.max(0, start + (sent + 1) * 20 - performance.now()));
  };
  loop();
  return () => clearTimeout(timer);
}

async function waitFor(done: () => boolean, ms: number, what: string): Promise<void> {
  const until = performance.now() + ms;
  while (!done()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  asr = await startAsrDouble({ candidates: [ASK, TO_AGENT] });
  // The double builds its phrase models on the first request; that is its start-up, not a turn's cost.
  await createOpenAiAsr({ baseUrl: asr.baseUrl, fetch: globalFetch }).transcribe({
    samples: await callerSays(TO_AGENT),
    sampleRate: 8000,
  });
});

afterAll(async () => {
  await asr?.close();
});

describe('voice bot in real time with the espeak-ng TTS and the OpenAI ASR adapter', () => {
  it('answers each utterance well within a second of the endpoint and hands off on 转人工', async () => {
    const [ask, toAgent] = await Promise.all([callerSays(ASK), callerSays(TO_AGENT)]);
    const greeting: BrainReply = { say: ['您好，请问有什么可以帮您？'], next: 'listen' };
    const brain = new ScriptedBrain(greeting, (input) =>
      input.kind === 'speech' && input.text === TO_AGENT
        ? { say: ['好的，为您转人工。'], next: 'handoff', queueId: 'q-1' }
        : { say: ['您的订单10245已发货。还有问题吗？'], next: 'listen' },
    );
    const leg = new FakeLeg({ noiseDbfs: -62 });
    const trace = new InMemoryCallTrace(realClock);
    const transcript: TranscriptSegment[] = [];
    const stop = pace(leg);
    let outcome: VoiceBotOutcome | undefined;
    try {
      const run = runVoiceBot({
        call: TEST_CALL,
        leg,
        brain,
        recognizer: createOpenAiAsr({ baseUrl: asr.baseUrl, fetch: globalFetch }),
        synthesizer: tts,
        clock: realClock,
        trace,
        language: 'zh-CN',
        // A brisk bot voice keeps the test short; the caller speaks at the rate the double knows.
        speechRate: 1.6,
        onTranscript: (s) => transcript.push(s),
      }).then((o) => {
        outcome = o;
      });
      const quiet = async (what: string) => {
        const before = leg.sentAudioSlots.length;
        await waitFor(() => leg.sentAudioSlots.length > before, 10_000, `${what} to start`);
        await waitFor(() => !leg.playing, 20_000, `${what} to end`);
      };
      await quiet('the greeting');
      leg.say(ask);
      await quiet('the order status');
      leg.say(toAgent);
      await waitFor(() => outcome !== undefined, 20_000, 'the hand-off');
      await run;
    } finally {
      stop();
      leg.close();
    }

    expect(outcome).toEqual({ kind: 'handoff', queueId: 'q-1', turns: 2 });
    expect(brain.inputs.map((i) => (i.kind === 'speech' ? i.text : i.kind))).toEqual([ASK, TO_AGENT]);
    expect(asr.requests.slice(1).map((r) => r.sampleRate)).toEqual([16_000, 16_000]);
    expect(transcript.filter((s) => s.speaker === 'caller').map((s) => s.text)).toEqual([ASK, TO_AGENT]);

    const turns = turnLatencies(trace.events());
    expect(turns).toHaveLength(2);
    const summary = summarizeLatencies(turns);
    console.log(
      `voice bot turn latency (end of speech → first reply frame, after ${turns[0]!.endSilenceMs} ms trailing silence): ` +
        turns
          .map((t) => `${t.totalMs} ms (ASR ${t.asrMs} + TTS ${t.firstTtsMs}, server ${t.serverMs})`)
          .join('; ') +
        ` — server p50 ${summary.server.p50} ms, p95 ${summary.server.p95} ms`,
    );
    // The server's own part (endpoint handling, brain, resampling, queueing): loose bounds for a loaded CI box.
    for (const t of turns) {
      expect(t.serverMs).toBeLessThan(400);
      expect(t.totalMs).toBeLessThan(1500);
    }
  });
});
