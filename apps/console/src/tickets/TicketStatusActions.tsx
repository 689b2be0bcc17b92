// The ticket's lifecycle buttons: one per move the server allows. Solving asks how it was solved (kept as
// the note similar tickets are later suggested with), pending asks whose move it is, closing confirms.
import type { TicketStatusBody } from '@zhike/contracts';
import { App, Button, Form, Input, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { statusActions, statusLabel, type TicketStatus } from './ticketLabels.ts';

type Props = {
  status: TicketStatus;
  moves: readonly TicketStatus[];
  /** Makes the move; false when it failed (the caller has said why). */
  onMove: (body: TicketStatusBody) => Promise<boolean>;
  /** A resolution to start the solve dialog with (a suggested solution's text); null: closed. */
  solving: string | null;
  onSolving: (draft: string | null) => void;
};

type PendingReason = NonNullable<TicketStatusBody['pendingReason']>;

export function TicketStatusActions({ status, moves, onMove, solving, onSolving }: Props) {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState<TicketStatus | null>(null);
  const [pendingOpen, setPendingOpen] = useState(false);
  const [solveForm] = Form.useForm<{ note: string }>();
  const [pendingForm] = Form.useForm<{ reason: PendingReason }>();

  const move = async (body: TicketStatusBody) => {
    setBusy(body.status);
    try {
      const ok = await onMove(body);
      if (ok) message.success(t('tickets.moved', { status: t(statusLabel(body.status)) }));
      return ok;
    } finally {
      setBusy(null);
    }
  };

  const actions = statusActions(status, moves);
  return (
    <>
      <Space wrap data-testid="ticket-actions">
        {actions.map((a) => (
          <Button
            key={a.to}
            type={a.primary ? 'primary' : 'default'}
            danger={a.to === 'closed' && status !== 'solved'}
            loading={busy === a.to}
            disabled={busy !== null && busy !== a.to}
            data-testid={`ticket-move-${a.to}`}
            onClick={() => {
              if (a.asks === 'resolution') onSolving('');
              else if (a.asks === 'pendingReason') setPendingOpen(true);
              else if (a.asks === 'confirm')
                modal.confirm({ content: t('tickets.closeConfirm'), onOk: () => move({ status: 'closed' }) });
              else void move({ status: a.to });
            }}
          >
            {t(a.label)}
          </Button>
        ))}
      </Space>
      <Modal
        open={solving !== null}
        title={t('tickets.solve.title')}
        okText={t('tickets.solve.submit')}
        okButtonProps={{ loading: busy === 'solved', 'data-testid': 'ticket-solve-submit' }}
        onCancel={() => onSolving(null)}
        onOk={async () => {
          const { note } = await solveForm.validateFields();
          if (await move({ status: 'solved', note: note.trim() })) onSolving(null);
        }}
        destroyOnHidden
      >
        <Form form={solveForm} layout="vertical" preserve={false} initialValues={{ note: solving ?? '' }}>
          <Form.Item
            name="note"
            label={t('tickets.solve.note')}
            rules={[{ required: true, whitespace: true, message: t('tickets.solve.required') }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={10_000}
              placeholder={t('tickets.solve.placeholder')}
              data-testid="ticket-solve-note"
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={pendingOpen}
        title={t('tickets.pending.title')}
        okText={t('tickets.pending.submit')}
        okButtonProps={{ loading: busy === 'pending' }}
        onCancel={() => setPendingOpen(false)}
        onOk={async () => {
          const { reason } = await pendingForm.validateFields();
          if (await move({ status: 'pending', pendingReason: reason })) setPendingOpen(false);
        }}
        destroyOnHidden
      >
        <Form form={pendingForm} layout="vertical" preserve={false} initialValues={{ reason: 'customer' }}>
          <Form.Item name="reason" label={t('tickets.pending.reason')} rules={[{ required: true }]}>
            <Radio.Group
              options={(['customer', 'third_party'] as const).map((r) => ({
                value: r,
                label: t(`tickets.pendingReason.${r}`),
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
