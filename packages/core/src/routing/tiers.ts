// Customer tiers: what a customer is worth to the shop, from their member level, lifetime spend, order
// count and tags, against the workspace's thresholds. Pure; stored on the customer when the profile changes.
import type { CustomerTier } from './rules.ts';

/** What the shop knows about a customer's value (imported by CSV or API, or computed from orders). */
export interface CustomerProfile {
  /** The shop's member level as it names it (金卡, gold, platinum…); null when not a member. */
  memberLevel: string | null;
  /** Integer fen (1 CNY = 100 fen) so sums never drift. */
  lifetimeSpendFen: number;
  orderCount: number;
  tags: string[];
}

export interface TierSettings {
  /** Member levels (compared case-insensitively) that make a customer VIP. */
  vipMemberLevels: string[];
  /** Lifetime spend at or above which a customer is VIP, in fen. */
  vipSpendFen: number;
  /** A tag that makes a customer VIP whatever else holds. */
  vipTags: string[];
  /** Orders at or above which a customer counts as regular (lifetime spend > 0 does too). */
  regularOrderCount: number;
}

export const defaultTierSettings: TierSettings = {
  vipMemberLevels: ['gold', 'platinum', 'diamond', '金卡', '白金', '白金卡', '钻石', '钻石卡'],
  vipSpendFen: 500_000,
  vipTags: ['vip'],
  regularOrderCount: 1,
};

export const emptyProfile: CustomerProfile = {
  memberLevel: null,
  lifetimeSpendFen: 0,
  orderCount: 0,
  tags: [],
};

const lower = (s: string) => s.trim().toLowerCase();

export function customerTier(profile: CustomerProfile, settings: TierSettings): CustomerTier {
  const level = profile.memberLevel ? lower(profile.memberLevel) : null;
  const vipTags = settings.vipTags.map(lower);
  if (
    (level !== null && settings.vipMemberLevels.some((l) => lower(l) === level)) ||
    profile.lifetimeSpendFen >= settings.vipSpendFen ||
    profile.tags.some((t) => vipTags.includes(lower(t)))
  )
    return 'vip';
  if (profile.orderCount >= settings.regularOrderCount || profile.lifetimeSpendFen > 0) return 'regular';
  return 'new';
}

/**
 * 0..1: how much the customer is worth within their tier's span, for the priority score. VIPs sit at
 * 0.7..1 (by spend up to four times the VIP threshold), regulars at 0.2..0.6, new customers at 0.
 */
export function customerValue(profile: CustomerProfile, tier: CustomerTier, settings: TierSettings): number {
  const spend = Math.max(0, profile.lifetimeSpendFen) / Math.max(1, settings.vipSpendFen);
  if (tier === 'vip') return 0.7 + 0.3 * Math.min(1, spend / 4);
  if (tier === 'regular') return 0.2 + 0.4 * Math.min(1, spend);
  return 0;
}
