// Speaking a reply on a leg: synthesise sentence by sentence, queue each on the leg as soon as it is
// ready (the first plays while the rest are made), record TTS and first-packet timings, stop at once.

import {
  type CallTrace,
  type MediaLeg,
  type Playback,
  SAMPLE_RATE,
  type SpeechSynthesizer,
  type VoiceClock,
} from '../types.ts';
import { resampleInSlices } from './slicedResample.ts';
import { splitSentences, toSpeakable } from './speakable.ts';
import { PIPELINE_EVENTS as E } from './trace.ts';
import type { TranscriptSegment } from './transcript.ts';

export interface SpeakerOptions {
  leg: MediaLeg;
  synthesizer: SpeechSynthesizer;
  clock: VoiceClock;
  trace: CallTrace;
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
        const pieces: Playback[] = [];
        let length = 0;
        let startMs = 0;
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
          if (!Number.isFinite(pcm.sampleRate) || pcm.sampleRate <= 0) {
            throw new RangeError(`TTS returned audio at an invalid rate (${pcm.sampleRate})`);
          }
          // Each converted slice is queued at once: the first frames leave while the rest is converted.
          for await (const piece of resampleInSlices(pcm.samples, pcm.sampleRate, SAMPLE_RATE)) {
            if (stopped) break;
            if (piece.length === 0) continue;
            if (pieces.length === 0) startMs = Math.max(o.clock.now() - o.callStartMs, nextStartMs);
            const playback = o.leg.play(piece);
            pieces.push(playback);
            playbacks.push(playback);
            length += piece.length;
            if (!queuedAny) {
              queuedAny = true;
              o.trace.add({ stage: 'playback', name: E.replyQueued, detail: { turn } });
            }
          }
        } catch (error) {
          if (stopped) break;
          // A sentence the provider could not say is skipped; the rest of the reply still plays.
          o.trace.add({
            stage: 'tts',
            name: E.ttsFailed,
            durationMs: Math.round(o.clock.now() - started),
            detail: { turn, sentence: n, provider: o.synthesizer.id, error: errorText(error) },
          });
          if (pieces.length === 0) continue;
        }
        if (pieces.length === 0) continue;
        const durationMs = (length * 1000) / SAMPLE_RATE;
        nextStartMs = startMs + durationMs;
        settled.push(
          Promise.all(pieces.map((p) => p.done)).then((results) => {
            const how = results.includes('stopped') ? 'stopped' : 'finished';
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
        if (stopped) break;
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

export function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
