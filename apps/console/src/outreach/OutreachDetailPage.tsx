// #/outreach/<id>: one win-back campaign: what was sent, skipped and held out, the offer as a sample
// customer receives it, and the repurchase rate of each variant's recipients against the hold-out.
import type { OfferPreview, OutreachCampaignView, OutreachReport } from '@zhike/contracts';
import { Button, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { EChart } from '../botAnalytics/EChart.tsx';
import { statusColor } from '../campaigns/labels.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { groupLabel, repurchaseOption } from './charts.ts';
import { OutreachActions } from './OutreachActions.tsx';

const REFRESH_MS = 5000;
const STATUSES = ['pending', 'sending', 'sent', 'skipped', 'failed', 'holdout'] as const;

type Props = { campaignId: string; navigate: (route: Route) => void };

export function OutreachDetailPage({ campaignId, navigate }: Props) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const [campaign, setCampaign] = useState<OutreachCampaignView | null>(null);
  const [report, setReport] = useState<OutreachReport | null>(null);
  const [preview, setPreview] = useState<OfferPreview | null>(null);
  const [missing, setMissing] = useState(false);

  const load = useCallback(async () => {
    try {
      const [c, r] = await Promise.all([api.getOutreachCampaign(campaignId), api.outreachReport(campaignId)]);
      setCampaign(c.campaign);
      setReport(r);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setMissing(true);
      else notifyError(error);
    }
  }, [api, campaignId, notifyError]);
  useEffect(() => {
    void load();
    api
      .previewOffer(campaignId)
      .then(setPreview)
      .catch(() => {});
  }, [api, campaignId, load]);
  const running = campaign?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  const chart = useMemo(() => (report ? repurchaseOption(report, t) : null), [report, t]);
  const back = (
    <Button
      type="link"
      style={{ paddingLeft: 0 }}
      onClick={() => navigate({ name: 'outreach', campaignId: null })}
    >
      {t('outreach.detail.back')}
    </Button>
  );
  if (missing)
    return (
      <div className="zk-page">
        {back}
        <Empty description={t('outreach.detail.notFound')} />
      </div>
    );
  if (!campaign) return <div className="zk-page">{back}</div>;

  const comparable = report && report.groups.some((g) => g.group === 'holdout') && report.groups.length > 1;
  return (
    <div className="zk-page" data-testid="outreach-detail">
      {back}
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {campaign.name}
        </Typography.Title>
        <Tag color={statusColor[campaign.status]} data-testid="outreach-status">
          {t(`outreach.status.${campaign.status}`)}
        </Tag>
        {can(session, 'campaigns.manage') && <OutreachActions campaign={campaign} onChanged={setCampaign} />}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('outreach.detail.counts')} size="small">
            <Descriptions column={2} size="small">
              {STATUSES.map((s) => (
                <Descriptions.Item key={s} label={t(`outreach.recipient.${s}`)}>
                  <span data-testid={`outreach-count-${s}`}>{campaign.counts[s]}</span>
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('outreach.campaign.channel')}>
                {t(`outreach.channel.${campaign.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('outreach.campaign.holdout')}>
                {campaign.holdoutPercent}
              </Descriptions.Item>
              <Descriptions.Item label={t('outreach.campaign.quietHours')}>
                {campaign.quietHours ? `${campaign.quietHours.start}–${campaign.quietHours.end}` : '—'}
              </Descriptions.Item>
              <Descriptions.Item
                label={t('outreach.campaign.cap', { count: campaign.capCount, days: campaign.capDays })}
              >
                {campaign.capCount}/{campaign.capDays}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('outreach.detail.preview')} size="small" style={{ marginTop: 16 }}>
            {(preview?.previews ?? []).map((p) => (
              <Typography.Paragraph key={p.variant} data-testid={`outreach-preview-${p.variant}`}>
                <Tag>{groupLabel(p.variant, t)}</Tag>
                {p.subject && <Typography.Text strong>{p.subject} · </Typography.Text>}
                <span style={{ whiteSpace: 'pre-wrap' }}>{p.text}</span>
              </Typography.Paragraph>
            ))}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={t('outreach.detail.report')}
            size="small"
            extra={
              report?.upliftPoints != null ? (
                <span data-testid="outreach-uplift">
                  {t('outreach.detail.uplift', { points: report.upliftPoints })}
                </span>
              ) : undefined
            }
          >
            {comparable && chart ? (
              <EChart option={chart} height={240} testId="chart-outreach-repurchase" />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outreach.detail.noReport')} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
