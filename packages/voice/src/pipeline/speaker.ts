// Speaking a reply on a leg: synthesise sentence by sentence, queue each on the leg as soon as it is
// ready (the first plays while the rest are made), record TTS and first-packet timings, stop at once.

import { resample as resamplePcm } from '../codecs/resample.ts';
import {
  type CallTrace,
  type MediaLeg,
  type Playback,
  SAMPLE_RATE,
  type SpeechSynthesizer,
  type VoiceClock,
} from '../types.ts';
import { splitSentences, toSpeakable } from './speakable.ts';
import { PIPELINE_EVENTS as E } from './trace.ts';
import type { TranscriptSegment } from './transcript.ts';

/** Converts PCM between rates (the media package's resampler unless a test injects another). */
export type Resample = (samples: Int16Array, fromRate: number, toRate: number) => Int16Array;

export const defaultResample: Resample = (samples, fromRate, toRate) =>
  resamplePcm(samples, fromRate, toRate);

export interface SpeakerOptions {
  leg: MediaLeg;
  synthesizer: SpeechSynthesizer;
  clock: VoiceClock;
  trace: CallTrace;
  resample: Resample;
  language?: string;
  voice?: string;
  rate?: number;
  /** Clock time the call's recording (and transcript time axis) starts. */
  callStartMs: number;
  onTranscript?: (segment: TranscriptSegment) => void;
}

export interface Speaking {
  /** 'finished' when every sentence played, 'stopped' when stopped (or the leg closed) first. */
  readonly done: Promise<'finished' | 'stopped'>;
  stop(): void;
}

/** Speaks replies on one leg; one reply at a time (a new one should follow `stop` of the last). */
export class Speaker {
  constructor(private readonly options: SpeakerOptions) {}

  /** Starts speaking `texts` (each may hold several sentences); `turn` tags the trace events. */
  speak(texts: readonly string[], turn: number): Speaking {
    const o = this.options;
    const abort = new AbortController();
    const playbacks: Playback[] = [];
    let stopped = false;
    let queuedAny = false;
    let firstPacketSeen = false;
    // Where the next queued sentence will start on the call's time axis, for the transcript.
    let nextStartMs = 0;
    const unsubscribeSent = o.leg.onSent(() => {
      if (!queuedAny || firstPacketSeen || stopped) return;
      firstPacketSeen = true;
      o.trace.add({ stage: 'playback', name: E.firstPacket, detail: { turn } });
    });
    const sentences = texts.flatMap((t) => splitSentences(t));

    const run = async (): Promise<'finished' | 'stopped'> => {
      const settled: Promise<'finished' | 'stopped'>[] = [];
      let index = 0;
      for (const sentence of sentences) {
        if (stopped) break;
        const text = toSpeakable(sentence, o.language);
        if (!text) continue;
        const n = index++;
        const started = o.clock.now();
        let samples: Int16Array;
        try {
          const pcm = await o.synthesizer.synthesize(text, {
            language: o.language,
            voice: o.voice,
            rate: o.rate,
            signal: abort.signal,
          });
          if (stopped) break;
          o.trace.add({
            stage: 'tts',
            name: E.ttsDone,
            durationMs: Math.round(o.clock.now() - started),
            detail: { turn, sentence: n, chars: text.length, provider: o.synthesizer.id },
          });
          samples = toTelephoneRate(pcm.samples, pcm.sampleRate, o.resample);
        } catch (error) {
          if (stopped) break;
          // One sentence the provider could not say is skipped; the rest of the reply still plays.
          o.trace.add({
            stage: 'tts',
            name: E.ttsFailed,
            durationMs: Math.round(o.clock.now() - started),
            detail: { turn, sentence: n, provider: o.synthesizer.id, error: errorText(error) },
          });
          continue;
        }
        if (samples.length === 0) continue;
        const playback = o.leg.play(samples);
        playbacks.push(playback);
        if (!queuedAny) {
          queuedAny = true;
          o.trace.add({ stage: 'playback', name: E.replyQueued, detail: { turn } });
        }
        const nowMs = o.clock.now() - o.callStartMs;
        const startMs = Math.max(nowMs, nextStartMs);
        const durationMs = (samples.length * 1000) / SAMPLE_RATE;
        nextStartMs = startMs + durationMs;
        settled.push(
          playback.done.then((how) => {
            const endMs = Math.min(startMs + durationMs, o.clock.now() - o.callStartMs);
            // A sentence stopped before its first frame went out was never heard.
            if (how === 'finished' || endMs > startMs) {
              o.onTranscript?.({
                speaker: 'bot',
                text: sentence,
                startMs: Math.round(startMs),
                endMs: Math.round(how === 'finished' ? startMs + durationMs : endMs),
                ...(how === 'stopped' ? { interrupted: true } : {}),
              });
            }
            return how;
          }),
        );
      }
      const results = await Promise.all(settled);
      return stopped || results.includes('stopped') ? 'stopped' : 'finished';
    };

    const stop = () => {
      if (stopped) return;
      stopped = true;
      abort.abort();
      for (const p of playbacks) p.stop();
      o.leg.stopPlayback();
    };
    const done = run()
      .catch(() => 'stopped' as const)
      .then((how) => {
        unsubscribeSent();
        o.trace.add({ stage: 'playback', name: E.replyDone, detail: { turn, how } });
        return how;
      });
    return { done, stop };
  }
}

function toTelephoneRate(samples: Int16Array, rate: number, resample: Resample): Int16Array {
  if (!Number.isFinite(rate) || rate <= 0)
    throw new RangeError(`TTS returned audio at an invalid rate (${rate})`);
  return rate === SAMPLE_RATE ? samples : resample(samples, rate, SAMPLE_RATE);
}

export function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
