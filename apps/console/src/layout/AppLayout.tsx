// The signed-in shell: sider navigation, header, and the page for the current route.
import { Layout } from 'antd';
import { AgentMetricsRoute } from '../agentMetrics/AgentMetricsRoute.tsx';
import { BotAnalyticsRoute } from '../botAnalytics/BotAnalyticsRoute.tsx';
import { CallsPage } from '../calls/CallsPage.tsx';
import { SpeechSettingsRoute } from '../calls/SpeechSettingsRoute.tsx';
import { CampaignsRoute } from '../campaigns/CampaignsRoute.tsx';
import { DoNotCallPage } from '../campaigns/DoNotCallPage.tsx';
import { ComplaintsPage } from '../complaints/ComplaintsPage.tsx';
import { CostsPage } from '../costs/CostsPage.tsx';
import { DialoguePage } from '../dialogue/DialoguePage.tsx';
import { InboxPage } from '../inbox/InboxPage.tsx';
import { IntegrationsPage } from '../integrations/IntegrationsPage.tsx';
import { JobsPage } from '../jobs/JobsPage.tsx';
import { KnowledgePage } from '../knowledge/KnowledgePage.tsx';
import { KpiDashboardPage } from '../kpis/KpiDashboardPage.tsx';
import { OutreachRoute } from '../outreach/OutreachRoute.tsx';
import { RetentionPage } from '../privacy/RetentionPage.tsx';
import { QualityRoute } from '../quality/QualityRoute.tsx';
import { OfferNotices } from '../queues/OfferNotices.tsx';
import { ReplyTemplatesPage } from '../replies/ReplyTemplatesPage.tsx';
import { WeeklyReviewPage } from '../reviews/WeeklyReviewPage.tsx';
import { useRoute } from '../routing/useRoute.ts';
import { RoutingNotices } from '../routingRules/RoutingNotices.tsx';
import { RoutingRulesPage } from '../routingRules/RoutingRulesPage.tsx';
import { AuditPage } from '../security/AuditPage.tsx';
import { SecurityPage } from '../security/SecurityPage.tsx';
import { ApiKeysPage } from '../settings/ApiKeysPage.tsx';
import { ChannelsPage } from '../settings/ChannelsPage.tsx';
import { BotSettingsPage } from '../setup/BotSettingsPage.tsx';
import { SetupWizard } from '../setup/SetupWizard.tsx';
import { useSetupGate } from '../setup/useSetupGate.ts';
import { SlaNotices } from '../sla/SlaNotices.tsx';
import { SlaPage } from '../sla/SlaPage.tsx';
import { Softphone } from '../softphone/Softphone.tsx';
import { SurveySettingsPage } from '../surveys/SurveySettingsPage.tsx';
import { MentionNotices } from '../tickets/MentionNotices.tsx';
import { TicketSettingsPage } from '../tickets/settings/TicketSettingsPage.tsx';
import { TicketsRoute } from '../tickets/TicketsRoute.tsx';
import { TopicsRoute } from '../topics/TopicsRoute.tsx';
import { TranslationSettingsPage } from '../translation/TranslationSettingsPage.tsx';
import { WallboardPage } from '../wallboard/WallboardPage.tsx';
import { WorkAlertsProvider } from '../workspace/WorkAlerts.tsx';
import { HeaderBar } from './HeaderBar.tsx';
import { SideNav } from './SideNav.tsx';

export function AppLayout() {
  const { route, navigate } = useRoute();
  useSetupGate(route, navigate);
  return (
    <WorkAlertsProvider openConversationId={route.name === 'inbox' ? route.conversationId : null}>
      <Layout className="zk-shell">
        <RoutingNotices />
        <OfferNotices />
        <SlaNotices />
        <MentionNotices navigate={navigate} />
        <Softphone />
        <SideNav route={route} navigate={navigate} />
        <Layout>
          <HeaderBar />
          <Layout.Content className="zk-content">
            {route.name === 'inbox' && (
              <InboxPage conversationId={route.conversationId} navigate={navigate} />
            )}
            {route.name === 'botAnalytics' && <BotAnalyticsRoute />}
            {route.name === 'agentMetrics' && <AgentMetricsRoute />}
            {route.name === 'costs' && <CostsPage />}
            {route.name === 'kpis' && <KpiDashboardPage />}
            {route.name === 'review' && <WeeklyReviewPage week={route.week} />}
            {route.name === 'wallboard' && <WallboardPage />}
            {route.name === 'topics' && <TopicsRoute />}
            {route.name === 'quality' && <QualityRoute navigate={navigate} />}
            {route.name === 'calls' && <CallsPage callId={route.callId} navigate={navigate} />}
            {route.name === 'speechSettings' && <SpeechSettingsRoute />}
            {route.name === 'campaigns' && (
              <CampaignsRoute campaignId={route.campaignId} navigate={navigate} />
            )}
            {route.name === 'outreach' && <OutreachRoute campaignId={route.campaignId} navigate={navigate} />}
            {route.name === 'doNotCall' && <DoNotCallPage />}
            {route.name === 'sla' && <SlaPage />}
            {route.name === 'tickets' && <TicketsRoute ticketId={route.ticketId} navigate={navigate} />}
            {route.name === 'complaints' && <ComplaintsPage navigate={navigate} />}
            {route.name === 'surveySettings' && <SurveySettingsPage />}
            {route.name === 'ticketSettings' && <TicketSettingsPage />}
            {route.name === 'translationSettings' && <TranslationSettingsPage />}
            {route.name === 'dialogue' && <DialoguePage />}
            {route.name === 'knowledge' && <KnowledgePage />}
            {route.name === 'channels' && <ChannelsPage navigate={navigate} />}
            {route.name === 'apiKeys' && <ApiKeysPage />}
            {route.name === 'setup' && <SetupWizard navigate={navigate} />}
            {route.name === 'botSettings' && <BotSettingsPage navigate={navigate} />}
            {route.name === 'integrations' && <IntegrationsPage />}
            {route.name === 'privacy' && <RetentionPage />}
            {route.name === 'routingRules' && <RoutingRulesPage />}
            {route.name === 'replyTemplates' && <ReplyTemplatesPage />}
            {route.name === 'security' && <SecurityPage />}
            {route.name === 'audit' && <AuditPage />}
            {route.name === 'jobs' && <JobsPage />}
          </Layout.Content>
        </Layout>
      </Layout>
    </WorkAlertsProvider>
  );
}
