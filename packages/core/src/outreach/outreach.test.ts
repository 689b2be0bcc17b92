import { describe, expect, it } from 'vitest';
import { attributeOrders } from './attribution.ts';
import { drawGroup, generateCouponCode } from './groups.ts';
import { isUnsubscribeReply, renderOffer, unknownVariables } from './offer.ts';
import { type CustomerFacts, emptySegmentRule, evaluateSegment, rfmScores } from './segment.ts';

const now = new Date('2026-11-26T02:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const facts = (id: string, patch: Partial<CustomerFacts> = {}): CustomerFacts => ({
  customerId: id,
  tier: 'regular',
  tags: [],
  lastOrderAt: null,
  orderCount: 0,
  spendFen: 0,
  lastProduct: null,
  lastContactAt: null,
  ...patch,
});

describe('segments', () => {
  const people = [
    facts('a', { lastOrderAt: daysAgo(200), orderCount: 1, spendFen: 1000, tags: ['coffee'] }),
    facts('b', { lastOrderAt: daysAgo(10), orderCount: 9, spendFen: 90000, tier: 'vip' }),
    facts('c', { lastOrderAt: daysAgo(95), orderCount: 3, spendFen: 30000, lastContactAt: daysAgo(5) }),
    facts('d'),
  ];

  it('finds customers with no order for N days, with or without those who never ordered', () => {
    const rule = { ...emptySegmentRule, noOrderForDays: 90 };
    expect(evaluateSegment(rule, people, now).map((f) => f.customerId)).toEqual(['a', 'c']);
    const withNever = { ...rule, includeNeverOrdered: true };
    expect(evaluateSegment(withNever, people, now).map((f) => f.customerId)).toEqual(['a', 'c', 'd']);
  });

  it('filters by last contact, tier and tags', () => {
    const quiet = { ...emptySegmentRule, noOrderForDays: 90, noContactForDays: 30 };
    expect(evaluateSegment(quiet, people, now).map((f) => f.customerId)).toEqual(['a']);
    expect(
      evaluateSegment({ ...emptySegmentRule, tiers: ['vip'] }, people, now).map((f) => f.customerId),
    ).toEqual(['b']);
    expect(
      evaluateSegment({ ...emptySegmentRule, tags: ['coffee'] }, people, now).map((f) => f.customerId),
    ).toEqual(['a']);
  });

  it('scores RFM by quintile: the recent, frequent, big spender highest, non-buyers 3', () => {
    const scores = rfmScores(people);
    expect(scores.get('b')?.total).toBeGreaterThan(scores.get('c')?.total ?? 99);
    expect(scores.get('c')?.total).toBeGreaterThan(scores.get('a')?.total ?? 99);
    expect(scores.get('d')).toEqual({ recency: 1, frequency: 1, monetary: 1, total: 3 });
    const low = { ...emptySegmentRule, rfmMax: 5 };
    expect(evaluateSegment(low, people, now).map((f) => f.customerId)).toEqual(['a', 'd']);
  });
});

describe('offers', () => {
  it('fills variables, falls back for missing ones, and adds the SMS opt-out', () => {
    const offer = renderOffer(
      { subject: null, text: '{name}您好，{lastProduct}上新了，券码{coupon}' },
      { name: '王芳', coupon: 'BACK7K2M9Q4T', lastProduct: null, shop: '小店' },
      { channel: 'sms', language: 'zh', unsubscribeUrl: null },
    );
    expect(offer.text).toBe('王芳您好，心仪好物上新了，券码BACK7K2M9Q4T 回T退订');
  });

  it('puts the signed unsubscribe link under an email and keeps a text that says 退订 as it is', () => {
    const email = renderOffer(
      { subject: '{shop} misses you', text: 'Hi {name}' },
      { name: 'Ann', coupon: null, lastProduct: null, shop: 'Shop' },
      { channel: 'email', language: 'en', unsubscribeUrl: 'https://x.test/unsubscribe?token=t' },
    );
    expect(email).toEqual({
      subject: 'Shop misses you',
      text: 'Hi Ann\n\nUnsubscribe: https://x.test/unsubscribe?token=t',
    });
    const sms = renderOffer(
      { subject: null, text: '好久不见，回TD退订' },
      { name: null, coupon: null, lastProduct: null, shop: '' },
      { channel: 'sms', language: 'zh', unsubscribeUrl: null },
    );
    expect(sms.text).toBe('好久不见，回TD退订');
  });

  it('names unknown variables', () => {
    expect(unknownVariables('{name} {coupon} {price}')).toEqual(['price']);
  });

  it('recognises unsubscribe replies and nothing else', () => {
    for (const text of ['T', 'td', 'TD', '回T退订', '退订', ' t。', 'STOP', 'unsubscribe'])
      expect(isUnsubscribeReply(text), text).toBe(true);
    for (const text of ['1', 'Thanks', '我想退货', 'T恤有货吗', 'N'])
      expect(isUnsubscribeReply(text), text).toBe(false);
  });
});

describe('groups and coupons', () => {
  const variants = [
    { key: 'A', weight: 70 },
    { key: 'B', weight: 30 },
  ];

  it('draws the same group for the same customer, with the hold-out and split near their shares', () => {
    const draws = Array.from({ length: 20_000 }, (_, i) => drawGroup('camp-1', `cust-${i}`, 10, variants));
    expect(drawGroup('camp-1', 'cust-7', 10, variants)).toBe(draws[7]);
    const share = (key: string | null) => draws.filter((d) => d === key).length / draws.length;
    expect(share(null)).toBeGreaterThan(0.09);
    expect(share(null)).toBeLessThan(0.11);
    expect(share('A') / (share('A') + share('B'))).toBeGreaterThan(0.68);
    expect(share('A') / (share('A') + share('B'))).toBeLessThan(0.72);
    // Another campaign draws independently.
    const other = Array.from({ length: 2000 }, (_, i) => drawGroup('camp-2', `cust-${i}`, 10, variants));
    expect(other.filter((d, i) => d !== draws[i]).length).toBeGreaterThan(300);
  });

  it('generates unguessable codes without look-alike characters', () => {
    const codes = new Set(Array.from({ length: 5000 }, () => generateCouponCode('BACK')));
    expect(codes.size).toBe(5000);
    for (const code of codes) expect(code).toMatch(/^BACK[A-HJ-NP-Z2-9]{8}$/);
  });
});

describe('attribution', () => {
  it('counts orders by coupon or within the window, and compares recipients with the hold-out', () => {
    const start = '2026-11-01T00:00:00.000Z';
    const recipients = [
      { customerId: 'r1', variant: 'A', startsAt: start, couponCode: 'C1' },
      { customerId: 'r2', variant: 'A', startsAt: start, couponCode: 'C2' },
      { customerId: 'r3', variant: 'B', startsAt: start, couponCode: 'C3' },
      { customerId: 'h1', variant: null, startsAt: start, couponCode: null },
      { customerId: 'h2', variant: null, startsAt: start, couponCode: null },
    ];
    const orders = [
      // r1 within the window; r2 after it (not counted); a coupon ties an order with no phone to r3.
      { customerIds: ['r1'], createdAt: '2026-11-05T00:00:00.000Z', couponCode: null, totalFen: 5000 },
      { customerIds: ['r2'], createdAt: '2026-12-20T00:00:00.000Z', couponCode: null, totalFen: 5000 },
      { customerIds: [], createdAt: '2026-12-25T00:00:00.000Z', couponCode: 'c3', totalFen: 3000 },
      { customerIds: ['h1'], createdAt: '2026-11-03T00:00:00.000Z', couponCode: null, totalFen: 1000 },
      { customerIds: ['x'], createdAt: '2026-11-03T00:00:00.000Z', couponCode: null, totalFen: 1000 },
    ];
    const report = attributeOrders(recipients, orders, 14);
    expect(report.groups).toEqual([
      { group: 'A', customers: 2, buyers: 1, orders: 1, revenueFen: 5000, repurchaseRate: 0.5 },
      { group: 'B', customers: 1, buyers: 1, orders: 1, revenueFen: 3000, repurchaseRate: 1 },
      { group: 'holdout', customers: 2, buyers: 1, orders: 1, revenueFen: 1000, repurchaseRate: 0.5 },
    ]);
    expect(report.upliftPoints).toBeCloseTo(16.67, 2);
  });
});
