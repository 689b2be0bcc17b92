// The hand-off card at the top of a handed-off conversation's side column: the summary (AI or extractive),
// why the bot handed over, what it understood (intents with confidence), how the customer's mood went,
// what they already gave (slots), and what the bot already answered (collapsed).
import type { HandoffCard as Card } from '@zhike/contracts';
import { Alert, Button, Collapse, Descriptions, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { SentimentTrend } from './SentimentTrend.tsx';

const KNOWN_SLOTS = new Set(['order_number', 'phone', 'email', 'reason', 'question', 'name', 'address']);
const KNOWN_REASONS = new Set([
  'customer_request',
  'complaint',
  'fallback',
  'no_answer',
  'routing',
  'order_lookup_unavailable',
]);

const URGENCY_SIGNALS = new Set([
  'safety',
  'regulator_threat',
  'media_threat',
  'legal_threat',
  'emergency_repair',
  'complaint',
  'refund_dispute',
  'repeat_contact',
]);

type Props = { conversationId: string; handedOff: boolean };

export function HandoffCard({ conversationId, handedOff }: Props) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [card, setCard] = useState<Card | null>(null);
  const [failed, setFailed] = useState(false);
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    setCard(null);
    setFailed(false);
    if (!handedOff) return;
    const controller = new AbortController();
    api.handoffCard(conversationId, controller.signal).then(setCard, (error: { status?: number }) => {
      // 404: the bot did not hand this conversation over; there is no card to show.
      if (!controller.signal.aborted && error.status !== 404) setFailed(true);
    });
    return () => controller.abort();
  }, [api, conversationId, handedOff]);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    try {
      setCard(await api.refreshHandoffCard(conversationId));
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setRefreshing(false);
    }
  }, [api, conversationId]);

  if (!handedOff) return null;
  if (failed && !card) return <Alert type="warning" showIcon title={t('handoff.loadFailed')} />;
  if (!card) return null;

  const slotLabel = (name: string) =>
    KNOWN_SLOTS.has(name) ? t(`handoff.slot.${name}` as MessageKey) : name.replace(/_/g, ' ');
  const reasonLabel = (reason: string) => {
    if (KNOWN_REASONS.has(reason)) return t(`handoff.reason.${reason}` as MessageKey);
    if (reason.startsWith('urgency:')) {
      const signal = reason.slice('urgency:'.length);
      const label = URGENCY_SIGNALS.has(signal)
        ? t(`handoff.urgency.${signal}` as MessageKey)
        : signal.replace(/_/g, ' ');
      return t('handoff.reason.urgency', { signal: label });
    }
    return reason;
  };
  const slots = Object.entries(card.slots);

  return (
    <div className="zk-handoff-card" data-testid="handoff-card">
      <div className="zk-panel-title zk-handoff-title">
        <span>{t('handoff.title')}</span>
        <Button size="small" type="link" loading={refreshing} onClick={refresh} data-testid="handoff-refresh">
          {t('handoff.refresh')}
        </Button>
      </div>
      <div className="zk-handoff-summary">
        <Tag
          color={card.summary.kind === 'llm' ? 'purple' : 'default'}
          data-testid="handoff-summary-kind"
          data-kind={card.summary.kind}
        >
          {t(card.summary.kind === 'llm' ? 'handoff.summary.llm' : 'handoff.summary.extractive')}
        </Tag>
        <Typography.Paragraph className="zk-handoff-summary-text" data-testid="handoff-summary">
          {card.summary.text}
        </Typography.Paragraph>
        {card.summary.fallbackReason && (
          <Typography.Text type="secondary" className="zk-handoff-note">
            {t('handoff.summary.fallback', { reason: card.summary.fallbackReason })}
          </Typography.Text>
        )}
      </div>
      <Descriptions column={1} size="small" colon={false}>
        {card.reason && (
          <Descriptions.Item label={t('handoff.reason')}>
            <span data-testid="handoff-reason">{reasonLabel(card.reason)}</span>
          </Descriptions.Item>
        )}
        {card.intents.length > 0 && (
          <Descriptions.Item label={t('handoff.intents')}>
            <span className="zk-handoff-intents">
              {card.intents.map((i) => (
                <Tag key={i.target} data-testid="handoff-intent" data-intent={i.target}>
                  {i.label ?? i.target} {Math.round(i.confidence * 100)}%
                </Tag>
              ))}
            </span>
          </Descriptions.Item>
        )}
        {card.sentiment.points.length > 0 && (
          <Descriptions.Item label={t('handoff.sentiment')}>
            <SentimentTrend
              scores={card.sentiment.points.map((p) => p.score)}
              direction={card.sentiment.direction}
              label={t(`handoff.sentiment.${card.sentiment.direction}`)}
            />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('handoff.slots')}>
          {slots.length === 0 ? (
            <Typography.Text type="secondary">{t('handoff.slots.none')}</Typography.Text>
          ) : (
            <ul className="zk-handoff-slots">
              {slots.map(([name, value]) => (
                <li key={name}>
                  <Typography.Text type="secondary">{slotLabel(name)}：</Typography.Text>
                  <Typography.Text strong copyable data-testid={`handoff-slot-${name}`}>
                    {value}
                  </Typography.Text>
                </li>
              ))}
            </ul>
          )}
        </Descriptions.Item>
      </Descriptions>
      {card.botAnswers.length > 0 && (
        <Collapse
          size="small"
          ghost
          data-testid="handoff-bot-answers"
          items={[
            {
              key: 'answers',
              label: t('handoff.botAnswers', { n: card.botAnswers.length }),
              children: (
                <ol className="zk-handoff-answers">
                  {card.botAnswers.map((a) => (
                    <li key={a.messageId}>
                      <Typography.Text>{a.text}</Typography.Text>
                      {a.generated && <Tag color="purple">{t('handoff.botAnswers.generated')}</Tag>}
                      {a.sources.map((s) => (
                        <Tag key={s.id}>{s.title}</Tag>
                      ))}
                    </li>
                  ))}
                </ol>
              ),
            },
          ]}
        />
      )}
      <Tooltip title={card.computedAt}>
        <Typography.Text type="secondary" className="zk-handoff-note">
          {t('handoff.computedAt', { time: formatDateTime(card.computedAt, locale) })}
        </Typography.Text>
      </Tooltip>
    </div>
  );
}
