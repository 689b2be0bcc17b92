import { Button, Empty, Skeleton } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useNow } from '../ui/time.ts';
import { ConversationListItem } from './ConversationListItem.tsx';
import type { ConversationListHandle } from './useConversationList.ts';

type Props = {
  list: ConversationListHandle;
  selectedId: string | null;
  unread: ReadonlySet<string>;
  onSelect: (id: string) => void;
};

export function ConversationList({ list, selectedId, unread, onSelect }: Props) {
  const { t } = useI18n();
  const now = useNow();
  return (
    <div className="zk-conv-list" data-testid="conversation-list" data-phase={list.phase}>
      {list.phase === 'loading' && <Skeleton active avatar paragraph={{ rows: 2 }} className="zk-pad" />}
      {list.phase !== 'loading' && list.items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.empty')} className="zk-pad" />
      )}
      {list.items.map((c) => (
        <ConversationListItem
          key={c.id}
          conversation={c}
          selected={c.id === selectedId}
          unread={unread.has(c.id)}
          now={now}
          onSelect={onSelect}
        />
      ))}
      {list.nextCursor && list.phase !== 'loading' && (
        <div className="zk-load-more">
          <Button onClick={list.loadMore} loading={list.phase === 'loadingMore'} data-testid="load-more">
            {t('inbox.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
