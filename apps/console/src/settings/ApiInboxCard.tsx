import { ApiOutlined, EyeInvisibleOutlined, EyeOutlined, KeyOutlined } from '@ant-design/icons';
import type { Inbox } from '@zhike/contracts';
import { WEBHOOK_SIGNATURE_HEADER } from '@zhike/contracts/protocol';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { CopyButton } from '../ui/CopyButton.tsx';
import { useSaveInbox } from './useSaveInbox.ts';
import { inboundExample } from './widgetSnippet.ts';

type Props = { inbox: Inbox; onSaved: (inbox: Inbox) => void; onCreateKey: () => void };
type FormValues = { webhookUrl: string };

export function ApiInboxCard({ inbox, onSaved, onCreateKey }: Props) {
  const { t } = useI18n();
  const { save, saving } = useSaveInbox(inbox, onSaved);
  const [revealed, setRevealed] = useState(false);
  const secret = inbox.webhookSecret;
  const example = inboundExample(window.location.origin);

  const onFinish = ({ webhookUrl }: FormValues) => {
    const url = webhookUrl.trim();
    return save({ webhookUrl: url === '' ? null : url });
  };

  return (
    <Card
      title={
        <Space>
          <ApiOutlined />
          {inbox.name}
          <Typography.Text type="secondary">· {t('channel.api')}</Typography.Text>
        </Space>
      }
      data-testid="inbox-card"
      data-inbox-id={inbox.id}
    >
      <Form<FormValues>
        layout="vertical"
        initialValues={{ webhookUrl: inbox.webhookUrl ?? '' }}
        onFinish={onFinish}
      >
        <Form.Item label={t('channels.api.webhookUrl')} extra={t('channels.api.webhookUrlHelp')}>
          <Space.Compact className="zk-full-width">
            <Form.Item
              name="webhookUrl"
              noStyle
              rules={[{ pattern: /^https?:\/\//, message: t('channels.api.webhookUrlInvalid') }]}
            >
              <Input placeholder="https://" disabled={saving} data-testid="webhook-url" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('channels.save')}
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
      {inbox.webhookUrl && (
        <div className="zk-code-row zk-section">
          <code className="zk-inline-code">{inbox.webhookUrl}</code>
          <CopyButton text={inbox.webhookUrl} size="small" />
        </div>
      )}
      <section className="zk-section">
        <Typography.Title level={5}>{t('channels.api.webhookSecret')}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('channels.api.webhookSecretHelp', { header: WEBHOOK_SIGNATURE_HEADER })}
        </Typography.Paragraph>
        {secret ? (
          <div className="zk-code-row">
            <code className="zk-inline-code" data-testid="webhook-secret">
              {revealed ? secret : '•'.repeat(Math.min(secret.length, 32))}
            </code>
            <Button
              size="small"
              icon={revealed ? <EyeInvisibleOutlined /> : <EyeOutlined />}
              onClick={() => setRevealed((r) => !r)}
            >
              {revealed ? t('channels.hide') : t('channels.show')}
            </Button>
            <CopyButton text={secret} size="small" />
          </div>
        ) : (
          <Typography.Text type="secondary">{t('channels.api.noSecret')}</Typography.Text>
        )}
      </section>
      <section className="zk-section">
        <Typography.Title level={5}>{t('channels.api.howToTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('channels.api.howTo')}</Typography.Paragraph>
        <div className="zk-code-row">
          <pre className="zk-code">{example}</pre>
          <CopyButton text={example} size="small" />
        </div>
        <Button icon={<KeyOutlined />} onClick={onCreateKey}>
          {t('channels.api.createKey')}
        </Button>
      </section>
    </Card>
  );
}
