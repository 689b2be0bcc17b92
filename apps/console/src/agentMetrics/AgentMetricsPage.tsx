// 客服绩效: KPI cards for the range, first response and handle time per agent and per day (ECharts), and
// tables per agent and per queue. An agent without the team permission sees only their own row.
import { QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { AgentMetricsRow, QueueMetricsRow } from '@zhike/contracts';
import { Button, Card, Col, Empty, Row, Skeleton, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { EChart } from '../botAnalytics/EChart.tsx';
import type { DayRange } from '../botAnalytics/useBotAnalytics.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { DayRangePicker } from '../ui/DayRangePicker.tsx';
import { formatDuration, perAgentOption, trendOption } from './charts.ts';
import { useAgentMetrics } from './useAgentMetrics.ts';

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

export function AgentMetricsPage() {
  const { t } = useI18n();
  const [range, setRange] = useState<DayRange | null>(null);
  const { metrics: m, loading, reload } = useAgentMetrics(range);
  const perAgent = useMemo(() => (m ? perAgentOption(m.agents, t) : null), [m, t]);
  const trend = useMemo(() => (m ? trendOption(m.daily, t) : null), [m, t]);
  const none = t('agentMetrics.none');
  const duration = (seconds: number | null) => formatDuration(seconds, t);

  const kpis = m && [
    {
      key: 'frt',
      title: t('agentMetrics.kpi.frt'),
      help: t('agentMetrics.kpi.frtHelp'),
      value: m.totals.firstResponseSeconds === null ? none : duration(m.totals.firstResponseSeconds),
      detail: t('agentMetrics.kpi.frtDetail', { count: m.totals.firstResponses }),
    },
    {
      key: 'handle',
      title: t('agentMetrics.kpi.handle'),
      help: t('agentMetrics.kpi.handleHelp'),
      value: m.totals.handleSeconds === null ? none : duration(m.totals.handleSeconds),
      detail: t('agentMetrics.kpi.handleDetail', { count: m.totals.handled }),
    },
    {
      key: 'perHour',
      title: t('agentMetrics.kpi.perHour'),
      help: t('agentMetrics.kpi.perHourHelp'),
      value: m.totals.handledPerOnlineHour ?? none,
      detail: t('agentMetrics.kpi.perHourDetail', { online: duration(m.totals.onlineSeconds) }),
    },
    {
      key: 'acceptance',
      title: t('agentMetrics.kpi.acceptance'),
      help: t('agentMetrics.kpi.acceptanceHelp'),
      value:
        percent(m.totals.suggestionAcceptance) === null ? none : `${percent(m.totals.suggestionAcceptance)}%`,
      detail: t('agentMetrics.kpi.acceptanceDetail', { count: m.totals.suggestionsShown }),
    },
    {
      key: 'csat',
      title: t('agentMetrics.kpi.csat'),
      help: null,
      value: m.totals.csatAverage ?? none,
      detail: t('agentMetrics.kpi.csatDetail', { count: m.totals.rated }),
    },
  ];

  const figureColumns = [
    {
      key: 'frt',
      title: t('agentMetrics.col.frt'),
      render: (_: unknown, r: AgentMetricsRow | QueueMetricsRow) => duration(r.firstResponseSeconds),
    },
    {
      key: 'handle',
      title: t('agentMetrics.col.handle'),
      render: (_: unknown, r: AgentMetricsRow | QueueMetricsRow) => duration(r.handleSeconds),
    },
    { key: 'handled', title: t('agentMetrics.col.handled'), dataIndex: 'handled', width: 90 },
    {
      key: 'csat',
      title: t('agentMetrics.col.csat'),
      width: 100,
      render: (_: unknown, r: AgentMetricsRow | QueueMetricsRow) => r.csatAverage ?? none,
    },
  ];

  return (
    <div className="zk-page zk-analytics" data-testid="agent-metrics-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('agentMetrics.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {t(m?.scope === 'self' ? 'agentMetrics.introSelf' : 'agentMetrics.intro', {
              zone: m?.range.timeZone ?? '…',
            })}
          </Typography.Paragraph>
        </div>
        <Space>
          <DayRangePicker
            label={t('agentMetrics.range')}
            value={m ? m.range : null}
            onChange={setRange}
            testId="metrics-range"
          />
          <Tooltip title={t('agentMetrics.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={reload}
              loading={loading}
              aria-label={t('agentMetrics.refresh')}
            />
          </Tooltip>
        </Space>
      </div>

      {!m || !kpis ? (
        <Skeleton active />
      ) : (
        <>
          <Row gutter={[16, 16]} className="zk-section">
            {kpis.map((k) => (
              <Col key={k.key} xs={24} sm={12} lg={8} xl={{ flex: '20%' }}>
                <Card data-testid={`metric-${k.key}`}>
                  <Statistic
                    title={
                      <Space size={4}>
                        {k.title}
                        {k.help && (
                          <Tooltip title={k.help}>
                            <QuestionCircleOutlined />
                          </Tooltip>
                        )}
                      </Space>
                    }
                    value={k.value}
                  />
                  <Typography.Text type="secondary">{k.detail}</Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>

          <Row gutter={[16, 16]} className="zk-section">
            <Col xs={24} lg={12}>
              <Card title={t('agentMetrics.chart.perAgent')}>
                {m.agents.length === 0 ? (
                  <Empty description={t('agentMetrics.empty')} style={{ height: 248 }} />
                ) : (
                  perAgent && <EChart option={perAgent} height={280} testId="chart-per-agent" />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('agentMetrics.chart.trend')}>
                {trend && <EChart option={trend} height={280} testId="chart-trend" />}
              </Card>
            </Col>
          </Row>

          <Card title={t('agentMetrics.agents.title')} className="zk-section">
            <Table<AgentMetricsRow>
              rowKey="userId"
              size="middle"
              data-testid="agent-metrics-table"
              dataSource={m.agents}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t('agentMetrics.empty')} /> }}
              columns={[
                { key: 'name', title: t('agentMetrics.col.agent'), dataIndex: 'name' },
                ...figureColumns,
                {
                  key: 'online',
                  title: t('agentMetrics.col.online'),
                  render: (_, r) => duration(r.onlineSeconds),
                },
                {
                  key: 'perHour',
                  title: t('agentMetrics.col.perHour'),
                  width: 110,
                  render: (_, r) => r.handledPerOnlineHour ?? none,
                },
                {
                  key: 'acceptance',
                  title: t('agentMetrics.col.acceptance'),
                  width: 120,
                  render: (_, r) => {
                    const p = percent(r.suggestionAcceptance);
                    return p === null ? none : `${p}%`;
                  },
                },
              ]}
            />
          </Card>

          <Card title={t('agentMetrics.queues.title')} className="zk-section">
            <Table<QueueMetricsRow>
              rowKey={(q) => q.queueId ?? 'default'}
              size="middle"
              data-testid="queue-metrics-table"
              dataSource={m.queues}
              pagination={false}
              locale={{ emptyText: <Empty description={t('agentMetrics.empty')} /> }}
              columns={[
                {
                  key: 'queue',
                  title: t('agentMetrics.col.queue'),
                  render: (_, q) =>
                    q.name ??
                    (q.queueId ? t('agentMetrics.queues.unknown') : t('agentMetrics.queues.default')),
                },
                ...figureColumns,
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
