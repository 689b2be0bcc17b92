// #/campaigns: the workspace's outbound campaigns with progress and status actions; admins create new
// ones in a drawer. A refused action stays on screen as an alert with the server's reason.
import type { CampaignCreated, CampaignView } from '@zhike/contracts';
import { Alert, Button, Card, Modal, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { CampaignActions } from './CampaignActions.tsx';
import { CampaignFormDrawer } from './CampaignFormDrawer.tsx';
import { donePercent, progressVars, reachedPercent, statusColor } from './labels.ts';

type Props = { navigate: (route: Route) => void };

export function CampaignsPage({ navigate }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const manages = can(session, 'campaigns.manage');
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<CampaignCreated | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setCampaigns((await api.listCampaigns()).campaigns);
    } catch (error) {
      notifyError(error);
    } finally {
      setLoading(false);
    }
  }, [api, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  const replace = (next: CampaignView) => {
    setActionError(null);
    setCampaigns((prev) => (prev ?? []).map((c) => (c.id === next.id ? next : c)));
  };

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('campaigns.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('campaigns.intro')}</Typography.Paragraph>
      {actionError && (
        <Alert
          type="error"
          showIcon
          closable
          style={{ marginBottom: 16 }}
          message={t('campaigns.action.failed')}
          description={actionError}
          onClose={() => setActionError(null)}
          data-testid="campaign-action-error"
        />
      )}
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          {manages && (
            <Button type="primary" onClick={() => setFormOpen(true)} data-testid="campaign-new">
              {t('campaigns.new')}
            </Button>
          )}
          <Button onClick={() => void load()} loading={loading}>
            {t('campaigns.refresh')}
          </Button>
        </Space>
        <Table<CampaignView>
          rowKey="id"
          size="middle"
          data-testid="campaign-list"
          loading={loading && campaigns === null}
          dataSource={campaigns ?? []}
          pagination={false}
          locale={{ emptyText: t('campaigns.empty') }}
          onRow={(c) => ({
            onClick: () => navigate({ name: 'campaigns', campaignId: c.id }),
            style: { cursor: 'pointer' },
            'data-campaign-id': c.id,
          })}
          columns={[
            { title: t('campaigns.col.name'), dataIndex: 'name' },
            {
              title: t('campaigns.col.kind'),
              render: (_: unknown, c) => (
                <Space size={4}>
                  <Tag>{t(`campaigns.kind.${c.kind}`)}</Tag>
                  <Tag bordered={false} color={c.purpose === 'marketing' ? 'magenta' : undefined}>
                    {t(`campaigns.purpose.${c.purpose}`)}
                  </Tag>
                </Space>
              ),
            },
            {
              title: t('campaigns.col.status'),
              dataIndex: 'status',
              render: (s: CampaignView['status']) => (
                <Tag color={statusColor[s]} data-testid="campaign-status">
                  {t(`campaigns.status.${s}`)}
                </Tag>
              ),
            },
            {
              title: t('campaigns.col.progress'),
              width: 240,
              render: (_: unknown, c) => (
                <Tooltip title={t('campaigns.progress.summary', progressVars(c.progress))}>
                  <Progress
                    size="small"
                    percent={donePercent(c.progress)}
                    success={{ percent: reachedPercent(c.progress) }}
                    format={() =>
                      `${c.progress.total - c.progress.pending - c.progress.dialing}/${c.progress.total}`
                    }
                  />
                </Tooltip>
              ),
            },
            {
              title: t('campaigns.col.score'),
              render: (_: unknown, c) =>
                c.kind === 'survey' && c.progress.averageScore !== null
                  ? c.progress.averageScore.toFixed(1)
                  : t('campaigns.noScore'),
            },
            {
              title: t('campaigns.col.created'),
              dataIndex: 'createdAt',
              render: (at: string) => formatDateTime(at, locale),
            },
            ...(manages
              ? [
                  {
                    title: t('campaigns.col.actions'),
                    render: (_: unknown, c: CampaignView) => (
                      <CampaignActions
                        campaign={c}
                        onChanged={replace}
                        onFailed={(error) => setActionError(describeError(error, t))}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {manages && (
        <CampaignFormDrawer
          open={formOpen}
          onClose={() => setFormOpen(false)}
          onCreated={(result) => {
            setFormOpen(false);
            setCreated(result);
            setCampaigns((prev) => [result.campaign, ...(prev ?? [])]);
          }}
        />
      )}
      <Modal
        open={created !== null}
        title={t('campaigns.created.title')}
        okText={t('campaigns.created.open')}
        cancelText={t('campaigns.form.cancel')}
        onOk={() => created && navigate({ name: 'campaigns', campaignId: created.campaign.id })}
        onCancel={() => setCreated(null)}
        cancelButtonProps={{ 'data-testid': 'campaign-created-close' } as Record<string, string>}
        destroyOnHidden
      >
        {created && (
          <div data-testid="campaign-created">
            <Typography.Paragraph>
              {t('campaigns.created.body', {
                name: created.campaign.name,
                total: created.campaign.progress.total,
              })}
            </Typography.Paragraph>
            {created.invalidPhones.length > 0 && (
              <Alert
                type="warning"
                showIcon
                message={t('campaigns.created.invalid')}
                description={
                  <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="campaign-invalid-phones">
                    {created.invalidPhones.map((p) => (
                      <li key={p}>
                        {p.startsWith('customer:')
                          ? t('campaigns.created.invalidCustomer', { id: p.slice('customer:'.length) })
                          : p}
                      </li>
                    ))}
                  </ul>
                }
              />
            )}
          </div>
        )}
      </Modal>
    </div>
  );
}
