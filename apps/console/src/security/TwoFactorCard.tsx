// Two-step verification for the signed-in user: enrol (QR + key shown once), confirm with a first code
// (recovery codes shown once), or turn it off with the password and a code.
import type { TwoFactorEnrolment, TwoFactorStatus } from '@zhike/contracts';
import { Alert, App, Button, Card, Form, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { QrCode } from './QrCode.tsx';

export function TwoFactorCard() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => api.twoFactorStatus().then(setStatus, notifyError), [api, notifyError]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const enrol = () => run(async () => setEnrolment(await api.enrolTwoFactor()));
  const confirm = (values: { code: string }) =>
    run(async () => {
      const { recoveryCodes: codes } = await api.confirmTwoFactor(values.code.trim());
      setEnrolment(null);
      setRecoveryCodes(codes);
      message.success(t('security.twoFactor.enabled'));
      await load();
    });
  const disable = (values: { password: string; code: string }) =>
    run(async () => {
      await api.disableTwoFactor({ password: values.password, code: values.code.trim() });
      message.success(t('security.twoFactor.disabled'));
      await load();
    });

  const state = !status ? null : status.enabled ? (
    <Tag color="green">{t('security.twoFactor.on')}</Tag>
  ) : (
    <Tag>{t('security.twoFactor.off')}</Tag>
  );

  return (
    <Card title={t('security.twoFactor.title')} extra={state} data-testid="two-factor-card">
      <Typography.Paragraph type="secondary">{t('security.twoFactor.intro')}</Typography.Paragraph>
      {!status ? (
        <Skeleton active />
      ) : recoveryCodes ? (
        <Alert
          type="warning"
          showIcon
          title={t('security.twoFactor.recoveryTitle')}
          description={
            <>
              <Typography.Paragraph>{t('security.twoFactor.recoveryHelp')}</Typography.Paragraph>
              <Typography.Paragraph copyable={{ text: recoveryCodes.join('\n') }}>
                <pre className="zk-recovery-codes" data-testid="recovery-codes">
                  {recoveryCodes.join('\n')}
                </pre>
              </Typography.Paragraph>
              <Button onClick={() => setRecoveryCodes(null)} data-testid="recovery-codes-saved">
                {t('security.twoFactor.recoverySaved')}
              </Button>
            </>
          }
        />
      ) : status.enabled ? (
        <>
          <Typography.Paragraph>
            {t('security.twoFactor.since', {
              at: status.enabledAt ? formatDateTime(status.enabledAt, locale) : '',
              n: status.recoveryCodesLeft,
            })}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t('security.twoFactor.disableHelp')}</Typography.Paragraph>
          <Form
            layout="inline"
            onFinish={(v: { password: string; code: string }) => void disable(v)}
            disabled={busy}
          >
            <Form.Item name="password" rules={[{ required: true, message: t('security.required') }]}>
              <Input.Password placeholder={t('security.currentPassword')} autoComplete="current-password" />
            </Form.Item>
            <Form.Item name="code" rules={[{ required: true, message: t('security.required') }]}>
              <Input placeholder={t('security.login.code')} autoComplete="one-time-code" maxLength={20} />
            </Form.Item>
            <Button danger htmlType="submit" loading={busy} data-testid="two-factor-disable">
              {t('security.twoFactor.disable')}
            </Button>
          </Form>
        </>
      ) : !status.available ? (
        <Typography.Text type="secondary">{t('security.twoFactor.unavailable')}</Typography.Text>
      ) : enrolment ? (
        <Space align="start" size="large" wrap>
          <QrCode
            value={enrolment.otpauthUri}
            title={t('security.twoFactor.scan')}
            data-testid="two-factor-qr"
          />
          <div className="zk-enrol-steps">
            <Typography.Paragraph>{t('security.twoFactor.scan')}</Typography.Paragraph>
            <Typography.Paragraph>
              {t('security.twoFactor.secret')}:{' '}
              <Typography.Text code copyable data-testid="two-factor-secret">
                {enrolment.secret}
              </Typography.Text>
            </Typography.Paragraph>
            <Form layout="vertical" onFinish={(v: { code: string }) => void confirm(v)} disabled={busy}>
              <Form.Item
                name="code"
                label={t('security.twoFactor.confirmCode')}
                rules={[{ required: true, message: t('security.login.codeRequired') }]}
              >
                <Input
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={6}
                  style={{ maxWidth: 200 }}
                  data-testid="two-factor-code"
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="two-factor-confirm">
                {t('security.twoFactor.confirm')}
              </Button>
            </Form>
          </div>
        </Space>
      ) : (
        <Button type="primary" onClick={() => void enrol()} loading={busy} data-testid="two-factor-enable">
          {t('security.twoFactor.enable')}
        </Button>
      )}
    </Card>
  );
}
