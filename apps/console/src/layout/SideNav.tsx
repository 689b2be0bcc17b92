import {
  AccountBookOutlined,
  AlertOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  BranchesOutlined,
  DashboardOutlined,
  DesktopOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FireOutlined,
  ForkOutlined,
  FundOutlined,
  GiftOutlined,
  InboxOutlined,
  KeyOutlined,
  LinkOutlined,
  MessageOutlined,
  NotificationOutlined,
  PhoneOutlined,
  ProfileOutlined,
  ReconciliationOutlined,
  RobotOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SecurityScanOutlined,
  SettingOutlined,
  SmileOutlined,
  SoundOutlined,
  StopOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Layout, Menu, type MenuProps } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';

type Props = { route: Route; navigate: (route: Route) => void };

export function SideNav({ route, navigate }: Props) {
  const { t } = useI18n();
  const [collapsed, setCollapsed] = useState(false);
  const { session } = useSignedIn();
  const managesKeys = can(session, 'api_keys.manage');
  const items: MenuProps['items'] = [
    { key: 'inbox', icon: <InboxOutlined />, label: t('nav.inbox') },
    ...(can(session, 'analytics.read')
      ? [
          { key: 'botAnalytics', icon: <BarChartOutlined />, label: t('botAnalytics.nav') },
          { key: 'topics', icon: <FireOutlined />, label: t('topics.nav') },
        ]
      : []),
    ...(can(session, 'metrics.read_own')
      ? [{ key: 'agentMetrics', icon: <DashboardOutlined />, label: t('agentMetrics.nav') }]
      : []),
    ...(can(session, 'quality.read_own')
      ? [{ key: 'quality', icon: <AuditOutlined />, label: t('quality.nav') }]
      : []),
    ...(can(session, 'metrics.read_team')
      ? [
          { key: 'kpis', icon: <FundOutlined />, label: t('kpis.nav') },
          { key: 'wallboard', icon: <DesktopOutlined />, label: t('wallboard.nav') },
          { key: 'review', icon: <ReconciliationOutlined />, label: t('review.nav') },
          { key: 'costs', icon: <AccountBookOutlined />, label: t('costs.nav') },
        ]
      : []),
    ...(can(session, 'calls.read') ? [{ key: 'calls', icon: <PhoneOutlined />, label: t('calls.nav') }] : []),
    ...(can(session, 'campaigns.read')
      ? [
          { key: 'campaigns', icon: <NotificationOutlined />, label: t('campaigns.nav') },
          { key: 'outreach', icon: <GiftOutlined />, label: t('outreach.nav') },
        ]
      : []),
    ...(can(session, 'tickets.read')
      ? [{ key: 'tickets', icon: <FileDoneOutlined />, label: t('tickets.nav') }]
      : []),
    ...(can(session, 'complaints.read')
      ? [{ key: 'complaints', icon: <AlertOutlined />, label: t('complaints.nav') }]
      : []),
    ...(can(session, 'knowledge.read')
      ? [{ key: 'knowledge', icon: <BookOutlined />, label: t('knowledge.nav') }]
      : []),
    ...(can(session, 'bot.manage')
      ? [{ key: 'dialogue', icon: <BranchesOutlined />, label: t('dialogue.nav') }]
      : []),
    {
      key: 'settings',
      icon: <SettingOutlined />,
      label: t('nav.settings'),
      children: [
        { key: 'channels', icon: <ApiOutlined />, label: t('nav.channels') },
        ...(can(session, 'bot.manage')
          ? [{ key: 'botSettings', icon: <RobotOutlined />, label: t('nav.botSettings') }]
          : []),
        ...(managesKeys ? [{ key: 'apiKeys', icon: <KeyOutlined />, label: t('nav.apiKeys') }] : []),
        ...(can(session, 'connectors.manage')
          ? [{ key: 'integrations', icon: <LinkOutlined />, label: t('integrations.nav') }]
          : []),
        ...(can(session, 'routing.read')
          ? [{ key: 'routingRules', icon: <ForkOutlined />, label: t('routing.nav') }]
          : []),
        ...(can(session, 'replies.read')
          ? [{ key: 'replyTemplates', icon: <MessageOutlined />, label: t('replies.nav') }]
          : []),
        ...(can(session, 'speech.manage')
          ? [{ key: 'speechSettings', icon: <SoundOutlined />, label: t('speech.nav') }]
          : []),
        ...(can(session, 'sla.read')
          ? [{ key: 'sla', icon: <FieldTimeOutlined />, label: t('sla.nav') }]
          : []),
        ...(can(session, 'campaigns.read')
          ? [{ key: 'doNotCall', icon: <StopOutlined />, label: t('campaigns.tab.doNotCall') }]
          : []),
        ...(can(session, 'surveys.read')
          ? [{ key: 'surveySettings', icon: <SmileOutlined />, label: t('surveys.nav') }]
          : []),
        ...(can(session, 'bot.manage')
          ? [{ key: 'translationSettings', icon: <TranslationOutlined />, label: t('translation.nav') }]
          : []),
        ...(can(session, 'tickets.configure')
          ? [{ key: 'ticketSettings', icon: <ProfileOutlined />, label: t('ticketSettings.nav') }]
          : []),
        ...(can(session, 'privacy.manage')
          ? [{ key: 'privacy', icon: <SafetyOutlined />, label: t('privacy.nav') }]
          : []),
        { key: 'security', icon: <UserOutlined />, label: t('security.nav') },
        ...(can(session, 'audit.read')
          ? [{ key: 'audit', icon: <SecurityScanOutlined />, label: t('security.audit.nav') }]
          : []),
        ...(can(session, 'jobs.manage')
          ? [{ key: 'jobs', icon: <ScheduleOutlined />, label: t('jobs.nav') }]
          : []),
      ],
    },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'inbox') navigate({ name: 'inbox', conversationId: null });
    if (key === 'botAnalytics') navigate({ name: 'botAnalytics' });
    if (key === 'agentMetrics') navigate({ name: 'agentMetrics' });
    if (key === 'costs') navigate({ name: 'costs' });
    if (key === 'kpis') navigate({ name: 'kpis' });
    if (key === 'review') navigate({ name: 'review', week: null });
    if (key === 'wallboard') navigate({ name: 'wallboard' });
    if (key === 'topics') navigate({ name: 'topics' });
    if (key === 'quality') navigate({ name: 'quality' });
    if (key === 'knowledge') navigate({ name: 'knowledge' });
    if (key === 'calls') navigate({ name: 'calls', callId: null });
    if (key === 'speechSettings') navigate({ name: 'speechSettings' });
    if (key === 'campaigns') navigate({ name: 'campaigns', campaignId: null });
    if (key === 'outreach') navigate({ name: 'outreach', campaignId: null });
    if (key === 'doNotCall') navigate({ name: 'doNotCall' });
    if (key === 'sla') navigate({ name: 'sla' });
    if (key === 'tickets') navigate({ name: 'tickets', ticketId: null });
    if (key === 'complaints') navigate({ name: 'complaints' });
    if (key === 'surveySettings') navigate({ name: 'surveySettings' });
    if (key === 'ticketSettings') navigate({ name: 'ticketSettings' });
    if (key === 'translationSettings') navigate({ name: 'translationSettings' });
    if (key === 'dialogue') navigate({ name: 'dialogue' });
    if (key === 'channels') navigate({ name: 'channels' });
    if (key === 'botSettings') navigate({ name: 'botSettings' });
    if (key === 'apiKeys') navigate({ name: 'apiKeys' });
    if (key === 'integrations') navigate({ name: 'integrations' });
    if (key === 'privacy') navigate({ name: 'privacy' });
    if (key === 'routingRules') navigate({ name: 'routingRules' });
    if (key === 'replyTemplates') navigate({ name: 'replyTemplates' });
    if (key === 'security') navigate({ name: 'security' });
    if (key === 'audit') navigate({ name: 'audit' });
    if (key === 'jobs') navigate({ name: 'jobs' });
  };
  return (
    <Layout.Sider
      width={208}
      collapsedWidth={64}
      breakpoint="lg"
      collapsible
      collapsed={collapsed}
      onCollapse={setCollapsed}
      className="zk-sider"
    >
      <div className="zk-brand">
        <span className="zk-brand-mark">智</span>
        {!collapsed && <span className="zk-brand-name">{t('app.name')}</span>}
      </div>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={[route.name]}
        defaultOpenKeys={['settings']}
        items={items}
        onClick={onClick}
      />
    </Layout.Sider>
  );
}
