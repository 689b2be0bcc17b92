// Sign-in: email and password, then (when the account has two-step verification on) a TOTP or
// recovery code. The session cookie only arrives after the last step.
import type { LoginBody, TwoFactorChallenge } from '@zhike/contracts';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { LangSwitch } from '../layout/LangSwitch.tsx';
import { useSession } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function LoginPage() {
  const { t } = useI18n();
  const { login, completeTwoFactor } = useSession();
  const notifyError = useNotifyError();
  const [submitting, setSubmitting] = useState(false);
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);

  const onFinish = async (values: LoginBody) => {
    setSubmitting(true);
    try {
      const next = await login({ email: values.email.trim(), password: values.password });
      if (next) {
        setChallenge(next);
        setSubmitting(false);
      }
    } catch (error) {
      notifyError(error);
      setSubmitting(false);
    }
  };

  const onCode = async (values: { code: string }) => {
    if (!challenge) return;
    setSubmitting(true);
    try {
      await completeTwoFactor({ pendingToken: challenge.pendingToken, code: values.code.trim() });
    } catch (error) {
      notifyError(error);
      // An expired pending sign-in cannot be finished: start over with the password.
      if (error instanceof Error && 'code' in error && error.code === 'unauthenticated') setChallenge(null);
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
            {challenge ? t('security.login.codeTitle') : t('login.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {challenge ? t('security.login.codeHelp') : t('login.subtitle')}
          </Typography.Text>
        </div>
        {challenge ? (
          <Form<{ code: string }>
            key="code"
            layout="vertical"
            requiredMark={false}
            onFinish={onCode}
            disabled={submitting}
          >
            <Form.Item
              name="code"
              label={t('security.login.code')}
              rules={[{ required: true, whitespace: true, message: t('security.login.codeRequired') }]}
            >
              <Input
                autoComplete="one-time-code"
                inputMode="numeric"
                autoFocus
                size="large"
                maxLength={20}
                data-testid="login-code"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              size="large"
              block
              loading={submitting}
              data-testid="login-code-submit"
            >
              {t('security.login.verify')}
            </Button>
            <Button type="link" block onClick={() => setChallenge(null)} data-testid="login-code-back">
              {t('security.login.back')}
            </Button>
          </Form>
        ) : (
          <Form<LoginBody>
            key="password"
            layout="vertical"
            requiredMark={false}
            onFinish={onFinish}
            disabled={submitting}
          >
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
        )}
      </Card>
    </div>
  );
}
