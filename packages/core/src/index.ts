// @zhike/core: the domain. Pure TypeScript; no framework, database or network imports.
export * from './bot/bot.ts';
export * from './conversations/assignConversation.ts';
export * from './conversations/changeConversationStatus.ts';
export * from './conversations/handOffConversation.ts';
export * from './conversations/outbound.ts';
export * from './conversations/receiveCustomerMessage.ts';
export * from './conversations/replyAsAgent.ts';
export * from './conversations/runBotTurn.ts';
export * from './customers/nameCustomer.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './jobs.ts';
export * from './model.ts';
export * from './permissions.ts';
export * from './ports.ts';
