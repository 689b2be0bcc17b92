// The targets of one campaign: a status filter, paging with `after`, and links to the customer's
// conversation and the call. `refreshKey` reloads the first page (the campaign page bumps it while running).
import type { CampaignTargetView } from '@zhike/contracts';
import { Button, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { TARGET_STATUSES } from './charts.ts';
import type { TargetStatusFilter } from './endpoints.ts';

const PAGE = 50;
const COLORS: Record<TargetStatusFilter, string> = {
  pending: 'default',
  dialing: 'processing',
  reached: 'success',
  unreached: 'warning',
  skipped: 'default',
};

type Props = { campaignId: string; refreshKey: number };

export function TargetsTable({ campaignId, refreshKey }: Props) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<TargetStatusFilter | undefined>(undefined);
  const [targets, setTargets] = useState<CampaignTargetView[] | null>(null);
  const [nextAfter, setNextAfter] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      try {
        const page = await api.listCampaignTargets(campaignId, {
          limit: PAGE,
          ...(status ? { status } : {}),
          ...(after ? { after } : {}),
        });
        setTargets((prev) => (after && prev ? [...prev, ...page.targets] : page.targets));
        setNextAfter(page.nextAfter);
      } catch (error) {
        notifyError(error);
      } finally {
        setLoading(false);
      }
    },
    [api, campaignId, notifyError, status],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the reload signal itself
  useEffect(() => {
    void load(null);
  }, [load, refreshKey]);

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <span>{t('campaigns.target.filter')}</span>
        <Select<TargetStatusFilter | 'all'>
          style={{ minWidth: 140 }}
          value={status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? undefined : v)}
          options={[
            { value: 'all', label: t('campaigns.target.all') },
            ...TARGET_STATUSES.map((s) => ({ value: s, label: t(`campaigns.target.${s}`) })),
          ]}
          data-testid="campaign-target-filter"
        />
      </Space>
      <Table<CampaignTargetView>
        rowKey="id"
        size="small"
        data-testid="campaign-targets"
        loading={loading && targets === null}
        dataSource={targets ?? []}
        pagination={false}
        locale={{ emptyText: t('campaigns.target.empty') }}
        columns={[
          { title: t('campaigns.target.col.phone'), dataIndex: 'phone' },
          {
            title: t('campaigns.target.col.status'),
            render: (_: unknown, x) => (
              <Space size={4} direction="vertical">
                <Tag color={COLORS[x.status]}>{t(`campaigns.target.${x.status}`)}</Tag>
                {x.skipReason && <span className="zk-muted">{x.skipReason}</span>}
              </Space>
            ),
          },
          {
            title: t('campaigns.target.col.score'),
            dataIndex: 'score',
            render: (s: number | null) => s ?? '—',
          },
          { title: t('campaigns.target.col.attempts'), dataIndex: 'attempts' },
          {
            title: t('campaigns.target.col.next'),
            dataIndex: 'nextAttemptAt',
            render: (at: string | null) => (at ? formatDateTime(at, locale) : '—'),
          },
          {
            title: t('campaigns.target.col.outcome'),
            dataIndex: 'lastOutcome',
            render: (o: string | null) => o ?? '—',
          },
          {
            title: t('campaigns.target.col.links'),
            render: (_: unknown, x) => (
              <Space size={8}>
                {x.conversationId && (
                  <a href={routeHref({ name: 'inbox', conversationId: x.conversationId })}>
                    {t('campaigns.target.conversation')}
                  </a>
                )}
                {x.callId && (
                  <a href={routeHref({ name: 'calls', callId: x.callId })}>{t('campaigns.target.call')}</a>
                )}
              </Space>
            ),
          },
        ]}
      />
      {nextAfter && (
        <Button style={{ marginTop: 12 }} onClick={() => void load(nextAfter)} loading={loading}>
          {t('campaigns.target.more')}
        </Button>
      )}
    </>
  );
}
