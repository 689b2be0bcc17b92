import type { LoginBody } from '@zhike/contracts';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { LangSwitch } from '../layout/LangSwitch.tsx';
import { useSession } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const notifyError = useNotifyError();
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async (values: LoginBody) => {
    setSubmitting(true);
    try {
      await login({ email: values.email.trim(), password: values.password });
    } catch (error) {
      notifyError(error);
      setSubmitting(false);
    }
  };

  return (
    <div className="zk-login">
      <div className="zk-login-lang">
        <LangSwitch />
      </div>
      <Card className="zk-login-card" variant="borderless">
        <div className="zk-login-brand">
          <span className="zk-brand-mark zk-brand-mark-lg">智</span>
          <Typography.Title level={3} className="zk-login-title">
            {t('login.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        <Form<LoginBody> layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting}>
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[{ required: true, whitespace: true, message: t('login.emailRequired') }]}
          >
            <Input type="email" autoComplete="username" autoFocus size="large" data-testid="login-email" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" size="large" data-testid="login-password" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={submitting}
            data-testid="login-submit"
          >
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
