// What the caller does on one leg, as events for the bot loop: speech starts, endpointed utterances,
// barge-in over our own playback (with the echo of that playback kept from triggering it), and keys.

import type { AudioFrame, DtmfDigit, MediaLeg, Unsubscribe, VoiceClock } from '../types.ts';
import { Endpointer, type EndpointerOptions } from './endpointer.ts';
import { definedOnly, frameLevelDb, type VadOptions, VoiceActivityDetector } from './vad.ts';

export interface BargeInOptions {
  /** Off: the caller's speech never stops playback (keys still do). */
  enabled?: boolean;
  /** After playback starts, speech is not taken as barge-in for this long (our echo's onset). */
  guardMs?: number;
  /** Voiced speech (ms) an utterance needs during playback before it stops the bot. */
  minSpeechMs?: number;
  /** How long our audio may take to come back as echo (line and acoustic delay). */
  echoWindowMs?: number;
  /** The least echo return loss (dB) assumed before the line's own is measured (G.168 asks ≥ 6 dB). */
  minEchoReturnLossDb?: number;
  /** How far (dB) above the expected echo the caller must be to count while we play. */
  marginDb?: number;
}

export type CallerEvent =
  | { type: 'speech-start'; atMs: number }
  | { type: 'barge-in'; atMs: number }
  | {
      type: 'utterance';
      audio: Int16Array;
      /** Clock time the endpointer decided. */
      atMs: number;
      /** Clock times of the first and just after the last voiced frame. */
      startedAtMs: number;
      endedAtMs: number;
      endSilenceMs: number;
      reason: 'silence' | 'max-length';
      /** True when this utterance stopped our playback (barge-in). */
      interruptedBot: boolean;
      /** True when it began while our audio was (or had just been) playing, whether or not it barged in. */
      overPlayback: boolean;
    }
  | { type: 'dtmf'; digit: DtmfDigit; atMs: number };

export interface CallerListenerOptions {
  leg: MediaLeg;
  clock: VoiceClock;
  vad?: VadOptions;
  endpointer?: EndpointerOptions;
  bargeIn?: BargeInOptions;
}

const BARGE_DEFAULTS = {
  enabled: true,
  guardMs: 300,
  minSpeechMs: 200,
  echoWindowMs: 400,
  minEchoReturnLossDb: 6,
  marginDb: 4,
} satisfies Required<BargeInOptions>;

/** Below this a sent frame is silence and cannot echo audibly. */
const AUDIBLE_DB = -55;
// The line's echo return loss is learnt while we play and the caller is quiet: it follows the smallest
// gap between what we sent and what came back, falling fast and rising slowly, so one loud echo peak
// is remembered and the caller's own speech (which is not learnt from) cannot raise it.
const ERL_FALL = 0.3;
const ERL_RISE = 0.01;
const ERL_MAX_DB = 40;

/**
 * Listens to one leg for the bot. Every frame goes through the VAD; while our own audio is audible in
 * the echo window, a frame counts as speech only if it is louder than that audio could come back.
 */
export class CallerListener {
  private readonly vad: VoiceActivityDetector;
  private readonly endpointer: Endpointer;
  private readonly barge: Required<BargeInOptions>;
  private readonly sentLevels: number[] = [];
  private readonly echoFrames: number;
  private erlDb: number;
  private armed = false;
  /** When our audio first became audible after arming: the guard runs from there. */
  private audibleSinceMs: number | null = null;
  private utterance: {
    voicedFrames: number;
    bargedIn: boolean;
    overPlayback: boolean;
    startFrame: number;
  } | null = null;
  private frameCount = 0;
  private readonly unsubscribe: Unsubscribe[] = [];

  constructor(
    private readonly options: CallerListenerOptions,
    private readonly emit: (event: CallerEvent) => void,
  ) {
    this.vad = new VoiceActivityDetector(options.vad);
    this.endpointer = new Endpointer(options.endpointer);
    this.barge = { ...BARGE_DEFAULTS, ...definedOnly(options.bargeIn ?? {}) };
    this.echoFrames = Math.max(1, Math.round(this.barge.echoWindowMs / 20));
    this.erlDb = this.barge.minEchoReturnLossDb;
    const { leg } = options;
    this.unsubscribe.push(
      leg.onSent((frame) => this.onSent(frame)),
      leg.onAudio((frame) => this.onAudio(frame)),
      leg.onDtmf((digit) => this.emit({ type: 'dtmf', digit, atMs: this.options.clock.now() })),
    );
  }

  /** True while an utterance is in progress (speech started, end not yet decided). */
  get inSpeech(): boolean {
    return this.endpointer.inSpeech;
  }

  /** The echo return loss learnt so far (dB), for the trace. */
  get echoReturnLossDb(): number {
    return this.erlDb;
  }

  /**
   * A reply is being spoken: caller speech may stop it, except during the guard time right after its
   * audio starts (before the line's echo has been heard). Before any audio leaves, speech stops it too.
   */
  armBargeIn(): void {
    this.armed = true;
    this.audibleSinceMs = null;
  }

  disarmBargeIn(): void {
    this.armed = false;
    this.audibleSinceMs = null;
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private onSent(frame: AudioFrame): void {
    const level = frameLevelDb(frame);
    if (this.armed && this.audibleSinceMs === null && level > AUDIBLE_DB) {
      this.audibleSinceMs = this.options.clock.now();
    }
    this.sentLevels.push(level);
    if (this.sentLevels.length > this.echoFrames) this.sentLevels.shift();
  }

  private onAudio(frame: AudioFrame): void {
    const now = this.options.clock.now();
    this.frameCount++;
    const decision = this.vad.classify(frame);
    const loudestSent = this.sentLevels.length ? Math.max(...this.sentLevels) : -100;
    const echoActive = loudestSent > AUDIBLE_DB;
    let voiced = decision.voiced;
    if (echoActive) {
      const aboveEcho = decision.levelDb > loudestSent - this.erlDb + this.barge.marginDb;
      if (!(voiced && aboveEcho)) this.learnEcho(loudestSent - decision.levelDb);
      voiced = voiced && aboveEcho;
    }
    for (const event of this.endpointer.push(frame, voiced)) {
      if (event.type === 'speech-start') {
        const startedAgoMs = this.endpointer.nowMs - event.startMs;
        this.utterance = {
          voicedFrames: 0,
          bargedIn: false,
          overPlayback: echoActive,
          startFrame: this.frameCount,
        };
        this.emit({ type: 'speech-start', atMs: now - startedAgoMs });
      } else {
        const u = this.utterance;
        this.utterance = null;
        const lagMs = this.endpointer.nowMs - event.endpointMs;
        this.emit({
          type: 'utterance',
          audio: event.audio,
          atMs: now - lagMs,
          startedAtMs: now - (this.endpointer.nowMs - event.startMs),
          endedAtMs: now - (this.endpointer.nowMs - event.endMs),
          endSilenceMs: event.endpointMs - event.endMs,
          reason: event.reason,
          interruptedBot: u?.bargedIn ?? false,
          overPlayback: u?.overPlayback ?? false,
        });
      }
    }
    const u = this.utterance;
    if (!u) return;
    if (voiced) u.voicedFrames++;
    if (echoActive) u.overPlayback = true;
    if (
      !u.bargedIn &&
      this.barge.enabled &&
      this.armed &&
      (this.audibleSinceMs === null || now - this.audibleSinceMs >= this.barge.guardMs) &&
      u.voicedFrames * 20 >= this.barge.minSpeechMs
    ) {
      u.bargedIn = true;
      this.emit({ type: 'barge-in', atMs: now });
    }
  }

  private learnEcho(gapDb: number): void {
    const gap = Math.min(ERL_MAX_DB, Math.max(this.barge.minEchoReturnLossDb, gapDb));
    this.erlDb += (gap - this.erlDb) * (gap < this.erlDb ? ERL_FALL : ERL_RISE);
  }
}
