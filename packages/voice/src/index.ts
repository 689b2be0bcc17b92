export * from './sdp/index.ts';
export * from './sip/index.ts';
export * from './types.ts';
