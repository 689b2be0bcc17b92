// #/outreach: win-back campaigns (status, what was sent, skipped and held out, actions) and the
// segments they target; admins create both in drawers.
import type { OutreachCampaignView, SegmentView } from '@zhike/contracts';
import { Button, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { statusColor } from '../campaigns/labels.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { CampaignDrawer } from './CampaignDrawer.tsx';
import { OutreachActions } from './OutreachActions.tsx';
import { SegmentDrawer } from './SegmentDrawer.tsx';

type Props = { navigate: (route: Route) => void };

export function OutreachPage({ navigate }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const manages = can(session, 'campaigns.manage');
  const [campaigns, setCampaigns] = useState<OutreachCampaignView[] | null>(null);
  const [segments, setSegments] = useState<SegmentView[]>([]);
  const [segmentOpen, setSegmentOpen] = useState<{ segment: SegmentView | null } | null>(null);
  const [campaignOpen, setCampaignOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      const [c, s] = await Promise.all([api.listOutreachCampaigns(), api.listSegments()]);
      setCampaigns(c.campaigns);
      setSegments(s.segments);
    } catch (error) {
      notifyError(error);
    }
  }, [api, notifyError]);
  useEffect(() => {
    void load();
  }, [load]);

  const campaignTable = (
    <>
      {manages && (
        <Button
          type="primary"
          style={{ marginBottom: 12 }}
          onClick={() => setCampaignOpen(true)}
          data-testid="outreach-new"
        >
          {t('outreach.campaign.new')}
        </Button>
      )}
      <Table<OutreachCampaignView>
        rowKey="id"
        size="small"
        loading={campaigns === null}
        dataSource={campaigns ?? []}
        locale={{ emptyText: t('outreach.campaign.empty') }}
        pagination={false}
        columns={[
          {
            title: t('outreach.col.name'),
            dataIndex: 'name',
            render: (name: string, c) => (
              <Typography.Link onClick={() => navigate({ name: 'outreach', campaignId: c.id })}>
                {name}
              </Typography.Link>
            ),
          },
          {
            title: t('outreach.col.channel'),
            dataIndex: 'channel',
            render: (ch: string) => t(`outreach.channel.${ch as 'sms'}`),
          },
          {
            title: t('outreach.col.status'),
            dataIndex: 'status',
            render: (s: OutreachCampaignView['status']) => (
              <Tag color={statusColor[s]}>{t(`outreach.status.${s}`)}</Tag>
            ),
          },
          {
            title: t('outreach.col.counts'),
            render: (_, c) =>
              t('outreach.counts', {
                sent: c.counts.sent,
                skipped: c.counts.skipped,
                holdout: c.counts.holdout,
              }),
          },
          {
            title: t('outreach.col.created'),
            dataIndex: 'createdAt',
            render: (at: string) => formatDateTime(at, locale),
          },
          ...(manages
            ? [
                {
                  title: t('outreach.col.actions'),
                  render: (_: unknown, c: OutreachCampaignView) => (
                    <OutreachActions
                      campaign={c}
                      onChanged={(next) =>
                        setCampaigns((prev) => (prev ?? []).map((x) => (x.id === next.id ? next : x)))
                      }
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );

  const segmentTable = (
    <>
      {manages && (
        <Button
          type="primary"
          style={{ marginBottom: 12 }}
          onClick={() => setSegmentOpen({ segment: null })}
          data-testid="segment-new"
        >
          {t('outreach.segment.new')}
        </Button>
      )}
      <Table<SegmentView>
        rowKey="id"
        size="small"
        dataSource={segments}
        locale={{ emptyText: t('outreach.segment.empty') }}
        pagination={false}
        columns={[
          { title: t('outreach.segment.name'), dataIndex: 'name' },
          {
            title: t('outreach.segment.rule'),
            render: (_, s) => (
              <Space size={4} wrap>
                {s.rule.noOrderForDays !== null && (
                  <Tag>{`${t('outreach.segment.noOrderForDays')} ${s.rule.noOrderForDays}`}</Tag>
                )}
                {s.rule.noContactForDays !== null && (
                  <Tag>{`${t('outreach.segment.noContactForDays')} ${s.rule.noContactForDays}`}</Tag>
                )}
                {(s.rule.rfmMin !== null || s.rule.rfmMax !== null) && (
                  <Tag>{`RFM ${s.rule.rfmMin ?? 3}–${s.rule.rfmMax ?? 15}`}</Tag>
                )}
                {s.rule.tiers.map((tier) => (
                  <Tag key={tier}>{t(`outreach.tier.${tier}`)}</Tag>
                ))}
                {s.rule.tags.map((tag) => (
                  <Tag key={tag} color="blue">
                    {tag}
                  </Tag>
                ))}
              </Space>
            ),
          },
          ...(manages
            ? [
                {
                  title: t('outreach.col.actions'),
                  render: (_: unknown, s: SegmentView) => (
                    <Button size="small" onClick={() => setSegmentOpen({ segment: s })}>
                      {t('outreach.segment.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );

  return (
    <div className="zk-page" data-testid="outreach-page">
      <Typography.Title level={3}>{t('outreach.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('outreach.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'campaigns', label: t('outreach.tab.campaigns'), children: campaignTable },
          { key: 'segments', label: t('outreach.tab.segments'), children: segmentTable },
        ]}
      />
      <SegmentDrawer
        open={segmentOpen !== null}
        segment={segmentOpen?.segment ?? null}
        onClose={() => setSegmentOpen(null)}
        onSaved={() => {
          setSegmentOpen(null);
          void load();
        }}
      />
      <CampaignDrawer
        open={campaignOpen}
        segments={segments}
        onClose={() => setCampaignOpen(false)}
        onCreated={() => {
          setCampaignOpen(false);
          void load();
        }}
      />
    </div>
  );
}
