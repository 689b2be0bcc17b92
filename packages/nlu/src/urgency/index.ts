// How soon a message needs a human: complaint, threats (regulator, media, legal), safety emergencies,
// repair emergencies, repeated contact and refund disputes, from a data-driven zh + en lexicon.
import {
  CALMERS,
  INTENSIFIERS,
  NEGATIONS,
  URGENCY_LEXICON,
  type UrgencyEntry,
  type UrgencySignal,
} from './lexicon.ts';

export type { UrgencySignal } from './lexicon.ts';
export type UrgencyLevel = 'low' | 'normal' | 'high' | 'critical';

export interface Urgency {
  level: UrgencyLevel;
  signals: UrgencySignal[];
}

/**
 * How much each signal raises urgency. A safety issue alone is critical; a threat or a repair emergency
 * alone is high; two threats together (投诉 + 12315) are critical; a refund dispute or a repeat contact
 * alone only becomes high together with something else.
 */
const WEIGHTS: Readonly<Record<UrgencySignal, number>> = {
  safety: 4,
  regulator_threat: 2,
  media_threat: 2,
  legal_threat: 2,
  emergency_repair: 2,
  complaint: 2,
  refund_dispute: 1,
  repeat_contact: 1,
};

/** Signals whose meaning flips under a negation ("不是投诉", "not a complaint", "won't sue"). */
const NEGATABLE = new Set<UrgencySignal>(['complaint', 'regulator_threat', 'media_threat', 'legal_threat']);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Global so `matchAll` can walk every hit; only ever used through matchAll/search, which ignore lastIndex.
function englishPattern(phrase: string): RegExp {
  const body = escapeRegExp(phrase).replace(/\\\*/g, "[\\w']*").replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\w'])${body}(?![\\w'])`, 'gi');
}

interface Matcher {
  signal: UrgencySignal;
  zh: readonly string[];
  en: readonly RegExp[];
}

const MATCHERS: readonly Matcher[] = URGENCY_LEXICON.map((entry: UrgencyEntry) => ({
  signal: entry.signal,
  zh: entry.zh,
  en: entry.en.map(englishPattern),
}));
const INTENSIFIER_EN = INTENSIFIERS.en.map(englishPattern);
const CALMER_EN = CALMERS.en.map(englishPattern);
const NEGATION_EN = new RegExp(
  `(?<![\\w'])(?:${NEGATIONS.en.map(escapeRegExp).join('|')})\\s+(?:\\w+\\s+)?$`,
  'i',
);

function negatedZh(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 3), at);
  // 是不是 asks ("你们是不是故意拖着"), it does not negate what follows.
  if (before.endsWith('是不是')) return false;
  // Nor does a rhetorical 不是…吗 ("这不是欺骗消费者吗" says it is).
  if (/不是.?$/.test(before) && /^[^，。,.!！?？\s]*[吗嘛]/.test(text.slice(at))) return false;
  return NEGATIONS.zh.some((n) => before.endsWith(n) || before.slice(0, -1).endsWith(n));
}

function negatedEn(text: string, at: number): boolean {
  return NEGATION_EN.test(text.slice(Math.max(0, at - 24), at));
}

/** Whether the text contains the phrase at least once without a negation in front of it. */
function containsZh(text: string, phrase: string, negatable: boolean): boolean {
  const numeric = /^\d+$/.test(phrase);
  let at = text.indexOf(phrase);
  while (at !== -1) {
    const isolated = !numeric || !/\d/.test((text[at - 1] ?? '') + (text[at + phrase.length] ?? ''));
    if (isolated && (!negatable || !negatedZh(text, at))) return true;
    at = text.indexOf(phrase, at + phrase.length);
  }
  return false;
}

function containsEn(text: string, pattern: RegExp, negatable: boolean): boolean {
  for (const m of text.matchAll(pattern)) {
    if (!negatable || !negatedEn(text, m.index)) return true;
  }
  return false;
}

function levelFor(score: number, signals: readonly UrgencySignal[]): UrgencyLevel {
  if (signals.includes('safety') || score >= 4) return 'critical';
  if (score >= 2) return 'high';
  return 'normal';
}

/** Detects urgency signals in a customer message (Chinese should be simplified, e.g. by `normalise`). */
export function detectUrgency(text: string): Urgency {
  const signals: UrgencySignal[] = [];
  for (const matcher of MATCHERS) {
    const negatable = NEGATABLE.has(matcher.signal);
    const hit =
      matcher.zh.some((p) => containsZh(text, p, negatable)) ||
      matcher.en.some((p) => containsEn(text, p, negatable));
    if (hit) signals.push(matcher.signal);
  }
  const intense =
    INTENSIFIERS.zh.some((p) => text.includes(p)) ||
    INTENSIFIER_EN.some((p) => text.search(p) !== -1) ||
    /[!！]{3,}/.test(text);
  let score = signals.reduce((sum, s) => sum + WEIGHTS[s], 0);
  if (intense) score += 1;
  if (signals.length === 0) {
    const calm = CALMERS.zh.some((p) => text.includes(p)) || CALMER_EN.some((p) => text.search(p) !== -1);
    if (calm && !intense) return { level: 'low', signals };
  }
  return { level: levelFor(score, signals), signals };
}
