// "Why routed here": the conversation's latest routing decision — the rule that decided (or the
// default), where it went, its priority and score, and the facts the rules saw.
import type { Conversation, RoutingRecord } from '@zhike/contracts';
import { Descriptions, Tag, Typography } from 'antd';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { inputText } from './inputText.ts';
import { type QueueName, useQueueNames } from './useQueueNames.ts';

const QUEUE_LABELS: Record<string, MessageKey> = {
  general: 'routing.queue.general',
  complaints: 'routing.queue.complaints',
  vip: 'routing.queue.vip',
};

export function routedTo(
  d: Pick<RoutingRecord, 'target' | 'queueId'>,
  t: (key: MessageKey) => string,
  queues: readonly QueueName[] = [],
): string {
  if (d.target === 'bot') return t('routing.target.bot');
  const queue = queues.find((q) => q.id === d.queueId || q.key === d.queueId);
  const label = d.queueId ? QUEUE_LABELS[queue?.key ?? d.queueId] : undefined;
  return `${t('routing.target.queue')} · ${queue?.name ?? (label ? t(label) : (d.queueId ?? '—'))}`;
}

const INPUTS: readonly { key: string; label: MessageKey }[] = [
  { key: 'intentLabel', label: 'routing.input.intentLabel' },
  { key: 'intent', label: 'routing.input.intent' },
  { key: 'confidence', label: 'routing.input.confidence' },
  { key: 'sentiment', label: 'routing.input.sentiment' },
  { key: 'urgency', label: 'routing.input.urgency' },
  { key: 'urgencySignals', label: 'routing.input.urgencySignals' },
  { key: 'tier', label: 'routing.input.tier' },
  { key: 'channel', label: 'routing.input.channel' },
  { key: 'language', label: 'routing.input.language' },
  { key: 'handoffReason', label: 'routing.input.handoffReason' },
];

export function RoutingCard({ conversation }: { conversation: Conversation }) {
  const { t, locale } = useI18n();
  const queues = useQueueNames();
  const d = conversation.routing;
  if (!d) return null;
  const shown = INPUTS.flatMap(({ key, label }) => {
    const value = d.inputs[key];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return [];
    const text = Array.isArray(value) ? value.join(', ') : inputText(key, String(value), t);
    return [{ key, label, text }];
  });
  return (
    <div className="zk-routing-card" data-testid="routing-card">
      <div className="zk-panel-title">{t('routing.card.title')}</div>
      <Descriptions column={1} size="small" colon={false}>
        <Descriptions.Item label={t('routing.card.rule')}>
          <Typography.Text strong data-testid="routing-card-rule">
            {d.ruleName ?? t('routing.card.default')}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('routing.card.target')}>
          <span data-testid="routing-card-target">{routedTo(d, t, queues)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('routing.card.priority')}>
          <Tag color={d.priority === 'urgent' ? 'red' : d.priority === 'high' ? 'orange' : 'default'}>
            {t(`routing.priority.${d.priority}`)}
          </Tag>
          {t('routing.card.score')} {d.priorityScore}
        </Descriptions.Item>
        <Descriptions.Item label={t('routing.card.inputs')}>
          <ul className="zk-routing-inputs">
            {shown.map((i) => (
              <li key={i.key}>
                <Typography.Text type="secondary">{t(i.label)}：</Typography.Text>
                {i.text}
              </li>
            ))}
          </ul>
        </Descriptions.Item>
        <Descriptions.Item label={t('routing.card.decidedAt')}>
          {formatDateTime(d.decidedAt, locale)}
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}
