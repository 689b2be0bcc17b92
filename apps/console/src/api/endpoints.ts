// One typed function per HTTP endpoint the console uses; paths live here and nowhere else.
import type {
  ApiKey,
  AssignBody,
  BotSettingsView,
  ConnectorTestBody,
  ConnectorTestResult,
  Conversation,
  ConversationList,
  ConversationListQuery,
  CreatedApiKey,
  Customer,
  Inbox,
  InboxList,
  LoginBody,
  Message,
  MessageList,
  OrderLookupConnectorBody,
  OrderLookupConnectorResult,
  SendMessageBody,
  SessionInfo,
  SetupStatus,
  StatusBody,
  TemplateList,
  TwoFactorChallenge,
  UpdateBotSettingsBody,
  UpdateInboxBody,
  UserList,
} from '@zhike/contracts';
import { agentMetricsEndpoints } from '../agentMetrics/endpoints.ts';
import { assistEndpoints } from '../assist/endpoints.ts';
import { botAnalyticsEndpoints } from '../botAnalytics/endpoints.ts';
import { callEndpoints } from '../calls/endpoints.ts';
import { campaignEndpoints } from '../campaigns/endpoints.ts';
import { complaintEndpoints } from '../complaints/endpoints.ts';
import { costEndpoints } from '../costs/endpoints.ts';
import { customer360Endpoints } from '../customer360/endpoints.ts';
import { dialogueEndpoints } from '../dialogue/endpoints.ts';
import { identityEndpoints } from '../identity/endpoints.ts';
import { jobEndpoints } from '../jobs/endpoints.ts';
import { knowledgeEndpoints } from '../knowledge/endpoints.ts';
import { kpiEndpoints } from '../kpis/endpoints.ts';
import { outreachEndpoints } from '../outreach/endpoints.ts';
import { privacyEndpoints } from '../privacy/endpoints.ts';
import { qualityEndpoints } from '../quality/endpoints.ts';
import { queueEndpoints } from '../queues/endpoints.ts';
import { replyEndpoints } from '../replies/endpoints.ts';
import { reviewEndpoints } from '../reviews/endpoints.ts';
import { routingEndpoints } from '../routingRules/endpoints.ts';
import { securityEndpoints } from '../security/endpoints.ts';
import { channelEndpoints } from '../settings/channelEndpoints.ts';
import { slaEndpoints } from '../sla/endpoints.ts';
import { surveyEndpoints } from '../surveys/endpoints.ts';
import { ticketEndpoints } from '../tickets/endpoints.ts';
import { topicEndpoints } from '../topics/endpoints.ts';
import { translationEndpoints } from '../translation/endpoints.ts';
import { workspaceEndpoints } from '../workspace/endpoints.ts';
import type { HttpClient } from './http.ts';

const v1 = '/api/v1';
const enc = encodeURIComponent;

export function createZhikeApi(http: HttpClient) {
  return {
    ...knowledgeEndpoints(http),
    ...callEndpoints(http),
    ...campaignEndpoints(http),
    ...slaEndpoints(http),
    ...complaintEndpoints(http),
    ...ticketEndpoints(http),
    ...translationEndpoints(http),
    ...costEndpoints(http),
    ...kpiEndpoints(http),
    ...reviewEndpoints(http),
    ...qualityEndpoints(http),
    ...surveyEndpoints(http),
    ...jobEndpoints(http),
    ...outreachEndpoints(http),
    ...dialogueEndpoints(http),
    ...channelEndpoints(http),
    /** 202 with a challenge when the account has two-step verification on. */
    login: (body: LoginBody) =>
      http.request<SessionInfo | TwoFactorChallenge>('POST', `${v1}/auth/login`, { body }),
    ...securityEndpoints(http),
    logout: () => http.request<unknown>('POST', `${v1}/auth/logout`, { expectUnauthenticated: true }),
    me: () => http.request<SessionInfo>('GET', `${v1}/auth/me`, { expectUnauthenticated: true }),

    listConversations: (query: ConversationListQuery, signal?: AbortSignal) =>
      http.request<ConversationList>('GET', `${v1}/conversations`, { query, signal }),
    getConversation: (id: string, signal?: AbortSignal) =>
      http.request<Conversation>('GET', `${v1}/conversations/${enc(id)}`, { signal }),
    listMessages: (id: string, query: { before?: string; limit?: number }, signal?: AbortSignal) =>
      http.request<MessageList>('GET', `${v1}/conversations/${enc(id)}/messages`, { query, signal }),
    sendMessage: (id: string, body: SendMessageBody) =>
      http.request<Message>('POST', `${v1}/conversations/${enc(id)}/messages`, { body }),
    assign: (id: string, body: AssignBody) =>
      http.request<Conversation>('POST', `${v1}/conversations/${enc(id)}/assign`, { body }),
    setStatus: (id: string, body: StatusBody) =>
      http.request<Conversation>('POST', `${v1}/conversations/${enc(id)}/status`, { body }),

    getCustomer: (id: string, signal?: AbortSignal) =>
      http.request<Customer>('GET', `${v1}/customers/${enc(id)}`, { signal }),
    ...privacyEndpoints(http),
    ...routingEndpoints(http),
    ...replyEndpoints(http),
    ...assistEndpoints(http),
    ...customer360Endpoints(http),
    ...identityEndpoints(http),
    ...botAnalyticsEndpoints(http),
    ...agentMetricsEndpoints(http),
    ...topicEndpoints(http),
    ...workspaceEndpoints(http),
    ...queueEndpoints(http),
    listUsers: () => http.request<UserList>('GET', `${v1}/users`),

    listInboxes: () => http.request<InboxList>('GET', `${v1}/inboxes`),
    updateInbox: (id: string, body: UpdateInboxBody) =>
      http.request<Inbox>('PATCH', `${v1}/inboxes/${enc(id)}`, { body }),

    listApiKeys: () => http.request<{ apiKeys: ApiKey[] }>('GET', `${v1}/api-keys`),
    createApiKey: (name: string) => http.request<CreatedApiKey>('POST', `${v1}/api-keys`, { body: { name } }),
    revokeApiKey: (id: string) => http.request<unknown>('DELETE', `${v1}/api-keys/${enc(id)}`),

    listTemplates: () => http.request<TemplateList>('GET', `${v1}/templates`),
    getBotSettings: () => http.request<BotSettingsView>('GET', `${v1}/bot/settings`),
    saveBotSettings: (body: UpdateBotSettingsBody) =>
      http.request<BotSettingsView>('PUT', `${v1}/bot/settings`, { body }),
    getSetup: () => http.request<SetupStatus>('GET', `${v1}/setup`),
    completeSetup: () => http.request<SetupStatus>('POST', `${v1}/setup/complete`),

    getOrderLookupConnector: () =>
      http.request<OrderLookupConnectorResult>('GET', `${v1}/connectors/order-lookup`),
    saveOrderLookupConnector: (body: OrderLookupConnectorBody) =>
      http.request<OrderLookupConnectorResult>('PUT', `${v1}/connectors/order-lookup`, { body }),
    testOrderLookupConnector: (body: ConnectorTestBody) =>
      http.request<ConnectorTestResult>('POST', `${v1}/connectors/order-lookup/test`, { body }),
  };
}

export type ZhikeApi = ReturnType<typeof createZhikeApi>;
