// #/complaints: the complaint board — the closure KPI against its 100 % target, open complaints by age
// (oldest first), the survey CSAT, and closing a complaint with its resolution and the customer's word.
import type { ComplaintKpiView, ComplaintView, CsatSummaryView } from '@zhike/contracts';
import { Button, Card, Col, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { type Route, routeHref } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { CloseComplaintModal } from './CloseComplaintModal.tsx';

type Props = { navigate: (route: Route) => void };
type Tab = 'open' | 'closed';

const ageColor = (hours: number) =>
  hours < 24 ? 'green' : hours < 72 ? 'gold' : hours < 168 ? 'orange' : 'red';
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

export function ComplaintsPage({ navigate }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const closes = can(session, 'complaints.close');
  const readsSurveys = can(session, 'surveys.read');
  const [tab, setTab] = useState<Tab>('open');
  const [complaints, setComplaints] = useState<ComplaintView[] | null>(null);
  const [kpi, setKpi] = useState<ComplaintKpiView | null>(null);
  const [csat, setCsat] = useState<CsatSummaryView | null>(null);
  const [closing, setClosing] = useState<ComplaintView | null>(null);

  const load = useCallback(async () => {
    setComplaints(null);
    try {
      const [list, figures, summary] = await Promise.all([
        api.listComplaints(tab),
        api.complaintKpi(),
        readsSurveys ? api.csatSummary() : Promise.resolve(null),
      ]);
      setComplaints(list.complaints);
      setKpi(figures);
      setCsat(summary);
    } catch (error) {
      notifyError(error);
    }
  }, [api, tab, readsSurveys, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  const age = (hours: number) =>
    hours < 48
      ? t('complaints.ageHours', { n: Math.floor(hours) })
      : t('complaints.ageDays', { n: Math.floor(hours / 24) });
  const openTotal = kpi
    ? kpi.openByAge.under24h + kpi.openByAge.days1to3 + kpi.openByAge.days3to7 + kpi.openByAge.over7d
    : 0;

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('complaints.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('complaints.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <Card data-testid="complaints-kpi">
            <Statistic
              title={t('complaints.kpi.closureRate')}
              value={kpi?.closureRate === null ? t('complaints.kpi.none') : percent(kpi?.closureRate ?? null)}
              valueStyle={{
                color:
                  kpi?.closureRate !== null && (kpi?.closureRate ?? 0) < (kpi?.target ?? 1)
                    ? '#d4380d'
                    : '#389e0d',
              }}
            />
            <Typography.Text type="secondary">
              {t('complaints.kpi.target', { target: percent(kpi?.target ?? 1) })} · {kpi?.closed ?? 0}/
              {kpi?.opened ?? 0}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card data-testid="complaints-open-by-age">
            <Statistic title={t('complaints.kpi.openCount')} value={openTotal} />
            <Space size={4} wrap>
              {(['under24h', 'days1to3', 'days3to7', 'over7d'] as const).map((bucket) => (
                <Tag
                  key={bucket}
                  color={{ under24h: 'green', days1to3: 'gold', days3to7: 'orange', over7d: 'red' }[bucket]}
                >
                  {t(`complaints.age.${bucket}` as MessageKey)} {kpi?.openByAge[bucket] ?? 0}
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            {readsSurveys ? (
              <>
                <Statistic title={t('complaints.kpi.csat')} value={percent(csat?.csat ?? null)} />
                <Typography.Text type="secondary">
                  {t('complaints.kpi.csatDetail', {
                    answered: csat?.answered ?? 0,
                    sent: csat?.sent ?? 0,
                    average: csat?.averageScore === null || !csat ? '—' : csat.averageScore.toFixed(1),
                  })}
                </Typography.Text>
              </>
            ) : (
              <Statistic
                title={t('complaints.kpi.median')}
                value={
                  kpi?.medianHoursToClose === null || !kpi
                    ? '—'
                    : t('complaints.kpi.hours', { n: kpi.medianHoursToClose })
                }
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <Segmented<Tab>
            value={tab}
            onChange={setTab}
            options={[
              { value: 'open', label: t('complaints.tab.open') },
              { value: 'closed', label: t('complaints.tab.closed') },
            ]}
            data-testid="complaints-tab"
          />
          <Button onClick={() => void load()}>{t('complaints.refresh')}</Button>
        </Space>
        <Table<ComplaintView>
          rowKey="id"
          size="middle"
          data-testid="complaints-list"
          loading={complaints === null}
          dataSource={complaints ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t(tab === 'open' ? 'complaints.emptyOpen' : 'complaints.emptyClosed') }}
          columns={[
            {
              title: t('complaints.col.age'),
              dataIndex: 'ageHours',
              render: (hours: number) => (
                <Tag color={tab === 'open' ? ageColor(hours) : 'default'}>{age(hours)}</Tag>
              ),
            },
            {
              title: t('complaints.col.source'),
              render: (_: unknown, c: ComplaintView) => (
                <Space size={4}>
                  <Tag>{t(`complaints.source.${c.source}` as MessageKey)}</Tag>
                  {c.score !== null && <Tag color="red">{t('complaints.score', { score: c.score })}</Tag>}
                </Space>
              ),
            },
            {
              title: t('complaints.col.customer'),
              render: (_: unknown, c: ComplaintView) => c.customerName ?? t('complaints.anonymous'),
            },
            {
              title: t(tab === 'open' ? 'complaints.col.note' : 'complaints.col.resolution'),
              render: (_: unknown, c: ComplaintView) =>
                tab === 'open' ? (
                  <Space direction="vertical" size={2}>
                    <span>{c.note ?? ''}</span>
                    {c.ticketId && (
                      <a href={routeHref({ name: 'tickets', ticketId: c.ticketId })}>
                        <Tag color="blue">{t('complaints.ticket')}</Tag>
                      </a>
                    )}
                  </Space>
                ) : (
                  <Space direction="vertical" size={2}>
                    <span>{c.resolutionNote ?? ''}</span>
                    {c.confirmation && (
                      <Tag color="green">{t(`complaints.confirmation.${c.confirmation}` as MessageKey)}</Tag>
                    )}
                    {c.closedAt && (
                      <Typography.Text type="secondary">{formatDateTime(c.closedAt, locale)}</Typography.Text>
                    )}
                  </Space>
                ),
            },
            {
              title: t('complaints.col.actions'),
              render: (_: unknown, c: ComplaintView) => (
                <Space>
                  {c.conversationId && (
                    <Button
                      size="small"
                      onClick={() => navigate({ name: 'inbox', conversationId: c.conversationId })}
                    >
                      {t('complaints.openConversation')}
                    </Button>
                  )}
                  {closes && c.status === 'open' && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setClosing(c)}
                      data-testid="complaint-close"
                    >
                      {t('complaints.close')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CloseComplaintModal
        complaint={closing}
        onClose={() => setClosing(null)}
        onClosed={() => {
          setClosing(null);
          void load();
        }}
      />
    </div>
  );
}
