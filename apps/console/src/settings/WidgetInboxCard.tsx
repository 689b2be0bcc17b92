import { ExportOutlined, GlobalOutlined } from '@ant-design/icons';
import type { Inbox } from '@zhike/contracts';
import { Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { CopyButton } from '../ui/CopyButton.tsx';
import { useSaveInbox } from './useSaveInbox.ts';
import { normaliseOrigin, widgetSnippet } from './widgetSnippet.ts';

type Props = { inbox: Inbox; onSaved: (inbox: Inbox) => void };
type FormValues = { allowedOrigins: string[]; greeting: string };

export function WidgetInboxCard({ inbox, onSaved }: Props) {
  const { t } = useI18n();
  const { save, saving } = useSaveInbox(inbox, onSaved);
  const snippet = inbox.widgetToken ? widgetSnippet(window.location.origin, inbox.widgetToken) : null;

  const onFinish = (values: FormValues) => {
    const origins = values.allowedOrigins.map((o) => normaliseOrigin(o) ?? o);
    const greeting = values.greeting.trim();
    return save({ allowedOrigins: [...new Set(origins)], greeting: greeting === '' ? null : greeting });
  };

  return (
    <Card
      title={
        <Space>
          <GlobalOutlined />
          {inbox.name}
          <Typography.Text type="secondary">· {t('channel.widget')}</Typography.Text>
        </Space>
      }
      extra={
        <Button type="link" href="/demo" target="_blank" rel="noopener" icon={<ExportOutlined />}>
          {t('channels.widget.demo')}
        </Button>
      }
      data-testid="inbox-card"
      data-inbox-id={inbox.id}
    >
      {snippet && (
        <section className="zk-section">
          <Typography.Title level={5}>{t('channels.widget.snippetTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('channels.widget.snippetHelp')}</Typography.Paragraph>
          <div className="zk-code-row">
            <pre className="zk-code" data-testid="widget-snippet">
              {snippet}
            </pre>
            <CopyButton text={snippet} data-testid="widget-snippet-copy" />
          </div>
        </section>
      )}
      <Form<FormValues>
        layout="vertical"
        initialValues={{ allowedOrigins: inbox.allowedOrigins, greeting: inbox.greeting ?? '' }}
        onFinish={onFinish}
        disabled={saving}
      >
        <Form.Item
          name="allowedOrigins"
          label={t('channels.widget.allowedOrigins')}
          extra={t('channels.widget.allowedOriginsHelp')}
          rules={[
            {
              validator: async (_, value: string[] | undefined) => {
                const bad = (value ?? []).find((o) => normaliseOrigin(o) === null);
                if (bad !== undefined) throw new Error(t('channels.widget.invalidOrigin', { origin: bad }));
              },
            },
          ]}
        >
          <Select
            mode="tags"
            open={false}
            tokenSeparators={[',', ' ', '\n']}
            placeholder={t('channels.widget.allowedOriginsPlaceholder')}
            suffixIcon={null}
            data-testid="allowed-origins"
          />
        </Form.Item>
        <Form.Item name="greeting" label={t('channels.widget.greeting')}>
          <Input.TextArea
            maxLength={500}
            showCount
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('channels.widget.greetingPlaceholder')}
            data-testid="widget-greeting"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="inbox-save">
          {t('channels.save')}
        </Button>
      </Form>
    </Card>
  );
}
