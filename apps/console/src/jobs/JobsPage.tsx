// #/settings/jobs: the workspace's background jobs for admins, failed ones first — why each failed, retry
// one, or retry every failed job of a type.
import type { JobStatus, JobView } from '@zhike/contracts';
import { App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';

const STATUSES: JobStatus[] = ['failed', 'pending', 'running', 'done'];
const NAMES = ['channel.deliver', 'webhook.deliver', 'bot.reply', 'campaign.tick', 'handoff.card'];
const statusColor: Record<JobStatus, string> = {
  failed: 'red',
  pending: 'blue',
  running: 'gold',
  done: 'green',
};

export function JobsPage() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<JobStatus>('failed');
  const [name, setName] = useState<string | undefined>(undefined);
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (after?: string) => {
      try {
        const page = await api.listJobs({ status, name, cursor: after, limit: 50 });
        setJobs((prev) => (after ? [...(prev ?? []), ...page.jobs] : page.jobs));
        setCursor(page.nextCursor);
      } catch (error) {
        notifyError(error);
      }
    },
    [api, status, name, notifyError],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const retry = async (job: JobView) => {
    setBusy(true);
    try {
      await api.retryJob(job.id);
      message.success(t('jobs.retried'));
      await load();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const retryAll = async () => {
    if (!name) return;
    setBusy(true);
    try {
      const { retried } = await api.retryFailedJobs(name);
      message.success(t('jobs.retriedAll', { count: String(retried) }));
      await load();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('jobs.title')} data-testid="jobs-page">
      <Typography.Paragraph type="secondary">{t('jobs.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          data-testid="jobs-status"
          aria-label={t('jobs.filter.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          options={STATUSES.map((s) => ({ value: s, label: t(`jobs.status.${s}`) }))}
        />
        <Select
          data-testid="jobs-name"
          aria-label={t('jobs.filter.name')}
          allowClear
          placeholder={t('jobs.filter.allNames')}
          value={name}
          onChange={(v) => setName(v ?? undefined)}
          style={{ width: 200 }}
          options={NAMES.map((n) => ({ value: n, label: n }))}
        />
        <Button onClick={() => void load()}>{t('jobs.refresh')}</Button>
        {status === 'failed' && name && (
          <Button danger loading={busy} onClick={() => void retryAll()} data-testid="jobs-retry-all">
            {t('jobs.retryAll')}
          </Button>
        )}
      </Space>
      <Table<JobView>
        rowKey="id"
        data-testid="jobs-table"
        loading={jobs === null}
        dataSource={jobs ?? []}
        pagination={false}
        locale={{ emptyText: t('jobs.empty') }}
        columns={[
          { title: t('jobs.col.name'), dataIndex: 'name' },
          {
            title: t('jobs.col.status'),
            dataIndex: 'status',
            render: (s: JobStatus) => <Tag color={statusColor[s]}>{t(`jobs.status.${s}`)}</Tag>,
          },
          {
            title: t('jobs.col.attempts'),
            render: (_: unknown, job) => `${job.attempts} / ${job.maxAttempts}`,
          },
          { title: t('jobs.col.error'), dataIndex: 'lastError', render: (e: string | null) => e ?? '—' },
          {
            title: t('jobs.col.updated'),
            dataIndex: 'updatedAt',
            render: (at: string) => formatDateTime(at, locale),
          },
          {
            title: t('jobs.col.actions'),
            render: (_: unknown, job) =>
              job.status === 'failed' ? (
                <Button size="small" loading={busy} onClick={() => void retry(job)}>
                  {t('jobs.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
      {cursor && (
        <Button style={{ marginTop: 12 }} onClick={() => void load(cursor)}>
          {t('jobs.more')}
        </Button>
      )}
    </Card>
  );
}
