// Runs the saved connector for one order number and shows what the bot would see, with the request as
// sent (secret headers as ••••), the status and timing of every attempt, and the start of the answer.
import type { ConnectorTestResult } from '@zhike/contracts';
import { Alert, Button, Card, Descriptions, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

type Props = {
  onTest: (orderNumber: string) => void;
  testing: boolean;
  result: ConnectorTestResult | null;
};

export function ConnectorTestPanel({ onTest, testing, result }: Props) {
  const { t } = useI18n();
  const [orderNumber, setOrderNumber] = useState('');
  const none = t('integrations.test.none');
  return (
    <Card className="zk-section" title={t('integrations.test.title')} data-testid="connector-test">
      <Typography.Paragraph type="secondary">{t('integrations.test.intro')}</Typography.Paragraph>
      <Space.Compact>
        <Input
          value={orderNumber}
          onChange={(e) => setOrderNumber(e.target.value.trim())}
          placeholder={t('integrations.test.orderNumber')}
          onPressEnter={() => orderNumber && onTest(orderNumber)}
          data-testid="connector-test-order"
        />
        <Button
          type="primary"
          loading={testing}
          disabled={!/^[A-Za-z0-9_-]{1,64}$/.test(orderNumber)}
          onClick={() => onTest(orderNumber)}
          data-testid="connector-test-run"
        >
          {t('integrations.test.run')}
        </Button>
      </Space.Compact>
      {result && (
        <div className="zk-section" data-testid="connector-test-result" data-outcome={result.outcome}>
          {result.outcome === 'found' && (
            <Alert type="success" showIcon title={t('integrations.test.found')} />
          )}
          {result.outcome === 'not_found' && (
            <Alert type="warning" showIcon title={t('integrations.test.notFound')} />
          )}
          {result.outcome === 'failed' && (
            <Alert
              type="error"
              showIcon
              title={`${t('integrations.test.failed')} (${result.failure?.kind ?? ''})`}
              description={result.failure?.message}
            />
          )}
          {result.order && (
            <Descriptions
              className="zk-section"
              size="small"
              column={1}
              bordered
              data-testid="connector-test-order-view"
            >
              <Descriptions.Item label={t('integrations.mapping.number')}>
                {result.order.number}
              </Descriptions.Item>
              <Descriptions.Item label={t('integrations.mapping.status')}>
                {result.order.status}
              </Descriptions.Item>
              <Descriptions.Item label={t('integrations.mapping.carrier')}>
                {result.order.carrier ?? none}
              </Descriptions.Item>
              <Descriptions.Item label={t('integrations.mapping.trackingNumber')}>
                {result.order.trackingNumber ?? none}
              </Descriptions.Item>
              <Descriptions.Item label={t('integrations.test.phoneLast4')}>
                {result.order.phoneLast4 ?? none}
              </Descriptions.Item>
              <Descriptions.Item label={t('integrations.test.items')}>
                {result.order.items.length === 0
                  ? none
                  : result.order.items
                      .map((i) => (i.quantity ? `${i.name} × ${i.quantity}` : i.name))
                      .join('、')}
              </Descriptions.Item>
              <Descriptions.Item label={t('integrations.mapping.total')}>
                {result.order.total ?? none}
              </Descriptions.Item>
            </Descriptions>
          )}
          <Descriptions className="zk-section" size="small" column={1}>
            <Descriptions.Item label={t('integrations.test.status')}>
              {result.attempts
                .map((a, i) => ({ ...a, attempt: i + 1 }))
                .map((a) => (
                  <Tag key={a.attempt} color={a.status !== null && a.status < 400 ? 'green' : 'red'}>
                    {a.status ?? a.error}
                  </Tag>
                ))}
              <Typography.Text type="secondary">
                {t('integrations.test.time', { ms: result.totalMs, attempts: result.attempts.length })}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <div className="zk-section">
            <Typography.Text strong>{t('integrations.test.request')}</Typography.Text>
            <pre className="zk-code" data-testid="connector-test-request">
              {[
                `${result.request.method} ${result.request.url}`,
                ...Object.entries(result.request.headers).map(([name, value]) => `${name}: ${value}`),
                ...(result.request.body === null ? [] : ['', result.request.body]),
              ].join('\n')}
            </pre>
          </div>
          {result.bodyExcerpt && (
            <>
              <Typography.Text strong>{t('integrations.test.response')}</Typography.Text>
              <pre className="zk-code" data-testid="connector-test-body">
                {result.bodyExcerpt}
              </pre>
            </>
          )}
        </div>
      )}
    </Card>
  );
}
