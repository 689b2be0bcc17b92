// Re-engagement campaigns (沉睡客户唤醒): segments with their live count, offer campaigns with
// variants, hold-out, coupons, caps and quiet hours, the preview and the repurchase report.
import Type from 'typebox';
import { CampaignStatus, QuietHours } from './campaigns.ts';
import { Id, Timestamp } from './common.ts';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Days = Nullable(Type.Integer({ minimum: 1, maximum: 3650 }));
const Rfm = Nullable(Type.Integer({ minimum: 3, maximum: 15 }));

export const OutreachChannel = Type.Union([
  Type.Literal('sms'),
  Type.Literal('email'),
  Type.Literal('wechat'),
]);
export const CustomerTierName = Type.Union([
  Type.Literal('new'),
  Type.Literal('regular'),
  Type.Literal('vip'),
]);

export const SegmentRule = Type.Object(
  {
    noOrderForDays: Days,
    includeNeverOrdered: Type.Boolean(),
    noContactForDays: Days,
    rfmMin: Rfm,
    rfmMax: Rfm,
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
    tiers: Type.Array(CustomerTierName, { maxItems: 3 }),
  },
  closed,
);
export type SegmentRule = Type.Static<typeof SegmentRule>;

export const SegmentBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 80 }), rule: SegmentRule },
  closed,
);
export type SegmentBody = Type.Static<typeof SegmentBody>;

export const SegmentView = Type.Object({
  id: Id,
  name: Type.String(),
  rule: SegmentRule,
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SegmentView = Type.Static<typeof SegmentView>;
export const SegmentList = Type.Object({ segments: Type.Array(SegmentView) });
export const SegmentCount = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 0 }),
});
export type SegmentCount = Type.Static<typeof SegmentCount>;

export const OfferVariant = Type.Object(
  {
    key: Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }),
    weight: Type.Integer({ minimum: 1, maximum: 100 }),
    subject: Nullable(Type.String({ maxLength: 120 })),
    text: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'The offer; {name}, {coupon}, {lastProduct} and {shop} are filled per customer',
    }),
  },
  closed,
);

export const OutreachCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    segmentId: Id,
    channel: OutreachChannel,
    inboxId: Id,
    variants: Type.Array(OfferVariant, { minItems: 1, maxItems: 4 }),
    holdoutPercent: Type.Integer({ minimum: 0, maximum: 50 }),
    couponMode: Type.Union([Type.Literal('none'), Type.Literal('generated'), Type.Literal('imported')]),
    couponPrefix: Type.String({ maxLength: 8 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    quietHours: Nullable(QuietHours),
    capCount: Type.Integer({ minimum: 1, maximum: 100 }),
    capDays: Type.Integer({ minimum: 1, maximum: 365 }),
    attributionDays: Type.Integer({ minimum: 1, maximum: 90 }),
  },
  closed,
);
export type OutreachCampaignBody = Type.Static<typeof OutreachCampaignBody>;

export const RecipientCounts = Type.Object({
  pending: Type.Integer(),
  sending: Type.Integer(),
  sent: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  holdout: Type.Integer(),
});

export const OutreachCampaignView = Type.Object({
  id: Id,
  name: Type.String(),
  segmentId: Id,
  channel: OutreachChannel,
  inboxId: Id,
  variants: Type.Array(OfferVariant),
  holdoutPercent: Type.Integer(),
  couponMode: Type.String(),
  couponPrefix: Type.String(),
  timeZone: Type.String(),
  quietHours: Nullable(QuietHours),
  capCount: Type.Integer(),
  capDays: Type.Integer(),
  attributionDays: Type.Integer(),
  status: CampaignStatus,
  createdBy: Type.String(),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  plannedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  counts: RecipientCounts,
  coupons: Type.Object({ total: Type.Integer(), assigned: Type.Integer() }),
});
export type OutreachCampaignView = Type.Static<typeof OutreachCampaignView>;
export const OutreachCampaignList = Type.Object({ campaigns: Type.Array(OutreachCampaignView) });

export const CouponImportBody = Type.Object(
  { codes: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 100_000 }) },
  closed,
);
export const CouponImportResult = Type.Object({ added: Type.Integer(), total: Type.Integer() });

export const OfferPreviewBody = Type.Object({ customerId: Type.Optional(Id) }, closed);
export const OfferPreview = Type.Object({
  customerId: Nullable(Id),
  previews: Type.Array(
    Type.Object({ variant: Type.String(), subject: Nullable(Type.String()), text: Type.String() }),
  ),
});
export type OfferPreview = Type.Static<typeof OfferPreview>;

export const GroupOutcome = Type.Object({
  group: Type.String(),
  customers: Type.Integer(),
  buyers: Type.Integer(),
  orders: Type.Integer(),
  revenueFen: Type.Integer(),
  repurchaseRate: Nullable(Type.Number()),
});
export const OutreachReport = Type.Object({
  campaignId: Id,
  name: Type.String(),
  groups: Type.Array(GroupOutcome),
  upliftPoints: Nullable(Type.Number()),
  attributionDays: Type.Integer(),
});
export type OutreachReport = Type.Static<typeof OutreachReport>;
