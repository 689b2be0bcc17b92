// What the quality scorer reads: a finished conversation's messages or a finished call's speaker-separated
// transcript with its timing, and what it writes: the hits (a rule broken, with its evidence) and the score.
import type { FoldChar } from './phraseMatch.ts';
import type { QualityRuleKind, Speaker } from './ruleset.ts';

export interface QualityMessage {
  id: string;
  speaker: Speaker;
  /** The agent who wrote it (agent messages). */
  agentId: string | null;
  text: string;
  /** ISO time it was written. */
  at: string;
  /** For a customer message the bot took: what the bot did with it (a bot turn's outcome). */
  botOutcome: string | null;
}

export interface QualitySegment {
  /** Order within the call. */
  seq: number;
  speaker: Speaker;
  /** Milliseconds since the call started. */
  startMs: number;
  endMs: number;
  text: string;
}

export interface TimeSpan {
  startMs: number;
  endMs: number;
}

export type QualityTranscript =
  | { subject: 'conversation'; messages: QualityMessage[] }
  | {
      subject: 'call';
      segments: QualitySegment[];
      /** The agent put the caller on hold (neither side hears the other). */
      holds: TimeSpan[];
      /** The caller waited in the queue for an agent (the hold prompt plays); silence there is no fault. */
      waits: TimeSpan[];
    };

/** The language side of scoring, supplied by the caller (the NLU): folding and sentiment. */
export interface TextAnalysis {
  foldChar: FoldChar;
  /** score −1 (very negative) … 1; anger 0 … 1. */
  sentiment(text: string): { score: number; anger: number };
}

export interface QualityHit {
  ruleId: string;
  kind: QualityRuleKind;
  /** The chat message that is the evidence (for a slow reply: the customer message left waiting). */
  messageId: string | null;
  /** The call's transcript segment that is the evidence. */
  seq: number | null;
  /** The time range concerned: epoch ms for a conversation, ms since the start for a call. */
  from: number | null;
  to: number | null;
  /** What to highlight in the evidence's text, [start, end) in UTF-16 units. */
  match: [number, number] | null;
  /** The evidence's words around the match (never stored: personal data stays in the sealed message). */
  excerpt: string;
  /** The measured value: seconds late, the overlap in ms, the anger at the end, the sentiment score… */
  value: number | null;
}

export interface QualityViolation {
  ruleId: string;
  /** The rule's name when scored, shown if the rule is later removed (absent on the earliest results). */
  name?: string;
  kind: QualityRuleKind;
  /** Points taken off. */
  deducted: number;
  hits: number;
}

export interface QualityScore {
  /** 0–100: 100 less the weights of the rules broken. */
  score: number;
  violations: QualityViolation[];
  hits: QualityHit[];
  /** Ids of the enabled rules that applied (a call rule does not apply to a chat, a refund rule without a refund). */
  applied: string[];
}

/** One thing said, chat message or call segment, in the order and time base the rules compare. */
export interface Utterance {
  messageId: string | null;
  seq: number | null;
  speaker: Speaker;
  agentId: string | null;
  text: string;
  /** Epoch ms (conversation) or ms since the call started. */
  startMs: number;
  endMs: number;
  botOutcome: string | null;
}

export function utterancesOf(t: QualityTranscript): Utterance[] {
  if (t.subject === 'conversation')
    return t.messages
      .map((m) => {
        const at = Date.parse(m.at);
        return {
          messageId: m.id,
          seq: null,
          speaker: m.speaker,
          agentId: m.agentId,
          text: m.text,
          startMs: at,
          endMs: at,
          botOutcome: m.botOutcome,
        };
      })
      .sort((a, b) => a.startMs - b.startMs);
  return [...t.segments]
    .sort((a, b) => a.startMs - b.startMs || a.seq - b.seq)
    .map((s) => ({
      messageId: null,
      seq: s.seq,
      speaker: s.speaker,
      agentId: null,
      text: s.text,
      startMs: s.startMs,
      endMs: s.endMs,
      botOutcome: null,
    }));
}

const EXCERPT_BEFORE = 20;
const EXCERPT_AFTER = 40;

/** The words around a match (the whole start of the text without one), for a hit's evidence. */
export function excerptOf(text: string, match: [number, number] | null): string {
  if (!match) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  const from = Math.max(0, match[0] - EXCERPT_BEFORE);
  const to = Math.min(text.length, match[1] + EXCERPT_AFTER);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/** A hit on one utterance. */
export function hitOn(
  rule: { id: string; kind: QualityRuleKind },
  u: Utterance,
  extra: { match?: [number, number] | null; value?: number | null; from?: number; to?: number } = {},
): QualityHit {
  const match = extra.match ?? null;
  return {
    ruleId: rule.id,
    kind: rule.kind,
    messageId: u.messageId,
    seq: u.seq,
    from: extra.from ?? u.startMs,
    to: extra.to ?? u.endMs,
    match,
    excerpt: excerptOf(u.text, match),
    value: extra.value ?? null,
  };
}
