// Creates a re-engagement campaign in draft: a saved segment, an inbox of the chosen channel, the offer's
// variants, hold-out, coupons, cap, quiet hours and attribution window, each checked.
import type { QuietHours } from '../campaigns/campaign.ts';
import { notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import {
  type CouponMode,
  type OfferVariant,
  OUTREACH_LIMITS,
  type OutreachCampaign,
  type OutreachChannel,
} from './outreach.ts';
import { checkTimeOfDayPair, checkVariants, invalid, validTimeZone } from './validate.ts';

export interface CreateOutreachCampaignInput {
  name: string;
  segmentId: string;
  channel: OutreachChannel;
  inboxId: string;
  variants: OfferVariant[];
  holdoutPercent: number;
  couponMode: CouponMode;
  couponPrefix: string;
  timeZone: string;
  quietHours: QuietHours | null;
  capCount: number;
  capDays: number;
  attributionDays: number;
  createdBy: string;
}

export const defaultOutreachQuietHours: QuietHours = { start: '21:00', end: '09:00' };

export async function createOutreachCampaign(
  deps: UseCaseDeps,
  input: CreateOutreachCampaignInput,
): Promise<OutreachCampaign> {
  const name = input.name.trim();
  if (!name || [...name].length > 80) throw invalid('name is required (at most 80 characters)');
  const segment = await deps.store.outreach.segments.get(input.segmentId);
  if (!segment) throw notFound('segment');
  const inbox = await deps.store.inboxes.get(input.inboxId);
  if (!inbox) throw notFound('inbox');
  if (inbox.channel !== input.channel) throw invalid(`the inbox is not a ${input.channel} channel`);
  const variants = checkVariants(input.variants, input.channel);
  const within = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!within(input.holdoutPercent, 0, OUTREACH_LIMITS.maxHoldoutPercent))
    throw invalid(`holdoutPercent must be 0–${OUTREACH_LIMITS.maxHoldoutPercent}`);
  if (!within(input.capCount, 1, 100)) throw invalid('capCount must be 1–100');
  if (!within(input.capDays, 1, OUTREACH_LIMITS.maxCapDays))
    throw invalid(`capDays must be 1–${OUTREACH_LIMITS.maxCapDays}`);
  if (!within(input.attributionDays, 1, OUTREACH_LIMITS.maxAttributionDays))
    throw invalid(`attributionDays must be 1–${OUTREACH_LIMITS.maxAttributionDays}`);
  if (!validTimeZone(input.timeZone)) throw invalid('timeZone is not an IANA time zone');
  checkTimeOfDayPair(input.quietHours);
  const couponPrefix = input.couponPrefix.trim().toUpperCase();
  if (!/^[A-Z0-9]{0,8}$/.test(couponPrefix)) throw invalid('couponPrefix is up to 8 letters or digits');
  if (input.couponMode === 'none' && variants.some((v) => `${v.text}${v.subject ?? ''}`.includes('{coupon}')))
    throw invalid('the offer uses {coupon} but the campaign has no coupons');
  const campaign: OutreachCampaign = {
    id: deps.newId(),
    workspaceId: deps.store.workspaceId,
    name,
    segmentId: segment.id,
    channel: input.channel,
    inboxId: inbox.id,
    variants,
    holdoutPercent: input.holdoutPercent,
    couponMode: input.couponMode,
    couponPrefix,
    timeZone: input.timeZone,
    quietHours: input.quietHours,
    capCount: input.capCount,
    capDays: input.capDays,
    attributionDays: input.attributionDays,
    status: 'draft',
    createdBy: input.createdBy,
    createdAt: deps.clock.now().toISOString(),
    startedAt: null,
    plannedAt: null,
    finishedAt: null,
  };
  await deps.store.outreach.create(campaign);
  return campaign;
}
