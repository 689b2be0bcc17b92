// #/settings/tickets (admins): the workspace's custom ticket fields, assignment rules, and the reopen
// window with customer notifications.
import type { TicketSettings } from '@zhike/contracts';
import { App, Button, Card, Form, InputNumber, Switch, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/I18nContext.tsx';
import { useSignedIn } from '../../session/SessionContext.tsx';
import { useNotifyError } from '../../ui/useNotifyError.ts';
import { TicketFieldsTab } from './TicketFieldsTab.tsx';
import { TicketRulesTab } from './TicketRulesTab.tsx';

function GeneralTab() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<TicketSettings>();
  const [loaded, setLoaded] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    api.ticketSettings(abort.signal).then(
      (s) => {
        form.setFieldsValue(s);
        setLoaded(true);
      },
      (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      },
    );
    return () => abort.abort();
  }, [api, form, notifyError]);

  const save = async (v: TicketSettings) => {
    setSaving(true);
    try {
      await api.saveTicketSettings({ reopenDays: v.reopenDays, notifyCustomer: v.notifyCustomer });
      message.success(t('ticketSettings.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card loading={!loaded}>
      <Form<TicketSettings> form={form} layout="vertical" onFinish={save} style={{ maxWidth: 520 }}>
        <Form.Item
          name="reopenDays"
          label={t('ticketSettings.reopenDays')}
          extra={t('ticketSettings.reopenDaysHelp')}
          rules={[{ required: true }]}
        >
          <InputNumber min={0} max={365} precision={0} data-testid="ticket-reopen-days" />
        </Form.Item>
        <Form.Item name="notifyCustomer" label={t('ticketSettings.notifyCustomer')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="ticket-settings-save">
          {t('ticketSettings.save')}
        </Button>
      </Form>
    </Card>
  );
}

export function TicketSettingsPage() {
  const { t } = useI18n();
  return (
    <div className="zk-page" data-testid="ticket-settings">
      <Typography.Title level={3}>{t('ticketSettings.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('ticketSettings.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'fields', label: t('ticketSettings.tab.fields'), children: <TicketFieldsTab /> },
          { key: 'rules', label: t('ticketSettings.tab.rules'), children: <TicketRulesTab /> },
          { key: 'general', label: t('ticketSettings.tab.general'), children: <GeneralTab /> },
        ]}
      />
    </div>
  );
}
