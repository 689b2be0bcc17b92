// #/settings/surveys: when follow-up surveys go out (delay, quiet hours, time zone), how often a customer
// may be asked, and how long a link stays valid. Supervisors read it; admins change it.
import type { SurveySettingsBody } from '@zhike/contracts';
import { App, Button, Card, Form, Input, InputNumber, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Shape = Omit<SurveySettingsBody, 'quietHours'> & {
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
};
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function SurveySettingsPage() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manages = can(session, 'surveys.manage');
  const [form] = Form.useForm<Shape>();
  const [loaded, setLoaded] = useState(false);
  const [saving, setSaving] = useState(false);
  const quiet = Form.useWatch('quiet', form);

  useEffect(() => {
    const abort = new AbortController();
    api
      .surveySettings(abort.signal)
      .then((s) => {
        form.setFieldsValue({
          enabled: s.enabled,
          delayMinutes: s.delayMinutes,
          timeZone: s.timeZone,
          minDaysBetween: s.minDaysBetween,
          linkTtlHours: s.linkTtlHours,
          quiet: s.quietHours !== null,
          quietStart: s.quietHours?.start ?? '21:00',
          quietEnd: s.quietHours?.end ?? '09:00',
        });
        setLoaded(true);
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, form, notifyError]);

  const save = async (v: Shape) => {
    setSaving(true);
    try {
      await api.saveSurveySettings({
        enabled: v.enabled,
        delayMinutes: v.delayMinutes,
        timeZone: v.timeZone.trim(),
        quietHours: v.quiet ? { start: v.quietStart, end: v.quietEnd } : null,
        minDaysBetween: v.minDaysBetween,
        linkTtlHours: v.linkTtlHours,
      });
      message.success(t('surveys.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  const time = [{ pattern: HHMM, message: t('surveys.timeInvalid') }];

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('surveys.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('surveys.intro')}</Typography.Paragraph>
      <Card loading={!loaded}>
        <Form<Shape>
          form={form}
          layout="vertical"
          onFinish={save}
          disabled={!manages}
          style={{ maxWidth: 520 }}
          data-testid="survey-settings"
        >
          <Form.Item name="enabled" label={t('surveys.enabled')} valuePropName="checked">
            <Switch data-testid="survey-enabled" />
          </Form.Item>
          <Form.Item name="delayMinutes" label={t('surveys.delay')} extra={t('surveys.delayHelp')}>
            <InputNumber min={0} max={720} precision={0} />
          </Form.Item>
          <Form.Item name="timeZone" label={t('surveys.timeZone')} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="quiet" label={t('surveys.quiet')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {quiet && (
            <Space>
              <Form.Item name="quietStart" label={t('surveys.quietStart')} rules={time}>
                <Input maxLength={5} style={{ width: 96 }} />
              </Form.Item>
              <Form.Item name="quietEnd" label={t('surveys.quietEnd')} rules={time}>
                <Input maxLength={5} style={{ width: 96 }} />
              </Form.Item>
            </Space>
          )}
          <Form.Item name="minDaysBetween" label={t('surveys.minDays')}>
            <InputNumber min={0} max={365} precision={0} />
          </Form.Item>
          <Form.Item name="linkTtlHours" label={t('surveys.linkTtl')}>
            <InputNumber min={1} max={720} precision={0} />
          </Form.Item>
          {manages && (
            <Button type="primary" htmlType="submit" loading={saving} data-testid="survey-save">
              {t('surveys.save')}
            </Button>
          )}
        </Form>
      </Card>
    </div>
  );
}
