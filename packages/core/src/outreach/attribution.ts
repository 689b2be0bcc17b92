// Which orders a campaign earned, and the repurchase rate of each variant's recipients against the
// hold-out's. An order counts for a recipient when it carries their coupon code, or when it was placed
// within the attribution window after their message; for a hold-out customer, within the window after
// the campaign drew its recipients (the moment they would have been messaged).
export interface AttributionRecipient {
  customerId: string;
  /** Variant key; null = hold-out. */
  variant: string | null;
  /** Sent recipients: when; hold-out: the planning time. Unsent recipients are left out by the caller. */
  startsAt: string;
  couponCode: string | null;
}

export interface AttributionOrder {
  /** The customers the order belongs to (matched by phone); may be empty when only the coupon ties it. */
  customerIds: readonly string[];
  createdAt: string;
  couponCode: string | null;
  totalFen: number;
}

export interface GroupOutcome {
  /** Variant key, or 'holdout'. */
  group: string;
  customers: number;
  buyers: number;
  orders: number;
  revenueFen: number;
  /** buyers / customers; null for an empty group. */
  repurchaseRate: number | null;
}

export interface AttributionReport {
  groups: GroupOutcome[];
  /** Recipients' rate minus the hold-out's, in percentage points; null when either is empty. */
  upliftPoints: number | null;
}

const DAY_MS = 86_400_000;

export function attributeOrders(
  recipients: readonly AttributionRecipient[],
  orders: readonly AttributionOrder[],
  windowDays: number,
): AttributionReport {
  const byCustomer = new Map<string, AttributionRecipient>();
  const byCoupon = new Map<string, AttributionRecipient>();
  for (const r of recipients) {
    byCustomer.set(r.customerId, r);
    if (r.couponCode) byCoupon.set(r.couponCode.toUpperCase(), r);
  }
  const groups = new Map<string, GroupOutcome & { buyerIds: Set<string> }>();
  const groupOf = (key: string) => {
    let g = groups.get(key);
    if (!g) {
      g = {
        group: key,
        customers: 0,
        buyers: 0,
        orders: 0,
        revenueFen: 0,
        repurchaseRate: null,
        buyerIds: new Set(),
      };
      groups.set(key, g);
    }
    return g;
  };
  for (const r of recipients) groupOf(r.variant ?? 'holdout').customers++;
  const inWindow = (r: AttributionRecipient, at: string) => {
    const start = Date.parse(r.startsAt);
    const t = Date.parse(at);
    return t >= start && t < start + windowDays * DAY_MS;
  };
  for (const order of orders) {
    const byCode = order.couponCode ? byCoupon.get(order.couponCode.toUpperCase()) : undefined;
    const owner =
      byCode ??
      order.customerIds.map((id) => byCustomer.get(id)).find((r) => r && inWindow(r, order.createdAt));
    if (!owner) continue;
    const g = groupOf(owner.variant ?? 'holdout');
    g.orders++;
    g.revenueFen += order.totalFen;
    g.buyerIds.add(owner.customerId);
  }
  const out: GroupOutcome[] = [...groups.values()]
    .map(({ buyerIds, ...g }) => ({
      ...g,
      buyers: buyerIds.size,
      repurchaseRate: g.customers > 0 ? buyerIds.size / g.customers : null,
    }))
    .sort((a, b) =>
      a.group === 'holdout' ? 1 : b.group === 'holdout' ? -1 : a.group.localeCompare(b.group),
    );
  const holdout = out.find((g) => g.group === 'holdout');
  const sent = out.filter((g) => g.group !== 'holdout');
  const sentCustomers = sent.reduce((s, g) => s + g.customers, 0);
  const sentBuyers = sent.reduce((s, g) => s + g.buyers, 0);
  const upliftPoints =
    holdout?.repurchaseRate != null && sentCustomers > 0
      ? Math.round((sentBuyers / sentCustomers - holdout.repurchaseRate) * 10_000) / 100
      : null;
  return { groups: out, upliftPoints };
}
