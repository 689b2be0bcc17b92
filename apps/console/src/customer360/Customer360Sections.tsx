// The customer 360 sections of the customer panel, from one overview call: recent orders (the orders
// table or the shop's own system), past conversations with how they ended, tickets, the last CSAT, and
// the team's notes (add; delete your own, or anyone's with the permission).
import type { CustomerOverview } from '@zhike/contracts';
import { Alert, Button, Input, Popconfirm, Skeleton, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';

const OUTCOME_COLOR = {
  resolved: 'green',
  handed_off: 'orange',
  bot_answered: 'blue',
  open: 'default',
} as const;
const NOTE_MAX = 2000;

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="zk-c360-section" data-testid={testId}>
      <div className="zk-panel-title">{title}</div>
      {children}
    </section>
  );
}

type Props = { customerId: string; version?: number };

export function Customer360Sections({ customerId, version = 0 }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const [overview, setOverview] = useState<CustomerOverview | null>(null);
  const [failed, setFailed] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [noteError, setNoteError] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reloads after a merge.
  useEffect(() => {
    const controller = new AbortController();
    setFailed(false);
    setOverview(null);
    api.customerOverview(customerId, controller.signal).then(setOverview, () => {
      if (!controller.signal.aborted) setFailed(true);
    });
    return () => controller.abort();
  }, [api, customerId, version]);

  const addNote = useCallback(async () => {
    const body = draft.trim();
    if (!body || !overview) return;
    setSaving(true);
    setNoteError(false);
    try {
      const note = await api.addCustomerNote(overview.customer.id, body);
      setOverview({ ...overview, notes: [note, ...overview.notes] });
      setDraft('');
    } catch {
      setNoteError(true);
    } finally {
      setSaving(false);
    }
  }, [api, draft, overview]);

  const deleteNote = useCallback(
    async (noteId: string) => {
      if (!overview) return;
      try {
        await api.deleteCustomerNote(overview.customer.id, noteId);
        setOverview({ ...overview, notes: overview.notes.filter((n) => n.id !== noteId) });
      } catch {
        setNoteError(true);
      }
    },
    [api, overview],
  );

  if (failed) return <Alert type="warning" showIcon title={t('c360.loadFailed')} />;
  if (!overview) return <Skeleton active paragraph={{ rows: 3 }} />;

  const none = (key: MessageKey) => <Typography.Text type="secondary">{t(key)}</Typography.Text>;
  const mayNote = can(session, 'customers.notes');
  const mayDeleteAny = can(session, 'customers.notes_manage');
  const { orders, conversations, tickets, lastCsat, notes } = overview;

  return (
    <div className="zk-c360" data-testid="customer-360">
      <Section title={t('c360.orders')} testId="c360-orders">
        {orders.items.length === 0 ? (
          none('c360.orders.none')
        ) : (
          <ul className="zk-c360-list">
            {orders.items.map((o) => (
              <li key={o.number} className="zk-c360-item" data-testid="c360-order">
                <Typography.Text strong copyable>
                  {o.number}
                </Typography.Text>
                <Tag color="blue">{o.status}</Tag>
                {o.total && <Typography.Text type="secondary">¥{o.total}</Typography.Text>}
                <Typography.Text type="secondary">{t(`c360.orders.via.${o.via}`)}</Typography.Text>
                {o.trackingNumber && (
                  <Typography.Text type="secondary">
                    {o.carrier ?? ''} {o.trackingNumber}
                  </Typography.Text>
                )}
              </li>
            ))}
          </ul>
        )}
        <Typography.Text type="secondary" className="zk-handoff-note">
          {t(`c360.orders.source.${orders.source}`)}
        </Typography.Text>
        {orders.unavailable > 0 && (
          <Typography.Text type="warning" className="zk-handoff-note">
            {t('c360.orders.unavailable', { n: orders.unavailable })}
          </Typography.Text>
        )}
      </Section>

      <Section title={t('c360.history')} testId="c360-history">
        {conversations.length === 0 ? (
          none('c360.history.none')
        ) : (
          <ul className="zk-c360-list">
            {conversations.map((c) => (
              <li
                key={c.id}
                className="zk-c360-item"
                data-testid="c360-conversation"
                data-outcome={c.outcome}
              >
                <Typography.Text type="secondary">{formatDateTime(c.createdAt, locale)}</Typography.Text>
                <Tag>{t(`channel.${c.channel}` as MessageKey)}</Tag>
                <Tag color={OUTCOME_COLOR[c.outcome]}>{t(`c360.outcome.${c.outcome}`)}</Tag>
                {c.intent && <Typography.Text>{c.intent}</Typography.Text>}
                {c.csat !== null && <Tag color="gold">{t('c360.csat', { score: c.csat })}</Tag>}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('c360.lastCsat')} testId="c360-last-csat">
        {lastCsat ? (
          <div className="zk-c360-item">
            <Tag color={lastCsat.score >= 4 ? 'green' : lastCsat.score <= 2 ? 'red' : 'gold'}>
              {t('c360.csat', { score: lastCsat.score })}
            </Tag>
            <Typography.Text type="secondary">{formatDateTime(lastCsat.at, locale)}</Typography.Text>
            {lastCsat.comment && <Typography.Text>“{lastCsat.comment}”</Typography.Text>}
          </div>
        ) : (
          none('c360.lastCsat.none')
        )}
      </Section>

      <Section title={t('c360.tickets')} testId="c360-tickets">
        {tickets.length === 0 ? (
          none('c360.tickets.none')
        ) : (
          <ul className="zk-c360-list">
            {tickets.map((ticket) => (
              <li key={ticket.id} className="zk-c360-item">
                <Typography.Text strong>{ticket.number}</Typography.Text>
                <Tag>{ticket.type}</Tag>
                <Tag color="orange">
                  {ticket.status === 'open' ? t('c360.ticket.status.open') : ticket.status}
                </Tag>
                <Typography.Text type="secondary">{formatDateTime(ticket.createdAt, locale)}</Typography.Text>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('c360.notes')} testId="c360-notes">
        {mayNote && (
          <div className="zk-c360-note-form">
            <Input.TextArea
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t('c360.notes.placeholder')}
              maxLength={NOTE_MAX}
              autoSize={{ minRows: 2, maxRows: 6 }}
              data-testid="c360-note-input"
            />
            <Button
              size="small"
              type="primary"
              onClick={addNote}
              loading={saving}
              disabled={draft.trim() === ''}
              data-testid="c360-note-add"
              style={{ marginTop: 6 }}
            >
              {t('c360.notes.add')}
            </Button>
          </div>
        )}
        {noteError && <Alert type="error" showIcon title={t('c360.notes.failed')} style={{ marginTop: 6 }} />}
        {notes.length === 0 ? (
          none('c360.notes.none')
        ) : (
          <ul className="zk-c360-list" style={{ marginTop: 8 }}>
            {notes.map((n) => (
              <li key={n.id} className="zk-c360-note" data-testid="c360-note">
                <div className="zk-c360-note-text">{n.body}</div>
                <div className="zk-c360-item">
                  <Typography.Text type="secondary">
                    {t('c360.notes.by', {
                      name: n.authorName ?? '—',
                      time: formatDateTime(n.createdAt, locale),
                    })}
                  </Typography.Text>
                  {(n.authorUserId === session.user.id || mayDeleteAny) && (
                    <Popconfirm title={t('c360.notes.deleteConfirm')} onConfirm={() => deleteNote(n.id)}>
                      <Button size="small" type="link" danger data-testid="c360-note-delete">
                        {t('c360.notes.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
