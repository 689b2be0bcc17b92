// The SIP protocol core's public API: messages, transport, transactions, digest auth, registration, trunk.

export * from './errors.ts';
export { emptyParams, formatParams, parseParams, type SipParams } from './grammar.ts';
export * from './headers.ts';
export * from './message.ts';
export * from './uri.ts';
