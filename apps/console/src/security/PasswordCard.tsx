// Changing the password signs out every other session (the server revokes them).
import type { ChangePasswordBody } from '@zhike/contracts';
import { App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function PasswordCard({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<ChangePasswordBody>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: ChangePasswordBody) => {
    setBusy(true);
    try {
      const { revoked } = await api.changePassword(values);
      message.success(t('security.passwordChanged', { n: revoked }));
      form.resetFields();
      onChanged();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('security.password')} data-testid="password-card">
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        disabled={busy}
        style={{ maxWidth: 360 }}
      >
        <Form.Item
          name="currentPassword"
          label={t('security.currentPassword')}
          rules={[{ required: true, message: t('security.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('security.newPassword')}
          rules={[{ required: true, min: 10, message: t('security.passwordTooShort') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('security.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
