// Endpointing: turns per-frame speech/non-speech decisions into utterances (start after enough voiced
// frames, end after a trailing silence or at a maximum length), keeping a pre-roll so the first syllable
// reaches the recogniser.

import { type AudioFrame, FRAME_MS } from '../types.ts';
import { definedOnly } from './vad.ts';

export interface EndpointerOptions {
  /** Voiced time (ms) within the start window that makes speech start. */
  startSpeechMs?: number;
  /** Window (ms) the voiced time is counted over; short gaps between syllables are allowed. */
  startWindowMs?: number;
  /** Trailing silence (ms) that ends an utterance. */
  endSilenceMs?: number;
  /** An utterance is cut here even if the caller keeps talking. */
  maxUtteranceMs?: number;
  /** Audio kept from before the detected start. */
  preRollMs?: number;
  /** Audio kept after the last voiced frame (soft word endings). */
  tailMs?: number;
}

export interface SpeechStart {
  type: 'speech-start';
  /** Stream time (ms since the first frame pushed) of the first voiced frame of the start window. */
  startMs: number;
}

export interface Utterance {
  type: 'utterance';
  /** 8 kHz PCM: pre-roll, the speech, and the tail. */
  audio: Int16Array;
  /** Stream time of the first voiced frame. */
  startMs: number;
  /** Stream time just after the last voiced frame: when the speaker stopped. */
  endMs: number;
  /** Stream time at which the end was decided (endMs + trailing silence, or the cut). */
  endpointMs: number;
  reason: 'silence' | 'max-length';
}

export type EndpointEvent = SpeechStart | Utterance;

const DEFAULTS = {
  startSpeechMs: 120,
  startWindowMs: 200,
  // Long enough for a mid-sentence pause, short enough that the reply still starts within a second.
  endSilenceMs: 500,
  maxUtteranceMs: 15_000,
  preRollMs: 300,
  tailMs: 100,
} satisfies Required<EndpointerOptions>;

/** Frames of `ms`, at least one. */
function frames(ms: number): number {
  return Math.max(1, Math.round(ms / FRAME_MS));
}

export class Endpointer {
  private readonly startFrames: number;
  private readonly windowFrames: number;
  private readonly endFrames: number;
  private readonly maxFrames: number;
  private readonly preRollFrames: number;
  private readonly tailFrames: number;
  /** Frames pushed so far: the stream clock. */
  private frameIndex = 0;
  /** While idle: the most recent frames with their decisions (pre-roll plus the start window). */
  private recent: { frame: AudioFrame; voiced: boolean; index: number }[] = [];
  private speech: { frames: AudioFrame[]; startIndex: number; lastVoicedIndex: number } | null = null;

  constructor(options: EndpointerOptions = {}) {
    const o = { ...DEFAULTS, ...definedOnly(options) };
    if (o.endSilenceMs <= 0 || o.maxUtteranceMs <= o.startWindowMs) {
      throw new RangeError('endpointer: endSilenceMs must be > 0 and maxUtteranceMs > startWindowMs');
    }
    this.startFrames = frames(o.startSpeechMs);
    this.windowFrames = Math.max(this.startFrames, frames(o.startWindowMs));
    this.endFrames = frames(o.endSilenceMs);
    this.maxFrames = frames(o.maxUtteranceMs);
    this.preRollFrames = Math.round(o.preRollMs / FRAME_MS);
    this.tailFrames = Math.min(Math.round(o.tailMs / FRAME_MS), this.endFrames);
  }

  /** True between a speech start and the utterance that ends it. */
  get inSpeech(): boolean {
    return this.speech !== null;
  }

  /** Stream time of the next frame. */
  get nowMs(): number {
    return this.frameIndex * FRAME_MS;
  }

  /** Forgets any speech in progress and the pre-roll (e.g. when the audio before now is not wanted). */
  reset(): void {
    this.recent = [];
    this.speech = null;
  }

  /** Feeds one frame and its VAD decision; returns what happened at this frame (usually nothing). */
  push(frame: AudioFrame, voiced: boolean): EndpointEvent[] {
    const index = this.frameIndex++;
    if (this.speech) return this.continueSpeech(frame, voiced, index);
    this.recent.push({ frame, voiced, index });
    const keep = this.preRollFrames + this.windowFrames;
    if (this.recent.length > keep) this.recent.splice(0, this.recent.length - keep);
    const window = this.recent.slice(-this.windowFrames);
    let voicedCount = 0;
    for (const f of window) if (f.voiced) voicedCount++;
    if (voicedCount < this.startFrames) return [];
    const first = window.find((f) => f.voiced)!;
    const firstPos = this.recent.indexOf(first);
    const from = Math.max(0, firstPos - this.preRollFrames);
    this.speech = {
      frames: this.recent.slice(from).map((f) => f.frame),
      startIndex: first.index,
      lastVoicedIndex: index,
    };
    this.recent = [];
    return [{ type: 'speech-start', startMs: first.index * FRAME_MS }];
  }

  /** Ends speech in progress now (the stream ended or the listener stops): the utterance so far, if any. */
  flush(): Utterance | null {
    if (!this.speech) return null;
    return this.finish(this.frameIndex - 1, 'silence');
  }

  private continueSpeech(frame: AudioFrame, voiced: boolean, index: number): EndpointEvent[] {
    const speech = this.speech!;
    speech.frames.push(frame);
    if (voiced) speech.lastVoicedIndex = index;
    if (index - speech.lastVoicedIndex >= this.endFrames) return [this.finish(index, 'silence')];
    if (index - speech.startIndex + 1 >= this.maxFrames) return [this.finish(index, 'max-length')];
    return [];
  }

  private finish(index: number, reason: Utterance['reason']): Utterance {
    const speech = this.speech!;
    this.speech = null;
    const lastFrameIndex =
      reason === 'max-length' ? index : Math.min(index, speech.lastVoicedIndex + this.tailFrames);
    // speech.frames[0] is at index (first buffered); the buffer ends at `index`.
    const firstBufferedIndex = index - speech.frames.length + 1;
    const kept = speech.frames.slice(0, lastFrameIndex - firstBufferedIndex + 1);
    let length = 0;
    for (const f of kept) length += f.length;
    const audio = new Int16Array(length);
    let offset = 0;
    for (const f of kept) {
      audio.set(f, offset);
      offset += f.length;
    }
    const endIndex = reason === 'max-length' ? index : speech.lastVoicedIndex;
    return {
      type: 'utterance',
      audio,
      startMs: speech.startIndex * FRAME_MS,
      endMs: (endIndex + 1) * FRAME_MS,
      endpointMs: (index + 1) * FRAME_MS,
      reason,
    };
  }
}
