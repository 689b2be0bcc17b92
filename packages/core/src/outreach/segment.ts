// Who a segment holds: each customer's facts (orders matched by phone, last contact, tier, tags) and
// their RFM score, checked against the rule. Pure, so the console's live count and the campaign's
// planning agree.
import type { CustomerTierName, SegmentRule } from './outreach.ts';

/** What the segment rule looks at for one customer. */
export interface CustomerFacts {
  customerId: string;
  tier: CustomerTierName;
  tags: readonly string[];
  lastOrderAt: string | null;
  orderCount: number;
  spendFen: number;
  /** The first item of their newest order, for `{lastProduct}`. */
  lastProduct: string | null;
  lastContactAt: string | null;
}

export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  total: number;
}

const DAY_MS = 86_400_000;

/**
 * Scores 1–5 by quintile among customers with at least one order (5 = most recent, most frequent,
 * highest spend); a customer who never ordered scores 1 on each. Ties share the lower quintile.
 */
export function rfmScores(facts: readonly CustomerFacts[]): Map<string, RfmScore> {
  const buyers = facts.filter((f) => f.orderCount > 0 && f.lastOrderAt !== null);
  const quintile = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return (value: number) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] as number) < value) lo = mid + 1;
        else hi = mid;
      }
      return 1 + Math.min(4, Math.floor((5 * lo) / Math.max(1, sorted.length)));
    };
  };
  const r = quintile(buyers.map((f) => Date.parse(f.lastOrderAt as string)));
  const fq = quintile(buyers.map((f) => f.orderCount));
  const m = quintile(buyers.map((f) => f.spendFen));
  const out = new Map<string, RfmScore>();
  for (const f of facts) {
    if (f.orderCount > 0 && f.lastOrderAt !== null) {
      const score = {
        recency: r(Date.parse(f.lastOrderAt)),
        frequency: fq(f.orderCount),
        monetary: m(f.spendFen),
      };
      out.set(f.customerId, { ...score, total: score.recency + score.frequency + score.monetary });
    } else out.set(f.customerId, { recency: 1, frequency: 1, monetary: 1, total: 3 });
  }
  return out;
}

export function matchesSegment(
  rule: SegmentRule,
  facts: CustomerFacts,
  rfm: RfmScore | undefined,
  now: Date,
): boolean {
  const olderThan = (at: string | null, days: number) =>
    at === null || now.getTime() - Date.parse(at) >= days * DAY_MS;
  if (rule.noOrderForDays !== null) {
    if (facts.lastOrderAt === null) {
      if (!rule.includeNeverOrdered) return false;
    } else if (!olderThan(facts.lastOrderAt, rule.noOrderForDays)) return false;
  }
  if (rule.noContactForDays !== null && !olderThan(facts.lastContactAt, rule.noContactForDays)) return false;
  const total = rfm?.total ?? 3;
  if (rule.rfmMin !== null && total < rule.rfmMin) return false;
  if (rule.rfmMax !== null && total > rule.rfmMax) return false;
  if (rule.tiers.length > 0 && !rule.tiers.includes(facts.tier)) return false;
  if (rule.tags.length > 0 && !rule.tags.some((t) => facts.tags.includes(t))) return false;
  return true;
}

/** The customers a rule holds, in a stable order (by id). */
export function evaluateSegment(
  rule: SegmentRule,
  facts: readonly CustomerFacts[],
  now: Date,
): CustomerFacts[] {
  const rfm = rfmScores(facts);
  return facts
    .filter((f) => matchesSegment(rule, f, rfm.get(f.customerId), now))
    .sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

export const emptySegmentRule: SegmentRule = {
  noOrderForDays: null,
  includeNeverOrdered: false,
  noContactForDays: null,
  rfmMin: null,
  rfmMax: null,
  tags: [],
  tiers: [],
};
