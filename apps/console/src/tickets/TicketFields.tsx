// A ticket's custom fields (the workspace's own, labelled in the console's language) with an input per
// kind for people who work tickets, and what the bot's form collected (personal values arrive masked).
import { EditOutlined } from '@ant-design/icons';
import type { TicketFieldDefinition } from '@zhike/contracts';
import { Button, DatePicker, Descriptions, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { fieldLabel } from './ticketLabels.ts';

type Value = string | number;
type Props = {
  customFields: Readonly<Record<string, Value>>;
  formFields: Readonly<Record<string, string>>;
  /** The workspace's definitions; null while loading. */
  definitions: readonly TicketFieldDefinition[] | null;
  /** Saves changed values ('' clears one); null: read-only. Resolves false when it failed. */
  onSave: ((values: Record<string, Value>) => Promise<boolean>) | null;
};

/** `warranty_until` → `warranty until`: keys are lower-case with underscores. */
const keyLabel = (key: string) => key.replace(/_/g, ' ');

function FieldInput({ field }: { field: TicketFieldDefinition }) {
  const rules = field.required ? [{ required: true }] : [];
  const name = field.key;
  switch (field.kind) {
    case 'number':
      return (
        <Form.Item name={name} rules={rules} noStyle>
          <InputNumber style={{ width: '100%' }} data-testid={`ticket-field-${name}`} />
        </Form.Item>
      );
    case 'select':
      return (
        <Form.Item name={name} rules={rules} noStyle>
          <Select
            allowClear={!field.required}
            style={{ width: '100%' }}
            data-testid={`ticket-field-${name}`}
            options={field.options.map((o) => ({ value: o, label: o }))}
          />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item name={name} rules={rules} noStyle>
          <DatePicker style={{ width: '100%' }} data-testid={`ticket-field-${name}`} />
        </Form.Item>
      );
    case 'text':
      return (
        <Form.Item name={name} rules={rules} noStyle>
          <Input maxLength={2000} data-testid={`ticket-field-${name}`} />
        </Form.Item>
      );
  }
}

export function TicketFields({ customFields, formFields, definitions, onSave }: Props) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Record<string, Value | Dayjs | null | undefined>>();
  const byKey = new Map((definitions ?? []).map((d) => [d.key, d]));
  const active = (definitions ?? []).filter((d) => !d.archived);
  // Values the ticket holds first in the definitions' order, then any whose field was archived or removed.
  const shown = [
    ...active.filter((d) => customFields[d.key] !== undefined).map((d) => d.key),
    ...Object.keys(customFields).filter((k) => !active.some((d) => d.key === k)),
  ];
  const form_ = Object.entries(formFields);
  const editable = onSave !== null && active.length > 0;
  if (shown.length === 0 && form_.length === 0 && !editable) return null;

  const start = () => {
    form.setFieldsValue(
      Object.fromEntries(
        active.map((d) => {
          const v = customFields[d.key];
          return [d.key, d.kind === 'date' && typeof v === 'string' ? dayjs(v) : v];
        }),
      ),
    );
    setEditing(true);
  };

  const save = async (values: Record<string, Value | Dayjs | null | undefined>) => {
    if (!onSave) return;
    const changed: Record<string, Value> = {};
    for (const d of active) {
      const raw = values[d.key];
      const next: Value =
        raw === null || raw === undefined ? '' : dayjs.isDayjs(raw) ? raw.format('YYYY-MM-DD') : raw;
      if (next !== (customFields[d.key] ?? '')) changed[d.key] = next;
    }
    if (Object.keys(changed).length === 0) return setEditing(false);
    setSaving(true);
    const ok = await onSave(changed);
    setSaving(false);
    if (ok) setEditing(false);
  };

  return (
    <>
      {(shown.length > 0 || editable) && (
        <div data-testid="ticket-custom-fields">
          <Space size={4}>
            <Typography.Text strong>{t('tickets.detail.customFields')}</Typography.Text>
            {editable && !editing && (
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                onClick={start}
                data-testid="ticket-custom-fields-edit"
                aria-label={t('tickets.detail.editFields')}
              />
            )}
          </Space>
          {editing ? (
            <Form form={form} layout="vertical" onFinish={save} style={{ marginTop: 8 }}>
              {active.map((d) => (
                <Form.Item key={d.key} label={fieldLabel(d, d.key, locale)} required={d.required}>
                  <FieldInput field={d} />
                </Form.Item>
              ))}
              <Space>
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={saving}
                  data-testid="ticket-custom-fields-save"
                >
                  {t('tickets.detail.saveFields')}
                </Button>
                <Button onClick={() => setEditing(false)}>{t('tickets.detail.cancel')}</Button>
              </Space>
            </Form>
          ) : shown.length > 0 ? (
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              {shown.map((key) => (
                <Descriptions.Item key={key} label={fieldLabel(byKey.get(key), key, locale)}>
                  {String(customFields[key])}
                </Descriptions.Item>
              ))}
            </Descriptions>
          ) : (
            <Typography.Paragraph type="secondary">{t('tickets.detail.noCustomFields')}</Typography.Paragraph>
          )}
        </div>
      )}
      {form_.length > 0 && (
        <div data-testid="ticket-form-fields">
          <Typography.Text strong>{t('tickets.detail.formFields')}</Typography.Text>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            {form_.map(([key, value]) => (
              <Descriptions.Item key={key} label={keyLabel(key)}>
                {value}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </div>
      )}
    </>
  );
}
