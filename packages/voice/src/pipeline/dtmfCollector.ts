// Digit entry: collects keypad digits up to a maximum, ended by '#' or an inter-digit timeout, and reads
// digits out of a transcript when the caller says them instead ("一三八…", "one three eight…").

import type { DtmfDigit, VoiceClock } from '../types.ts';

export interface DigitCollectorOptions {
  clock: VoiceClock;
  /** Collection ends by itself once this many digits arrived (no limit when absent). */
  maxDigits?: number;
  /** Silence after the last key that ends the entry. */
  interDigitTimeoutMs?: number;
  /** The key that ends the entry early; it is not part of the digits. */
  terminator?: DtmfDigit;
}

export interface CollectedDigits {
  digits: string;
  reason: 'max-digits' | 'terminator' | 'timeout' | 'cancelled';
}

/** One digit entry. Feed it with `push`; `result` resolves once, when the entry is complete. */
export class DtmfCollector {
  readonly result: Promise<CollectedDigits>;
  private digits = '';
  private done = false;
  private timer: { cancel(): void } | null = null;
  private resolve!: (value: CollectedDigits) => void;
  private readonly maxDigits: number;
  private readonly interDigitTimeoutMs: number;
  private readonly terminator: DtmfDigit;

  constructor(private readonly options: DigitCollectorOptions) {
    this.maxDigits =
      options.maxDigits && options.maxDigits > 0 ? options.maxDigits : Number.POSITIVE_INFINITY;
    this.interDigitTimeoutMs = options.interDigitTimeoutMs ?? 3000;
    this.terminator = options.terminator ?? '#';
    this.result = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  get collected(): string {
    return this.digits;
  }

  get finished(): boolean {
    return this.done;
  }

  push(digit: DtmfDigit): void {
    if (this.done) return;
    if (digit === this.terminator) {
      this.finish('terminator');
      return;
    }
    this.digits += digit;
    if (this.digits.length >= this.maxDigits) {
      this.finish('max-digits');
      return;
    }
    this.timer?.cancel();
    this.timer = this.options.clock.setTimeout(() => this.finish('timeout'), this.interDigitTimeoutMs);
  }

  cancel(): void {
    this.finish('cancelled');
  }

  private finish(reason: CollectedDigits['reason']): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    this.timer = null;
    this.resolve({ digits: this.digits, reason });
  }
}

const SPOKEN: Record<string, string> = {
  零: '0',
  〇: '0',
  洞: '0',
  一: '1',
  幺: '1',
  么: '1',
  壹: '1',
  二: '2',
  两: '2',
  贰: '2',
  三: '3',
  叁: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  七: '7',
  柒: '7',
  拐: '7',
  八: '8',
  捌: '8',
  九: '9',
  玖: '9',
  勾: '9',
  zero: '0',
  oh: '0',
  o: '0',
  one: '1',
  two: '2',
  to: '2',
  too: '2',
  three: '3',
  four: '4',
  for: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  star: '*',
  pound: '#',
  hash: '#',
  井号: '#',
  星号: '*',
};

/** Chinese words that spell magnitudes ("一万", "十二"): the caller said a quantity, not digits. */
const MAGNITUDE = /[十百千万萬亿億]/;
/** Words that are digits only next to other digits: "I want to pay for it" holds none. */
const WEAK = new Set(['to', 'too', 'for', 'o', 'oh']);
/** What may sit between the digits of one run ("1 3 8, 1 2 3 4", "一三八-一二三四"). */
const JOINER = /^[\s,，、.。\-–—]+$/;

/**
 * The digits a caller said, or null when the transcript holds no digit entry. ASR output mixes forms
 * ("订单 1 0 二四五", "one oh two four five"). A run of two or more digits counts, and so does a lone
 * digit said with little else ("三", "按五", "two please") — but not the 一 of 查一下 inside a sentence.
 * Quantities read as numbers (一万零二百四十五) are left to the brain as speech.
 */
export function spokenDigits(transcript: string): string | null {
  const text = transcript.toLowerCase();
  if (MAGNITUDE.test(text) && !/\d/.test(text)) return null;
  const tokens = text.match(/井号|星号|[a-z]+|\d|[\s,，、.。\-–—]+|[^\s\da-z]/g) ?? [];
  const runs: string[][] = [];
  let run: string[] = [];
  let others = 0;
  for (const token of tokens) {
    if (JOINER.test(token)) continue;
    const digit = /^\d$/.test(token) ? token : SPOKEN[token];
    if (digit === undefined) {
      if (run.length) runs.push(run);
      run = [];
      others++;
      continue;
    }
    run.push(token);
  }
  if (run.length) runs.push(run);
  const accepted: string[] = [];
  for (const r of runs) {
    const strong = r.filter((t) => !WEAK.has(t));
    if (strong.length === 0) continue;
    if (r.length >= 2 || r.some((t) => /^\d$/.test(t)) || others <= 3) {
      accepted.push(r.map((t) => (/^\d$/.test(t) ? t : SPOKEN[t]!)).join(''));
    }
  }
  const digits = accepted.join('').replace(/[#*]+$/, '');
  return digits.length > 0 ? digits : null;
}
