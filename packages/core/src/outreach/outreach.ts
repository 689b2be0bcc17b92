// Re-engagement campaigns (沉睡客户唤醒): a segment of dormant customers receives a personalised offer by
// SMS, email or WeChat, with a coupon code, A/B variants and a random hold-out group that receives
// nothing, so the repurchase of those who got the offer can be compared with those who did not.
// Marketing consent is required for every message, an unsubscribe applies to the very next one, and a
// frequency cap and quiet hours protect the customer.
import type { CampaignStatus, QuietHours } from '../campaigns/campaign.ts';
import type { ConsentPurpose } from '../privacy/privacy.ts';

export type OutreachChannel = 'sms' | 'email' | 'wechat';
export const outreachChannels = ['sms', 'email', 'wechat'] as const satisfies readonly OutreachChannel[];

/** The consent each channel's marketing needs (and that an unsubscribe on it withdraws). */
export const consentPurposeOf: Record<OutreachChannel, ConsentPurpose> = {
  sms: 'marketing_sms',
  email: 'marketing_email',
  wechat: 'marketing_wechat',
};

export type CustomerTierName = 'new' | 'regular' | 'vip';

/** Who a segment holds; every condition set must hold (empty lists and nulls do not filter). */
export interface SegmentRule {
  /** The last order is at least this many days old. */
  noOrderForDays: number | null;
  /** With `noOrderForDays`: customers who never ordered count as dormant too. */
  includeNeverOrdered: boolean;
  /** No conversation on any channel for at least this many days. */
  noContactForDays: number | null;
  /** RFM total (3–15) bounds, each of R, F and M scored 1–5 by quintile within the workspace. */
  rfmMin: number | null;
  rfmMax: number | null;
  /** Any of these profile tags. */
  tags: string[];
  /** Any of these tiers. */
  tiers: CustomerTierName[];
}

export interface Segment {
  id: string;
  name: string;
  rule: SegmentRule;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One version of the offer; `weight` is its share of the non-hold-out recipients. */
export interface OfferVariant {
  key: string;
  weight: number;
  /** Email subject (email only). */
  subject: string | null;
  /** With {name}, {coupon}, {lastProduct}, {shop}… filled per customer. */
  text: string;
}

export type CouponMode = 'none' | 'generated' | 'imported';

export interface OutreachCampaign {
  id: string;
  workspaceId: string;
  name: string;
  segmentId: string;
  channel: OutreachChannel;
  /** The inbox (SMS vendor, email, WeChat account) the messages go out through. */
  inboxId: string;
  variants: OfferVariant[];
  /** Share of the segment (0–50 %) held out: they get nothing and are the baseline. */
  holdoutPercent: number;
  couponMode: CouponMode;
  /** Generated codes start with this. */
  couponPrefix: string;
  timeZone: string;
  quietHours: QuietHours | null;
  /** At most `capCount` marketing messages per customer in `capDays` days, across campaigns. */
  capCount: number;
  capDays: number;
  /** Orders within this many days after the message (or the hold-out's planning) count for the campaign. */
  attributionDays: number;
  status: CampaignStatus;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  /** When the recipients were drawn (the hold-out's clock starts here). */
  plannedAt: string | null;
  finishedAt: string | null;
}

export type RecipientStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed' | 'holdout';
export type RecipientSkipReason = 'no_consent' | 'capped' | 'no_address' | 'no_coupon' | 'cancelled';

export interface OutreachRecipient {
  id: string;
  campaignId: string;
  customerId: string;
  /** The variant's key, or null for the hold-out. */
  variant: string | null;
  status: RecipientStatus;
  skipReason: RecipientSkipReason | null;
  couponCode: string | null;
  /** The newest order's first item when the recipients were drawn, for {lastProduct}. */
  lastProduct: string | null;
  /** Send batch number: one `outreach.send` job per chunk. */
  chunk: number;
  providerMessageId: string | null;
  error: string | null;
  sentAt: string | null;
  updatedAt: string;
  /** Claims so far: more than one means an earlier attempt may have reached the provider. */
  attempts: number;
  /** When the first claim began, the start of the window to search the provider's records. */
  attemptedAt: string | null;
}

export const OUTREACH_LIMITS = {
  maxVariants: 4,
  maxHoldoutPercent: 50,
  textLength: 300,
  subjectLength: 120,
  maxCapDays: 365,
  maxAttributionDays: 90,
  /** Recipients per send job. */
  chunkSize: 200,
  maxCoupons: 100_000,
} as const;
