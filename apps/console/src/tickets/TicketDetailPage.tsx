// #/tickets/<id>: one ticket — what the customer reported, where it stands in its lifecycle (with the moves
// allowed next), priority and assignee, its fields, the conversation it came from with the attached
// transcript, the timeline with internal notes, its SLA clocks, and suggested solutions.
import { ArrowLeftOutlined } from '@ant-design/icons';
import type {
  TicketDetail,
  TicketFieldDefinition,
  TicketSlaView,
  TicketSolutions,
  TicketStatusBody,
} from '@zhike/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useUsers } from '../conversation/useUsers.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { customerLabel } from '../ui/labels.ts';
import { formatDateTime, useNow } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { SlaBadge } from './SlaBadge.tsx';
import { TicketConversation } from './TicketConversation.tsx';
import { TicketFields } from './TicketFields.tsx';
import { TicketMergeAction } from './TicketMergeAction.tsx';
import { TicketOrders } from './TicketOrders.tsx';
import { TicketSolutionsPanel } from './TicketSolutionsPanel.tsx';
import { TicketStatusActions } from './TicketStatusActions.tsx';
import { TicketTimeline } from './TicketTimeline.tsx';
import {
  priorityColor,
  priorityLabel,
  statusColor,
  statusLabel,
  ticketPriorityList,
} from './ticketLabels.ts';

type Props = { ticketId: string; navigate: (route: Route) => void };

const UNASSIGNED = '';

export function TicketDetailPage({ ticketId, navigate }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const manages = can(session, 'tickets.manage');
  const users = useUsers(true);
  const now = useNow();
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [solutions, setSolutions] = useState<TicketSolutions | null>(null);
  const [clocks, setClocks] = useState<TicketSlaView['clocks']>([]);
  const [solving, setSolving] = useState<string | null>(null);
  const [definitions, setDefinitions] = useState<TicketFieldDefinition[] | null>(null);

  const load = useCallback(async () => {
    try {
      const [next, sla] = await Promise.all([api.getTicket(ticketId), api.getTicketSla(ticketId)]);
      setDetail(next);
      setClocks(sla.clocks);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setMissing(true);
      else notifyError(error);
    }
  }, [api, ticketId, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const controller = new AbortController();
    api.listTicketFields(controller.signal).then(
      (r) => setDefinitions(r.fields),
      (error: unknown) => {
        if (!controller.signal.aborted) notifyError(error);
      },
    );
    return () => controller.abort();
  }, [api, notifyError]);

  useEffect(() => {
    const controller = new AbortController();
    api.ticketSolutions(ticketId, controller.signal).then(setSolutions, (error: unknown) => {
      if (controller.signal.aborted) return;
      setSolutions({ ticketId, articles: [], tickets: [] });
      notifyError(error);
    });
    return () => controller.abort();
  }, [api, ticketId, notifyError]);

  /** Runs a change, then reloads the ticket (its timeline and SLA moved too); false when it failed. */
  const change = async (run: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run();
      await load();
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    }
  };

  const names = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);

  if (missing) {
    return (
      <div className="zk-page">
        <Empty description={t('tickets.notFound')} />
      </div>
    );
  }
  if (!detail) return <Skeleton active style={{ padding: 28 }} />;
  const { ticket, moves, entries } = detail;
  const created = entries.find((e) => e.kind === 'created');
  const upTo = typeof created?.data.transcriptUpTo === 'string' ? created.data.transcriptUpTo : null;
  const customerName = ticket.customer ? customerLabel(ticket.customer, t) : '—';
  const canSolve = manages && moves.includes('solved');
  const watching = detail.watchers.includes(session.user.id);
  const mergeEntry = entries.find((e) => e.kind === 'merge' && typeof e.data.intoNumber === 'string');
  const mergedInto = ticket.mergedIntoId
    ? { id: ticket.mergedIntoId, number: String(mergeEntry?.data.intoNumber ?? ticket.mergedIntoId) }
    : null;

  return (
    <div className="zk-page zk-ticket-page" data-testid="ticket-detail" data-status={ticket.status}>
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate({ name: 'tickets', ticketId: null })}
        style={{ paddingInline: 0 }}
      >
        {t('tickets.back')}
      </Button>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <Space wrap size={8}>
                <Typography.Text type="secondary" data-testid="ticket-number">
                  {ticket.number}
                </Typography.Text>
                <Tag
                  color={statusColor[ticket.status]}
                  data-testid="ticket-status"
                  data-status={ticket.status}
                >
                  {t(statusLabel(ticket.status))}
                  {ticket.pendingReason ? ` · ${t(`tickets.pendingReason.${ticket.pendingReason}`)}` : ''}
                </Tag>
                <SlaBadge sla={ticket.sla} now={now} />
              </Space>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="ticket-subject">
                {ticket.subject}
              </Typography.Title>
              {mergedInto && (
                <Alert
                  type="info"
                  showIcon
                  data-testid="ticket-merged-into"
                  title={
                    <Space size={6}>
                      {t('tickets.merge.mergedInto')}
                      <Typography.Link onClick={() => navigate({ name: 'tickets', ticketId: mergedInto.id })}>
                        {mergedInto.number}
                      </Typography.Link>
                    </Space>
                  }
                />
              )}
              {manages && (
                <Space wrap align="start">
                  <TicketStatusActions
                    status={ticket.status}
                    moves={moves}
                    onMove={(body: TicketStatusBody) => change(() => api.moveTicket(ticket.id, body))}
                    solving={solving}
                    onSolving={setSolving}
                  />
                  {ticket.status !== 'closed' && (
                    <TicketMergeAction
                      ticket={ticket}
                      onMerged={(intoId) => navigate({ name: 'tickets', ticketId: intoId })}
                    />
                  )}
                </Space>
              )}
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                bordered
                styles={{ label: { whiteSpace: 'nowrap' } }}
              >
                <Descriptions.Item label={t('tickets.detail.priority')}>
                  {manages ? (
                    <Select
                      size="small"
                      value={ticket.priority}
                      style={{ width: 120 }}
                      data-testid="ticket-priority"
                      onChange={(priority) => void change(() => api.updateTicket(ticket.id, { priority }))}
                      options={ticketPriorityList.map((p) => ({ value: p, label: t(priorityLabel(p)) }))}
                    />
                  ) : (
                    <Tag color={priorityColor[ticket.priority]}>{t(priorityLabel(ticket.priority))}</Tag>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.detail.assignee')}>
                  {manages ? (
                    <Space size={4} wrap>
                      <Select
                        size="small"
                        value={ticket.assigneeId ?? UNASSIGNED}
                        style={{ width: 150 }}
                        loading={users === null}
                        data-testid="ticket-assignee"
                        onChange={(id: string) =>
                          void change(() => api.assignTicket(ticket.id, { assigneeId: id || null }))
                        }
                        options={[
                          { value: UNASSIGNED, label: t('tickets.unassigned') },
                          ...(users ?? []).map((u) => ({ value: u.id, label: u.name })),
                        ]}
                      />
                      {ticket.assigneeId !== session.user.id && (
                        <Button
                          size="small"
                          data-testid="ticket-assign-me"
                          onClick={() =>
                            void change(() => api.assignTicket(ticket.id, { assigneeId: session.user.id }))
                          }
                        >
                          {t('tickets.detail.assignMe')}
                        </Button>
                      )}
                    </Space>
                  ) : ticket.assigneeId ? (
                    (names.get(ticket.assigneeId) ?? '…')
                  ) : (
                    t('tickets.unassigned')
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.watch.watchers')}>
                  <Space size={4} wrap data-testid="ticket-watchers">
                    <span>
                      {detail.watchers.length > 0
                        ? detail.watchers.map((id) => names.get(id) ?? '…').join('、')
                        : t('tickets.watch.none')}
                    </span>
                    {manages && (
                      <Button
                        size="small"
                        data-testid="ticket-watch"
                        onClick={() =>
                          void change(() =>
                            watching
                              ? api.unwatchTicket(ticket.id, session.user.id)
                              : api.watchTicket(ticket.id),
                          )
                        }
                      >
                        {t(watching ? 'tickets.watch.unfollow' : 'tickets.watch.follow')}
                      </Button>
                    )}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.detail.customer')}>{customerName}</Descriptions.Item>
                <Descriptions.Item label={t('tickets.detail.category')}>
                  {ticket.category ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.detail.type')}>{ticket.type}</Descriptions.Item>
                <Descriptions.Item label={t('tickets.detail.source')}>
                  {t(`tickets.source.${ticket.source}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tickets.detail.created')}>
                  {formatDateTime(ticket.createdAt, locale)}
                </Descriptions.Item>
                {detail.merged.length > 0 && (
                  <Descriptions.Item label={t('tickets.merge.merged')}>
                    <Space size={8} wrap data-testid="ticket-merged">
                      {detail.merged.map((m) => (
                        <Typography.Link
                          key={m.id}
                          onClick={() => navigate({ name: 'tickets', ticketId: m.id })}
                          title={m.subject}
                        >
                          {m.number}
                        </Typography.Link>
                      ))}
                    </Space>
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('tickets.detail.orders')}>
                  <TicketOrders
                    orderNumbers={ticket.orderNumbers}
                    onSave={
                      manages && ticket.status !== 'closed'
                        ? (orderNumbers) => change(() => api.updateTicket(ticket.id, { orderNumbers }))
                        : null
                    }
                  />
                </Descriptions.Item>
              </Descriptions>
              <div>
                <Typography.Text strong>{t('tickets.detail.description')}</Typography.Text>
                <Typography.Paragraph className="zk-ticket-description" data-testid="ticket-description">
                  {ticket.description ?? t('tickets.detail.noDescription')}
                </Typography.Paragraph>
              </div>
              <TicketFields
                customFields={ticket.customFields}
                formFields={ticket.fields}
                definitions={definitions}
                onSave={
                  manages && ticket.status !== 'closed'
                    ? (customFields) => change(() => api.updateTicket(ticket.id, { customFields }))
                    : null
                }
              />
            </Space>
          </Card>
          <div style={{ height: 16 }} />
          <TicketTimeline
            entries={entries}
            names={names}
            onNote={
              manages
                ? (body) => change(() => api.commentOnTicket(ticket.id, { body, visibility: 'internal' }))
                : null
            }
          />
        </Col>
        <Col xs={24} lg={9}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <TicketSolutionsPanel solutions={solutions} onUse={canSolve ? setSolving : null} />
            <TicketConversation
              conversationId={ticket.conversationId}
              upTo={upTo}
              customerName={customerName}
            />
            {clocks.length > 0 && (
              <Card title={t('tickets.sla.clocks')} size="small" data-testid="ticket-sla-clocks">
                <ul className="zk-ticket-clocks">
                  {clocks.map((c) => (
                    <li key={c.id}>
                      <Typography.Text strong>{t(`sla.metric.${c.metric}`)}</Typography.Text>{' '}
                      <Tag>{t(`tickets.sla.${c.state}`)}</Tag>
                      <Typography.Text type="secondary">
                        {t('tickets.sla.elapsed', {
                          used: Math.round(c.elapsedMinutes),
                          target: c.targetMinutes,
                        })}
                        {c.dueAt ? ` · ${formatDateTime(c.dueAt, locale)}` : ''}
                      </Typography.Text>
                    </li>
                  ))}
                </ul>
              </Card>
            )}
          </Space>
        </Col>
      </Row>
    </div>
  );
}
