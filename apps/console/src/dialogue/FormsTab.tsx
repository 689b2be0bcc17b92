// The forms: per form, the questions it asks (and which may be skipped), the policy text the bot states
// word for word before the customer confirms, and the confirmation and closing texts.
import type { DialogueFormView, DialogueView } from '@zhike/contracts';
import { Alert, Button, Card, Form, Input, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { FieldError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { FormEdit } from './draft.ts';
import type { SaveOutcome } from './useDialogue.ts';

function FormCard({
  form: shown,
  canManage,
  onSave,
  onReset,
}: {
  form: DialogueFormView;
  canManage: boolean;
  onSave: (edit: FormEdit) => Promise<SaveOutcome>;
  onReset: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<FormEdit>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<readonly FieldError[]>([]);

  useEffect(() => {
    form.setFieldsValue({
      slots: shown.slots.map((s) => ({ name: s.name, prompt: s.prompt, optional: s.optional })),
      policy: shown.policy ?? '',
      confirm: shown.confirm ?? '',
      done: shown.done,
    });
  }, [shown, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    const outcome = await onSave({
      slots: shown.slots.map((s, i) => ({
        name: s.name,
        prompt: values.slots[i]?.prompt ?? s.prompt,
        optional: values.slots[i]?.optional ?? s.optional,
      })),
      policy: values.policy ?? '',
      confirm: values.confirm ?? '',
      done: values.done ?? '',
    });
    setSaving(false);
    setProblems(outcome.ok ? [] : (outcome.problems ?? []));
  };

  return (
    <Card
      className="zk-section"
      data-testid={`dialogue-form-${shown.id}`}
      title={
        <Space>
          <span>{shown.id}</span>
          <Tag color={shown.origin === 'overridden' ? 'orange' : 'default'}>
            {t(`dialogue.origin.${shown.origin}`)}
          </Tag>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {t(`dialogue.form.submit.${shown.submit.action}`)}
          </Typography.Text>
        </Space>
      }
      extra={
        canManage && (
          <Space>
            {shown.origin === 'overridden' && (
              <Popconfirm title={t('dialogue.resetConfirm')} onConfirm={onReset}>
                <Button>{t('dialogue.reset')}</Button>
              </Popconfirm>
            )}
            <Button
              type="primary"
              loading={saving}
              onClick={() => void submit()}
              data-testid={`dialogue-form-save-${shown.id}`}
            >
              {t('dialogue.form.save')}
            </Button>
          </Space>
        )
      }
    >
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('dialogue.invalid')}
          description={problems
            .map((p) => `${p.path.replace(/^body\/overrides/, '')} ${p.message}`)
            .join('; ')}
        />
      )}
      <Form form={form} layout="vertical" disabled={!canManage}>
        <Typography.Text strong>{t('dialogue.form.slots')}</Typography.Text>
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          style={{ margin: '8px 0 16px' }}
          dataSource={shown.slots.map((s, index) => ({ ...s, index }))}
          columns={[
            { title: t('dialogue.form.slot'), dataIndex: 'name', width: 140 },
            {
              title: t('dialogue.form.prompt'),
              render: (_, s) => (
                <Form.Item
                  name={['slots', s.index, 'prompt']}
                  style={{ margin: 0 }}
                  rules={[{ required: true, whitespace: true, message: t('dialogue.required') }]}
                >
                  <Input maxLength={4000} />
                </Form.Item>
              ),
            },
            {
              title: t('dialogue.form.optional'),
              width: 90,
              render: (_, s) => (
                <Form.Item
                  name={['slots', s.index, 'optional']}
                  valuePropName="checked"
                  style={{ margin: 0 }}
                >
                  <Switch size="small" />
                </Form.Item>
              ),
            },
          ]}
        />
        <Form.Item name="policy" label={t('dialogue.form.policy')}>
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 12 }}
            maxLength={4000}
            data-testid={`dialogue-form-policy-${shown.id}`}
          />
        </Form.Item>
        <Form.Item name="confirm" label={t('dialogue.form.confirm')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} />
        </Form.Item>
        <Form.Item
          name="done"
          label={t('dialogue.form.done')}
          rules={[{ required: true, whitespace: true, message: t('dialogue.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} />
        </Form.Item>
      </Form>
    </Card>
  );
}

export function FormsTab({
  view,
  canManage,
  onSave,
  onReset,
}: {
  view: DialogueView;
  canManage: boolean;
  onSave: (form: DialogueFormView, edit: FormEdit) => Promise<SaveOutcome>;
  onReset: (form: DialogueFormView) => void;
}) {
  return (
    <div>
      {view.forms.map((f) => (
        <FormCard
          key={f.id}
          form={f}
          canManage={canManage}
          onSave={(edit) => onSave(f, edit)}
          onReset={() => onReset(f)}
        />
      ))}
    </div>
  );
}
