// Draws a campaign's recipients from its segment: each customer into the hold-out or a variant, a coupon
// for everyone who gets the offer (generated, or the next code of the imported pool; without one left the
// customer is skipped), numbered into send chunks. Consent, caps and quiet hours are checked at send
// time, not here, so a change after planning still counts.
import type { UseCaseDeps } from '../ports.ts';
import { drawGroup, generateCouponCode } from './groups.ts';
import { OUTREACH_LIMITS, type OutreachCampaign } from './outreach.ts';
import type { NewRecipient } from './repository.ts';

export function planRecipients(
  deps: Pick<UseCaseDeps, 'newId'>,
  campaign: Pick<OutreachCampaign, 'id' | 'holdoutPercent' | 'variants' | 'couponMode' | 'couponPrefix'>,
  members: readonly { customerId: string; lastProduct: string | null }[],
  importedCoupons: readonly string[],
): NewRecipient[] {
  const pool = [...importedCoupons];
  let sendable = 0;
  return members.map(({ customerId, lastProduct }) => {
    const variant = drawGroup(campaign.id, customerId, campaign.holdoutPercent, campaign.variants);
    const base = { id: deps.newId(), customerId, variant, lastProduct };
    if (variant === null)
      return {
        ...base,
        couponCode: null,
        chunk: 0,
        status: 'holdout',
        skipReason: null,
      } satisfies NewRecipient;
    let couponCode: string | null = null;
    if (campaign.couponMode === 'generated') couponCode = generateCouponCode(campaign.couponPrefix);
    if (campaign.couponMode === 'imported') {
      couponCode = pool.shift() ?? null;
      if (!couponCode)
        return {
          ...base,
          couponCode: null,
          chunk: 0,
          status: 'skipped',
          skipReason: 'no_coupon',
        } satisfies NewRecipient;
    }
    const chunk = 1 + Math.floor(sendable++ / OUTREACH_LIMITS.chunkSize);
    return { ...base, couponCode, chunk, status: 'pending', skipReason: null } satisfies NewRecipient;
  });
}
