import { Badge, Layout, Space, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { StatusSwitch } from '../queues/StatusSwitch.tsx';
import { useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { WorkAlertsToggle } from '../workspace/WorkAlerts.tsx';
import { LangSwitch } from './LangSwitch.tsx';
import { UserMenu } from './UserMenu.tsx';

export function HeaderBar() {
  const { t } = useI18n();
  const { session } = useSignedIn();
  const { status } = useFeedStatus();
  return (
    <Layout.Header className="zk-header">
      <Space size="middle">
        <Typography.Text strong className="zk-workspace-name">
          {session.workspace.name}
        </Typography.Text>
        <Badge
          status={status === 'live' ? 'success' : 'warning'}
          text={
            <span className="zk-muted">
              {status === 'live' ? t('header.live') : t('header.reconnecting')}
            </span>
          }
        />
      </Space>
      <Space size="small">
        <StatusSwitch />
        <WorkAlertsToggle />
        <LangSwitch />
        <UserMenu />
      </Space>
    </Layout.Header>
  );
}
