// 机器人分析: KPI cards, the daily trend and hand-off reasons (ECharts), the most answered questions and
// the unanswered questions grouped by meaning, each one click away from becoming an FAQ entry.
import { QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { UnansweredCluster } from '@zhike/contracts';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { DayRangePicker } from '../ui/DayRangePicker.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { dailyOption, reasonsOption } from './charts.ts';
import { EChart } from './EChart.tsx';
import { MakeFaqModal } from './MakeFaqModal.tsx';
import { type DayRange, useBotAnalytics } from './useBotAnalytics.ts';

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

export function BotAnalyticsPage() {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [range, setRange] = useState<DayRange | null>(null);
  const [reveal, setReveal] = useState(false);
  const { metrics, unanswered, loading, reload } = useBotAnalytics(range, reveal);
  const [faqFor, setFaqFor] = useState<UnansweredCluster | null>(null);

  const daily = useMemo(() => (metrics ? dailyOption(metrics.daily, t) : null), [metrics, t]);
  const reasons = useMemo(() => (metrics ? reasonsOption(metrics.handoffReasons, t) : null), [metrics, t]);

  const dismiss = async (cluster: UnansweredCluster) => {
    try {
      const { dismissed } = await api.dismissUnanswered(cluster.turnIds);
      message.success(t('botAnalytics.unanswered.dismissed', { count: dismissed }));
      reload();
    } catch (error) {
      notifyError(error);
    }
  };

  const onFaqCreated = async (cluster: UnansweredCluster) => {
    setFaqFor(null);
    message.success(t('botAnalytics.faq.saved'));
    // The questions are answered now: they leave the list.
    await api.dismissUnanswered(cluster.turnIds).catch(notifyError);
    reload();
  };

  const m = metrics;
  const decided = m ? m.conversations.contained + m.conversations.escalated : 0;
  const kpis = m && [
    {
      key: 'containment',
      title: t('botAnalytics.kpi.containment'),
      help: t('botAnalytics.kpi.containmentHelp'),
      value: percent(m.containmentRate),
      suffix: '%',
      detail: t('botAnalytics.kpi.containmentDetail', { contained: m.conversations.contained, decided }),
    },
    {
      key: 'fallback',
      title: t('botAnalytics.kpi.fallback'),
      help: t('botAnalytics.kpi.fallbackHelp'),
      value: percent(m.fallbackRate),
      suffix: '%',
      detail: t('botAnalytics.kpi.fallbackDetail', { fallbacks: m.outcomes.fallback, turns: m.turns }),
    },
    {
      key: 'handled',
      title: t('botAnalytics.kpi.handled'),
      help: null,
      value: m.conversations.handled,
      suffix: null,
      detail: t('botAnalytics.kpi.handledDetail', { ongoing: m.conversations.ongoing }),
    },
    {
      key: 'handoffs',
      title: t('botAnalytics.kpi.handoffs'),
      help: null,
      value: m.handoffs,
      suffix: null,
      detail: t('botAnalytics.kpi.handoffsDetail', { turns: m.turns }),
    },
  ];

  return (
    <div className="zk-page zk-analytics" data-testid="bot-analytics-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('botAnalytics.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {t('botAnalytics.intro', { zone: metrics?.range.timeZone ?? '…' })}
          </Typography.Paragraph>
        </div>
        <Space>
          <DayRangePicker
            label={t('botAnalytics.range')}
            value={metrics ? metrics.range : null}
            onChange={setRange}
            testId="analytics-range"
          />
          <Tooltip title={t('botAnalytics.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={reload}
              loading={loading}
              aria-label={t('botAnalytics.refresh')}
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
              <Col key={k.key} xs={24} sm={12} lg={6}>
                <Card data-testid={`kpi-${k.key}`}>
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
                    value={k.value ?? t('botAnalytics.none')}
                    suffix={k.value === null ? null : k.suffix}
                  />
                  <Typography.Text type="secondary">{k.detail}</Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>

          <Row gutter={[16, 16]} className="zk-section">
            <Col xs={24} lg={14}>
              <Card title={t('botAnalytics.daily.title')}>
                {daily && <EChart option={daily} height={280} testId="chart-daily" />}
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card title={t('botAnalytics.reasons.title')}>
                {m.handoffReasons.length === 0 ? (
                  <Empty description={t('botAnalytics.reasons.empty')} style={{ height: 248 }} />
                ) : (
                  reasons && <EChart option={reasons} height={280} testId="chart-reasons" />
                )}
              </Card>
            </Col>
          </Row>

          <Card
            className="zk-section"
            title={
              <Space>
                {t('botAnalytics.unanswered.title')}
                {unanswered?.masked && <Tag>{t('botAnalytics.unanswered.masked')}</Tag>}
                {can(session, 'customers.reveal') && (
                  <Space size={4}>
                    <Switch
                      size="small"
                      checked={reveal}
                      onChange={setReveal}
                      data-testid="unanswered-reveal"
                    />
                    <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
                      {t('botAnalytics.unanswered.reveal')}
                    </Typography.Text>
                  </Space>
                )}
                {unanswered?.truncated && (
                  <Tag color="warning">
                    {t('botAnalytics.unanswered.truncated', { count: unanswered.questions })}
                  </Tag>
                )}
              </Space>
            }
          >
            <Typography.Paragraph type="secondary">{t('botAnalytics.unanswered.intro')}</Typography.Paragraph>
            <Table<UnansweredCluster>
              rowKey="id"
              size="middle"
              data-testid="unanswered-table"
              dataSource={unanswered?.clusters ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t('botAnalytics.unanswered.empty')} /> }}
              columns={[
                {
                  key: 'question',
                  title: t('botAnalytics.unanswered.question'),
                  render: (_, c) => <Typography.Text strong>{c.representative}</Typography.Text>,
                },
                {
                  key: 'examples',
                  title: t('botAnalytics.unanswered.examples'),
                  render: (_, c) => (
                    <Space size={[4, 4]} wrap>
                      {c.examples.map((e) => (
                        <Tag key={e} className="zk-analytics-example">
                          {e}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                { key: 'count', title: t('botAnalytics.unanswered.count'), dataIndex: 'count', width: 80 },
                {
                  key: 'lastSeen',
                  title: t('botAnalytics.unanswered.lastSeen'),
                  width: 170,
                  render: (_, c) => formatDateTime(c.lastSeen, locale),
                },
                {
                  key: 'actions',
                  title: t('botAnalytics.unanswered.actions'),
                  width: 190,
                  render: (_, c) => (
                    <Space>
                      <Button type="primary" size="small" onClick={() => setFaqFor(c)} data-testid="make-faq">
                        {t('botAnalytics.unanswered.makeFaq')}
                      </Button>
                      <Popconfirm
                        title={t('botAnalytics.unanswered.dismissConfirm')}
                        onConfirm={() => dismiss(c)}
                      >
                        <Button size="small" data-testid="dismiss-cluster">
                          {t('botAnalytics.unanswered.dismiss')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]}
            />
          </Card>

          <Card title={t('botAnalytics.top.title')} className="zk-section">
            <Table
              rowKey="target"
              size="small"
              pagination={false}
              data-testid="top-answers"
              dataSource={m.topAnswers}
              locale={{ emptyText: <Empty description={t('botAnalytics.top.empty')} /> }}
              columns={[
                {
                  key: 'label',
                  title: t('botAnalytics.top.question'),
                  render: (_, a) => a.label ?? a.target,
                },
                { key: 'count', title: t('botAnalytics.top.count'), dataIndex: 'count', width: 100 },
              ]}
            />
          </Card>
        </>
      )}
      <MakeFaqModal cluster={faqFor} onClose={() => setFaqFor(null)} onCreated={onFaqCreated} />
    </div>
  );
}
