// Hash routes: they work behind any static file server without a history fallback.
export type Route =
  | { name: 'inbox'; conversationId: string | null }
  | { name: 'botAnalytics' }
  | { name: 'agentMetrics' }
  | { name: 'costs' }
  | { name: 'kpis' }
  | { name: 'review'; week: string | null }
  | { name: 'wallboard' }
  | { name: 'topics' }
  | { name: 'quality' }
  | { name: 'calls'; callId: string | null }
  | { name: 'speechSettings' }
  | { name: 'translationSettings' }
  | { name: 'campaigns'; campaignId: string | null }
  | { name: 'outreach'; campaignId: string | null }
  | { name: 'doNotCall' }
  | { name: 'sla' }
  | { name: 'complaints' }
  | { name: 'tickets'; ticketId: string | null }
  | { name: 'surveySettings' }
  | { name: 'ticketSettings' }
  | { name: 'dialogue' }
  | { name: 'knowledge' }
  | { name: 'setup' }
  | { name: 'botSettings' }
  | { name: 'channels' }
  | { name: 'apiKeys' }
  | { name: 'integrations' }
  | { name: 'privacy' }
  | { name: 'routingRules' }
  | { name: 'replyTemplates' }
  | { name: 'security' }
  | { name: 'audit' }
  | { name: 'jobs' };

const CONVERSATION_ID = /^[0-9a-zA-Z-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#/, '').split('/').filter(Boolean);
  if (parts[0] === 'setup') return { name: 'setup' };
  if (parts[0] === 'bot' && parts[1] === 'analytics') return { name: 'botAnalytics' };
  if (parts[0] === 'metrics' && parts[1] === 'agents') return { name: 'agentMetrics' };
  if (parts[0] === 'analytics' && parts[1] === 'topics') return { name: 'topics' };
  if (parts[0] === 'bot' && parts[1] === 'dialogue') return { name: 'dialogue' };
  if (parts[0] === 'knowledge') return { name: 'knowledge' };
  if (parts[0] === 'costs') return { name: 'costs' };
  if (parts[0] === 'kpis') return { name: 'kpis' };
  if (parts[0] === 'review')
    return { name: 'review', week: parts[1] && /^\d{4}-\d{2}-\d{2}$/.test(parts[1]) ? parts[1] : null };
  if (parts[0] === 'wallboard') return { name: 'wallboard' };
  if (parts[0] === 'quality') return { name: 'quality' };
  if (parts[0] === 'calls') {
    const id = parts[1];
    return { name: 'calls', callId: id && CONVERSATION_ID.test(id) ? id : null };
  }
  if (parts[0] === 'outreach')
    return { name: 'outreach', campaignId: parts[1] && CONVERSATION_ID.test(parts[1]) ? parts[1] : null };
  if (parts[0] === 'campaigns') {
    const id = parts[1];
    return { name: 'campaigns', campaignId: id && CONVERSATION_ID.test(id) ? id : null };
  }
  if (parts[0] === 'complaints') return { name: 'complaints' };
  if (parts[0] === 'tickets')
    return { name: 'tickets', ticketId: parts[1] && CONVERSATION_ID.test(parts[1]) ? parts[1] : null };
  if (parts[0] === 'settings') {
    if (parts[1] === 'surveys') return { name: 'surveySettings' };
    if (parts[1] === 'tickets') return { name: 'ticketSettings' };
    if (parts[1] === 'do-not-call') return { name: 'doNotCall' };
    if (parts[1] === 'sla') return { name: 'sla' };
    if (parts[1] === 'bot') return { name: 'botSettings' };
    if (parts[1] === 'integrations') return { name: 'integrations' };
    if (parts[1] === 'privacy') return { name: 'privacy' };
    if (parts[1] === 'routing') return { name: 'routingRules' };
    if (parts[1] === 'replies') return { name: 'replyTemplates' };
    if (parts[1] === 'speech') return { name: 'speechSettings' };
    if (parts[1] === 'translation') return { name: 'translationSettings' };
    if (parts[1] === 'security') return { name: 'security' };
    if (parts[1] === 'audit') return { name: 'audit' };
    if (parts[1] === 'jobs') return { name: 'jobs' };
    return parts[1] === 'api-keys' ? { name: 'apiKeys' } : { name: 'channels' };
  }
  const id = parts[0] === 'inbox' ? parts[1] : undefined;
  return { name: 'inbox', conversationId: id && CONVERSATION_ID.test(id) ? id : null };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'setup':
      return '#/setup';
    case 'botAnalytics':
      return '#/bot/analytics';
    case 'agentMetrics':
      return '#/metrics/agents';
    case 'topics':
      return '#/analytics/topics';
    case 'dialogue':
      return '#/bot/dialogue';
    case 'knowledge':
      return '#/knowledge';
    case 'costs':
      return '#/costs';
    case 'kpis':
      return '#/kpis';
    case 'review':
      return route.week ? `#/review/${route.week}` : '#/review';
    case 'wallboard':
      return '#/wallboard';
    case 'quality':
      return '#/quality';
    case 'calls':
      return route.callId ? `#/calls/${route.callId}` : '#/calls';
    case 'speechSettings':
      return '#/settings/speech';
    case 'translationSettings':
      return '#/settings/translation';
    case 'outreach':
      return route.campaignId ? `#/outreach/${route.campaignId}` : '#/outreach';
    case 'campaigns':
      return route.campaignId ? `#/campaigns/${route.campaignId}` : '#/campaigns';
    case 'doNotCall':
      return '#/settings/do-not-call';
    case 'sla':
      return '#/settings/sla';
    case 'complaints':
      return '#/complaints';
    case 'tickets':
      return route.ticketId ? `#/tickets/${route.ticketId}` : '#/tickets';
    case 'surveySettings':
      return '#/settings/surveys';
    case 'ticketSettings':
      return '#/settings/tickets';
    case 'botSettings':
      return '#/settings/bot';
    case 'inbox':
      return route.conversationId ? `#/inbox/${route.conversationId}` : '#/inbox';
    case 'channels':
      return '#/settings/channels';
    case 'apiKeys':
      return '#/settings/api-keys';
    case 'integrations':
      return '#/settings/integrations';
    case 'privacy':
      return '#/settings/privacy';
    case 'routingRules':
      return '#/settings/routing';
    case 'replyTemplates':
      return '#/settings/replies';
    case 'security':
      return '#/settings/security';
    case 'audit':
      return '#/settings/audit';
    case 'jobs':
      return '#/settings/jobs';
  }
}
