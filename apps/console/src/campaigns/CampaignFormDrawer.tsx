// The new-campaign drawer: settings, the voice line, the script with its live count, quiet hours and
// pace, and the targets (picked customers and/or pasted numbers). Server validation lands on the fields.
import type { CampaignCreated, Inbox } from '@zhike/contracts';
import {
  Alert,
  Button,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import {
  type CampaignFormValues,
  type CustomerChoice,
  customerChoices,
  defaultFormValues,
  fieldOfProblemDetail,
  fieldOfProblemPath,
  parsePhoneList,
  SCRIPT_MAX,
  toCampaignBody,
} from './campaignForm.ts';

type Props = { open: boolean; onClose: () => void; onCreated: (created: CampaignCreated) => void };
type FormShape = Omit<CampaignFormValues, 'customers'> & { customerIds: string[] };

const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai'];
  }
})();

export function CampaignFormDrawer({ open, onClose, onCreated }: Props) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormShape>();
  const [voiceInboxes, setVoiceInboxes] = useState<Inbox[] | null>(null);
  const [customers, setCustomers] = useState<CustomerChoice[]>([]);
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const script = Form.useWatch('script', form) ?? '';
  const purpose = Form.useWatch('purpose', form);
  const quietOn = Form.useWatch('quietHoursOn', form);
  const phonesText = Form.useWatch('phonesText', form) ?? '';
  const parsed = useMemo(() => parsePhoneList(phonesText), [phonesText]);

  useEffect(() => {
    if (!open) return;
    const { customers: _picked, ...defaults } = defaultFormValues(locale);
    form.resetFields();
    form.setFieldsValue({ ...defaults, customerIds: [] });
    const controller = new AbortController();
    void (async () => {
      try {
        const [inboxes, conversations] = await Promise.all([
          api.listInboxes(),
          api.listConversations({ assignee: 'all', limit: 200 }, controller.signal),
        ]);
        const voice = inboxes.inboxes.filter((i) => i.channel === 'voice');
        setVoiceInboxes(voice);
        if (voice.length === 1 && voice[0]) form.setFieldValue('inboxId', voice[0].id);
        setCustomers(customerChoices(conversations.conversations));
      } catch (error) {
        notifyError(error);
      }
    })();
    return () => controller.abort();
  }, [open, api, form, locale, notifyError]);

  const importCsv = async (file: File) => {
    const text = await file.text();
    const current: string = form.getFieldValue('phonesText') ?? '';
    form.setFieldValue('phonesText', current.trim() ? `${current.trim()}\n${text}` : text);
  };

  const submit = async (shape: FormShape) => {
    const conversationOf = new Map(customers.map((c) => [c.customerId, c.conversationId]));
    const { customerIds, ...rest } = shape;
    const values: CampaignFormValues = {
      ...rest,
      customers: customerIds.map((id) => ({
        customerId: id,
        conversationId: conversationOf.get(id) ?? null,
      })),
    };
    const body = toCampaignBody(values);
    if (body.customers.length === 0 && body.phones.length === 0) {
      form.setFields([{ name: 'phonesText', errors: [t('campaigns.form.noTargets')] }]);
      return;
    }
    setSaving(true);
    try {
      onCreated(await api.createCampaign(body));
    } catch (error) {
      const fields = problemFields(error);
      if (fields.length > 0) form.setFields(fields);
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const required = [{ required: true, message: t('campaigns.form.required') }];
  return (
    <Drawer
      open={open}
      width={640}
      title={t('campaigns.form.title')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('campaigns.form.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="campaign-submit">
            {t('campaigns.form.submit')}
          </Button>
        </Space>
      }
    >
      <Form<FormShape> form={form} layout="vertical" onFinish={submit} data-testid="campaign-form">
        <Form.Item name="name" label={t('campaigns.form.name')} rules={required}>
          <Input maxLength={80} data-testid="campaign-name" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="kind" label={t('campaigns.form.kind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'survey', label: t('campaigns.kind.survey') },
                { value: 'notification', label: t('campaigns.kind.notification') },
              ]}
            />
          </Form.Item>
          <Form.Item name="purpose" label={t('campaigns.form.purpose')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'service', label: t('campaigns.purpose.service') },
                { value: 'marketing', label: t('campaigns.purpose.marketing') },
              ]}
            />
          </Form.Item>
        </Space>
        {purpose === 'marketing' && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('campaigns.form.purposeMarketingHint')}
          />
        )}
        <Form.Item name="inboxId" label={t('campaigns.form.inbox')} rules={required}>
          <Select
            data-testid="campaign-inbox"
            loading={voiceInboxes === null}
            options={(voiceInboxes ?? []).map((i) => ({ value: i.id, label: i.name }))}
            notFoundContent={t('campaigns.form.noVoiceInbox')}
          />
        </Form.Item>
        {voiceInboxes?.length === 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('campaigns.form.noVoiceInbox')}
          />
        )}
        <Form.Item
          name="script"
          label={t('campaigns.form.script')}
          rules={required}
          extra={
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <span>{t('campaigns.form.scriptHint')}</span>
              <Typography.Text
                type={script.length > SCRIPT_MAX ? 'danger' : 'secondary'}
                data-testid="campaign-script-count"
              >
                {t('campaigns.form.scriptCount', { n: script.length, max: SCRIPT_MAX })}
              </Typography.Text>
            </Space>
          }
        >
          <Input.TextArea rows={4} data-testid="campaign-script" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="language" label={t('campaigns.form.language')}>
            <Select
              style={{ width: 140 }}
              options={(['zh-CN', 'en-US'] as const).map((l) => ({
                value: l,
                label: t(`campaigns.form.language.${l}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="timeZone" label={t('campaigns.form.timeZone')} rules={required}>
            <Select style={{ width: 240 }} showSearch options={zones.map((z) => ({ value: z, label: z }))} />
          </Form.Item>
        </Space>
        <Form.Item label={t('campaigns.form.quietHours')} extra={t('campaigns.form.quietHoursHint')}>
          <Space wrap>
            <Form.Item name="quietHoursOn" valuePropName="checked" noStyle>
              <Switch />
            </Form.Item>
            <Form.Item name="quietStart" noStyle rules={quietOn ? required : []}>
              <Input
                type="time"
                disabled={!quietOn}
                style={{ width: 130 }}
                aria-label={t('campaigns.form.quietStart')}
              />
            </Form.Item>
            <span>–</span>
            <Form.Item name="quietEnd" noStyle rules={quietOn ? required : []}>
              <Input
                type="time"
                disabled={!quietOn}
                style={{ width: 130 }}
                aria-label={t('campaigns.form.quietEnd')}
              />
            </Form.Item>
          </Space>
        </Form.Item>
        <Space size="middle" wrap>
          <Form.Item name="callsPerMinute" label={t('campaigns.form.callsPerMinute')}>
            <InputNumber min={1} max={60} precision={0} />
          </Form.Item>
          <Form.Item name="maxConcurrent" label={t('campaigns.form.maxConcurrent')}>
            <InputNumber min={1} max={20} precision={0} />
          </Form.Item>
          <Form.Item name="maxAttempts" label={t('campaigns.form.maxAttempts')}>
            <InputNumber min={1} max={5} precision={0} />
          </Form.Item>
          <Form.Item name="retryDelayMinutes" label={t('campaigns.form.retryDelay')}>
            <InputNumber min={1} max={1440} precision={0} />
          </Form.Item>
        </Space>
        <Divider>{t('campaigns.form.targets')}</Divider>
        <Form.Item
          name="customerIds"
          label={t('campaigns.form.customers')}
          extra={t('campaigns.form.customersHint')}
        >
          <Select
            mode="multiple"
            showSearch
            placeholder={t('campaigns.form.customersSearch')}
            optionFilterProp="label"
            options={customers.map((c) => ({
              value: c.customerId,
              label: c.name ?? `${t('campaigns.form.customerNoName')} ${c.customerId.slice(-6)}`,
            }))}
            data-testid="campaign-customers"
          />
        </Form.Item>
        <Form.Item
          name="phonesText"
          label={t('campaigns.form.phones')}
          extra={
            <Space wrap>
              <span>{t('campaigns.form.phonesHint')}</span>
              <Typography.Text type="secondary" data-testid="campaign-phones-count">
                {t('campaigns.form.phonesCount', { n: parsed.phones.length })}
                {parsed.skippedLines > 0 && t('campaigns.form.phonesSkipped', { n: parsed.skippedLines })}
              </Typography.Text>
              <Button size="small" onClick={() => fileInput.current?.click()}>
                {t('campaigns.form.importCsv')}
              </Button>
            </Space>
          }
        >
          <Input.TextArea rows={5} data-testid="campaign-phones" />
        </Form.Item>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          style={{ display: 'none' }}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importCsv(file).catch(notifyError);
          }}
        />
      </Form>
    </Drawer>
  );
}

/** Server problems placed on the form's fields: by the schema's paths, else by the field named in the detail. */
type FieldProblem = { name: keyof FormShape; errors: string[] };
const fieldName = (field: keyof CampaignFormValues | null): keyof FormShape | null =>
  field === 'customers' ? 'customerIds' : field;

function problemFields(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return [];
  const byPath = error.fieldErrors.flatMap((p) => {
    const name = fieldName(fieldOfProblemPath(p.path));
    return name ? [{ name, errors: [p.message] }] : [];
  });
  if (byPath.length > 0 || !error.detail) return byPath;
  const name = fieldName(fieldOfProblemDetail(error.detail));
  return name ? [{ name, errors: [error.detail] }] : [];
}
