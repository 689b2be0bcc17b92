// A call's trace as a table: when each step happened, its stage, and a bar for the steps that took time.
import type { CallDetail } from '@zhike/contracts';
import { Table, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

type TraceEvent = CallDetail['trace'][number];

const stageColor: Record<string, string> = {
  sip: 'purple',
  media: 'cyan',
  vad: 'default',
  asr: 'blue',
  brain: 'geekblue',
  tts: 'magenta',
  playback: 'green',
  dtmf: 'orange',
  handoff: 'red',
  recording: 'default',
};

const detailText = (detail: TraceEvent['detail']) =>
  detail
    ? Object.entries(detail)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
    : '';

export function TraceTable({ events }: { events: readonly TraceEvent[] }) {
  const { t } = useI18n();
  const longest = Math.max(1, ...events.map((e) => e.durationMs ?? 0));
  return (
    <Table<TraceEvent & { key: number }>
      size="small"
      className="zk-call-trace"
      pagination={events.length > 50 ? { pageSize: 50 } : false}
      dataSource={events.map((e, key) => ({ ...e, key }))}
      columns={[
        {
          title: t('calls.trace.at'),
          dataIndex: 'atMs',
          width: 90,
          render: (ms: number) => t('calls.ms', { n: Math.round(ms) }),
        },
        {
          title: t('calls.trace.stage'),
          dataIndex: 'stage',
          width: 90,
          render: (stage: string) => <Tag color={stageColor[stage] ?? 'default'}>{stage}</Tag>,
        },
        { title: t('calls.trace.event'), dataIndex: 'name' },
        {
          title: t('calls.trace.duration'),
          dataIndex: 'durationMs',
          width: 160,
          render: (ms: number | undefined) =>
            ms === undefined ? null : (
              <div className="zk-call-trace__bar">
                <span style={{ width: `${Math.max(2, (ms / longest) * 100)}%` }} />
                <em>{t('calls.ms', { n: Math.round(ms) })}</em>
              </div>
            ),
        },
        {
          title: t('calls.trace.detail'),
          dataIndex: 'detail',
          render: (d: TraceEvent['detail']) => (
            <Typography.Text type="secondary" ellipsis={{ tooltip: detailText(d) }} style={{ maxWidth: 220 }}>
              {detailText(d)}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
