// The SIP protocol core's public API: messages, transport, transactions, digest auth, registration, trunk.

export * from './digest.ts';
export * from './errors.ts';
export { SipStreamFramer } from './framing.ts';
export { emptyParams, formatParams, parseParams, type SipParams } from './grammar.ts';
export * from './headers.ts';
export * from './message.ts';
export * from './registration.ts';
export { DEFAULT_SOURCE_GUARD, type SourceGuardOptions } from './sourceGuard.ts';
export * from './stack.ts';
export {
  buildNonSuccessAck,
  ClientTransaction,
  type ClientTransactionState,
  DEFAULT_TIMER_VALUES,
  ServerTransaction,
  type ServerTransactionState,
  type SipTimerValues,
} from './transaction.ts';
export * from './transport.ts';
export * from './trunk.ts';
export * from './uri.ts';
