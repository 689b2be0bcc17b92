// Outbound call campaigns: follow-up satisfaction surveys (answered 1–5 by keypad or speech) and batch
// notifications ("your repair visit is tomorrow 9–11"), dialled at a set pace with a cap on concurrent
// calls, retried on no-answer/busy, never during quiet hours, never to a number on the do-not-call list,
// and for marketing only to customers who consented. Each target keeps its own result.

export type CampaignKind = 'survey' | 'notification';
/** Service calls (about the customer's own order or visit) need no marketing consent; marketing calls do. */
export type CampaignPurpose = 'service' | 'marketing';
export type CampaignStatus = 'draft' | 'running' | 'paused' | 'completed' | 'cancelled';

/** Local times "HH:MM" in the campaign's time zone; start > end means the window crosses midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

export interface Campaign {
  id: string;
  workspaceId: string;
  name: string;
  kind: CampaignKind;
  purpose: CampaignPurpose;
  /** The voice inbox whose line places the calls. */
  inboxId: string;
  /** What the call says: the notification, or the survey question. `{{customer.name}}` is filled per call. */
  script: string;
  language: string;
  timeZone: string;
  quietHours: QuietHours | null;
  callsPerMinute: number;
  maxConcurrent: number;
  maxAttempts: number;
  retryDelayMinutes: number;
  status: CampaignStatus;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type TargetStatus =
  | 'pending'
  | 'dialing'
  /** Reached: heard the notification or answered the survey (or hung up after hearing it). */
  | 'reached'
  /** Every attempt went unanswered, busy or failed. */
  | 'unreached'
  | 'skipped';

export type SkipReason = 'do_not_call' | 'no_consent' | 'invalid_number' | 'cancelled';

/** How one dial attempt ended, as the telephony reports it. */
export type DialOutcome = 'answered' | 'no_answer' | 'busy' | 'rejected' | 'failed';

export interface TargetResult {
  /** Survey score 1–5 when the customer gave one. */
  score?: number;
  /** The notification was played to the end. */
  heard?: boolean;
  /** What the customer said or keyed, as recognised. */
  answer?: string;
}

export interface CampaignTarget {
  id: string;
  campaignId: string;
  customerId: string | null;
  /** The conversation a survey asks about; its rating is recorded there. */
  conversationId: string | null;
  /** E.164 or national digits; sealed at rest. */
  phone: string;
  status: TargetStatus;
  skipReason: SkipReason | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastOutcome: DialOutcome | null;
  result: TargetResult | null;
  callId: string | null;
  updatedAt: string;
}

export interface CampaignProgress {
  total: number;
  pending: number;
  dialing: number;
  reached: number;
  unreached: number;
  skipped: number;
  /** Mean survey score of the targets that gave one; null when none did. */
  averageScore: number | null;
}

export const CAMPAIGN_LIMITS = {
  maxTargets: 5000,
  maxCallsPerMinute: 60,
  maxConcurrent: 20,
  maxAttempts: 5,
  scriptLength: 500,
} as const;
