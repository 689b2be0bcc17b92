// What the customer reads: the survey's invitation per channel, in the workspace's language. Provider
// channels (SMS, email, WeChat, API) carry the link and the digit-reply hint; the widget shows a card.
import type { ChannelType, Locale } from '../model.ts';

const texts = {
  'zh-CN': {
    invite: (shop: string, link: string) =>
      `【${shop}】感谢您的咨询！请为本次服务打分：直接回复数字1-5（5为非常满意），或打开 ${link} 留下您的意见。`,
    card: (shop: string) => `感谢您的咨询！请为${shop}本次的服务打分（1-5分）。`,
    thanks: '感谢您的评价！',
    sorry: '很抱歉给您带来不好的体验，我们的客服会尽快联系您。',
  },
  'en-US': {
    invite: (shop: string, link: string) =>
      `${shop}: thanks for contacting us! Rate our service by replying 1–5 (5 = very satisfied), or open ${link} to tell us more.`,
    card: (shop: string) => `Thanks for contacting ${shop}! How would you rate our service (1–5)?`,
    thanks: 'Thank you for your feedback!',
    sorry: 'We are sorry about your experience; one of our team will contact you shortly.',
  },
} satisfies Record<Locale, unknown>;

export function surveyInvitation(locale: Locale, channel: ChannelType, shop: string, link: string): string {
  const t = texts[locale] ?? texts['zh-CN'];
  return channel === 'widget' ? `${t.card(shop)} ${link}` : t.invite(shop, link);
}

/** The answer to a digit reply: thanks, or an apology when a person will follow up. */
export function surveyAcknowledgement(locale: Locale, negative: boolean): string {
  const t = texts[locale] ?? texts['zh-CN'];
  return negative ? t.sorry : t.thanks;
}

/** The follow-up ticket's subject. */
export function followUpSubject(locale: Locale, score: number): string {
  return locale === 'en-US' ? `Follow-up survey: score ${score}` : `回访差评跟进：${score} 分`;
}

/** A reply that is nothing but a score: "1".."5", full-width digits too, spaces and a full stop allowed. */
export function digitScore(text: string): number | null {
  const cleaned = text
    .normalize('NFKC')
    .trim()
    .replace(/[。.!！]$/u, '')
    .trim();
  return /^[1-5]$/.test(cleaned) ? Number(cleaned) : null;
}
