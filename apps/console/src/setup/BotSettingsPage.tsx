// #/settings/bot: everything the wizard set, editable later (template, values, hours, order numbers, on/off).
import type { BotSettingsView, TemplateSummary } from '@zhike/contracts';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Result,
  Select,
  Skeleton,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { HoursFields, readHours } from './HoursFields.tsx';
import { fromBusinessHours, type HoursForm, toBusinessHours } from './hours.ts';
import { templateName, templateVariables } from './templates.ts';
import { useBotSetup } from './useBotSetup.ts';
import './setup.css';

type Values = {
  templateId: string;
  botEnabled: boolean;
  variables: Record<string, string>;
  hoursEnabled: boolean;
  hours: HoursForm;
  orderNumberPattern: string;
};

export function BotSettingsPage({ navigate }: { navigate: (route: Route) => void }) {
  const { t } = useI18n();
  const [data, replace] = useBotSetup();
  if (data.phase === 'loading') return <Skeleton active className="zk-page" />;
  if (data.phase === 'failed') return <Result status="warning" title={t('setup.loadFailed')} />;
  if (!data.settings.configured)
    return (
      <Result
        title={t('botSettings.notConfigured')}
        extra={
          <Button
            type="primary"
            onClick={() => navigate({ name: 'setup' })}
            data-testid="bot-settings-wizard"
          >
            {t('botSettings.runWizard')}
          </Button>
        }
      />
    );
  return <SettingsForm templates={data.templates} settings={data.settings} onSaved={replace} />;
}

type FormProps = {
  templates: TemplateSummary[];
  settings: BotSettingsView;
  onSaved: (settings: BotSettingsView) => void;
};

function SettingsForm({ templates, settings, onSaved }: FormProps) {
  const { t, locale: uiLocale } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const templateId = Form.useWatch('templateId', form) ?? settings.templateId ?? '';
  const hoursEnabled = Form.useWatch('hoursEnabled', form) ?? settings.businessHours !== null;
  const template = templates.find((x) => x.id === templateId);
  const variables = useMemo(
    () => (template ? templateVariables(template, uiLocale, settings.locale) : []),
    [template, uiLocale, settings.locale],
  );

  const valueFor = (key: string, fallback: string) =>
    settings.templateId === templateId ? (settings.variables[key] ?? fallback) : fallback;

  const onFinish = async (values: Values) => {
    const declared = new Set(variables.map((v) => v.key));
    const filled: Record<string, string> = {};
    for (const [key, value] of Object.entries(values.variables ?? {}))
      if (declared.has(key) && value.trim() !== '') filled[key] = value.trim();
    setSaving(true);
    try {
      const saved = await api.saveBotSettings({
        templateId: values.templateId,
        variables: filled,
        businessHours: values.hoursEnabled
          ? toBusinessHours(readHours(values.hours), settings.businessHours?.timeZone)
          : null,
        orderNumberPattern: values.orderNumberPattern.trim() === '' ? null : values.orderNumberPattern.trim(),
        botEnabled: values.botEnabled,
      });
      onSaved(saved);
      message.success(t('botSettings.saved', { version: saved.version }));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="zk-page zk-setup" data-testid="bot-settings">
      <Typography.Title level={3}>
        {t('botSettings.title')} <Tag>{t('botSettings.version', { version: settings.version })}</Tag>
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('botSettings.intro')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={saving}
        onFinish={onFinish}
        initialValues={{
          templateId: settings.templateId ?? '',
          botEnabled: settings.botEnabled,
          hoursEnabled: settings.businessHours !== null,
          hours: fromBusinessHours(settings.businessHours),
          orderNumberPattern: settings.orderNumberPattern ?? '',
        }}
      >
        <Card className="zk-setup-body">
          <Form.Item
            name="botEnabled"
            label={t('botSettings.enabled')}
            extra={t('botSettings.enabledHelp')}
            valuePropName="checked"
          >
            <Switch data-testid="bot-settings-enabled" />
          </Form.Item>
          <Form.Item name="templateId" label={t('botSettings.template')} rules={[{ required: true }]}>
            <Select
              options={templates.map((x) => ({ value: x.id, label: templateName(x, uiLocale) }))}
              data-testid="bot-settings-template"
            />
          </Form.Item>
        </Card>
        <Card className="zk-setup-body" title={t('botSettings.variables')}>
          {variables.map((v) => (
            <Form.Item
              key={`${templateId}:${v.key}`}
              name={['variables', v.key]}
              label={v.label}
              initialValue={valueFor(v.key, v.default)}
            >
              <Input.TextArea
                autoSize={{ minRows: 1, maxRows: 6 }}
                maxLength={2000}
                data-testid={`bot-settings-${v.key}`}
              />
            </Form.Item>
          ))}
        </Card>
        <Card className="zk-setup-body">
          <Form.Item name="hoursEnabled" valuePropName="checked">
            <Checkbox data-testid="bot-settings-hours-enabled">{t('botSettings.hoursEnabled')}</Checkbox>
          </Form.Item>
          {hoursEnabled && <HoursFields botLocale={settings.locale} />}
          <Form.Item
            name="orderNumberPattern"
            label={t('botSettings.orderPattern')}
            extra={t('botSettings.orderPatternHelp')}
          >
            <Input maxLength={200} className="zk-setup-pattern" data-testid="bot-settings-order-pattern" />
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="bot-settings-save">
          {t('botSettings.save')}
        </Button>
      </Form>
    </div>
  );
}
