// What the campaigns context needs from storage, scoped to one workspace.
import type {
  Campaign,
  CampaignProgress,
  CampaignStatus,
  CampaignTarget,
  DialOutcome,
  SkipReason,
  TargetResult,
  TargetStatus,
} from './campaign.ts';

export interface NewCampaignTarget {
  id: string;
  customerId: string | null;
  conversationId: string | null;
  phone: string;
}

export interface DoNotCallEntry {
  id: string;
  phone: string;
  reason: string;
  addedBy: string;
  createdAt: string;
}

export interface CampaignsRepository {
  create(campaign: Omit<Campaign, 'workspaceId'>, targets: readonly NewCampaignTarget[]): Promise<void>;
  get(id: string): Promise<Campaign | null>;
  list(options: { limit: number }): Promise<Campaign[]>;
  /** Moves the status on only from one of `from`; false when the campaign was elsewhere. */
  setStatus(
    id: string,
    change: { from: readonly CampaignStatus[]; to: CampaignStatus; at: string },
  ): Promise<boolean>;
  progress(id: string): Promise<CampaignProgress>;
  targets(
    id: string,
    options: { limit: number; status?: TargetStatus; after?: string },
  ): Promise<CampaignTarget[]>;
  /** Pending targets whose next attempt is due, oldest first. */
  dueTargets(id: string, now: string, limit: number): Promise<CampaignTarget[]>;
  /** The earliest next attempt of a pending target after `now`; null when none waits. */
  nextDueAt(id: string, now: string): Promise<string | null>;
  inFlight(id: string): Promise<number>;
  /** When this campaign's attempts since `since` were placed. */
  placedSince(id: string, since: string): Promise<string[]>;
  /** pending → dialing with one more attempt, leased until `leaseUntil`; null when another tick took it. */
  claimForDial(targetId: string, at: string, leaseUntil: string): Promise<CampaignTarget | null>;
  finishAttempt(
    targetId: string,
    end: {
      status: TargetStatus;
      nextAttemptAt: string | null;
      outcome: DialOutcome;
      result: TargetResult | null;
      callId: string | null;
      at: string;
    },
  ): Promise<void>;
  skip(targetId: string, reason: SkipReason, at: string): Promise<void>;
  /** Skips every target still pending (the campaign was cancelled). */
  skipPending(id: string, reason: SkipReason, at: string): Promise<number>;
  /** Erasure: the customer's targets in every campaign (number and answers); how many went. */
  deleteTargetsForCustomer(customerId: string): Promise<number>;
  /** Dialing rows whose lease ran out (their process died): back to pending, due now. */
  releaseStale(id: string, now: string): Promise<number>;
  doNotCall: {
    add(entry: DoNotCallEntry): Promise<DoNotCallEntry>;
    remove(id: string): Promise<boolean>;
    list(): Promise<DoNotCallEntry[]>;
    contains(phone: string): Promise<boolean>;
  };
}
