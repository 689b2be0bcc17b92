// What the re-engagement context needs from storage, scoped to one workspace.
import type { CampaignStatus } from '../campaigns/campaign.ts';
import type {
  CustomerTierName,
  OutreachCampaign,
  OutreachRecipient,
  RecipientSkipReason,
  RecipientStatus,
  Segment,
} from './outreach.ts';

/** A customer as segments see them before orders are matched. */
export interface AudienceRow {
  customerId: string;
  tier: CustomerTierName;
  tags: string[];
  /** The newest activity of any of their conversations. */
  lastContactAt: string | null;
}

export type NewRecipient = Pick<
  OutreachRecipient,
  'id' | 'customerId' | 'variant' | 'couponCode' | 'lastProduct' | 'chunk'
> & {
  status: Extract<RecipientStatus, 'pending' | 'holdout' | 'skipped'>;
  skipReason: RecipientSkipReason | null;
};

export type RecipientCounts = Record<RecipientStatus, number>;

export interface OutreachRepository {
  segments: {
    list(): Promise<Segment[]>;
    get(id: string): Promise<Segment | null>;
    /** Creates or replaces. */
    save(segment: Segment): Promise<void>;
    delete(id: string): Promise<boolean>;
  };
  audience(): Promise<AudienceRow[]>;
  create(campaign: Omit<OutreachCampaign, 'workspaceId'>): Promise<void>;
  get(id: string): Promise<OutreachCampaign | null>;
  list(options: { limit: number }): Promise<OutreachCampaign[]>;
  /** Moves the status on only from one of `from`; false when the campaign was elsewhere. */
  setStatus(
    id: string,
    change: { from: readonly CampaignStatus[]; to: CampaignStatus; at: string },
  ): Promise<boolean>;
  /** Records when the recipients were drawn; false when they were drawn already. */
  markPlanned(id: string, at: string): Promise<boolean>;
  coupons: {
    /** Adds codes to the campaign's pool, skipping ones already anywhere in the workspace; how many were new. */
    import(campaignId: string, codes: readonly string[], at: string): Promise<number>;
    /** Codes of the pool not yet given to anyone, oldest first. */
    unassigned(campaignId: string, limit: number): Promise<string[]>;
    /** How many the pool holds and how many went out. */
    count(campaignId: string): Promise<{ total: number; assigned: number }>;
  };
  recipients: {
    /**
     * Inserts the drawn recipients and marks the imported coupons they got as assigned (in the caller's
     * transaction, or one of its own).
     */
    add(campaignId: string, rows: readonly NewRecipient[], at: string): Promise<number>;
    /** The send chunks that still have pending (or stale sending) recipients. */
    openChunks(campaignId: string, now: string): Promise<number[]>;
    /**
     * Takes the chunk's pending recipients, and sending ones whose lease ran out (their process died),
     * to sending until `leaseUntil`.
     */
    claimChunk(
      campaignId: string,
      chunk: number,
      now: string,
      leaseUntil: string,
    ): Promise<OutreachRecipient[]>;
    finish(
      id: string,
      end: {
        status: Extract<RecipientStatus, 'sent' | 'skipped' | 'failed' | 'pending'>;
        skipReason: RecipientSkipReason | null;
        providerMessageId: string | null;
        error: string | null;
        at: string;
      },
    ): Promise<void>;
    /** Marketing messages the customer was sent since `since` across every campaign. */
    sentSince(customerId: string, since: string): Promise<number>;
    counts(campaignId: string): Promise<RecipientCounts>;
    /** Every recipient (sent, hold-out…) of the campaign, for the report. */
    all(campaignId: string): Promise<OutreachRecipient[]>;
    /** A pending recipient to preview with, if any. */
    sample(campaignId: string): Promise<OutreachRecipient | null>;
    skipPending(campaignId: string, reason: RecipientSkipReason, at: string): Promise<number>;
    /** Erasure: the customer's rows in every campaign. */
    deleteForCustomer(customerId: string): Promise<number>;
  };
}
