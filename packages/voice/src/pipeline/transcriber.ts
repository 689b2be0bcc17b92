// Live transcription of a human call: each party's audio is endpointed on its own and every utterance
// is recognised, giving speaker-labelled transcript segments as they complete (for the agent's console,
// agent assist and the stored transcript).

import {
  type AudioFrame,
  type CallTrace,
  FRAME_MS,
  SAMPLE_RATE,
  type SpeechRecognizer,
  type Unsubscribe,
  type VoiceClock,
} from '../types.ts';
import { Endpointer, type EndpointerOptions, type Utterance } from './endpointer.ts';
import { resampleYielding } from './slicedResample.ts';
import { errorText } from './speaker.ts';
import { PIPELINE_EVENTS as E } from './trace.ts';
import { guardedListener, type TranscriptSegment, type TranscriptSpeaker } from './transcript.ts';
import { type VadOptions, VoiceActivityDetector } from './vad.ts';

export interface LiveTranscriberOptions {
  recognizer: SpeechRecognizer;
  clock: VoiceClock;
  onSegment: (segment: TranscriptSegment) => void;
  /** ASR failures and timings go here when given. */
  trace?: CallTrace;
  language?: string;
  asrSampleRate?: number;
  vad?: VadOptions;
  /** Conversation between people pauses less than callers do with a bot; 500 ms by default. */
  endpointer?: EndpointerOptions;
  /** Clock time the recording starts (segment times count from it); now when absent. */
  callStartMs?: number;
}

/** A subscription to one party's 20 ms frames, e.g. `(l) => leg.onAudio(l)`. */
export type FrameSource = (listener: (frame: AudioFrame) => void) => Unsubscribe;

interface Party {
  speaker: TranscriptSpeaker;
  vad: VoiceActivityDetector;
  endpointer: Endpointer;
  /** Call time (ms) of the party's first frame: its stream time zero. */
  offsetMs: number;
  unsubscribe: Unsubscribe;
  /** Utterances of one party are recognised in order, one at a time. */
  chain: Promise<void>;
}

export class LiveTranscriber {
  private readonly parties: Party[] = [];
  private readonly abort = new AbortController();
  private readonly callStartMs: number;
  private stopped = false;
  private readonly emitSegment: (segment: TranscriptSegment) => void;

  constructor(private readonly options: LiveTranscriberOptions) {
    this.callStartMs = options.callStartMs ?? options.clock.now();
    this.emitSegment = guardedListener(options.onSegment, (error) =>
      options.trace?.add({
        stage: 'recording',
        name: 'transcript.failed',
        detail: { error: errorText(error) },
      }),
    );
  }

  /** Starts transcribing one party. Several sources may share a speaker label (two agents in turn). */
  addSource(speaker: TranscriptSpeaker, source: FrameSource): void {
    if (this.stopped) throw new Error('LiveTranscriber: addSource after stop');
    const party: Party = {
      speaker,
      vad: new VoiceActivityDetector(this.options.vad),
      endpointer: new Endpointer({ endSilenceMs: 500, ...this.options.endpointer }),
      offsetMs: this.options.clock.now() - this.callStartMs,
      unsubscribe: () => {},
      chain: Promise.resolve(),
    };
    party.unsubscribe = source((frame) => this.onFrame(party, frame));
    this.parties.push(party);
  }

  /**
   * Stops listening; speech in progress is cut there and still transcribed. Resolves once every
   * segment was emitted. With `{ discard: true }` pending recognition is abandoned instead.
   */
  async stop(options: { discard?: boolean } = {}): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (const party of this.parties) {
        party.unsubscribe();
        const rest = party.endpointer.flush();
        if (rest && !options.discard) this.enqueue(party, rest);
      }
    }
    if (options.discard) this.abort.abort();
    await Promise.all(this.parties.map((p) => p.chain));
  }

  private onFrame(party: Party, frame: AudioFrame): void {
    if (this.stopped) return;
    const voiced = party.vad.classify(frame).voiced;
    for (const event of party.endpointer.push(frame, voiced)) {
      if (event.type === 'utterance') this.enqueue(party, event);
    }
  }

  private enqueue(party: Party, utterance: Utterance): void {
    party.chain = party.chain.then(() => this.recognise(party, utterance));
  }

  private async recognise(party: Party, u: Utterance): Promise<void> {
    if (this.abort.signal.aborted) return;
    const { clock, recognizer, trace } = this.options;
    const started = clock.now();
    let text = '';
    let language: string | undefined;
    try {
      const rate = this.options.asrSampleRate ?? 16_000;
      const samples = await resampleYielding(u.audio, SAMPLE_RATE, rate);
      const result = await recognizer.transcribe(
        { samples, sampleRate: rate },
        { language: this.options.language, signal: this.abort.signal },
      );
      text = result.text.trim();
      language = result.language;
      trace?.add({
        stage: 'asr',
        name: E.asrDone,
        durationMs: Math.round(clock.now() - started),
        detail: { speaker: party.speaker, provider: recognizer.id, chars: text.length },
      });
    } catch (error) {
      // One failed utterance is a gap in the transcript, never the end of transcription.
      trace?.add({
        stage: 'asr',
        name: E.asrFailed,
        durationMs: Math.round(clock.now() - started),
        detail: { speaker: party.speaker, provider: recognizer.id, error: errorText(error) },
      });
      return;
    }
    if (!text || this.abort.signal.aborted) return;
    this.emitSegment({
      speaker: party.speaker,
      text,
      startMs: Math.round(party.offsetMs + u.startMs),
      endMs: Math.round(party.offsetMs + Math.max(u.endMs, u.startMs + FRAME_MS)),
      ...(language ? { language } : {}),
    });
  }
}
