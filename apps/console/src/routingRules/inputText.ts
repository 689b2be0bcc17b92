// How the "why routed here" card names a recorded routing input's value.
import type { MessageKey, Translate } from '../i18n/catalogue.ts';

/**
 * An input's value in the agent's language where it is one of a known set (sentiment, urgency, tier,
 * channel, hand-off reason); anything else (intent ids, labels, numbers, language tags) as recorded.
 */
export function inputText(key: string, value: string, t: Translate): string {
  const known: Record<string, Record<string, MessageKey>> = {
    sentiment: {
      negative: 'routing.sentiment.negative',
      neutral: 'routing.sentiment.neutral',
      positive: 'routing.sentiment.positive',
    },
    urgency: {
      low: 'routing.urgency.low',
      normal: 'routing.urgency.normal',
      high: 'routing.urgency.high',
      critical: 'routing.urgency.critical',
    },
    tier: { vip: 'routing.tier.vip', regular: 'routing.tier.regular', new: 'routing.tier.new' },
    channel: {
      widget: 'channel.widget',
      api: 'channel.api',
      sms: 'channel.sms',
      email: 'channel.email',
      wechat: 'channel.wechat',
      voice: 'channel.voice',
    },
    handoffReason: {
      customer_request: 'botAnalytics.reason.customer_request',
      fallback: 'botAnalytics.reason.fallback',
      no_answer: 'botAnalytics.reason.no_answer',
      complaint: 'botAnalytics.reason.complaint',
      'complaint:grave': 'botAnalytics.reason.grave_complaint',
      negative_sentiment: 'botAnalytics.reason.negative_sentiment',
      urgency: 'botAnalytics.reason.urgency',
      order_number_missing: 'botAnalytics.reason.order_number_missing',
    },
  };
  const label = known[key]?.[value];
  return label ? t(label) : value;
}
