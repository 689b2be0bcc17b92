// Creates or edits one SLA policy: conditions, targets in minutes, counting mode and breach escalation.
import type { SlaPolicyView, User } from '@zhike/contracts';
import { App, Button, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { defaultPolicyValues, type PolicyFormValues, policyBody, policyValues } from './policyForm.ts';

type Props = { policy: SlaPolicyView | null; users: User[]; onClose: () => void; onSaved: () => void };

export function SlaPolicyDrawer({ policy, users, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<PolicyFormValues>();
  const [saving, setSaving] = useState(false);
  const any = { value: 'any', label: t('sla.any') };

  const save = async (values: PolicyFormValues) => {
    setSaving(true);
    try {
      const body = policyBody(values);
      if (policy) await api.updateSlaPolicy(policy.id, body);
      else await api.createSlaPolicy(body);
      message.success(t('sla.form.saved'));
      onSaved();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width={480}
      title={t(policy ? 'sla.form.editTitle' : 'sla.form.createTitle')}
      onClose={onClose}
      extra={
        <Space>
          <Button onClick={onClose}>{t('sla.form.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="sla-policy-save">
            {t('sla.form.save')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={policy ? policyValues(policy) : defaultPolicyValues}
        onFinish={(v) => void save(v)}
      >
        <Form.Item
          name="name"
          label={t('sla.form.name')}
          rules={[{ required: true, whitespace: true, max: 80 }]}
        >
          <Input data-testid="sla-policy-name" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="priority" label={t('sla.form.priority')}>
            <Select
              style={{ width: 120 }}
              options={[
                any,
                ...(['urgent', 'high', 'normal', 'low'] as const).map((p) => ({
                  value: p,
                  label: t(`sla.priority.${p}`),
                })),
              ]}
            />
          </Form.Item>
          <Form.Item name="customerTier" label={t('sla.form.tier')}>
            <Select
              style={{ width: 120 }}
              options={[
                any,
                ...(['vip', 'regular', 'new'] as const).map((v) => ({ value: v, label: t(`sla.tier.${v}`) })),
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item name="category" label={t('sla.form.category')} rules={[{ max: 80 }]}>
          <Input placeholder={t('sla.form.categoryPlaceholder')} />
        </Form.Item>
        <Form.Item label={t('sla.form.targetsMinutes')} style={{ marginBottom: 0 }}>
          <Space wrap>
            {(['first_response', 'next_response', 'resolution'] as const).map((m) => (
              <Form.Item key={m} name={m} label={t(`sla.metric.${m}`)}>
                <InputNumber
                  min={1}
                  max={525_600}
                  precision={0}
                  style={{ width: 120 }}
                  data-testid={`sla-target-${m}`}
                />
              </Form.Item>
            ))}
          </Space>
        </Form.Item>
        <Form.Item name="businessHours" label={t('sla.form.businessHours')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="notifySupervisors" label={t('sla.form.notify')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="raisePriority" label={t('sla.form.raise')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="reassignToUserId" label={t('sla.form.reassign')}>
          <Select
            allowClear
            placeholder={t('sla.form.reassignNone')}
            options={users.map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('sla.form.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
