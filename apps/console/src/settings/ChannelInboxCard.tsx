// A provider-channel inbox (SMS, email, WeChat): its hook URL to give the provider, its settings (secrets
// only ever shown as set), on/off, and a test send through the provider.
import { EditOutlined, SendOutlined } from '@ant-design/icons';
import type { ChannelAdapterInfo, Inbox } from '@zhike/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { ChannelIcon } from '../ui/ChannelIcon.tsx';
import { CopyButton } from '../ui/CopyButton.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { configFieldsOf } from './ChannelConfigFields.tsx';
import { ChannelConfigModal } from './ChannelConfigModal.tsx';
import { useSaveInbox } from './useSaveInbox.ts';

type Props = { inbox: Inbox; adapters: ChannelAdapterInfo[]; onSaved: (inbox: Inbox) => void };

export function ChannelInboxCard({ inbox, adapters, onSaved }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { save, saving } = useSaveInbox(inbox, onSaved);
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const adapter = adapters.find((a) => a.id === inbox.adapter);

  const disable = async () => {
    try {
      onSaved(await api.disableInbox(inbox.id));
      message.success(t('channels.saved'));
    } catch (error) {
      notifyError(error);
    }
  };
  const testSend = async ({ to, text }: { to: string; text: string }) => {
    setTesting(true);
    setResult(null);
    try {
      const sent = await api.testSendInbox(inbox.id, { to: to.trim(), text });
      setResult(
        sent.ok
          ? { ok: true, text: t('channels.testOk', { id: sent.providerMessageId ?? '' }) }
          : { ok: false, text: t('channels.testFailed', { error: sent.error ?? '' }) },
      );
    } catch (error) {
      notifyError(error);
    } finally {
      setTesting(false);
    }
  };

  // Email takes no webhooks: mail arrives over SMTP at the inbox's address (or the one it is forwarded to).
  const mailAddress =
    inbox.channel === 'email'
      ? String(inbox.config?.receiveAddress ?? inbox.config?.address ?? '') || null
      : null;

  const settings = adapter
    ? configFieldsOf(adapter).map(({ name, field, secret }) => ({
        key: name,
        label: (field as { title?: string }).title ?? name,
        children: secret
          ? inbox.secretsSet.includes(name)
            ? t('channels.secretSet')
            : t('channels.notSet')
          : String(inbox.config?.[name] ?? '—'),
      }))
    : [];

  return (
    <Card
      title={
        <Space>
          <ChannelIcon channel={inbox.channel} />
          {inbox.name}
          <Typography.Text type="secondary">
            · {t(`channel.${inbox.channel}`)} · {inbox.adapter}
          </Typography.Text>
          {inbox.enabled ? (
            <Tag color="green">{t('channels.enabled')}</Tag>
          ) : (
            <Tag>{t('channels.disabled')}</Tag>
          )}
        </Space>
      }
      extra={
        <Space>
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={!adapter}>
            {t('channels.edit')}
          </Button>
          {inbox.enabled ? (
            <Popconfirm title={t('channels.disableConfirm')} onConfirm={disable}>
              <Button danger>{t('channels.disable')}</Button>
            </Popconfirm>
          ) : (
            <Button loading={saving} onClick={() => save({ enabled: true })}>
              {t('channels.enable')}
            </Button>
          )}
        </Space>
      }
      data-testid="inbox-card"
      data-inbox-id={inbox.id}
    >
      {mailAddress && (
        <section>
          <Typography.Title level={5}>{t('channels.mailAddress')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('channels.mailAddressHelp')}</Typography.Paragraph>
          <div className="zk-code-row">
            <code className="zk-inline-code" data-testid="mail-address">
              {mailAddress}
            </code>
            <CopyButton text={mailAddress} size="small" />
          </div>
        </section>
      )}
      {inbox.hookUrl && !mailAddress && (
        <section>
          <Typography.Title level={5}>{t('channels.hookUrl')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('channels.hookUrlHelp')}</Typography.Paragraph>
          <div className="zk-code-row">
            <code className="zk-inline-code" data-testid="hook-url">
              {inbox.hookUrl}
            </code>
            <CopyButton text={inbox.hookUrl} size="small" />
          </div>
        </section>
      )}
      {settings.length > 0 && (
        <Descriptions className="zk-section" size="small" column={1} bordered items={settings} />
      )}
      <section className="zk-section">
        <Typography.Title level={5}>{t('channels.testSend')}</Typography.Title>
        <Form
          layout="inline"
          onFinish={testSend}
          initialValues={{ text: t('channels.testTextDefault') }}
          disabled={!inbox.enabled}
        >
          <Form.Item
            name="to"
            rules={[{ required: true, whitespace: true, message: t('channels.required') }]}
          >
            <Input placeholder={t('channels.testTo')} data-testid="test-send-to" />
          </Form.Item>
          <Form.Item name="text" rules={[{ required: true, message: t('channels.required') }]}>
            <Input placeholder={t('channels.testText')} />
          </Form.Item>
          <Button htmlType="submit" icon={<SendOutlined />} loading={testing}>
            {t('channels.testSend')}
          </Button>
        </Form>
        {result && (
          <Alert
            className="zk-section"
            type={result.ok ? 'success' : 'error'}
            message={result.text}
            showIcon
            data-testid="test-send-result"
          />
        )}
      </section>
      {editing && adapter && (
        <ChannelConfigModal
          adapters={adapters}
          inbox={inbox}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
        />
      )}
    </Card>
  );
}
