// Voice activity detection on 20 ms telephone frames: band-limited energy against an adaptive noise
// floor, with the zero-crossing rate to tell hiss from speech.

import type { AudioFrame } from '../types.ts';

export interface VadOptions {
  /** How far (dB) a frame must rise above the noise floor to count as speech. */
  thresholdDb?: number;
  /** Frames quieter than this (dBFS) are never speech, however quiet the line is. */
  minSpeechDbfs?: number;
  /**
   * Zero crossings per sample above which a frame is treated as hiss unless it is far louder than the
   * floor (white noise crosses ~0.5 per sample; voiced speech at 8 kHz well under 0.3).
   */
  maxZeroCrossingRate?: number;
  /** Extra dB a high-crossing frame needs over the threshold to count (loud fricatives: "s", "sh", "x"). */
  fricativeMarginDb?: number;
}

export interface VadDecision {
  voiced: boolean;
  /** Frame level in dBFS after the high-pass filter. */
  levelDb: number;
  noiseFloorDb: number;
  /** Zero crossings per sample, 0..1. */
  zeroCrossingRate: number;
}

const DEFAULTS = {
  thresholdDb: 10,
  minSpeechDbfs: -48,
  maxZeroCrossingRate: 0.42,
  fricativeMarginDb: 8,
} satisfies Required<VadOptions>;

/** Level of silence: the floor of the dB scale, so log10(0) never appears. */
const SILENCE_DB = -100;
// The noise floor is the quietest (3-frame smoothed) level heard in the last second: speech always has
// gaps between syllables or words within a second, steady noise (hiss, a fan, a car) does not, so the
// floor settles on the noise within a second of its onset while an utterance hardly moves it.
const FLOOR_WINDOW_FRAMES = 50;
const SMOOTH_FRAMES = 3;
/** The floor never goes below this: µ-law idle noise sits near -75 dBFS, and digital silence at -100. */
const FLOOR_MIN_DB = -75;
// One-pole DC blocker / high-pass (~65 Hz at 8 kHz): mains hum and DC offset on phone lines carry
// energy but no speech.
const HIGH_PASS_POLE = 0.95;

/** Level of a frame in dBFS (full-scale sine ≈ -3 dBFS). */
export function frameLevelDb(frame: Int16Array): number {
  if (frame.length === 0) return SILENCE_DB;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = frame[i]!;
    sum += s * s;
  }
  const meanSquare = sum / frame.length / (32768 * 32768);
  return meanSquare > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(meanSquare)) : SILENCE_DB;
}

/** Classifies frames one by one; keeps the filter and noise-floor state of one audio stream. */
export class VoiceActivityDetector {
  private readonly options: Required<VadOptions>;
  private floorDb: number;
  /** Smoothed levels of the last FLOOR_WINDOW_FRAMES frames (ring buffer). */
  private readonly history = new Float64Array(FLOOR_WINDOW_FRAMES);
  private historyCount = 0;
  private readonly recentLevels: number[] = [];
  private prevIn = 0;
  private prevOut = 0;

  constructor(options: VadOptions = {}) {
    this.options = { ...DEFAULTS, ...definedOnly(options) };
    this.floorDb = FLOOR_MIN_DB;
  }

  get noiseFloorDb(): number {
    return this.floorDb;
  }

  classify(frame: AudioFrame): VadDecision {
    const { levelDb, zeroCrossingRate } = this.measure(frame);
    const o = this.options;
    const above = levelDb - this.floorDb;
    const loudEnough = levelDb >= o.minSpeechDbfs && above >= o.thresholdDb;
    const voiced =
      loudEnough &&
      (zeroCrossingRate <= o.maxZeroCrossingRate || above >= o.thresholdDb + o.fricativeMarginDb);
    const decision: VadDecision = { voiced, levelDb, noiseFloorDb: this.floorDb, zeroCrossingRate };
    this.adapt(levelDb);
    return decision;
  }

  private adapt(levelDb: number): void {
    this.recentLevels.push(levelDb);
    if (this.recentLevels.length > SMOOTH_FRAMES) this.recentLevels.shift();
    const smoothed = this.recentLevels.reduce((a, b) => a + b, 0) / this.recentLevels.length;
    this.history[this.historyCount % FLOOR_WINDOW_FRAMES] = smoothed;
    this.historyCount++;
    let min = Number.POSITIVE_INFINITY;
    const n = Math.min(this.historyCount, FLOOR_WINDOW_FRAMES);
    for (let i = 0; i < n; i++) min = Math.min(min, this.history[i]!);
    this.floorDb = Math.max(FLOOR_MIN_DB, min);
  }

  private measure(frame: AudioFrame): { levelDb: number; zeroCrossingRate: number } {
    let sum = 0;
    let crossings = 0;
    let prevSign = 0;
    let prevIn = this.prevIn;
    let prevOut = this.prevOut;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i]!;
      const y = x - prevIn + HIGH_PASS_POLE * prevOut;
      prevIn = x;
      prevOut = y;
      sum += y * y;
      // A small dead band keeps idle-channel dither from counting as crossings.
      const sign = y > 24 ? 1 : y < -24 ? -1 : 0;
      if (sign !== 0) {
        if (prevSign !== 0 && sign !== prevSign) crossings++;
        prevSign = sign;
      }
    }
    this.prevIn = prevIn;
    this.prevOut = prevOut;
    const n = Math.max(1, frame.length);
    const meanSquare = sum / n / (32768 * 32768);
    const levelDb = meanSquare > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(meanSquare)) : SILENCE_DB;
    return { levelDb, zeroCrossingRate: crossings / n };
  }
}

/** Drops keys whose value is undefined so they do not override defaults in a spread. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
