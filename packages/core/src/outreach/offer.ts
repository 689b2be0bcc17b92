// The offer text for one customer: {name}, {coupon}, {lastProduct}, {shop} filled in, and the opt-out
// wording the channel needs (SMS "回T退订", an email link, WeChat "回复TD退订") added when the text lacks it.
import type { OfferVariant, OutreachChannel } from './outreach.ts';

export interface OfferValues {
  name: string | null;
  coupon: string | null;
  lastProduct: string | null;
  shop: string;
}

export const offerVariables = ['name', 'coupon', 'lastProduct', 'shop'] as const;

/** Placeholders the text uses that are not variables we fill (shown before a campaign is saved). */
export function unknownVariables(text: string): string[] {
  const known = new Set<string>(offerVariables);
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((v) => !known.has(v));
}

const fallback: Record<(typeof offerVariables)[number], { zh: string; en: string }> = {
  name: { zh: '顾客', en: 'customer' },
  coupon: { zh: '', en: '' },
  lastProduct: { zh: '心仪好物', en: 'your favourites' },
  shop: { zh: '', en: '' },
};

export interface RenderedOffer {
  subject: string | null;
  text: string;
}

export function renderOffer(
  variant: Pick<OfferVariant, 'subject' | 'text'>,
  values: OfferValues,
  options: { channel: OutreachChannel; language: 'zh' | 'en'; unsubscribeUrl: string | null },
): RenderedOffer {
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (whole, key: string) => {
      if (!(offerVariables as readonly string[]).includes(key)) return whole;
      const value = values[key as keyof OfferValues];
      return value?.trim() ? value.trim() : fallback[key as keyof typeof fallback][options.language];
    });
  let text = fill(variant.text).trim();
  if (options.channel === 'sms' && !/退订|\bSTOP\b/i.test(text))
    text += options.language === 'zh' ? ' 回T退订' : ' Reply T to opt out';
  if (options.channel === 'wechat' && !/退订/.test(text))
    text += options.language === 'zh' ? '\n回复TD退订' : '\nReply TD to opt out';
  if (options.channel === 'email' && options.unsubscribeUrl)
    text += `\n\n${options.language === 'zh' ? '退订' : 'Unsubscribe'}: ${options.unsubscribeUrl}`;
  return { subject: variant.subject ? fill(variant.subject) : null, text };
}

/** An inbound reply that asks to stop marketing ("T", "TD", "回T退订", "退订", "STOP", "unsubscribe"). */
export function isUnsubscribeReply(text: string): boolean {
  const t = text
    .trim()
    .replace(/[\s。.!！]+$/u, '')
    .trim();
  return /^(回?T(D)?(退订)?|退订|取消订阅|STOP|UNSUBSCRIBE)$/iu.test(t) || /^回?T退订$/u.test(t);
}
