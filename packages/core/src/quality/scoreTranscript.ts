// The scorer: a finished conversation or call against a ruleset. Pure — the same transcript and ruleset
// always give the same score — so a result can be explained and re-computed. Each broken rule takes its
// weight off 100 once, however often it was broken; every occurrence is listed as evidence.
import { botIgnoredHumanRequest, botRepeatedFallback } from './botRules.ts';
import type { QualityRule, QualityRuleset } from './ruleset.ts';
import {
  angerNotDeescalated,
  FoldedUtterances,
  forbiddenPhrase,
  negativeTone,
  requiredPhrase,
} from './textRules.ts';
import { callHold, callInterruption, callSilence, responseTime } from './timingRules.ts';
import {
  type QualityHit,
  type QualityScore,
  type QualityTranscript,
  type QualityViolation,
  type TextAnalysis,
  utterancesOf,
} from './transcript.ts';

export function scoreTranscript(
  transcript: QualityTranscript,
  ruleset: Pick<QualityRuleset, 'rules'>,
  analysis: TextAnalysis,
): QualityScore {
  const said = utterancesOf(transcript);
  const folded = new FoldedUtterances(analysis);
  const call = transcript.subject === 'call' ? transcript : null;
  const check = (rule: QualityRule): QualityHit[] | null => {
    switch (rule.kind) {
      case 'forbidden_phrase':
        return forbiddenPhrase(rule, said, folded);
      case 'required_phrase':
        return requiredPhrase(rule, said, folded);
      case 'negative_tone':
        return negativeTone(rule, said, folded, analysis);
      case 'anger_not_deescalated':
        return angerNotDeescalated(rule, said, analysis);
      case 'response_time':
        return call ? null : responseTime(rule, said);
      case 'call_interruption':
        return call ? callInterruption(rule, said) : null;
      case 'call_silence':
        return call ? callSilence(rule, said, [...call.holds, ...call.waits]) : null;
      case 'call_hold':
        return call ? callHold(rule, call.holds) : null;
      case 'bot_repeated_fallback':
        return botRepeatedFallback(rule, said, folded);
      case 'bot_ignored_human_request':
        return botIgnoredHumanRequest(rule, said, folded);
    }
  };
  const hits: QualityHit[] = [];
  const violations: QualityViolation[] = [];
  const applied: string[] = [];
  for (const rule of ruleset.rules) {
    if (!rule.enabled) continue;
    const found = check(rule);
    if (found === null) continue;
    applied.push(rule.id);
    if (found.length === 0) continue;
    hits.push(...found);
    violations.push({
      ruleId: rule.id,
      name: rule.name,
      kind: rule.kind,
      deducted: rule.weight,
      hits: found.length,
    });
  }
  const deducted = violations.reduce((sum, v) => sum + v.deducted, 0);
  return { score: Math.max(0, Math.min(100, 100 - deducted)), violations, hits, applied };
}
