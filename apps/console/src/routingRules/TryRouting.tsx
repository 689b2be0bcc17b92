// "Try a message": where a first message would go with the rules as they are now, which rule decided,
// and every rule's match, so an owner checks an edit before customers meet it.
import type { SimulatedRouting } from '@zhike/contracts';
import { Button, Card, Descriptions, Input, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { routedTo } from './RoutingCard.tsx';
import { useQueueNames } from './useQueueNames.ts';

export function TryRouting() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [text, setText] = useState('');
  const [tier, setTier] = useState<'vip' | 'regular' | 'new'>('new');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SimulatedRouting | null>(null);
  const queues = useQueueNames(result);

  const run = async () => {
    if (!text.trim()) return;
    setBusy(true);
    try {
      setResult(await api.simulateRouting({ text: text.trim(), tier }));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const d = result?.decision;
  return (
    <Card title={t('routing.try.title')} data-testid="routing-try">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('routing.try.text')}
          autoSize={{ minRows: 2, maxRows: 5 }}
          maxLength={2000}
          data-testid="routing-try-text"
        />
        <Space>
          <Select
            value={tier}
            onChange={setTier}
            style={{ width: 140 }}
            options={(['new', 'regular', 'vip'] as const).map((v) => ({
              value: v,
              label: t(`routing.tier.${v}`),
            }))}
            data-testid="routing-try-tier"
          />
          <Button type="primary" loading={busy} onClick={() => void run()} data-testid="routing-try-run">
            {t('routing.try.run')}
          </Button>
        </Space>
        {d && (
          <div data-testid="routing-try-result">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('routing.card.target')}>{routedTo(d, t, queues)}</Descriptions.Item>
              <Descriptions.Item label={t('routing.card.priority')}>
                {t(`routing.priority.${d.priority}`)} · {d.priorityScore}
              </Descriptions.Item>
              <Descriptions.Item label={t('routing.card.rule')}>
                {d.ruleName ? t('routing.try.rule', { name: d.ruleName }) : t('routing.try.default')}
              </Descriptions.Item>
            </Descriptions>
            {result.botReplies.length > 0 && (
              <Typography.Paragraph type="secondary">{result.botReplies.join(' ')}</Typography.Paragraph>
            )}
            <Space wrap>
              {result.matched.map((m) => (
                <Tag key={m.ruleId} color={m.ruleId === d.ruleId ? 'blue' : m.matched ? 'green' : 'default'}>
                  {m.name} · {t(m.matched ? 'routing.try.matched' : 'routing.try.notMatched')}
                </Tag>
              ))}
            </Space>
          </div>
        )}
      </Space>
    </Card>
  );
}
