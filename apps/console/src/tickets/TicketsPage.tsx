// #/tickets: the workspace's tickets, most recently changed first, filtered by status, priority, assignee
// (mine / unassigned / all) and category, with each ticket's customer and SLA at a glance.
import type { TicketListItem, TicketQuery } from '@zhike/contracts';
import { AutoComplete, Button, Card, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useUsers } from '../conversation/useUsers.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { customerLabel } from '../ui/labels.ts';
import { timeAgo, useNow } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { SlaBadge } from './SlaBadge.tsx';
import {
  priorityColor,
  priorityLabel,
  statusColor,
  statusLabel,
  type TicketPriority,
  type TicketStatus,
  ticketPriorityList,
  ticketStatusList,
} from './ticketLabels.ts';

type Assignee = 'me' | 'unassigned' | 'all';
type Filters = {
  status: TicketStatus | null;
  priority: TicketPriority | null;
  assignee: Assignee;
  category: string;
};

const PAGE = 50;

const queryOf = (f: Filters, before: string | null): TicketQuery => ({
  limit: PAGE,
  ...(f.status ? { status: f.status } : {}),
  ...(f.priority ? { priority: f.priority } : {}),
  ...(f.assignee === 'me' ? { assignee: 'me' } : f.assignee === 'unassigned' ? { assignee: 'none' } : {}),
  ...(f.category.trim() ? { category: f.category.trim() } : {}),
  ...(before ? { before } : {}),
});

export function TicketsPage() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const users = useUsers(true);
  const now = useNow();
  const [filters, setFilters] = useState<Filters>({
    status: null,
    priority: null,
    assignee: 'all',
    category: '',
  });
  const [category, setCategory] = useState('');
  const [tickets, setTickets] = useState<TicketListItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Categories seen on this visit, offered while typing one (there is no fixed list of them).
  const [seen, setSeen] = useState<string[]>([]);

  const remember = useCallback((list: TicketListItem[]) => {
    const found = list.flatMap((x) => (x.category ? [x.category] : []));
    setSeen((prev) => [...new Set([...prev, ...found])].sort());
  }, []);

  const load = useCallback(async () => {
    setTickets(null);
    try {
      const page = await api.listTickets(queryOf(filters, null));
      setTickets(page.tickets);
      setNext(page.nextCursor);
      remember(page.tickets);
    } catch (error) {
      setTickets([]);
      notifyError(error);
    }
  }, [api, filters, notifyError, remember]);

  useEffect(() => {
    void load();
  }, [load]);

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await api.listTickets(queryOf(filters, next));
      setTickets((prev) => [...(prev ?? []), ...page.tickets]);
      setNext(page.nextCursor);
      remember(page.tickets);
    } catch (error) {
      notifyError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const names = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);
  // Unchanged filters keep their object, so leaving the category box without typing reloads nothing.
  const set = (patch: Partial<Filters>) =>
    setFilters((f) => {
      const next = { ...f, ...patch };
      return (Object.keys(next) as (keyof Filters)[]).every((k) => next[k] === f[k]) ? f : next;
    });

  return (
    <div className="zk-page">
      <Typography.Title level={3}>{t('tickets.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('tickets.intro')}</Typography.Paragraph>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<Assignee>
            value={filters.assignee}
            onChange={(assignee) => set({ assignee })}
            options={[
              { value: 'all', label: t('tickets.filter.all') },
              { value: 'me', label: t('tickets.filter.mine') },
              { value: 'unassigned', label: t('tickets.filter.unassigned') },
            ]}
            data-testid="tickets-assignee"
          />
          <Select<TicketStatus | null>
            value={filters.status}
            onChange={(status) => set({ status })}
            style={{ width: 140 }}
            data-testid="tickets-status"
            options={[
              { value: null, label: t('tickets.filter.allStatuses') },
              ...ticketStatusList.map((s) => ({ value: s, label: t(statusLabel(s)) })),
            ]}
          />
          <Select<TicketPriority | null>
            value={filters.priority}
            onChange={(priority) => set({ priority })}
            style={{ width: 140 }}
            data-testid="tickets-priority"
            options={[
              { value: null, label: t('tickets.filter.allPriorities') },
              ...ticketPriorityList.map((p) => ({ value: p, label: t(priorityLabel(p)) })),
            ]}
          />
          <AutoComplete
            value={category}
            onChange={setCategory}
            onSelect={(value: string) => set({ category: value })}
            onBlur={() => set({ category })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ category });
            }}
            options={seen.map((c) => ({ value: c }))}
            placeholder={t('tickets.filter.category')}
            allowClear
            onClear={() => set({ category: '' })}
            style={{ width: 180 }}
            data-testid="tickets-category"
          />
          <Button onClick={() => void load()}>{t('tickets.refresh')}</Button>
        </Space>
        <Table<TicketListItem>
          rowKey="id"
          size="middle"
          data-testid="tickets-list"
          loading={tickets === null}
          dataSource={tickets ?? []}
          pagination={false}
          locale={{ emptyText: t('tickets.empty') }}
          columns={[
            {
              title: t('tickets.col.ticket'),
              render: (_: unknown, x: TicketListItem) => (
                <Space orientation="vertical" size={0}>
                  <a href={routeHref({ name: 'tickets', ticketId: x.id })} data-testid="ticket-link">
                    {x.subject}
                  </a>
                  <Typography.Text type="secondary" className="zk-ticket-number">
                    {x.number}
                    {x.category ? ` · ${x.category}` : ''}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('tickets.col.customer'),
              render: (_: unknown, x: TicketListItem) => (x.customer ? customerLabel(x.customer, t) : '—'),
            },
            {
              title: t('tickets.col.status'),
              render: (_: unknown, x: TicketListItem) => (
                <Tooltip title={x.pendingReason ? t(`tickets.pendingReason.${x.pendingReason}`) : undefined}>
                  <Tag color={statusColor[x.status]} data-testid="ticket-status" data-status={x.status}>
                    {t(statusLabel(x.status))}
                  </Tag>
                </Tooltip>
              ),
            },
            {
              title: t('tickets.col.priority'),
              render: (_: unknown, x: TicketListItem) => (
                <Tag color={priorityColor[x.priority]}>{t(priorityLabel(x.priority))}</Tag>
              ),
            },
            {
              title: t('tickets.col.assignee'),
              render: (_: unknown, x: TicketListItem) =>
                x.assigneeId ? (
                  (names.get(x.assigneeId) ?? '…')
                ) : (
                  <Typography.Text type="secondary">{t('tickets.unassigned')}</Typography.Text>
                ),
            },
            {
              title: t('tickets.col.sla'),
              render: (_: unknown, x: TicketListItem) => <SlaBadge sla={x.sla} now={now} />,
            },
            {
              title: t('tickets.col.updated'),
              render: (_: unknown, x: TicketListItem) => timeAgo(x.updatedAt, now, locale),
            },
          ]}
        />
        {next && (
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Button onClick={() => void loadMore()} loading={loadingMore}>
              {t('tickets.loadMore')}
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
