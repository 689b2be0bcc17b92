// #/kpis (supervisors and owners): the brief's indicators over a date range against their targets, each
// coloured by status, and the daily trend of the one selected beside the conversation volume.
import type { KpiDrilldown, KpiDrilldownQuery, KpiReport } from '@zhike/contracts';
import { formatKpi, isRateKpi } from '@zhike/contracts/kpiFormat';
import { Button, Card, Col, Row, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ChartOption } from '../botAnalytics/charts.ts';
import { EChart } from '../botAnalytics/EChart.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { DayRangePicker } from '../ui/DayRangePicker.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { AssistImpactCard } from './AssistImpactCard.tsx';
import { KpiTargetsButton } from './KpiTargetsButton.tsx';

type Kpi = KpiReport['kpis'][number];
const CHANNELS = ['widget', 'api', 'sms', 'email', 'wechat', 'voice'];
/** KPIs whose drill-down value is yes/no: contained, resolved at first contact, closed, SLA met. */
const YES_NO: ReadonlySet<string> = new Set(['containment', 'fcr', 'complaintClosure', 'slaAttainment']);
const STATUS_COLOURS: Record<Kpi['status'], string> = {
  met: 'green',
  near: 'orange',
  missed: 'red',
  no_data: 'default',
};

export function KpiDashboardPage() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  // Null: the server's default, the last 7 days in the workspace's time zone (not the browser's).
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [channel, setChannel] = useState<string | undefined>(undefined);
  const [report, setReport] = useState<KpiReport | null>(null);
  const [selected, setSelected] = useState<Kpi['key']>('fcr');
  const [behind, setBehind] = useState<KpiDrilldown | null>(null);
  /** Bumped when the targets change: the report is read again. */
  const [version, setVersion] = useState(0);

  useEffect(() => {
    setBehind(null);
    if (!report) return;
    const abort = new AbortController();
    api
      .getKpiConversations(
        {
          kpi: selected as KpiDrilldownQuery['kpi'],
          from: report.range.from,
          to: report.range.to,
          ...(channel ? { dimension: 'channel' as const, value: channel } : {}),
        },
        abort.signal,
      )
      .then(setBehind, (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, notifyError, report, selected, channel]);

  useEffect(() => {
    const abort = new AbortController();
    void version;
    api
      .getKpis(
        { ...range, ...(channel ? { dimension: 'channel' as const, value: channel } : {}) },
        abort.signal,
      )
      .then(setReport, (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, notifyError, range, channel, version]);

  const name = useCallback((key: Kpi['key']) => t(`kpis.key.${key}` as MessageKey), [t]);
  const option = useMemo((): ChartOption | null => {
    if (!report) return null;
    const target = report.kpis.find((k) => k.key === selected)?.target;
    const scale = isRateKpi(selected) ? 100 : 1;
    const value = (v: number | null | undefined) =>
      v === null || v === undefined ? null : Math.round(v * scale * 10) / 10;
    // One day: its hours (from the hourly rollups); longer: its days.
    const points = report.hourly
      ? report.hourly.map((h) => ({ label: h.hour, values: h.values, conversations: h.conversations }))
      : report.daily.map((d) => ({
          label: d.day.slice(5),
          values: d.values,
          conversations: d.conversations,
        }));
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 48, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: points.map((p) => p.label) },
      yAxis: [
        { type: 'value', name: isRateKpi(selected) ? '%' : '' },
        { type: 'value', minInterval: 1 },
      ],
      series: [
        {
          name: name(selected),
          type: 'line',
          connectNulls: true,
          data: points.map((p) => value(p.values[selected])),
        },
        ...(target
          ? [
              {
                name: t(`kpis.target.${target.kind}`, { target: formatKpi(selected, target.value) }),
                type: 'line' as const,
                showSymbol: false,
                lineStyle: { type: 'dashed' as const },
                data: points.map(() => value(target.value)),
              },
            ]
          : []),
        {
          name: t('kpis.conversations'),
          type: 'bar',
          yAxisIndex: 1,
          itemStyle: { opacity: 0.35 },
          data: points.map((p) => p.conversations),
        },
      ],
    };
  }, [report, selected, t, name]);

  if (!report || !option) return null;
  const exportHref = (format: 'csv' | 'xlsx') =>
    `/api/v1/kpis.${format}?${new URLSearchParams({
      from: report.range.from,
      to: report.range.to,
      ...(channel ? { dimension: 'channel', value: channel } : {}),
    }).toString()}`;
  return (
    <div className="zk-page" data-testid="kpi-dashboard">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('kpis.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {t('kpis.intro', { zone: report.range.timeZone })}
          </Typography.Paragraph>
        </div>
        <Space>
          <Select
            aria-label={t('kpis.channel')}
            allowClear
            placeholder={t('kpis.allChannels')}
            value={channel}
            onChange={(v?: string) => setChannel(v)}
            style={{ width: 140 }}
            options={CHANNELS.map((c) => ({ value: c, label: c }))}
            data-testid="kpi-channel"
          />
          <DayRangePicker label={t('kpis.range')} value={report.range} onChange={setRange} />
          <KpiTargetsButton onSaved={() => setVersion((v) => v + 1)} />
          {(['csv', 'xlsx'] as const).map((format) => (
            <Button key={format} href={exportHref(format)} data-testid={`kpi-export-${format}`}>
              {t(format === 'csv' ? 'kpis.export' : 'kpis.exportXlsx')}
            </Button>
          ))}
        </Space>
      </div>
      <Typography.Text type="secondary">
        {t('kpis.conversationsTotal', { count: report.conversations })}
      </Typography.Text>
      <Row gutter={[16, 16]} style={{ marginTop: 8 }}>
        {report.kpis.map((k) => (
          <Col key={k.key} xs={12} md={8} xl={6} xxl={4}>
            <Card
              hoverable
              size="small"
              onClick={() => setSelected(k.key)}
              style={k.key === selected ? { borderColor: '#1f7a6d' } : undefined}
              data-testid={`kpi-card-${k.key}`}
              data-status={k.status}
            >
              <Typography.Text type="secondary">{name(k.key)}</Typography.Text>
              <div style={{ fontSize: 26, fontWeight: 600, margin: '4px 0' }}>
                {formatKpi(k.key, k.value)}
              </div>
              <Space size={4} wrap>
                <Tag color={STATUS_COLOURS[k.status]}>{t(`kpis.status.${k.status}`)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`kpis.target.${k.target.kind}`, { target: formatKpi(k.key, k.target.value) })}
                </Typography.Text>
              </Space>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {k.basis > 0 ? t('kpis.basis', { basis: k.basis }) : t('kpis.noData')}
                </Typography.Text>
              </div>
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        title={t(report.hourly ? 'kpis.trendHourly' : 'kpis.trend', { name: name(selected) })}
        style={{ marginTop: 16 }}
      >
        <EChart option={option} height={300} testId="kpi-trend" />
      </Card>
      <AssistImpactCard />
      {behind && (
        <Card title={t('kpis.behind', { name: name(selected) })} style={{ marginTop: 16 }}>
          <Table
            size="small"
            rowKey={(row) => `${row.ticketId ?? row.complaintId ?? row.conversationId}:${row.at}`}
            pagination={{ pageSize: 10 }}
            dataSource={behind.conversations}
            data-testid="kpi-behind"
            columns={[
              {
                title: t('kpis.behind.conversation'),
                key: 'open',
                render: (_: unknown, row: KpiDrilldown['conversations'][number]) =>
                  row.ticketId ? (
                    <a href={`#/tickets/${row.ticketId}`}>{t('kpis.behind.ticket')}</a>
                  ) : row.complaintId ? (
                    <a href="#/complaints">{t('kpis.behind.complaint')}</a>
                  ) : row.conversationId ? (
                    <a href={`#/inbox/${row.conversationId}`}>{t('kpis.behind.open')}</a>
                  ) : (
                    t('kpis.behind.none')
                  ),
              },
              { title: t('kpis.behind.channel'), dataIndex: 'channel' },
              {
                title: t('kpis.behind.at'),
                dataIndex: 'at',
                render: (at: string) => dayjs(at).format('MM-DD HH:mm'),
              },
              {
                title: t('kpis.behind.value'),
                dataIndex: 'value',
                align: 'right',
                render: (v: number) =>
                  YES_NO.has(selected) ? t(v ? 'kpis.behind.yes' : 'kpis.behind.no') : String(v),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
