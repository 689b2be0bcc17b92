// Test doubles for the pipeline: a manual clock, a media leg stepped in virtual time, a recogniser that
// knows a few clips, espeak-ng as a synthesizer and a scripted brain. The test audio is in testAudio.ts.

import { execFileSync } from 'node:child_process';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { readWav } from '../codecs/wav.ts';
import {
  type AudioCodec,
  type AudioFrame,
  type BrainReply,
  type CallEndReason,
  type CallerInput,
  type CallStart,
  type DtmfDigit,
  FRAME_MS,
  FRAME_SAMPLES,
  type MediaLeg,
  type MediaLegStats,
  type PcmAudio,
  type Playback,
  type SpeechRecognizer,
  type SpeechSynthesizer,
  type SynthesizeOptions,
  type TranscribeOptions,
  type Transcript,
  type Unsubscribe,
  type VoiceBrain,
  type VoiceClock,
} from '../types.ts';

import { mix, scale, toFrames, whiteNoise } from './testAudio.ts';

export * from './testAudio.ts';

/** A clock that moves only when told to; timers fire in time order during `advance`. */
export class ManualClock implements VoiceClock {
  private time = 0;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return {
      cancel: () => {
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = until;
  }
}

interface QueuedPlayback {
  frames: Int16Array[];
  resolve: (v: 'finished' | 'stopped') => void;
  settled: boolean;
}

export interface FakeLegOptions {
  /** Our own audio coming back on the inbound path (line or acoustic echo). */
  echo?: { delayMs: number; lossDb: number };
  /** Steady noise under everything the caller sends. */
  noiseDbfs?: number;
}

/**
 * A MediaLeg in memory, stepped by `tick()` (one 20 ms slot: one frame out, one frame in), so a test
 * drives a whole call in virtual time. The caller's audio is queued with `say`.
 */
export class FakeLeg implements MediaLeg {
  readonly id = 'fake-leg';
  readonly codec: AudioCodec = 'PCMU';
  readonly closed: Promise<void>;
  /** Every frame sent, in order (what the caller heard). */
  readonly sent: AudioFrame[] = [];
  /** Slot index of every frame sent that carried queued audio. */
  readonly sentAudioSlots: number[] = [];
  slot = 0;
  stopCount = 0;
  private closeLeg!: () => void;
  private isClosed = false;
  private muted = false;
  private readonly audioListeners = new Set<(f: AudioFrame) => void>();
  private readonly dtmfListeners = new Set<(d: DtmfDigit) => void>();
  private readonly sentListeners = new Set<(f: AudioFrame) => void>();
  private readonly callerFrames: Int16Array[] = [];
  private queue: QueuedPlayback[] = [];
  private readonly noise: Int16Array | null;

  constructor(private readonly options: FakeLegOptions = {}) {
    this.closed = new Promise((resolve) => {
      this.closeLeg = resolve;
    });
    this.noise = options.noiseDbfs === undefined ? null : whiteNoise(60_000, options.noiseDbfs, 99);
  }

  /** Queues caller audio after what is already queued. */
  say(samples: Int16Array): void {
    this.callerFrames.push(...toFrames(samples));
  }

  get callerAudioPending(): number {
    return this.callerFrames.length;
  }

  get playing(): boolean {
    return this.queue.some((p) => p.frames.length > 0);
  }

  pressKey(digit: DtmfDigit): void {
    for (const l of this.dtmfListeners) l(digit);
  }

  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onDtmf(listener: (digit: DtmfDigit) => void): Unsubscribe {
    this.dtmfListeners.add(listener);
    return () => this.dtmfListeners.delete(listener);
  }

  onSent(listener: (frame: AudioFrame) => void): Unsubscribe {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  play(samples: Int16Array): Playback {
    let resolve!: (v: 'finished' | 'stopped') => void;
    const done = new Promise<'finished' | 'stopped'>((r) => {
      resolve = r;
    });
    const entry: QueuedPlayback = { frames: toFrames(samples), resolve, settled: false };
    if (this.isClosed) {
      entry.settled = true;
      resolve('stopped');
    } else this.queue.push(entry);
    return {
      done,
      stop: () => {
        // Stopping one playback drops the rest of the queue too (the MediaLeg contract).
        if (!entry.settled) this.stopPlayback();
      },
    };
  }

  stopPlayback(): void {
    this.stopCount++;
    for (const p of this.queue) this.settle(p, 'stopped');
    this.queue = [];
  }

  async sendDtmf(): Promise<void> {}

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.stopPlayback();
    this.closeLeg();
  }

  stats(): MediaLegStats {
    return { packetsSent: this.sent.length, packetsReceived: this.slot, lateSent: 0, droppedReceived: 0 };
  }

  /** One 20 ms slot: send the next queued frame (or silence), then deliver the caller's next frame. */
  tick(): void {
    if (this.isClosed) return;
    const head = this.queue[0];
    let out: Int16Array = new Int16Array(FRAME_SAMPLES);
    if (head) {
      out = head.frames.shift()!;
      if (head.frames.length === 0) {
        this.queue.shift();
        this.settle(head, 'finished');
      }
      this.sentAudioSlots.push(this.slot);
    }
    if (this.muted) out = new Int16Array(FRAME_SAMPLES);
    this.sent.push(out);
    for (const l of this.sentListeners) l(out);
    const inbound = new Int16Array(FRAME_SAMPLES);
    const caller = this.callerFrames.shift();
    if (caller) inbound.set(caller);
    const parts: Int16Array[] = [inbound];
    if (this.noise) {
      const at = (this.slot * FRAME_SAMPLES) % (this.noise.length - FRAME_SAMPLES);
      parts.push(this.noise.subarray(at, at + FRAME_SAMPLES));
    }
    const echo = this.options.echo;
    if (echo) {
      const back = this.sent[this.sent.length - 1 - Math.round(echo.delayMs / FRAME_MS)];
      if (back) parts.push(scale(back, -echo.lossDb));
    }
    const frame = mix(...parts);
    this.slot++;
    for (const l of this.audioListeners) l(frame);
  }

  private settle(p: QueuedPlayback, how: 'finished' | 'stopped'): void {
    if (p.settled) return;
    p.settled = true;
    p.resolve(how);
  }
}

/** Runs a FakeLeg and a ManualClock together in virtual time, letting promises settle between slots. */
export class VirtualLine {
  constructor(
    readonly clock: ManualClock,
    readonly leg: FakeLeg,
  ) {}

  async step(): Promise<void> {
    this.clock.advance(FRAME_MS);
    this.leg.tick();
    // Work that yields to the event loop (sliced resampling) takes no virtual time: let it run on.
    for (let i = 0; i < 25; i++) await nextMacrotask();
  }

  async run(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += FRAME_MS) await this.step();
  }

  /** Steps until `done()` holds; fails after `maxMs` of virtual time. */
  async runUntil(done: () => boolean, maxMs = 60_000): Promise<void> {
    for (let t = 0; t < maxMs; t += FRAME_MS) {
      if (done()) return;
      await this.step();
    }
    if (!done()) throw new Error(`virtual line: condition not met within ${maxMs} ms`);
  }
}

/** A promise that resolves after `ms` of the manual clock. */
export function clockDelay(clock: VoiceClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        timer.cancel();
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

/**
 * A recogniser that knows a few clips: it answers with the text of the clip whose length matches the
 * utterance it is given (so a clipped or merged utterance gets no text), after a virtual delay.
 */
export class ClipRecognizer implements SpeechRecognizer {
  readonly id = 'clip-double';
  readonly calls: { sampleRate: number; ms: number; language?: string }[] = [];
  fail = false;

  constructor(
    private readonly clock: VoiceClock,
    private readonly clips: { text: string; samples: Int16Array }[],
    private readonly delayMs = 150,
  ) {}

  async transcribe(audio: PcmAudio, options?: TranscribeOptions): Promise<Transcript> {
    const ms = (audio.samples.length * 1000) / audio.sampleRate;
    this.calls.push({ sampleRate: audio.sampleRate, ms, language: options?.language });
    await clockDelay(this.clock, this.delayMs, options?.signal);
    if (this.fail) throw new Error('recogniser unavailable');
    // The endpointer adds up to 300 ms of pre-roll and 100 ms of tail around the speech.
    const match = this.clips.find((c) => {
      const clipMs = (c.samples.length * 1000) / 8000;
      return ms >= clipMs - 150 && ms <= clipMs + 550;
    });
    return { text: match?.text ?? '', language: options?.language };
  }
}

/** espeak-ng at its own 22 050 Hz (the pipeline resamples), cached per text, with a virtual delay. */
export class EspeakSynthesizer implements SpeechSynthesizer {
  readonly id = 'espeak-test';
  readonly texts: string[] = [];
  private readonly cache = new Map<string, PcmAudio>();
  failOn: ((text: string) => boolean) | null = null;

  constructor(
    private readonly clock: VoiceClock,
    private readonly delayMs = 100,
  ) {}

  async synthesize(text: string, options?: SynthesizeOptions): Promise<PcmAudio> {
    this.texts.push(text);
    const voice = options?.language?.startsWith('en') ? 'en-us' : 'cmn-latn-pinyin';
    let audio = this.cache.get(`${voice}:${text}`);
    if (!audio) {
      const wav = readWav(
        execFileSync('espeak-ng', ['-v', voice, '--stdout', text], { maxBuffer: 64 << 20 }),
      );
      audio = { samples: wav.samples, sampleRate: wav.sampleRate };
      this.cache.set(`${voice}:${text}`, audio);
    }
    await clockDelay(this.clock, this.delayMs, options?.signal);
    if (this.failOn?.(text)) throw new Error(`cannot say ${text}`);
    return audio;
  }
}

/** A brain that answers from a script and records what it was told. */
export class ScriptedBrain implements VoiceBrain {
  readonly inputs: CallerInput[] = [];
  readonly ended: CallEndReason[] = [];

  constructor(
    private readonly greeting: BrainReply,
    private readonly answer: (input: CallerInput, index: number) => BrainReply | Promise<BrainReply>,
  ) {}

  async start(_call: CallStart): Promise<BrainReply> {
    return this.greeting;
  }

  async turn(_callId: string, input: CallerInput): Promise<BrainReply> {
    this.inputs.push(input);
    return this.answer(input, this.inputs.length - 1);
  }

  async end(_callId: string, reason: CallEndReason): Promise<void> {
    this.ended.push(reason);
  }
}

export const TEST_CALL: CallStart = {
  callId: 'call-1',
  direction: 'inbound',
  transport: 'sip',
  from: { uri: 'sip:caller@127.0.0.1', phone: '13800000000' },
  to: { uri: 'sip:bot@127.0.0.1' },
  startedAt: new Date(0),
};
