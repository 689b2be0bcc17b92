// 合并到…: closes this ticket as a duplicate of another active ticket of the same customer (the server
// moves watchers, orders and open complaints, and keeps the customer from hearing of it twice).
import { MergeCellsOutlined } from '@ant-design/icons';
import type { TicketListItem } from '@zhike/contracts';
import { App, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { statusLabel } from './ticketLabels.ts';

type Props = {
  ticket: Pick<TicketListItem, 'id' | 'customerId'>;
  /** After the merge: the ticket that carries on. */
  onMerged: (intoId: string) => void;
};

const ACTIVE = new Set(['new', 'open', 'pending']);

export function TicketMergeAction({ ticket, onMerged }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [open, setOpen] = useState(false);
  const [candidates, setCandidates] = useState<TicketListItem[] | null>(null);
  const [intoId, setIntoId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  const start = async () => {
    setOpen(true);
    setIntoId(null);
    setNote('');
    setCandidates(null);
    try {
      const list = await api.listTickets({
        limit: 100,
        ...(ticket.customerId ? { customerId: ticket.customerId } : {}),
      });
      setCandidates(list.tickets.filter((c) => c.id !== ticket.id && ACTIVE.has(c.status)));
    } catch (error) {
      notifyError(error);
      setCandidates([]);
    }
  };

  const submit = async () => {
    if (!intoId) return;
    setSaving(true);
    try {
      const result = await api.mergeTicket(ticket.id, {
        intoId,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      message.success(t('tickets.merge.done', { number: result.into.number }));
      setOpen(false);
      onMerged(result.into.id);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Button icon={<MergeCellsOutlined />} onClick={() => void start()} data-testid="ticket-merge">
        {t('tickets.merge.button')}
      </Button>
      <Modal
        open={open}
        title={t('tickets.merge.title')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        okText={t('tickets.merge.submit')}
        okButtonProps={{ disabled: !intoId, loading: saving, danger: true }}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('tickets.merge.into')} extra={t('tickets.merge.intoHelp')}>
            <Select
              value={intoId}
              onChange={setIntoId}
              loading={candidates === null}
              showSearch
              optionFilterProp="label"
              notFoundContent={t('tickets.merge.none')}
              data-testid="ticket-merge-into"
              options={(candidates ?? []).map((c) => ({
                value: c.id,
                label: `${c.number} · ${c.subject} · ${t(statusLabel(c.status))}`,
              }))}
            />
          </Form.Item>
          <Form.Item label={t('tickets.merge.note')}>
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={10_000}
              autoSize={{ minRows: 2, maxRows: 4 }}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
