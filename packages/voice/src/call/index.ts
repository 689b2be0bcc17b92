// Call control: dialogs, one call's state machine (inbound and outbound), the user agent, media bridges.
export * from './bridge.ts';
export * from './callEvents.ts';
export * from './dialog.ts';
export * from './inboundCall.ts';
export * from './outboundCall.ts';
export * from './ports.ts';
export * from './rtpMedia.ts';
export * from './sipCall.ts';
export * from './startUserAgent.ts';
export * from './userAgent.ts';
