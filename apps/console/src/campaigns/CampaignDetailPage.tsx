// #/campaigns/<id>: one campaign's settings, its progress by target status, the survey's score
// distribution and the targets; refreshed every few seconds while it runs.
import type { CampaignTargetView, CampaignView } from '@zhike/contracts';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, describeError } from '../api/problem.ts';
import { EChart } from '../botAnalytics/EChart.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { CampaignActions } from './CampaignActions.tsx';
import { progressOption, scoreDistribution, scoreOption } from './charts.ts';
import { progressVars, statusColor } from './labels.ts';
import { TargetsTable } from './TargetsTable.tsx';

const REFRESH_MS = 5000;
// Scores are counted over at most this many reached targets (5 pages of 200).
const SCORE_PAGES = 5;

type Props = { campaignId: string; navigate: (route: Route) => void };

export function CampaignDetailPage({ campaignId, navigate }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const [campaign, setCampaign] = useState<CampaignView | null>(null);
  const [missing, setMissing] = useState(false);
  const [scored, setScored] = useState<CampaignTargetView[]>([]);
  const [refreshKey, setRefreshKey] = useState(0);
  const [actionError, setActionError] = useState<string | null>(null);

  const loadScores = useCallback(async () => {
    const reached: CampaignTargetView[] = [];
    let after: string | null = null;
    for (let page = 0; page < SCORE_PAGES; page++) {
      const list = await api.listCampaignTargets(campaignId, {
        status: 'reached',
        limit: 200,
        ...(after ? { after } : {}),
      });
      reached.push(...list.targets);
      after = list.nextAfter;
      if (!after) break;
    }
    setScored(reached);
  }, [api, campaignId]);

  const load = useCallback(async () => {
    try {
      const { campaign: next } = await api.getCampaign(campaignId);
      setCampaign(next);
      if (next.kind === 'survey') await loadScores();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setMissing(true);
      else notifyError(error);
    }
  }, [api, campaignId, loadScores, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  const running = campaign?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      void load();
      setRefreshKey((k) => k + 1);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  const progressChart = useMemo(
    () => (campaign ? progressOption(campaign.progress, t) : null),
    [campaign, t],
  );
  const counts = useMemo(() => scoreDistribution(scored), [scored]);
  const scoreChart = useMemo(() => scoreOption(counts, t), [counts, t]);

  const back = (
    <Button
      type="link"
      style={{ paddingLeft: 0 }}
      onClick={() => navigate({ name: 'campaigns', campaignId: null })}
    >
      {t('campaigns.detail.back')}
    </Button>
  );
  if (missing)
    return (
      <div className="zk-page">
        {back}
        <Empty description={t('campaigns.detail.notFound')} />
      </div>
    );
  if (!campaign || !progressChart) return <div className="zk-page">{back}</div>;

  const { progress } = campaign;
  return (
    <div className="zk-page" data-testid="campaign-detail">
      {back}
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {campaign.name}
        </Typography.Title>
        <Tag color={statusColor[campaign.status]} data-testid="campaign-status">
          {t(`campaigns.status.${campaign.status}`)}
        </Tag>
        {running && <Typography.Text type="secondary">{t('campaigns.detail.autoRefresh')}</Typography.Text>}
        {can(session, 'campaigns.manage') && (
          <CampaignActions
            campaign={campaign}
            size="middle"
            onChanged={(next) => {
              setActionError(null);
              setCampaign(next);
              setRefreshKey((k) => k + 1);
            }}
            onFailed={(error) => setActionError(describeError(error, t))}
          />
        )}
      </Space>
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
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('campaigns.detail.settings')} size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('campaigns.form.kind')}>
                {t(`campaigns.kind.${campaign.kind}`)} · {t(`campaigns.purpose.${campaign.purpose}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('campaigns.form.script')}>{campaign.script}</Descriptions.Item>
              <Descriptions.Item label={t('campaigns.form.language')}>{campaign.language}</Descriptions.Item>
              <Descriptions.Item label={t('campaigns.form.quietHours')}>
                {campaign.quietHours
                  ? `${campaign.quietHours.start}–${campaign.quietHours.end} (${campaign.timeZone})`
                  : t('campaigns.detail.quietOff')}
              </Descriptions.Item>
              <Descriptions.Item label={t('campaigns.form.callsPerMinute')}>
                {t('campaigns.detail.perMinute', { n: campaign.callsPerMinute })} ·{' '}
                {t('campaigns.form.maxConcurrent')} {campaign.maxConcurrent}
              </Descriptions.Item>
              <Descriptions.Item label={t('campaigns.form.maxAttempts')}>
                {campaign.maxAttempts} · {t('campaigns.form.retryDelay')}{' '}
                {t('campaigns.detail.minutes', { n: campaign.retryDelayMinutes })}
              </Descriptions.Item>
              <Descriptions.Item label={t('campaigns.col.created')}>
                {formatDateTime(campaign.createdAt, locale)}
              </Descriptions.Item>
              {campaign.startedAt && (
                <Descriptions.Item label={t('campaigns.detail.startedAt')}>
                  {formatDateTime(campaign.startedAt, locale)}
                </Descriptions.Item>
              )}
              {campaign.finishedAt && (
                <Descriptions.Item label={t('campaigns.detail.finishedAt')}>
                  {formatDateTime(campaign.finishedAt, locale)}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={t('campaigns.detail.progress')}
            size="small"
            extra={
              <span data-testid="campaign-progress-summary">
                {t('campaigns.progress.summary', progressVars(progress))}
              </span>
            }
          >
            <EChart option={progressChart} height={200} testId="chart-campaign-progress" />
          </Card>
          {campaign.kind === 'survey' && (
            <Card
              title={t('campaigns.detail.scores')}
              size="small"
              style={{ marginTop: 16 }}
              extra={progress.averageScore !== null ? progress.averageScore.toFixed(1) : undefined}
            >
              {counts.some((n) => n > 0) ? (
                <EChart option={scoreChart} height={200} testId="chart-campaign-scores" />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('campaigns.detail.scoreNone')} />
              )}
            </Card>
          )}
        </Col>
      </Row>
      <Card title={t('campaigns.detail.targets')} size="small" style={{ marginTop: 16 }}>
        <TargetsTable campaignId={campaign.id} refreshKey={refreshKey} />
      </Card>
    </div>
  );
}
