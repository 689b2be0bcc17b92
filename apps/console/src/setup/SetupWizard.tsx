// #/setup: the zero-code setup wizard. Industry → shop details and hours → policies (saving applies the
// template) → widget snippet → try the real bot in the real widget → finished.
import type { BotSettingsView, Inbox, TemplateSummary, UpdateBotSettingsBody } from '@zhike/contracts';
import { App, Button, Card, Form, Input, Result, Skeleton, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { HoursFields, readHours } from './HoursFields.tsx';
import { fromBusinessHours, type HoursForm, hoursText, toBusinessHours } from './hours.ts';
import { IndustryStep } from './IndustryStep.tsx';
import { SnippetStep } from './SnippetStep.tsx';
import { TryItStep } from './TryItStep.tsx';
import { HOURS_KEY, isPolicyKey, keptValues, SHOP_KEYS, templateVariables } from './templates.ts';
import { useBotSetup } from './useBotSetup.ts';
import './setup.css';

type ShopValues = { 'shop.name'?: string; 'shop.phone'?: string; 'shop.address'?: string; hours: HoursForm };

export function SetupWizard({ navigate }: { navigate: (route: Route) => void }) {
  const { t } = useI18n();
  const [data, replaceSettings] = useBotSetup();
  if (data.phase === 'loading') return <Skeleton active className="zk-page" />;
  if (data.phase === 'failed') return <Result status="warning" title={t('setup.loadFailed')} />;
  return (
    <Wizard
      templates={data.templates}
      settings={data.settings}
      onSaved={replaceSettings}
      onDone={() => navigate({ name: 'inbox', conversationId: null })}
    />
  );
}

type WizardProps = {
  templates: TemplateSummary[];
  settings: BotSettingsView;
  onSaved: (settings: BotSettingsView) => void;
  onDone: () => void;
};

function Wizard({ templates, settings, onSaved, onDone }: WizardProps) {
  const { t, locale: uiLocale } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const botLocale = settings.locale;
  const [step, setStep] = useState(0);
  const [templateId, setTemplateId] = useState<string | null>(settings.templateId);
  const [shop, setShop] = useState<ShopValues | null>(null);
  const [busy, setBusy] = useState(false);
  const [widgetInbox, setWidgetInbox] = useState<Inbox | null>(null);
  const [shopForm] = Form.useForm<ShopValues>();
  const [policyForm] = Form.useForm<Record<string, string>>();

  const template = templates.find((x) => x.id === templateId) ?? null;
  const variables = useMemo(
    () => (template ? templateVariables(template, uiLocale, botLocale) : []),
    [template, uiLocale, botLocale],
  );
  const declared = new Set(variables.map((v) => v.key));
  const saved = (key: string) => (settings.templateId === templateId ? settings.variables[key] : undefined);

  useEffect(() => {
    let cancelled = false;
    api.listInboxes().then(
      (list) => !cancelled && setWidgetInbox(list.inboxes.find((i) => i.channel === 'widget') ?? null),
      (error: unknown) => !cancelled && notifyError(error),
    );
    return () => {
      cancelled = true;
    };
  }, [api, notifyError]);

  const chooseIndustry = (id: string) => {
    if (id !== templateId) {
      setShop(null);
      policyForm.resetFields();
    }
    setTemplateId(id);
    setStep(1);
  };

  const shopInitial: ShopValues = {
    'shop.name': saved('shop.name') ?? session.workspace.name,
    'shop.phone': saved('shop.phone') ?? '',
    'shop.address': saved('shop.address') ?? '',
    hours: fromBusinessHours(settings.businessHours),
  };

  const applyTemplate = async (policies: Record<string, string>) => {
    if (!template || !shop) return;
    const hours = readHours(shop.hours);
    const values: Record<string, string> = { ...keptValues(template, settings) };
    for (const key of SHOP_KEYS) {
      const value = shop[key]?.trim();
      if (declared.has(key) && value) values[key] = value;
    }
    if (declared.has(HOURS_KEY)) values[HOURS_KEY] = hoursText(hours, botLocale);
    for (const [key, value] of Object.entries(policies)) if (declared.has(key)) values[key] = value.trim();
    const body: UpdateBotSettingsBody = {
      templateId: template.id,
      variables: values,
      businessHours: toBusinessHours(hours, settings.businessHours?.timeZone),
      orderNumberPattern: settings.templateId === template.id ? settings.orderNumberPattern : null,
      botEnabled: settings.botEnabled,
    };
    setBusy(true);
    try {
      onSaved(await api.saveBotSettings(body));
      message.success(t('setup.saved'));
      setStep(3);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const finish = async () => {
    setBusy(true);
    try {
      await api.completeSetup();
      onDone();
    } catch (error) {
      notifyError(error);
      setBusy(false);
    }
  };

  const policies = variables.filter((v) => isPolicyKey(v.key));
  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('setup.shop.required', { field }),
  });
  const back = (
    <Button onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={busy} data-testid="setup-back">
      {t('setup.back')}
    </Button>
  );

  return (
    <div className="zk-page zk-setup" data-testid="setup-wizard">
      <Typography.Title level={3}>{t('setup.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
      <Steps
        current={step}
        className="zk-setup-steps"
        items={[
          { title: t('setup.step.industry') },
          { title: t('setup.step.shop') },
          { title: t('setup.step.policies') },
          { title: t('setup.step.snippet') },
          { title: t('setup.step.try') },
        ]}
      />
      <Card className="zk-setup-body">
        {step === 0 && <IndustryStep templates={templates} selected={templateId} onChoose={chooseIndustry} />}

        {step === 1 && template && (
          <Form<ShopValues>
            form={shopForm}
            layout="vertical"
            initialValues={shop ?? shopInitial}
            onFinish={(values) => {
              setShop(values);
              setStep(2);
            }}
            data-testid="setup-shop-form"
          >
            <Typography.Title level={4}>{t('setup.shop.title')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('setup.shop.help')}</Typography.Paragraph>
            {SHOP_KEYS.filter((key) => declared.has(key)).map((key) => {
              const label = t(
                key === 'shop.name'
                  ? 'setup.shop.name'
                  : key === 'shop.phone'
                    ? 'setup.shop.phone'
                    : 'setup.shop.address',
              );
              const example = variables.find((v) => v.key === key)?.default;
              return (
                <Form.Item key={key} name={key} label={label} rules={[required(label)]}>
                  <Input
                    placeholder={example}
                    maxLength={200}
                    data-testid={`setup-${key.replace('.', '-')}`}
                  />
                </Form.Item>
              );
            })}
            <Typography.Title level={5}>{t('setup.hours.title')}</Typography.Title>
            <HoursFields botLocale={botLocale} />
            <Space>
              {back}
              <Button type="primary" htmlType="submit" data-testid="setup-next">
                {t('setup.next')}
              </Button>
            </Space>
          </Form>
        )}

        {step === 2 && template && (
          <Form<Record<string, string>>
            form={policyForm}
            layout="vertical"
            initialValues={Object.fromEntries(policies.map((v) => [v.key, saved(v.key) ?? v.default]))}
            onFinish={applyTemplate}
            disabled={busy}
            data-testid="setup-policy-form"
          >
            <Typography.Title level={4}>{t('setup.policies.title')}</Typography.Title>
            <Typography.Paragraph type="secondary">
              {policies.length > 0 ? t('setup.policies.help') : t('setup.policies.none')}
            </Typography.Paragraph>
            {policies.map((v) => (
              <Form.Item key={v.key} name={v.key} label={v.label} rules={[required(v.label)]}>
                <Input.TextArea
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  maxLength={2000}
                  data-testid={`setup-${v.key}`}
                />
              </Form.Item>
            ))}
            <Space>
              {back}
              <Button type="primary" htmlType="submit" loading={busy} data-testid="setup-apply">
                {t('setup.apply')}
              </Button>
            </Space>
          </Form>
        )}

        {step === 3 && (
          <>
            <SnippetStep inbox={widgetInbox} />
            <Space className="zk-setup-actions">
              {back}
              <Button type="primary" onClick={() => setStep(4)} data-testid="setup-next">
                {t('setup.next')}
              </Button>
            </Space>
          </>
        )}

        {step === 4 && (
          <>
            <TryItStep widgetToken={widgetInbox?.widgetToken ?? null} botLocale={botLocale} />
            <Space className="zk-setup-actions">
              {back}
              <Button type="primary" onClick={finish} loading={busy} data-testid="setup-finish">
                {t('setup.finish')}
              </Button>
            </Space>
          </>
        )}
      </Card>
    </div>
  );
}
