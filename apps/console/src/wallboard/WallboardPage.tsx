// #/wallboard (supervisors and owners): the live state of the service for a screen on the wall — who is
// waiting and for how long (overall and per queue), which agents are online and how loaded, and today's
// headline KPIs. Reads the same APIs as the inbox and the dashboard every 5 s; waits tick every second.
import type { AgentList, KpiReport, WaitingList } from '@zhike/contracts';
import { formatKpi } from '@zhike/contracts/kpiFormat';
import { Button, Card, Col, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { clock, wallboardOf } from './summary.ts';

const REFRESH_MS = 5_000;
const STATUS_COLOURS = { online: 'green', away: 'orange', offline: 'default' } as const;

export function WallboardPage() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [waiting, setWaiting] = useState<WaitingList | null>(null);
  const [agents, setAgents] = useState<AgentList | null>(null);
  const [kpis, setKpis] = useState<KpiReport | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  const [now, setNow] = useState(Date.now());
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    const load = async () => {
      try {
        const [w, a, k] = await Promise.all([
          api.listWaiting(abort.signal),
          api.listAgents(abort.signal),
          api.getKpis({}, abort.signal),
        ]);
        setWaiting(w);
        setAgents(a);
        setKpis(k);
        setUpdated(new Date());
      } catch {
        // A wall screen keeps showing the last good state and tries again on the next tick.
      }
    };
    void load();
    const refresh = setInterval(load, REFRESH_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      abort.abort();
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, [api]);

  if (!waiting || !agents || !kpis) return null;
  const board = wallboardOf(waiting.waiting, agents.agents, now);
  const today = kpis.daily.at(-1);
  const value = (key: 'containment' | 'humanResponseSeconds') => formatKpi(key, today?.values[key] ?? null);

  return (
    <div className="zk-page" ref={box} style={{ background: '#f5f7f9' }} data-testid="wallboard">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('wallboard.title')}</Typography.Title>
          <Typography.Text type="secondary">
            {t('wallboard.updated', { time: updated ? updated.toLocaleTimeString() : '—' })}
          </Typography.Text>
        </div>
        <Button onClick={() => void box.current?.requestFullscreen?.()}>{t('wallboard.fullscreen')}</Button>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('wallboard.waiting')}
              value={board.waiting}
              valueStyle={{ fontSize: 44, color: board.waiting > 0 ? '#cf1322' : '#237804' }}
              data-testid="wallboard-waiting"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('wallboard.longest')}
              value={board.longestSeconds === null ? '—' : clock(board.longestSeconds)}
              valueStyle={{ fontSize: 44, color: (board.longestSeconds ?? 0) > 30 ? '#cf1322' : undefined }}
              data-testid="wallboard-longest"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic title={t('wallboard.online')} value={board.online} valueStyle={{ fontSize: 44 }} />
            <Typography.Text type="secondary">
              {t('wallboard.awayOffline', { away: board.away, offline: board.offline })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('wallboard.load')}
              value={`${board.load} / ${board.capacity}`}
              valueStyle={{ fontSize: 44 }}
            />
          </Card>
        </Col>
        <Col xs={8}>
          <Card size="small">
            <Statistic title={t('wallboard.today')} value={today?.conversations ?? 0} />
          </Card>
        </Col>
        <Col xs={8}>
          <Card size="small">
            <Statistic title={t('wallboard.containment')} value={value('containment')} />
          </Card>
        </Col>
        <Col xs={8}>
          <Card size="small">
            <Statistic
              title={t('wallboard.humanResponse')}
              value={value('humanResponseSeconds')}
              suffix={today?.values.humanResponseSeconds == null ? undefined : 's'}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('wallboard.queues')}>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={board.queues}
              locale={{ emptyText: t('wallboard.nobodyWaiting') }}
              columns={[
                {
                  title: t('wallboard.queue'),
                  dataIndex: 'name',
                  render: (name: string) => name || t('wallboard.noQueue'),
                },
                { title: t('wallboard.queueWaiting'), dataIndex: 'waiting', align: 'right' },
                {
                  title: t('wallboard.queueLongest'),
                  dataIndex: 'longestSeconds',
                  align: 'right',
                  render: (s: number) => clock(s),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('wallboard.agents')}>
            <Table
              size="small"
              rowKey="userId"
              pagination={false}
              dataSource={agents.agents}
              columns={[
                { title: t('wallboard.agent'), dataIndex: 'name' },
                {
                  title: t('wallboard.status'),
                  dataIndex: 'status',
                  render: (status: keyof typeof STATUS_COLOURS) => (
                    <Tag color={STATUS_COLOURS[status]}>{t(`wallboard.status.${status}`)}</Tag>
                  ),
                },
                {
                  title: t('wallboard.agentLoad'),
                  key: 'load',
                  align: 'right',
                  render: (_: unknown, a: AgentList['agents'][number]) => `${a.load} / ${a.capacity}`,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
