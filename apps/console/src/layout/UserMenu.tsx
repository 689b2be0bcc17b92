import { LogoutOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function UserMenu() {
  const { t } = useI18n();
  const { session, logout } = useSignedIn();
  const notifyError = useNotifyError();
  const { user } = session;
  const items: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: `${user.email} · ${t('header.role', { role: t(`role.${user.role}`) })}`,
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'logout') logout().catch(notifyError);
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu" className="zk-user-button">
        <Avatar size="small" className="zk-avatar">
          {initial(user.name || user.email)}
        </Avatar>
        <span className="zk-user-name">{user.name}</span>
      </Button>
    </Dropdown>
  );
}

function initial(text: string): string {
  return [...text.trim()][0]?.toUpperCase() ?? '?';
}
