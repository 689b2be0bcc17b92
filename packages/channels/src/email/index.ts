// The email channel: the adapter (outbound SMTP), the SMTP listener (inbound) and the mail parser the
// server runs on what the listener accepts.
export { EmailInboxConfig, emailSecretFields, receivingAddresses } from './config.ts';
export { emailAdapter, textAsHtml } from './emailAdapter.ts';
export { type DroppedReason, type ParsedEmail, type ParseEmailOptions, parseEmail } from './parse.ts';
export { stripQuotedHistory } from './quotes.ts';
export { type RelayGuard, RelayRefused, relayGuard } from './relayGuard.ts';
export { htmlToText, sanitizeEmailHtml } from './sanitize.ts';
export { senderVerified } from './senderCheck.ts';
export {
  type ReceivedMail,
  type SmtpListener,
  type SmtpListenerOptions,
  startSmtpListener,
} from './smtpListener.ts';
export { normaliseMessageId, ourMessageId, replyHeaders, replySubject, threadRefsOf } from './threading.ts';
