// The SLA report: met, breached and running targets of tickets whose clocks started in the period,
// per metric (chart), then by priority and by category (tables).
import type { SlaReport } from '@zhike/contracts';
import { Card, DatePicker, Empty, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { EChart } from '../botAnalytics/EChart.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { formatRate, slaReportOption } from './charts.ts';

export function SlaReportTab() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs().subtract(29, 'day').startOf('day'),
    dayjs(),
  ]);
  const [report, setReport] = useState<SlaReport | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    api
      .getSlaReport(
        { from: range[0].startOf('day').toISOString(), to: range[1].endOf('day').toISOString() },
        abort.signal,
      )
      .then(setReport, (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, range, notifyError]);

  const chart = useMemo(() => (report ? slaReportOption(report.byMetric, t) : null), [report, t]);
  const empty = report && report.byMetric.every((m) => m.met + m.breached + m.open === 0);
  const counts = [
    { title: t('sla.report.met'), dataIndex: 'met' },
    { title: t('sla.report.breached'), dataIndex: 'breached' },
    { title: t('sla.report.open'), dataIndex: 'open' },
    { title: t('sla.report.rate'), dataIndex: 'metRate', render: (v: number | null) => formatRate(v) },
  ];
  const metricColumn = {
    title: t('sla.report.metric'),
    dataIndex: 'metric',
    render: (m: SlaReport['byMetric'][number]['metric']) => t(`sla.metric.${m}`),
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('sla.report.period')}</Typography.Text>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0], v[1]]);
          }}
        />
      </Space>
      {empty && <Empty description={t('sla.report.empty')} />}
      {report && !empty && chart && (
        <>
          <Card data-testid="sla-report-chart">
            <EChart option={chart} height={260} testId="sla-report-echart" />
            <Table
              size="small"
              pagination={false}
              rowKey="metric"
              dataSource={report.byMetric}
              columns={[metricColumn, ...counts]}
            />
          </Card>
          <Card title={t('sla.report.byPriority')}>
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.metric}:${r.priority}`}
              dataSource={report.byPriority}
              columns={[
                metricColumn,
                {
                  title: t('sla.report.priority'),
                  dataIndex: 'priority',
                  render: (p: string) => t(`sla.priority.${p as 'low'}`),
                },
                ...counts,
              ]}
            />
          </Card>
          <Card title={t('sla.report.byCategory')}>
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.metric}:${r.category ?? ''}`}
              dataSource={report.byCategory}
              columns={[
                metricColumn,
                {
                  title: t('sla.report.category'),
                  dataIndex: 'category',
                  render: (c: string | null) => c ?? t('sla.report.noCategory'),
                },
                ...counts,
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
