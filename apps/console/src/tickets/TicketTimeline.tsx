// The ticket's timeline, oldest first (changes, replies, internal notes with their text), and the box
// that adds an internal note.
import type { TicketEntry } from '@zhike/contracts';
import { App, Button, Card, Input, Space, Timeline, Typography } from 'antd';
import { useState } from 'react';
import type { Translate } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { priorityLabel, statusLabel, type TicketPriority, type TicketStatus } from './ticketLabels.ts';

type Props = {
  entries: readonly TicketEntry[];
  names: ReadonlyMap<string, string>;
  /** Adds an internal note; false when it failed. Null: the user may not write on tickets. */
  onNote: ((body: string) => Promise<boolean>) | null;
};

const isStatus = (v: unknown): v is TicketStatus =>
  v === 'new' || v === 'open' || v === 'pending' || v === 'solved' || v === 'closed';
const isPriority = (v: unknown): v is TicketPriority =>
  v === 'low' || v === 'normal' || v === 'high' || v === 'urgent';

function whatHappened(e: TicketEntry, names: ReadonlyMap<string, string>, t: Translate): string {
  const d = e.data;
  switch (e.kind) {
    case 'created':
      return t('tickets.entry.created');
    case 'status':
      return isStatus(d.from) && isStatus(d.to)
        ? t('tickets.entry.status', { from: t(statusLabel(d.from)), to: t(statusLabel(d.to)) })
        : t('tickets.entry.fields');
    case 'assignment':
      return typeof d.to === 'string'
        ? t('tickets.entry.assignment', { name: names.get(d.to) ?? '…' })
        : t('tickets.entry.unassigned');
    case 'priority': {
      const p = d.priority as { from?: unknown; to?: unknown } | undefined;
      return isPriority(p?.from) && isPriority(p?.to)
        ? t('tickets.entry.priority', { from: t(priorityLabel(p.from)), to: t(priorityLabel(p.to)) })
        : t('tickets.entry.fields');
    }
    case 'merge':
      if (typeof d.intoNumber === 'string') return t('tickets.entry.mergedInto', { number: d.intoNumber });
      if (typeof d.fromNumber === 'string') return t('tickets.entry.mergedFrom', { number: d.fromNumber });
      return t('tickets.entry.merge');
    case 'reply':
    case 'note':
    case 'fields':
    case 'orders':
    case 'attachment':
    case 'watchers':
      return t(`tickets.entry.${e.kind}`);
    default:
      return e.kind;
  }
}

export function TicketTimeline({ entries, names, onNote }: Props) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  const author = (e: TicketEntry) =>
    e.authorType === 'user'
      ? (names.get(e.authorId ?? '') ?? t('tickets.author.agent'))
      : t(`tickets.author.${e.authorType}`);

  const add = async () => {
    if (!onNote || !note.trim()) return;
    setSaving(true);
    try {
      if (await onNote(note.trim())) {
        setNote('');
        message.success(t('tickets.note.added'));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('tickets.timeline.title')} size="small" data-testid="ticket-timeline">
      <Timeline
        items={entries.map((e) => ({
          key: e.id,
          color: e.kind === 'note' ? 'gold' : e.kind === 'status' ? 'green' : 'blue',
          content: (
            <div data-testid="ticket-entry" data-kind={e.kind}>
              <Space size={6} wrap>
                <Typography.Text strong>{author(e)}</Typography.Text>
                <span>{whatHappened(e, names, t)}</span>
                <Typography.Text type="secondary">{formatDateTime(e.createdAt, locale)}</Typography.Text>
              </Space>
              {e.body && (
                <Typography.Paragraph
                  className={e.kind === 'note' ? 'zk-ticket-note' : 'zk-ticket-entry-body'}
                >
                  {e.body}
                </Typography.Paragraph>
              )}
            </div>
          ),
        }))}
      />
      {onNote && (
        <div className="zk-ticket-note-form">
          <Input.TextArea
            value={note}
            onChange={(ev) => setNote(ev.target.value)}
            placeholder={t('tickets.note.placeholder')}
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={10_000}
            data-testid="ticket-note-input"
          />
          <Button
            onClick={() => void add()}
            loading={saving}
            disabled={!note.trim()}
            data-testid="ticket-note-add"
          >
            {t('tickets.note.add')}
          </Button>
        </div>
      )}
    </Card>
  );
}
