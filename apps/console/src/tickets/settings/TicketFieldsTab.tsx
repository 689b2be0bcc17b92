// The workspace's custom ticket fields: add one (key and kind are fixed afterwards, since tickets store
// values under them), change labels, options, required and order, archive or restore.
import type { TicketFieldBody, TicketFieldDefinition } from '@zhike/contracts';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/I18nContext.tsx';
import { useSignedIn } from '../../session/SessionContext.tsx';
import { useNotifyError } from '../../ui/useNotifyError.ts';

type Kind = TicketFieldDefinition['kind'];
const kinds: readonly Kind[] = ['text', 'number', 'select', 'date'];
type Shape = {
  key: string;
  label: string;
  labelEn?: string;
  kind: Kind;
  options?: string[];
  required: boolean;
  position?: number;
};

export function TicketFieldsTab() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [fields, setFields] = useState<TicketFieldDefinition[] | null>(null);
  const [editing, setEditing] = useState<TicketFieldDefinition | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Shape>();
  const kind = Form.useWatch('kind', form);

  const load = useCallback(async () => {
    try {
      setFields((await api.listTicketFields()).fields);
    } catch (error) {
      notifyError(error);
    }
  }, [api, notifyError]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = (field: TicketFieldDefinition | 'new') => {
    form.resetFields();
    if (field !== 'new')
      form.setFieldsValue({
        key: field.key,
        label: field.label,
        labelEn: field.labelEn ?? '',
        kind: field.kind,
        options: field.options,
        required: field.required,
        position: field.position,
      });
    else form.setFieldsValue({ kind: 'text', required: false });
    setEditing(field);
  };

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await load();
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    }
  };

  const save = async (v: Shape) => {
    setSaving(true);
    const common = {
      label: v.label.trim(),
      labelEn: v.labelEn?.trim() || null,
      ...(v.kind === 'select' ? { options: v.options ?? [] } : {}),
      required: v.required,
      ...(v.position !== undefined && v.position !== null ? { position: v.position } : {}),
    };
    const ok = await run(() =>
      editing === 'new'
        ? api.createTicketField({ ...common, key: v.key.trim(), kind: v.kind } satisfies TicketFieldBody)
        : editing
          ? api.updateTicketField(editing.id, common)
          : Promise.resolve(),
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => open('new')} data-testid="ticket-field-add">
          {t('ticketSettings.fields.add')}
        </Button>
      </Space>
      <Table<TicketFieldDefinition>
        rowKey="id"
        size="small"
        loading={fields === null}
        dataSource={fields ?? []}
        pagination={false}
        data-testid="ticket-fields"
        columns={[
          {
            title: t('ticketSettings.fields.key'),
            dataIndex: 'key',
            render: (k: string) => <code>{k}</code>,
          },
          { title: t('ticketSettings.fields.label'), dataIndex: 'label' },
          {
            title: t('ticketSettings.fields.labelEn'),
            dataIndex: 'labelEn',
            render: (l: string | null) => l ?? '—',
          },
          {
            title: t('ticketSettings.fields.kind'),
            dataIndex: 'kind',
            render: (k: Kind, f) => (
              <>
                {t(`ticketSettings.kind.${k}`)}
                {f.options.length > 0 && ` (${f.options.join(' / ')})`}
              </>
            ),
          },
          {
            title: t('ticketSettings.fields.state'),
            render: (_: unknown, f) => (
              <Space size={4}>
                {f.required && <Tag color="blue">{t('ticketSettings.fields.required')}</Tag>}
                {f.archived && <Tag>{t('ticketSettings.fields.archived')}</Tag>}
              </Space>
            ),
          },
          {
            title: '',
            align: 'right',
            render: (_: unknown, f) => (
              <Space size={4}>
                <Button size="small" onClick={() => open(f)}>
                  {t('ticketSettings.edit')}
                </Button>
                {f.archived ? (
                  <Button
                    size="small"
                    onClick={() => void run(() => api.updateTicketField(f.id, { archived: false }))}
                  >
                    {t('ticketSettings.fields.restore')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('ticketSettings.fields.archiveConfirm')}
                    onConfirm={() => run(() => api.archiveTicketField(f.id))}
                  >
                    <Button size="small" danger>
                      {t('ticketSettings.fields.archive')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t(editing === 'new' ? 'ticketSettings.fields.add' : 'ticketSettings.fields.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving }}
        forceRender
      >
        <Form<Shape> form={form} layout="vertical" onFinish={save} data-testid="ticket-field-form">
          <Form.Item
            name="key"
            label={t('ticketSettings.fields.key')}
            extra={t('ticketSettings.fields.keyHelp')}
            rules={[
              {
                required: true,
                pattern: /^[a-z][a-z0-9_]{0,39}$/,
                message: t('ticketSettings.fields.keyInvalid'),
              },
            ]}
          >
            <Input disabled={editing !== 'new'} maxLength={40} data-testid="ticket-field-key" />
          </Form.Item>
          <Form.Item
            name="label"
            label={t('ticketSettings.fields.label')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={60} data-testid="ticket-field-label" />
          </Form.Item>
          <Form.Item name="labelEn" label={t('ticketSettings.fields.labelEn')}>
            <Input maxLength={60} data-testid="ticket-field-label-en" />
          </Form.Item>
          <Form.Item name="kind" label={t('ticketSettings.fields.kind')} rules={[{ required: true }]}>
            <Select
              data-testid="ticket-field-kind"
              disabled={editing !== 'new'}
              options={kinds.map((k) => ({ value: k, label: t(`ticketSettings.kind.${k}`) }))}
            />
          </Form.Item>
          {kind === 'select' && (
            <Form.Item
              name="options"
              label={t('ticketSettings.fields.options')}
              extra={t('ticketSettings.fields.optionsHelp')}
              rules={[{ required: true, type: 'array', min: 1 }]}
            >
              <Select
                mode="tags"
                tokenSeparators={[',', '，']}
                open={false}
                data-testid="ticket-field-options"
              />
            </Form.Item>
          )}
          <Form.Item name="required" label={t('ticketSettings.fields.required')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="position" label={t('ticketSettings.position')}>
            <InputNumber min={0} max={10_000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
