// The signed-in user's sessions: device, masked IP, sign-in and last activity; sign one out, or all others.
import type { SessionSummary } from '@zhike/contracts';
import { App, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';

/** "Chrome 131 · Linux" out of a user-agent string; the raw string stays in the tooltip. */
function deviceOf(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser =
    /(Edg|Firefox|Chrome|Safari|MicroMessenger)\/(\d+)/.exec(userAgent)?.slice(1, 3).join(' ') ?? null;
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent)?.[1] ?? null;
  const label = [browser, os].filter(Boolean).join(' · ');
  return label || userAgent.slice(0, 40);
}

export function SessionsCard() {
  const { t, locale } = useI18n();
  const { api, logout } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);

  const load = useCallback(
    () => api.listSessions().then((r) => setSessions(r.sessions), notifyError),
    [api, notifyError],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (s: SessionSummary) => {
    try {
      await api.revokeSession(s.id);
      if (s.current) return void logout();
      message.success(t('security.sessions.revoked'));
      await load();
    } catch (error) {
      notifyError(error);
    }
  };
  const revokeOthers = async () => {
    try {
      const { revoked } = await api.revokeOtherSessions();
      message.success(t('security.sessions.othersRevoked', { n: revoked }));
      await load();
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <Card
      title={t('security.sessions.title')}
      extra={
        <Button onClick={() => void revokeOthers()} data-testid="sessions-revoke-others">
          {t('security.sessions.revokeOthers')}
        </Button>
      }
      data-testid="sessions-card"
    >
      <Typography.Paragraph type="secondary">{t('security.sessions.intro')}</Typography.Paragraph>
      <Table<SessionSummary>
        rowKey="id"
        size="small"
        loading={!sessions}
        dataSource={sessions ?? []}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          {
            title: t('security.sessions.device'),
            render: (_, s) => (
              <>
                <Typography.Text title={s.userAgent ?? ''}>
                  {deviceOf(s.userAgent) ?? t('security.sessions.unknownDevice')}
                </Typography.Text>{' '}
                {s.current && <Tag color="blue">{t('security.sessions.current')}</Tag>}
              </>
            ),
          },
          { title: t('security.sessions.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
          {
            title: t('security.sessions.created'),
            dataIndex: 'createdAt',
            render: (at: string) => formatDateTime(at, locale),
          },
          {
            title: t('security.sessions.lastSeen'),
            dataIndex: 'lastSeenAt',
            render: (at: string) => formatDateTime(at, locale),
          },
          {
            key: 'actions',
            render: (_, s) => (
              <Popconfirm title={t('security.sessions.revoke')} onConfirm={() => void revoke(s)}>
                <Button size="small" danger data-testid={`session-revoke-${s.id}`}>
                  {t('security.sessions.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
