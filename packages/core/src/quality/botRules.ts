// The bot's own inspection, from its recorded turns: failing to understand again and again without
// offering a person, and answering on when the customer asked for one. Null: no bot turn to judge.
import type { QualityRule } from './ruleset.ts';
import type { FoldedUtterances } from './textRules.ts';
import { hitOn, type QualityHit, type Utterance } from './transcript.ts';

type RuleOf<K extends QualityRule['kind']> = Extract<QualityRule, { kind: K }>;

/** Bot turn outcomes that pass the customer to people (or act for them, e.g. a call-back). */
const TO_PEOPLE: ReadonlySet<string> = new Set(['handed_off', 'action']);

export function botRepeatedFallback(
  rule: RuleOf<'bot_repeated_fallback'>,
  said: readonly Utterance[],
  folded: FoldedUtterances,
): QualityHit[] | null {
  if (!said.some((u) => u.botOutcome !== null)) return null;
  const needed = Math.max(1, rule.params.fallbacks);
  const hits: QualityHit[] = [];
  let run = 0;
  for (const u of said) {
    if (u.speaker === 'agent') run = 0;
    else if (u.speaker === 'bot') {
      if (folded.find(u, rule.params.offerPhrases).length > 0) run = 0;
    } else if (u.botOutcome === 'fallback') {
      run += 1;
      if (run === needed) hits.push(hitOn(rule, u, { value: run }));
    } else if (u.botOutcome !== null) run = 0;
  }
  return hits;
}

export function botIgnoredHumanRequest(
  rule: RuleOf<'bot_ignored_human_request'>,
  said: readonly Utterance[],
  folded: FoldedUtterances,
): QualityHit[] | null {
  if (!said.some((u) => u.botOutcome !== null)) return null;
  const hits: QualityHit[] = [];
  for (const u of said) {
    if (u.speaker !== 'customer' || u.botOutcome === null || TO_PEOPLE.has(u.botOutcome)) continue;
    const asked = folded.find(u, rule.params.phrases)[0];
    if (asked) hits.push(hitOn(rule, u, { match: [asked.start, asked.end] }));
  }
  return hits;
}
