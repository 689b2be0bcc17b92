// 创建工单 in the conversation header: a small form (title guessed from what the customer wrote, category,
// priority from the conversation) that opens a ticket from this conversation, so its customer and
// transcript come along; the conversation's tickets are linked beside the button.
import { FileAddOutlined } from '@ant-design/icons';
import type { Conversation, Message, Ticket } from '@zhike/contracts';
import { App, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { suggestTicketSubject } from './ticketDraft.ts';
import { priorityLabel, type TicketPriority, ticketPriorityList } from './ticketLabels.ts';

type Props = { conversation: Conversation; messages: readonly Message[] };
type Draft = { subject: string; category?: string; priority: TicketPriority; description?: string };

/** The conversation's tickets shown as links; more than this is what the ticket list is for. */
const LINKED = 3;

export function CreateTicketAction({ conversation, messages }: Props) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Draft>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [tickets, setTickets] = useState<Pick<Ticket, 'id' | 'number'>[]>([]);
  // One key per opened form: a double click or a retried request opens one ticket, not two.
  const attempt = useRef('');
  const reads = can(session, 'tickets.read');

  useEffect(() => {
    setTickets([]);
    if (!reads) return;
    const controller = new AbortController();
    api.listTickets({ conversationId: conversation.id, limit: LINKED }, controller.signal).then(
      (list) => setTickets(list.tickets),
      // The links are a convenience; the header works without them.
      () => undefined,
    );
    return () => controller.abort();
  }, [api, conversation.id, reads]);

  const start = () => {
    attempt.current = crypto.randomUUID();
    form.setFieldsValue({
      subject: suggestTicketSubject(messages, routingIntent(conversation)),
      category: '',
      priority: conversation.priority,
      description: '',
    });
    setOpen(true);
  };

  const submit = async () => {
    const draft = await form.validateFields();
    setSaving(true);
    try {
      const { ticket } = await api.openTicket({
        subject: draft.subject.trim(),
        priority: draft.priority,
        conversationId: conversation.id,
        idempotencyKey: attempt.current,
        ...(draft.category?.trim() ? { category: draft.category.trim() } : {}),
        ...(draft.description?.trim() ? { description: draft.description.trim() } : {}),
      });
      setTickets((prev) => [ticket, ...prev.filter((x) => x.id !== ticket.id)].slice(0, LINKED));
      setOpen(false);
      message.success(t('tickets.create.done', { number: ticket.number }));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  if (!reads) return null;
  return (
    <>
      {tickets.map((x) => (
        <a
          key={x.id}
          href={routeHref({ name: 'tickets', ticketId: x.id })}
          data-testid="conversation-ticket-link"
        >
          {t('tickets.create.link', { number: x.number })}
        </a>
      ))}
      {can(session, 'tickets.manage') && (
        <Button icon={<FileAddOutlined />} onClick={start} data-testid="create-ticket">
          {t('tickets.create.button')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('tickets.create.title')}
        okText={t('tickets.create.submit')}
        okButtonProps={{ loading: saving, 'data-testid': 'create-ticket-submit' }}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="subject"
            label={t('tickets.create.subject')}
            rules={[{ required: true, whitespace: true, message: t('tickets.create.subjectRequired') }]}
          >
            <Input maxLength={200} data-testid="create-ticket-subject" />
          </Form.Item>
          <div style={{ display: 'flex', gap: 12 }}>
            <Form.Item name="category" label={t('tickets.create.category')} style={{ flex: 1 }}>
              <Input
                maxLength={60}
                placeholder={t('tickets.create.categoryPlaceholder')}
                data-testid="create-ticket-category"
              />
            </Form.Item>
            <Form.Item name="priority" label={t('tickets.create.priority')} style={{ width: 140 }}>
              <Select
                data-testid="create-ticket-priority"
                options={ticketPriorityList.map((p) => ({ value: p, label: t(priorityLabel(p)) }))}
              />
            </Form.Item>
          </div>
          <Form.Item name="description" label={t('tickets.create.description')}>
            <Input.TextArea rows={3} maxLength={10_000} data-testid="create-ticket-description" />
          </Form.Item>
          <Typography.Text type="secondary">{t('tickets.create.transcriptHint')}</Typography.Text>
        </Form>
      </Modal>
    </>
  );
}

/** The intent the latest routing decision saw (e.g. 退款申请), if the bot recognised one. */
function routingIntent(conversation: Conversation): string | null {
  const label = conversation.routing?.inputs.intentLabel;
  return typeof label === 'string' ? label : null;
}
