// The rules that read what was said: forbidden and required phrases, the agent's tone, and whether an
// angry customer was calmed down. Each returns null when it does not apply, else its hits.
import { type FoldedText, findPhrases, foldText } from './phraseMatch.ts';
import type { QualityRule } from './ruleset.ts';
import { hitOn, type QualityHit, type TextAnalysis, type Utterance } from './transcript.ts';

type RuleOf<K extends QualityRule['kind']> = Extract<QualityRule, { kind: K }>;

/** Utterances folded once per scoring, shared by every phrase rule. */
export class FoldedUtterances {
  private readonly cache = new Map<Utterance, FoldedText>();
  constructor(private readonly analysis: TextAnalysis) {}
  of(u: Utterance): FoldedText {
    let f = this.cache.get(u);
    if (!f) {
      f = foldText(u.text, this.analysis.foldChar);
      this.cache.set(u, f);
    }
    return f;
  }
  find(u: Utterance, phrases: readonly string[]) {
    return findPhrases(this.of(u), phrases, this.analysis.foldChar);
  }
}

export function forbiddenPhrase(
  rule: RuleOf<'forbidden_phrase'>,
  said: readonly Utterance[],
  folded: FoldedUtterances,
): QualityHit[] | null {
  const speakers = new Set<string>(rule.params.speakers);
  const own = said.filter((u) => speakers.has(u.speaker));
  if (own.length === 0) return null;
  return own.flatMap((u) =>
    folded.find(u, rule.params.phrases).map((m) => hitOn(rule, u, { match: [m.start, m.end] })),
  );
}

export function requiredPhrase(
  rule: RuleOf<'required_phrase'>,
  said: readonly Utterance[],
  folded: FoldedUtterances,
): QualityHit[] | null {
  const { phrases, position, messages, whenCustomerSays } = rule.params;
  const agent = said.filter((u) => u.speaker === 'agent');
  if (agent.length === 0) return null;
  let after = -1;
  let trigger: { u: Utterance; match: [number, number] } | null = null;
  if (whenCustomerSays.length > 0) {
    const index = said.findIndex(
      (u) => u.speaker === 'customer' && folded.find(u, whenCustomerSays).length > 0,
    );
    if (index < 0) return null;
    const u = said[index] as Utterance;
    const m = folded.find(u, whenCustomerSays)[0] as { start: number; end: number };
    trigger = { u, match: [m.start, m.end] };
    after = index;
  }
  const eligible = said.filter((u, i) => u.speaker === 'agent' && i > after);
  const window =
    position === 'opening'
      ? eligible.slice(0, Math.max(1, messages))
      : position === 'closing'
        ? eligible.slice(-Math.max(1, messages))
        : eligible;
  if (window.some((u) => folded.find(u, phrases).length > 0)) return [];
  // The evidence: what the customer asked that called for the phrase, else where it was missing.
  if (trigger) return [hitOn(rule, trigger.u, { match: trigger.match })];
  const where = (position === 'closing' ? window[window.length - 1] : window[0]) ?? (agent[0] as Utterance);
  return [hitOn(rule, where)];
}

export function negativeTone(
  rule: RuleOf<'negative_tone'>,
  said: readonly Utterance[],
  folded: FoldedUtterances,
  analysis: TextAnalysis,
): QualityHit[] | null {
  const agent = said.filter((u) => u.speaker === 'agent');
  if (agent.length === 0) return null;
  const hits: QualityHit[] = [];
  for (const u of agent) {
    const rude = folded.find(u, rule.params.phrases)[0];
    if (rude) {
      hits.push(hitOn(rule, u, { match: [rude.start, rude.end] }));
      continue;
    }
    const { score, anger } = analysis.sentiment(u.text);
    if (score <= rule.params.maxScore || anger >= rule.params.minAnger)
      hits.push(hitOn(rule, u, { value: round2(score) }));
  }
  return hits;
}

/**
 * How upset a customer utterance reads, 0…1: its anger, or half its negativity when that is more. Only
 * half, because the polarity model learned from reviews and reads plain requests as negative ("我要退款"
 * scores −0.87): negativity alone stays under the default peak of 0.5, anger words reach it.
 */
export function upsetOf(analysis: TextAnalysis, text: string): number {
  const { score, anger } = analysis.sentiment(text);
  return Math.max(0, Math.min(1, Math.max(anger, -score / 2)));
}

export function angerNotDeescalated(
  rule: RuleOf<'anger_not_deescalated'>,
  said: readonly Utterance[],
  analysis: TextAnalysis,
): QualityHit[] | null {
  const customer = said.filter((u) => u.speaker === 'customer');
  if (customer.length === 0) return null;
  const upset = customer.map((u) => upsetOf(analysis, u.text));
  let peak = 0;
  for (let i = 1; i < upset.length; i++) if ((upset[i] as number) > (upset[peak] as number)) peak = i;
  const peakValue = upset[peak] as number;
  if (peakValue < rule.params.minPeak) return [];
  const end = upset[upset.length - 1] as number;
  if (end <= peakValue - rule.params.minDrop) return [];
  const last = customer[customer.length - 1] as Utterance;
  return [hitOn(rule, last, { value: round2(end), from: (customer[peak] as Utterance).startMs })];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
