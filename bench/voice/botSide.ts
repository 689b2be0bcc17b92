// The answering side of bench:voice: Zhike's SIP user agent and RTP media with the pipeline's bot loop
// on every call, as the server runs them. The brain answers every question with one canned sentence and
// the recogniser returns one canned text at once: the bench measures the voice path (RTP clock, VAD and
// endpointing, resampling, TTS queueing), not the text bot (bench:bot measures that) nor a provider.

import { createCachedSynthesizer, createEspeakTts } from '@zhike/providers';
import {
  type CallStart,
  InMemoryCallTrace,
  type MediaLegStats,
  rtpMediaFactory,
  runVoiceBot,
  SipTransactionLayer,
  SipTransport,
  SipUserAgent,
  type SpeechRecognizer,
  type TurnLatency,
  turnLatencies,
  type VoiceBrain,
  type VoiceClock,
} from '@zhike/voice';

export interface CallResult {
  stats: MediaLegStats;
  turns: TurnLatency[];
  error?: string;
}

export interface BotSide {
  readonly sipAddress: string;
  /** Results of calls that ended since the last take(). */
  take(): CallResult[];
  active(): number;
  /** Errors the SIP/RTP stack reported (malformed input, send failures…). */
  errors(): readonly string[];
  stop(): Promise<void>;
}

const clock: VoiceClock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export async function startBotSide(opts: {
  rtpPorts: { min: number; max: number };
  greeting: string;
  question: string;
  answer: string;
}): Promise<BotSide> {
  const results: CallResult[] = [];
  const errors: string[] = [];
  const synthesizer = createCachedSynthesizer(createEspeakTts());
  // Warm the TTS cache: the first synthesis of a sentence is provider time, every later one is not.
  for (const text of [opts.greeting, opts.answer]) await synthesizer.synthesize(text, { language: 'zh-CN' });
  const recognizer: SpeechRecognizer = {
    id: 'bench-canned',
    async transcribe() {
      return { text: opts.question };
    },
  };
  const brain: VoiceBrain = {
    async start() {
      return { say: [opts.greeting], next: 'listen' };
    },
    async turn(_callId, input) {
      return input.kind === 'silence' ? { say: [], next: 'listen' } : { say: [opts.answer], next: 'listen' };
    },
    async end() {},
  };
  // Composed as call control's own integration test does (the server's composition root does the same).
  const onError = (e: unknown) => errors.push(String(e));
  const transport = await SipTransport.listen({ host: '127.0.0.1', port: 0, onError });
  const stack = new SipTransactionLayer({ transport, clock, onError });
  const ua = new SipUserAgent({
    stack,
    media: rtpMediaFactory({ host: '127.0.0.1', ...opts.rtpPorts }, { onError }),
    clock,
    createTrace: () => new InMemoryCallTrace(clock),
    registrations: [],
    isTrunkSource: (host) => host === '127.0.0.1',
    mediaAddress: '127.0.0.1',
    answerUsers: ['bot'],
    onError,
  });
  let active = 0;
  ua.onIncoming((call) => {
    active++;
    void (async () => {
      const trace = new InMemoryCallTrace(clock);
      const stop = new AbortController();
      try {
        await call.answer();
        const leg = call.media;
        if (!leg) throw new Error('answered call without media');
        const start: CallStart = {
          callId: call.id,
          direction: 'inbound',
          transport: 'sip',
          from: call.from,
          to: call.to,
          startedAt: call.startedAt,
        };
        const ended = call.ended.then(() => stop.abort());
        await runVoiceBot({
          call: start,
          leg,
          brain,
          recognizer,
          synthesizer,
          clock,
          trace,
          language: 'zh-CN',
          signal: stop.signal,
        }).catch(() => undefined);
        await ended;
        results.push({ stats: leg.stats(), turns: turnLatencies(trace.events()) });
      } catch (e) {
        results.push({
          stats: { packetsSent: 0, packetsReceived: 0, lateSent: 0, droppedReceived: 0 },
          turns: [],
          error: (e as Error).message,
        });
      } finally {
        active--;
      }
    })();
  });
  return {
    sipAddress: `127.0.0.1:${transport.port}`,
    take: () => results.splice(0),
    active: () => active,
    errors: () => errors,
    stop: () => ua.stop(),
  };
}
