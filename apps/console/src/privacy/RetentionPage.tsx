// The owner's retention settings: how many days transcripts, recordings and attachments are kept
// (empty = forever). The hourly job on the server applies them.
import type { RetentionPolicy, RetentionPolicyBody } from '@zhike/contracts';
import { App, Button, Card, Form, InputNumber, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Field = keyof RetentionPolicyBody;
const FIELDS: { name: Field; label: 'transcripts' | 'recordings' | 'attachments' }[] = [
  { name: 'transcriptsDays', label: 'transcripts' },
  { name: 'recordingsDays', label: 'recordings' },
  { name: 'attachmentsDays', label: 'attachments' },
];

export function RetentionPage() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [policy, setPolicy] = useState<RetentionPolicy | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<RetentionPolicyBody>();

  useEffect(() => {
    api.getRetention().then((p) => {
      setPolicy(p);
      form.setFieldsValue(p);
    }, notifyError);
  }, [api, form, notifyError]);

  const save = async (values: RetentionPolicyBody) => {
    setSaving(true);
    try {
      const body = Object.fromEntries(
        FIELDS.map((f) => [f.name, values[f.name] ?? null]),
      ) as RetentionPolicyBody;
      const saved = await api.putRetention(body);
      setPolicy(saved);
      message.success(t('privacy.retention.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="zk-page" data-testid="retention-page">
      <Typography.Title level={4}>{t('privacy.retention.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('privacy.retention.intro')}</Typography.Paragraph>
      <Card>
        {!policy ? (
          <Skeleton active />
        ) : (
          <Form form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ maxWidth: 360 }}>
            {FIELDS.map((f) => (
              <Form.Item key={f.name} name={f.name} label={t(`privacy.retention.${f.label}`)}>
                <InputNumber
                  min={7}
                  max={3650}
                  precision={0}
                  placeholder={t('privacy.retention.keep')}
                  style={{ width: '100%' }}
                  data-testid={`retention-${f.label}`}
                />
              </Form.Item>
            ))}
            <Button type="primary" htmlType="submit" loading={saving} data-testid="retention-save">
              {t('privacy.retention.save')}
            </Button>
            {policy.updatedAt && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                {t('privacy.retention.updatedAt', { at: formatDateTime(policy.updatedAt, locale) })}
              </Typography.Paragraph>
            )}
          </Form>
        )}
      </Card>
    </div>
  );
}
