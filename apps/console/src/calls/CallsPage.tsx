// #/calls and #/calls/<id>: the workspace's phone and browser calls, newest first, with a state filter;
// the selected call opens in a drawer (recording, transcript, trace).
import type { CallState, CallSummary } from '@zhike/contracts';
import { Button, Card, Drawer, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { CallDetailPanel } from './CallDetailPanel.tsx';
import { durationText, stateColor } from './labels.ts';

const STATES: CallState[] = ['ringing', 'bot', 'queued', 'agent', 'ended'];
const PAGE = 50;

type Props = { callId: string | null; navigate: (route: Route) => void };

export function CallsPage({ callId, navigate }: Props) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [state, setState] = useState<CallState | undefined>(undefined);
  const [calls, setCalls] = useState<CallSummary[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (before: string | null) => {
      setLoading(true);
      try {
        const page = await api.listCalls({
          limit: PAGE,
          ...(state ? { state } : {}),
          ...(before ? { before } : {}),
        });
        setCalls((prev) => (before && prev ? [...prev, ...page.calls] : page.calls));
        setNextBefore(page.nextBefore);
      } catch (error) {
        notifyError(error);
      } finally {
        setLoading(false);
      }
    },
    [api, notifyError, state],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('calls.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('calls.intro')}</Typography.Paragraph>
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <span>{t('calls.filter.state')}</span>
          <Select<CallState | 'all'>
            style={{ minWidth: 160 }}
            value={state ?? 'all'}
            onChange={(v) => setState(v === 'all' ? undefined : v)}
            options={[
              { value: 'all', label: t('calls.filter.all') },
              ...STATES.map((s) => ({ value: s, label: t(`calls.state.${s}`) })),
            ]}
          />
          <Button onClick={() => void load(null)} loading={loading}>
            {t('calls.refresh')}
          </Button>
        </Space>
        <Table<CallSummary>
          rowKey="id"
          size="middle"
          loading={loading && calls === null}
          dataSource={calls ?? []}
          pagination={false}
          locale={{ emptyText: t('calls.empty') }}
          onRow={(call) => ({
            onClick: () => navigate({ name: 'calls', callId: call.id }),
            style: { cursor: 'pointer' },
            'data-call-id': call.id,
          })}
          columns={[
            {
              title: t('calls.col.started'),
              dataIndex: 'startedAt',
              render: (at: string) => formatDateTime(at, locale),
            },
            {
              title: t('calls.col.direction'),
              render: (_: unknown, c) => (
                <Space size={4}>
                  <Tag>{t(`calls.direction.${c.direction}`)}</Tag>
                  <Tag bordered={false}>{t(`calls.transport.${c.transport}`)}</Tag>
                </Space>
              ),
            },
            { title: t('calls.col.from'), dataIndex: 'from' },
            { title: t('calls.col.to'), dataIndex: 'to' },
            {
              title: t('calls.col.state'),
              dataIndex: 'state',
              render: (s: CallState) => <Tag color={stateColor[s]}>{t(`calls.state.${s}`)}</Tag>,
            },
            {
              title: t('calls.col.duration'),
              dataIndex: 'durationSeconds',
              render: (s: number) => durationText(t, s),
            },
            {
              title: t('calls.col.recording'),
              render: (_: unknown, c) => (c.recording ? t('calls.recording.yes') : t('calls.recording.no')),
            },
          ]}
        />
        {nextBefore && (
          <Button style={{ marginTop: 16 }} onClick={() => void load(nextBefore)} loading={loading}>
            {t('calls.more')}
          </Button>
        )}
      </Card>
      <Drawer
        open={callId !== null}
        width={760}
        title={t('calls.detail.title')}
        onClose={() => navigate({ name: 'calls', callId: null })}
        destroyOnHidden
      >
        {callId && <CallDetailPanel callId={callId} navigate={navigate} />}
      </Drawer>
    </div>
  );
}
