// #/settings/do-not-call: numbers no campaign ever calls. Supervisors read it; admins add and remove.
import type { DoNotCallEntry } from '@zhike/contracts';
import { App, Button, Card, Form, Input, Popconfirm, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';

type AddShape = { phone: string; reason: string };

export function DoNotCallPage() {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manages = can(session, 'campaigns.manage');
  const [form] = Form.useForm<AddShape>();
  const [entries, setEntries] = useState<DoNotCallEntry[] | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    try {
      setEntries((await api.listDoNotCall()).entries);
    } catch (error) {
      notifyError(error);
    }
  }, [api, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  const add = async (values: AddShape) => {
    setSaving(true);
    try {
      const { entry } = await api.addDoNotCall({
        phone: values.phone.trim(),
        reason: (values.reason ?? '').trim(),
      });
      setEntries((prev) => [entry, ...(prev ?? []).filter((e) => e.id !== entry.id)]);
      form.resetFields();
      message.success(t('dnc.added'));
    } catch (error) {
      // The server names the field it refused (body/phone: not a phone number).
      const fields =
        error instanceof ApiError
          ? error.fieldErrors.flatMap((f) => {
              const name = f.path.split('/').at(-1);
              return name === 'phone' || name === 'reason'
                ? [{ name: name as keyof AddShape, errors: [f.message] }]
                : [];
            })
          : [];
      if (fields.length > 0) form.setFields(fields);
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.removeDoNotCall(id);
      setEntries((prev) => (prev ?? []).filter((e) => e.id !== id));
      message.success(t('dnc.removed'));
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('campaigns.tab.doNotCall')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('dnc.intro')}</Typography.Paragraph>
      <Card>
        {manages && (
          <Form<AddShape>
            form={form}
            layout="inline"
            onFinish={add}
            style={{ marginBottom: 16 }}
            data-testid="dnc-form"
          >
            <Form.Item name="phone" rules={[{ required: true, message: t('campaigns.form.required') }]}>
              <Input placeholder={t('dnc.phone')} maxLength={32} data-testid="dnc-phone" />
            </Form.Item>
            <Form.Item name="reason">
              <Input
                placeholder={t('dnc.reason')}
                maxLength={200}
                style={{ width: 280 }}
                data-testid="dnc-reason"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="dnc-add">
              {t('dnc.add')}
            </Button>
          </Form>
        )}
        <Table<DoNotCallEntry>
          rowKey="id"
          size="middle"
          data-testid="dnc-list"
          loading={entries === null}
          dataSource={entries ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('dnc.empty') }}
          columns={[
            { title: t('dnc.phone'), dataIndex: 'phone' },
            { title: t('dnc.reason'), dataIndex: 'reason' },
            {
              title: t('dnc.col.addedAt'),
              dataIndex: 'createdAt',
              render: (at: string) => formatDateTime(at, locale),
            },
            ...(manages
              ? [
                  {
                    title: t('campaigns.col.actions'),
                    render: (_: unknown, e: DoNotCallEntry) => (
                      <Popconfirm
                        title={t('dnc.removeConfirm')}
                        okText={t('dnc.remove')}
                        cancelText={t('campaigns.action.cancelKeep')}
                        onConfirm={() => remove(e.id)}
                      >
                        <Button size="small" danger>
                          {t('dnc.remove')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
