// The open conversation: header with actions, live messages, reply box, and the customer panel.
import type { Conversation } from '@zhike/contracts';
import { App, Drawer, Empty, Spin } from 'antd';
import { useRef, useState } from 'react';
import { SuggestionsPanel } from '../assist/SuggestionsPanel.tsx';
import { useSuggestions } from '../assist/useSuggestions.ts';
import { HandoffCard } from '../handoff/HandoffCard.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import { RoutingCard } from '../routingRules/RoutingCard.tsx';
import { KnowledgeSearch } from '../workspace/KnowledgeSearch.tsx';
import { useShortcuts } from '../workspace/useShortcuts.ts';
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

/**
 * Puts text at the reply box's caret the way typing would (React sees an input event), so the draft
 * keeps what the agent already wrote around it.
 */
function insertIntoReply(input: HTMLTextAreaElement | null, text: string): boolean {
  if (!input || input.disabled) return false;
  input.focus();
  const { selectionStart, selectionEnd, value } = input;
  const before = value.slice(0, selectionStart);
  // A space after Latin text; Chinese runs on without one.
  const glue = /[A-Za-z0-9.,!?;:]$/.test(before) ? ' ' : '';
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  setter?.call(input, `${before}${glue}${text}${value.slice(selectionEnd)}`);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  const caret = before.length + glue.length + text.length;
  input.setSelectionRange(caret, caret);
  return true;
}

export function ConversationView({ conversationId, initial, onChanged, onBack }: Props) {
  const { t } = useI18n();
  const state = useConversation(conversationId, initial, onChanged);
  const messages = useMessages(conversationId);
  const suggestions = useSuggestions(conversationId);
  const [customerOpen, setCustomerOpen] = useState(false);
  const { message } = App.useApp();
  const main = useRef<HTMLDivElement>(null);
  const { conversation } = state;
  // The reply box is found in this view's own DOM, so the shortcut needs nothing from ReplyBox itself.
  const replyInput = () => main.current?.querySelector<HTMLTextAreaElement>('.zk-reply textarea') ?? null;
  useShortcuts({
    resolve: () => {
      if (!conversation || conversation.status === 'resolved' || state.busy) return;
      void state.setStatus('resolved').then((ok) => {
        if (ok) message.success(t('conversation.resolved'));
      });
    },
    focusReply: () => replyInput()?.focus(),
  });

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
      <div className="zk-conversation-main" ref={main}>
        <ConversationHeader
          conversation={conversation}
          messages={messages.messages}
          busy={state.busy}
          onAssign={state.assign}
          onStatus={state.setStatus}
          onBack={onBack}
          onShowCustomer={() => setCustomerOpen(true)}
        />
        <MessageList conversation={conversation} state={messages} onLoadEarlier={messages.loadEarlier} />
        <ReplyBox
          conversation={conversation}
          onSend={async (text, clientMessageId) => {
            const sent = await messages.send(text, clientMessageId);
            if (sent) suggestions.sent(sent);
            return sent !== null;
          }}
        />
      </div>
      <aside className="zk-customer-aside">
        <HandoffCard conversationId={conversation.id} handedOff={conversation.handedOff} />
        <SuggestionsPanel
          suggestions={suggestions.suggestions}
          loading={suggestions.loading}
          messageId={suggestions.messageId}
          insert={(rank) => {
            const text = suggestions.take(rank);
            return text !== null && insertIntoReply(replyInput(), text);
          }}
        />
        {/* Beside the suggestions: where the agent looks when none of them fits. */}
        <KnowledgeSearch insert={(text) => insertIntoReply(replyInput(), text)} />
        <RoutingCard conversation={conversation} />
        <CustomerPanel customerId={conversation.customer.id} conversationId={conversation.id} />
      </aside>
      <Drawer
        open={customerOpen}
        onClose={() => setCustomerOpen(false)}
        title={t('customer.title')}
        size="default"
        className="zk-customer-drawer"
      >
        {customerOpen && (
          <CustomerPanel customerId={conversation.customer.id} conversationId={conversation.id} bare />
        )}
      </Drawer>
    </div>
  );
}
