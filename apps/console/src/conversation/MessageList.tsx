import type { Conversation } from '@zhike/contracts';
import { Button, Empty, Spin } from 'antd';
import { useLayoutEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { MessagesState } from '../realtime/messages.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { customerLabel } from '../ui/labels.ts';
import { useNow } from '../ui/time.ts';
import { MessageItem } from './MessageItem.tsx';

type Props = { conversation: Conversation; state: MessagesState; onLoadEarlier: () => void };

/** Distance from the bottom within which new messages keep the view pinned to the newest one. */
const STICKY_PX = 120;

export function MessageList({ conversation, state, onLoadEarlier }: Props) {
  const { t } = useI18n();
  const { session } = useSignedIn();
  const now = useNow(60_000);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lastId = state.messages.at(-1)?.id;
  const customerName = customerLabel(conversation.customer, t);

  // Follow new messages only if the agent was already reading the bottom; loading older ones keeps position.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the newest message changes
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lastId]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
  };

  return (
    <div className="zk-messages" ref={scroller} onScroll={onScroll} data-testid="message-list">
      {state.hasEarlier && (
        <div className="zk-load-earlier">
          <Button size="small" type="link" loading={state.phase === 'loadingEarlier'} onClick={onLoadEarlier}>
            {t('conversation.loadEarlier')}
          </Button>
        </div>
      )}
      {state.phase === 'loading' && state.messages.length === 0 && (
        <div className="zk-fill-center">
          <Spin />
        </div>
      )}
      {state.phase !== 'loading' && state.messages.length === 0 && (
        <div className="zk-fill-center">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('conversation.noMessages')} />
        </div>
      )}
      {state.messages.map((m) => (
        <MessageItem
          key={m.id}
          message={m}
          customerName={customerName}
          isMine={m.author === 'agent' && m.authorId === session.user.id}
          now={now}
        />
      ))}
    </div>
  );
}
