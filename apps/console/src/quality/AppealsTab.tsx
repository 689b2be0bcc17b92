// Appeals: an agent's own, or everyone's for supervisors, newest first; a row opens the result, where
// a supervisor accepts (setting the score that counts) or rejects a pending one.
import type { QualityAppealView } from '@zhike/contracts';
import { Button, Segmented, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ResultDrawer } from './ResultDrawer.tsx';

type Status = QualityAppealView['status'];

export function AppealsTab({ navigate }: { navigate: (route: Route) => void }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<Status | 'all'>('pending');
  const [appeals, setAppeals] = useState<QualityAppealView[]>([]);
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void version;
    api.listQualityAppeals(status === 'all' ? undefined : status, abort.signal).then(
      (list) => setAppeals(list.appeals),
      (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      },
    );
    return () => abort.abort();
  }, [api, status, version, notifyError]);

  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(v as Status | 'all')}
        options={[
          { value: 'pending', label: t('quality.appeal.status.pending') },
          { value: 'accepted', label: t('quality.appeal.status.accepted') },
          { value: 'rejected', label: t('quality.appeal.status.rejected') },
          { value: 'all', label: t('quality.appeals.all') },
        ]}
      />
      <Table
        size="small"
        rowKey="id"
        dataSource={appeals}
        pagination={false}
        locale={{ emptyText: t('quality.appeals.empty') }}
        data-testid="quality-appeals"
        columns={[
          {
            title: t('quality.col.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v, locale),
          },
          {
            title: t('quality.col.agent'),
            dataIndex: 'agentName',
            render: (v: string | null) => v ?? t('quality.none'),
          },
          { title: t('quality.col.reason'), dataIndex: 'reason', ellipsis: true },
          {
            title: t('quality.col.status'),
            dataIndex: 'status',
            render: (v: Status) => (
              <Tag color={v === 'accepted' ? 'green' : v === 'rejected' ? 'red' : 'blue'}>
                {t(`quality.appeal.status.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('quality.col.decision'),
            render: (_: unknown, a: QualityAppealView) =>
              a.status === 'pending'
                ? t('quality.none')
                : [a.adjustedScore, a.note].filter((x) => x !== null).join(' · '),
          },
          {
            title: t('quality.col.actions'),
            render: (_: unknown, a: QualityAppealView) => (
              <Button size="small" onClick={() => setOpen(a.resultId)}>
                {t('quality.view')}
              </Button>
            ),
          },
        ]}
      />
      <ResultDrawer
        resultId={open}
        onClose={() => setOpen(null)}
        onChanged={() => setVersion((v) => v + 1)}
        navigate={navigate}
      />
    </>
  );
}
