// What quality inspection keeps: one result per conversation or call (re-scored when it ends again),
// the review queue a supervisor works through (a random sample plus every low score), and agents'
// appeals against a result, which a supervisor accepts (the score is adjusted) or rejects.
import type { QualityRule, QualityRuleset, QualitySampling } from './ruleset.ts';
import type { QualityHit, QualityViolation } from './transcript.ts';

export type QualitySubject = 'conversation' | 'call';

/** A hit as stored: the evidence's place, never its words (those stay sealed in the message). */
export type StoredHit = Omit<QualityHit, 'excerpt'>;

export interface QualityResult {
  id: string;
  subject: QualitySubject;
  /** The conversation's or the call's id. */
  subjectId: string;
  conversationId: string;
  customerId: string;
  /** The agent it counts for (null: the bot alone served it). */
  agentId: string | null;
  channel: string;
  /** As scored. */
  score: number;
  /** After an accepted appeal (null: none). The score that counts is `adjustedScore ?? score`. */
  adjustedScore: number | null;
  violations: QualityViolation[];
  hits: StoredHit[];
  rulesetVersion: number;
  endedAt: string;
  scoredAt: string;
}

export const effectiveScore = (r: Pick<QualityResult, 'score' | 'adjustedScore'>): number =>
  r.adjustedScore ?? r.score;

export type ReviewReason = 'random' | 'low_score';

export interface QualityReview {
  id: string;
  resultId: string;
  reason: ReviewReason;
  status: 'pending' | 'done';
  reviewerId: string | null;
  /** The reviewer's own score, 0–100. */
  reviewerScore: number | null;
  comment: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

export type AppealStatus = 'pending' | 'accepted' | 'rejected';

export interface QualityAppeal {
  id: string;
  resultId: string;
  agentId: string;
  reason: string;
  status: AppealStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  /** The score an accepted appeal set. */
  adjustedScore: number | null;
  createdAt: string;
}

export const APPEAL_REASON_MAX = 1000;
export const REVIEW_COMMENT_MAX = 1000;

/**
 * Whether a new result goes to a reviewer: always under the threshold, otherwise with the sampling's
 * probability. `draw` is a uniform number in [0, 1) (injected so it can be tested).
 */
export function reviewReasonFor(score: number, sampling: QualitySampling, draw: number): ReviewReason | null {
  if (score < sampling.reviewBelow) return 'low_score';
  if (draw * 100 < sampling.randomPercent) return 'random';
  return null;
}

export interface ResultFilter {
  from?: string;
  to?: string;
  agentId?: string;
  subject?: QualitySubject;
  /** Only results with an effective score at or under this. */
  maxScore?: number;
  ruleId?: string;
  /** Results scored before this result id (newest first): the next page. */
  before?: string;
  limit: number;
}

/** The slim row scorecards and summaries are computed from. */
export interface ResultFact {
  agentId: string | null;
  subject: QualitySubject;
  score: number;
  adjustedScore: number | null;
  violations: QualityViolation[];
  endedAt: string;
}

export interface QualityRepository {
  rulesets: {
    /** The newest version; null before the first save. */
    current(): Promise<QualityRuleset | null>;
    /** Stores the next version (the current + 1) and returns it. */
    save(input: {
      rules: QualityRule[];
      sampling: QualitySampling;
      at: string;
      by: string | null;
    }): Promise<QualityRuleset>;
  };
  results: {
    /** Creates the subject's result, or replaces it on re-scoring (appeal adjustments are dropped). */
    upsert(result: Omit<QualityResult, 'id' | 'adjustedScore'>): Promise<QualityResult>;
    get(id: string): Promise<QualityResult | null>;
    forSubject(subject: QualitySubject, subjectId: string): Promise<QualityResult | null>;
    /** Newest scored first. */
    list(filter: ResultFilter): Promise<QualityResult[]>;
    /** Results whose subject ended in [from, to), for scorecards and the weekly review. */
    facts(from: string, to: string, agentId?: string): Promise<ResultFact[]>;
    setAdjustedScore(id: string, score: number | null): Promise<void>;
  };
  reviews: {
    /** Queues a result for review once; false when it was already queued. */
    enqueue(
      review: Omit<QualityReview, 'status' | 'reviewerId' | 'reviewerScore' | 'comment' | 'reviewedAt'>,
    ): Promise<boolean>;
    get(id: string): Promise<QualityReview | null>;
    forResult(resultId: string): Promise<QualityReview | null>;
    /** Oldest first. */
    list(filter: { status?: QualityReview['status']; limit: number }): Promise<QualityReview[]>;
    /** Records the review; null when it is not pending (already done, or absent). */
    complete(
      id: string,
      input: { reviewerId: string; score: number; comment: string | null; at: string },
    ): Promise<QualityReview | null>;
  };
  appeals: {
    create(
      appeal: Omit<QualityAppeal, 'status' | 'decidedBy' | 'decidedAt' | 'note' | 'adjustedScore'>,
    ): Promise<QualityAppeal>;
    get(id: string): Promise<QualityAppeal | null>;
    /** The result's appeal awaiting a decision. */
    pendingFor(resultId: string): Promise<QualityAppeal | null>;
    /** Newest first. */
    list(filter: {
      status?: AppealStatus;
      agentId?: string;
      resultId?: string;
      limit: number;
    }): Promise<QualityAppeal[]>;
    /** Records the decision; null when it is not pending. */
    decide(
      id: string,
      input: {
        status: 'accepted' | 'rejected';
        by: string;
        at: string;
        note: string | null;
        adjustedScore: number | null;
      },
    ): Promise<QualityAppeal | null>;
  };
}
