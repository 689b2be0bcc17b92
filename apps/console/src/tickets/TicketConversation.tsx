// The conversation a ticket was opened from: a link to it, and its transcript as attached at opening (the
// ticket links the conversation up to that message; nothing was copied, so this reads the conversation).
import type { Message } from '@zhike/contracts';
import { Card, Empty, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { MessageItem } from '../conversation/MessageItem.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNow } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Props = {
  conversationId: string | null;
  /** The conversation's last message when the ticket was opened; null: the whole conversation. */
  upTo: string | null;
  customerName: string;
};

const PAGE = 200;

export function TicketConversation({ conversationId, upTo, customerName }: Props) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const now = useNow();
  const [messages, setMessages] = useState<Message[] | null>(null);

  useEffect(() => {
    if (!conversationId) return;
    const controller = new AbortController();
    const load = async () => {
      const newest = await api.listMessages(conversationId, { limit: PAGE }, controller.signal);
      const at = upTo ? newest.messages.findIndex((m) => m.id === upTo) : -1;
      if (!upTo || at >= 0) return at >= 0 ? newest.messages.slice(0, at + 1) : newest.messages;
      // Many messages came after the ticket: the page before the attached point (it is the last one).
      const earlier = await api.listMessages(
        conversationId,
        { before: upTo, limit: PAGE },
        controller.signal,
      );
      return earlier.messages;
    };
    load().then(setMessages, (error: unknown) => {
      if (controller.signal.aborted) return;
      setMessages([]);
      notifyError(error);
    });
    return () => controller.abort();
  }, [api, conversationId, upTo, notifyError]);

  if (!conversationId) {
    return (
      <Card title={t('tickets.conversation.title')} size="small">
        <Typography.Text type="secondary">{t('tickets.conversation.none')}</Typography.Text>
      </Card>
    );
  }
  return (
    <Card
      title={t('tickets.conversation.title')}
      size="small"
      data-testid="ticket-conversation"
      extra={
        <a href={routeHref({ name: 'inbox', conversationId })} data-testid="ticket-conversation-link">
          {t('tickets.conversation.open')}
        </a>
      }
    >
      {messages === null ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : messages.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.conversation.empty')} />
      ) : (
        <>
          <Typography.Text type="secondary">
            {t('tickets.conversation.transcript', { n: messages.length })}
          </Typography.Text>
          <div className="zk-ticket-transcript" data-testid="ticket-transcript">
            {messages.map((m) => (
              <MessageItem
                key={m.id}
                message={m}
                customerName={customerName}
                isMine={m.authorId === session.user.id}
                now={now}
              />
            ))}
          </div>
        </>
      )}
    </Card>
  );
}
