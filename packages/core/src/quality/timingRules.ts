// The rules that read timing: slow replies in a chat; interruptions, long silences and long holds on a
// call (from the transcript's segment times and the holds the call recorded). Null: does not apply.
import type { QualityRule } from './ruleset.ts';
import { hitOn, type QualityHit, type TimeSpan, type Utterance } from './transcript.ts';

type RuleOf<K extends QualityRule['kind']> = Extract<QualityRule, { kind: K }>;

/**
 * Once the agent has spoken, every customer message that finds nobody answering starts a wait; the
 * agent's next message ends it. A wait longer than the limit is a hit on the customer message that
 * waited. The wait in the queue before the agent's first reply is the queue's, not the agent's.
 */
export function responseTime(rule: RuleOf<'response_time'>, said: readonly Utterance[]): QualityHit[] | null {
  if (!said.some((u) => u.speaker === 'agent')) return null;
  const limitMs = rule.params.seconds * 1000;
  const hits: QualityHit[] = [];
  let joined = false;
  let waiting: Utterance | null = null;
  for (const u of said) {
    if (u.speaker === 'agent') {
      if (waiting && u.startMs - waiting.startMs > limitMs)
        hits.push(
          hitOn(rule, waiting, {
            from: waiting.startMs,
            to: u.startMs,
            value: Math.round((u.startMs - waiting.startMs) / 1000),
          }),
        );
      waiting = null;
      joined = true;
    } else if (u.speaker === 'customer' && joined && !waiting) waiting = u;
  }
  return hits;
}

/** The agent started talking while the caller was talking and both went on for at least `minOverlapMs`. */
export function callInterruption(
  rule: RuleOf<'call_interruption'>,
  said: readonly Utterance[],
): QualityHit[] | null {
  const agent = said.filter((u) => u.speaker === 'agent');
  if (agent.length === 0) return null;
  const caller = said.filter((u) => u.speaker === 'customer');
  const found: QualityHit[] = [];
  for (const a of agent) {
    const over = caller.find((c) => c.startMs < a.startMs && a.startMs < c.endMs);
    if (!over) continue;
    const overlap = Math.min(a.endMs, over.endMs) - a.startMs;
    if (overlap >= rule.params.minOverlapMs)
      found.push(hitOn(rule, a, { from: a.startMs, to: a.startMs + overlap, value: overlap }));
  }
  return found.length > rule.params.allowed ? found : [];
}

const overlapMs = (from: number, to: number, spans: readonly TimeSpan[]): number =>
  spans.reduce((sum, s) => sum + Math.max(0, Math.min(to, s.endMs) - Math.max(from, s.startMs)), 0);

/** Gaps in the conversation longer than the limit, not counting time on hold or waiting in the queue. */
export function callSilence(
  rule: RuleOf<'call_silence'>,
  said: readonly Utterance[],
  excused: readonly TimeSpan[],
): QualityHit[] | null {
  if (said.length < 2) return null;
  const limitMs = rule.params.seconds * 1000;
  const hits: QualityHit[] = [];
  let lastEnd = (said[0] as Utterance).endMs;
  for (const u of said.slice(1)) {
    const gap = u.startMs - lastEnd - overlapMs(lastEnd, u.startMs, excused);
    if (gap > limitMs)
      hits.push(hitOn(rule, u, { from: lastEnd, to: u.startMs, value: Math.round(gap / 1000) }));
    lastEnd = Math.max(lastEnd, u.endMs);
  }
  return hits;
}

export function callHold(rule: RuleOf<'call_hold'>, holds: readonly TimeSpan[]): QualityHit[] {
  return holds
    .filter((h) => h.endMs - h.startMs > rule.params.seconds * 1000)
    .map((h) => ({
      ruleId: rule.id,
      kind: rule.kind,
      messageId: null,
      seq: null,
      from: h.startMs,
      to: h.endMs,
      match: null,
      excerpt: '',
      value: Math.round((h.endMs - h.startMs) / 1000),
    }));
}
