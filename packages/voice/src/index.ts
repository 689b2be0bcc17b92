export * from './sdp/index.ts';
export * from './types.ts';
