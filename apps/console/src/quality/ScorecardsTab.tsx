// Agents' scorecards over the period: the average after appeals (a chart and a table), how many results,
// how many under the review threshold, the rules each broke most, and the daily trend per agent.
import type { QualityScorecards, ScorecardView } from '@zhike/contracts';
import { Card, Col, Empty, Row, Space, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { EChart } from '../botAnalytics/EChart.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { averageOption, trendOption } from './charts.ts';
import type { QualityRange } from './QualityPage.tsx';

export function ScorecardsTab({ range }: { range: QualityRange }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [data, setData] = useState<QualityScorecards | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    api
      .getQualityScorecards({ from: range.from, to: range.to }, abort.signal)
      .then(setData, (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, range.from, range.to, notifyError]);

  const charts = useMemo(
    () =>
      data
        ? { average: averageOption(data.agents, data.reviewBelow, t), trend: trendOption(data.agents, t) }
        : null,
    [data, t],
  );
  if (!data || !charts) return null;
  const scored = data.agents.some((a) => a.count > 0);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="quality-scorecards">
      {scored ? (
        <Row gutter={16}>
          <Col xs={24} lg={data.scope === 'everyone' ? 12 : 24}>
            <Card title={t('quality.scorecards.chart.trend')}>
              <EChart option={charts.trend} height={260} testId="quality-trend-chart" />
            </Card>
          </Col>
          {data.scope === 'everyone' && (
            <Col xs={24} lg={12}>
              <Card title={t('quality.scorecards.chart.average')}>
                <EChart option={charts.average} height={260} testId="quality-average-chart" />
              </Card>
            </Col>
          )}
        </Row>
      ) : (
        <Empty description={t('quality.scorecards.empty')} />
      )}
      <Table
        size="small"
        rowKey={(c) => c.agentId ?? 'bot'}
        dataSource={data.agents}
        pagination={false}
        columns={[
          {
            title: t('quality.col.agent'),
            dataIndex: 'name',
            render: (_: unknown, c: ScorecardView) =>
              c.name ?? (c.agentId ? t('quality.none') : t('quality.bot')),
          },
          {
            title: t('quality.scorecards.average'),
            dataIndex: 'average',
            render: (v: number | null) =>
              v === null ? t('quality.none') : <Tag color={v < data.reviewBelow ? 'red' : 'blue'}>{v}</Tag>,
          },
          { title: t('quality.scorecards.count'), dataIndex: 'count' },
          { title: t('quality.scorecards.below', { threshold: data.reviewBelow }), dataIndex: 'below' },
          {
            title: t('quality.scorecards.worst'),
            dataIndex: 'worstRules',
            render: (_: unknown, c: ScorecardView) => (
              <Space size={[4, 4]} wrap>
                {c.worstRules.map((w) => (
                  <Tag key={w.ruleId}>
                    {data.ruleNames[w.ruleId] ?? w.ruleId} × {w.count}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
