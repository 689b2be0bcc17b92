// The priority score (0..100) that orders a queue, and the band it implies when no rule names one.
import type { MessageAnalysis } from '../bot/bot.ts';
import type { Priority } from '../model.ts';

const URGENCY_POINTS: Readonly<Record<MessageAnalysis['urgency']['level'], number>> = {
  low: -5,
  normal: 0,
  high: 25,
  critical: 40,
};

export interface PriorityFactors {
  /** 0..1 from the customer's tier and spend (customerValue). */
  customerValue: number;
  urgency: MessageAnalysis['urgency']['level'];
  /** 0..1. */
  anger: number;
  /** The customer wrote again about the same thing (the NLU's repeat_contact signal, or a recent conversation). */
  repeatContact: boolean;
}

/**
 * Everyone starts at 10 so a calm new customer still outranks nobody; value adds up to 40, urgency up to
 * 40, anger up to 20 (only once it is clearly there), a repeat contact 10.
 */
export function priorityScore(f: PriorityFactors): number {
  let score = 10 + 40 * f.customerValue + URGENCY_POINTS[f.urgency];
  if (f.anger >= 0.3) score += 20 * f.anger;
  if (f.repeatContact) score += 10;
  return Math.max(0, Math.min(100, Math.round(score)));
}

/** Bands by score: a VIP's routine question is high, a regular's normal, a calm thank-you low. */
export function bandForScore(score: number): Priority {
  if (score >= 70) return 'urgent';
  if (score >= 35) return 'high';
  if (score >= 8) return 'normal';
  return 'low';
}
