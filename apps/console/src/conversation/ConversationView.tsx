// The open conversation: header with actions, live messages, reply box, and the customer panel.
import type { Conversation } from '@zhike/contracts';
import { Drawer, Empty, Spin } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { RoutingCard } from '../routingRules/RoutingCard.tsx';
import { ConversationHeader } from './ConversationHeader.tsx';
import { CustomerPanel } from './CustomerPanel.tsx';
import { MessageList } from './MessageList.tsx';
import { ReplyBox } from './ReplyBox.tsx';
import { useConversation } from './useConversation.ts';
import { useMessages } from './useMessages.ts';

type Props = {
  conversationId: string;
  initial: Conversation | null;
  onChanged: (conversation: Conversation) => void;
  onBack: () => void;
};

export function ConversationView({ conversationId, initial, onChanged, onBack }: Props) {
  const { t } = useI18n();
  const state = useConversation(conversationId, initial, onChanged);
  const messages = useMessages(conversationId);
  const [customerOpen, setCustomerOpen] = useState(false);
  const { conversation } = state;

  if (state.phase === 'notFound') {
    return (
      <div className="zk-fill-center">
        <Empty description={t('conversation.notFound')} />
      </div>
    );
  }
  if (!conversation) {
    return (
      <div className="zk-fill-center">
        <Spin />
      </div>
    );
  }
  return (
    <div className="zk-conversation" data-conversation-id={conversation.id} data-status={conversation.status}>
      <div className="zk-conversation-main">
        <ConversationHeader
          conversation={conversation}
          busy={state.busy}
          onAssign={state.assign}
          onStatus={state.setStatus}
          onBack={onBack}
          onShowCustomer={() => setCustomerOpen(true)}
        />
        <MessageList conversation={conversation} state={messages} onLoadEarlier={messages.loadEarlier} />
        <ReplyBox conversation={conversation} onSend={messages.send} />
      </div>
      <aside className="zk-customer-aside">
        <RoutingCard conversation={conversation} />
        <CustomerPanel customerId={conversation.customer.id} />
      </aside>
      <Drawer
        open={customerOpen}
        onClose={() => setCustomerOpen(false)}
        title={t('customer.title')}
        size="default"
        className="zk-customer-drawer"
      >
        {customerOpen && <CustomerPanel customerId={conversation.customer.id} bare />}
      </Drawer>
    </div>
  );
}
