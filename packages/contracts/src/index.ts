// Request/response schemas shared by the server (validation, OpenAPI), the console and the widget.
// Browser code imports values from '@zhike/contracts/protocol' and only types from here.

export * from './agentMetrics.ts';
export * from './assist.ts';
export * from './auth.ts';
export * from './botAnalytics.ts';
export * from './botSettings.ts';
export * from './campaigns.ts';
export * from './common.ts';
export * from './connectors.ts';
export * from './conversations.ts';
export * from './costs.ts';
export * from './customer360.ts';
export * from './customers.ts';
export * from './dialogue.ts';
export * from './errors.ts';
export * from './inboxes.ts';
export * from './jobs.ts';
export * from './knowledge.ts';
export * from './knowledgeSearch.ts';
export * from './kpis.ts';
export * from './orders.ts';
export * from './outreach.ts';
export * from './privacy.ts';
export * from './protocol.ts';
export * from './queues.ts';
export * from './replies.ts';
export * from './routing.ts';
export * from './security.ts';
export * from './sla.ts';
export * from './surveys.ts';
export * from './ticketSettings.ts';
export * from './tickets.ts';
export * from './topics.ts';
export * from './translation.ts';
export * from './voice.ts';
export * from './widget.ts';
