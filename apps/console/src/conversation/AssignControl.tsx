import { DownOutlined, UserAddOutlined } from '@ant-design/icons';
import type { Conversation } from '@zhike/contracts';
import { App, Button, Dropdown, type MenuProps, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useUsers } from './useUsers.ts';

type Props = {
  conversation: Conversation;
  busy: boolean;
  onAssign: (assigneeId: string | null) => Promise<boolean>;
};

const UNASSIGN = '__unassign__';

/** "Assign to me" in one click; everyone else (and unassign) from the dropdown. */
export function AssignControl({ conversation, busy, onAssign }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { session } = useSignedIn();
  const [menuOpened, setMenuOpened] = useState(false);
  const users = useUsers(menuOpened);
  const me = session.user;
  const assignee = conversation.assignee;
  // Handing a conversation to someone else (or to nobody) needs assign_others; offer only what works.
  const assignsOthers = can(session, 'conversations.assign_others');

  const assign = async (id: string | null, name: string | null) => {
    if (await onAssign(id)) {
      message.success(name ? t('conversation.assigned', { name }) : t('conversation.unassigned'));
    }
  };

  const items: MenuProps['items'] = !assignsOthers
    ? []
    : [
        ...(users ? [] : [{ key: 'loading', label: t('common.loading'), disabled: true }]),
        ...(users ?? [])
          .filter((u) => u.id !== assignee?.id)
          .map((u) => ({ key: u.id, label: u.id === me.id ? `${u.name} (${t('author.you')})` : u.name })),
        ...(assignee
          ? [{ type: 'divider' as const }, { key: UNASSIGN, label: t('conversation.unassign'), danger: true }]
          : []),
      ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'loading') return;
    if (key === UNASSIGN) void assign(null, null);
    else void assign(key, users?.find((u) => u.id === key)?.name ?? null);
  };

  return (
    <Space.Compact>
      <Button
        icon={<UserAddOutlined />}
        loading={busy}
        disabled={assignee?.id === me.id}
        onClick={() => assign(me.id, me.name)}
        data-testid="assign-me"
      >
        {t('conversation.assignMe')}
      </Button>
      {assignsOthers && (
        <Dropdown
          menu={{ items, onClick }}
          trigger={['click']}
          onOpenChange={(open) => open && setMenuOpened(true)}
          disabled={busy}
        >
          <Button data-testid="assign-menu">
            <span className="zk-assignee-label">
              {assignee ? t('conversation.assignedTo', { name: assignee.name }) : t('conversation.assignTo')}
            </span>
            <DownOutlined />
          </Button>
        </Dropdown>
      )}
    </Space.Compact>
  );
}
