// Master–detail: the conversation list on the left, the open conversation on the right.
import { QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Empty, Tooltip } from 'antd';
import { useState } from 'react';
import { ConversationView } from '../conversation/ConversationView.tsx';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { ListFilter } from '../realtime/conversationList.ts';
import { parseRoute, type Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { ShortcutHelp } from '../workspace/ShortcutHelp.tsx';
import { stepConversation } from '../workspace/shortcuts.ts';
import { useShortcuts } from '../workspace/useShortcuts.ts';
import { ConversationList } from './ConversationList.tsx';
import { InboxFilters } from './InboxFilters.tsx';
import { useConversationList } from './useConversationList.ts';
import { useUnread } from './useUnread.ts';

type Props = { conversationId: string | null; navigate: (route: Route) => void };

export function InboxPage({ conversationId, navigate }: Props) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<ListFilter>({ assignee: 'all', status: 'open' });
  const list = useConversationList(filter);
  const { session } = useSignedIn();
  const unread = useUnread(conversationId, `${session.workspace.name} · ${t('app.name')}`);
  const initial = list.items.find((c) => c.id === conversationId) ?? null;
  const [helpOpen, setHelpOpen] = useState(false);
  const go = (step: 1 | -1) => {
    // From the address bar, not the last render: quick J J K presses can outrun React's re-render.
    const current = parseRoute(window.location.hash);
    const openId = current.name === 'inbox' ? current.conversationId : conversationId;
    const id = stepConversation(
      list.items.map((c) => c.id),
      openId,
      step,
    );
    if (id) navigate({ name: 'inbox', conversationId: id });
  };
  useShortcuts({ next: () => go(1), previous: () => go(-1), help: () => setHelpOpen(true) });
  return (
    <div className={`zk-inbox${conversationId ? ' has-selection' : ''}`}>
      <section className="zk-inbox-master">
        <header className="zk-inbox-master-header">
          <div className="zk-inbox-title-row">
            <h2 className="zk-inbox-title">{t('inbox.title')}</h2>
            <Tooltip title={`${t('shortcuts.button')} (?)`}>
              <Button
                type="text"
                size="small"
                icon={<QuestionCircleOutlined />}
                aria-label={t('shortcuts.button')}
                onClick={() => setHelpOpen(true)}
                data-testid="shortcuts-button"
              />
            </Tooltip>
          </div>
          <InboxFilters filter={filter} onChange={setFilter} />
        </header>
        <ConversationList
          list={list}
          selectedId={conversationId}
          unread={unread}
          onSelect={(id) => navigate({ name: 'inbox', conversationId: id })}
        />
      </section>
      <section className="zk-inbox-detail">
        {conversationId ? (
          <ConversationView
            key={conversationId}
            conversationId={conversationId}
            initial={initial}
            onChanged={list.applyLocal}
            onBack={() => navigate({ name: 'inbox', conversationId: null })}
          />
        ) : (
          <div className="zk-fill-center">
            <Empty description={t('inbox.selectConversation')} />
          </div>
        )}
      </section>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
