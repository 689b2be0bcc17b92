// One raw RFC 5322 mail → the channel-neutral inbound message: who wrote (and whether that is proven),
// the new text without the quoted history, the thread it belongs to, its files, and safe HTML to show.
import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import {
  type DeliveryStatusEvent,
  type InboundAttachment,
  type InboundMessageEvent,
  InboundParseError,
} from '../adapter.ts';
import { stripQuotedHistory } from './quotes.ts';
import { htmlToText, sanitizeEmailHtml } from './sanitize.ts';
import { senderVerified } from './senderCheck.ts';
import { normaliseMessageId, threadRefsOf } from './threading.ts';

/** Types the server stores (it checks the bytes again); anything else is left out and named in meta. */
const STORED_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf']);

export interface ParseEmailOptions {
  /** The inbox address the mail was delivered to. */
  inboxAddress: string;
  /** The SMTP client authenticated with the listener's AUTH credentials (the shop's own mail host). */
  authenticatedRelay: boolean;
  trustedAuthServId?: string | null;
  /** Longest text kept (the rest is cut with an ellipsis); the conversation API's limit by default. */
  maxTextLength?: number;
  maxAttachments?: number;
  maxAttachmentBytes?: number;
}

export type DroppedReason = 'too_large' | 'unsupported_type' | 'too_many';

export type ParsedEmail =
  | {
      kind: 'message';
      event: InboundMessageEvent;
      /** The mail's HTML after the allow-list pass, for display; null when it had none. */
      html: string | null;
      dropped: { name: string; reason: DroppedReason }[];
    }
  /** A bounce (RFC 3464 report) saying one of our mails could not be delivered. */
  | { kind: 'status'; event: DeliveryStatusEvent }
  /** Mail nobody should answer: auto-replies, bounces, mailing-list traffic, our own mail coming back. */
  | { kind: 'ignored'; reason: 'auto_submitted' | 'bounce' | 'own_address'; providerMessageId: string };

function firstAddress(
  value: AddressObject | AddressObject[] | undefined,
): { address: string; name: string } | null {
  const objects = Array.isArray(value) ? value : value ? [value] : [];
  for (const o of objects)
    for (const a of o.value) {
      const address = a.address?.trim().toLowerCase();
      if (address && /^[^\s@]+@[^\s@]+$/.test(address)) return { address, name: a.name?.trim() ?? '' };
    }
  return null;
}

function headerText(mail: ParsedMail, name: string): string {
  const value = mail.headers.get(name);
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** RFC 3834 and the de-facto headers of out-of-office and list mail: answering them starts mail loops. */
function isAutomatic(mail: ParsedMail): 'auto_submitted' | 'bounce' | null {
  const contentType = mail.headers.get('content-type');
  const report =
    typeof contentType === 'object' && contentType && 'value' in contentType
      ? String(contentType.value).toLowerCase() === 'multipart/report'
      : false;
  if (report) return 'bounce';
  const autoSubmitted = headerText(mail, 'auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_submitted';
  if (/^(bulk|junk|list|auto_reply)$/.test(headerText(mail, 'precedence'))) return 'auto_submitted';
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond') || mail.headers.has('list-id'))
    return 'auto_submitted';
  return null;
}

/**
 * The failure a delivery report describes: the Message-ID of the returned mail (from its attached
 * headers) and the reason. Null unless the report says the delivery failed for good.
 */
function bounceOf(mail: ParsedMail): DeliveryStatusEvent | null {
  const part = (type: string) => mail.attachments.find((a) => a.contentType.toLowerCase() === type);
  const status = part('message/delivery-status')?.content.toString('utf8') ?? '';
  if (!/^action:\s*failed\s*$/im.test(status)) return null;
  const original = (part('text/rfc822-headers') ?? part('message/rfc822'))?.content.toString('utf8') ?? '';
  const headers = original.split(/\r?\n\r?\n/)[0] ?? '';
  const id = normaliseMessageId(/^message-id:\s*(\S+)/im.exec(headers)?.[1]);
  if (!id) return null;
  const diagnostic = /^diagnostic-code:\s*(.+)$/im.exec(status)?.[1]?.trim();
  const code = /^status:\s*(\S+)/im.exec(status)?.[1];
  return {
    kind: 'status',
    providerMessageId: id,
    status: 'failed',
    error: (diagnostic ?? (code ? `status ${code}` : 'returned as undeliverable')).slice(0, 300),
  };
}

function authenticationResults(mail: ParsedMail): string[] {
  // headerLines keep every occurrence in order (topmost first); the parsed map keeps only one.
  return mail.headerLines
    .filter((h) => h.key === 'authentication-results')
    .map((h) => h.line.replace(/^[^:]*:/, '').trim());
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export async function parseEmail(raw: Buffer, options: ParseEmailOptions): Promise<ParsedEmail> {
  // mailparser costs ~0.3 s to import: it loads with the first mail, not with every process.
  const { simpleParser } = await import('mailparser');
  let mail: ParsedMail;
  try {
    // skipHtmlToText: `text` then comes only from a text/plain part, so we know which one we had.
    mail = await simpleParser(raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      maxHtmlLengthToParse: 2_000_000,
      // Delivery reports as parts of their own, so a bounce can be read (bounceOf).
      keepDeliveryStatus: true,
    });
  } catch (error) {
    throw new InboundParseError(`unreadable mail: ${(error as Error).message}`);
  }
  const ownId = normaliseMessageId(mail.messageId);
  // Without a Message-ID the bytes themselves identify a re-delivery.
  const providerMessageId = ownId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;

  const automatic = isAutomatic(mail);
  if (automatic === 'bounce') {
    const bounce = bounceOf(mail);
    if (bounce) return { kind: 'status', event: bounce };
  }
  if (automatic) return { kind: 'ignored', reason: automatic, providerMessageId };
  const from = firstAddress(mail.from);
  if (!from) throw new InboundParseError('mail without a From address');
  if (from.address === options.inboxAddress.toLowerCase())
    return { kind: 'ignored', reason: 'own_address', providerMessageId };

  const threadRefs = threadRefsOf(mail.references, mail.inReplyTo);
  const subject = (mail.subject ?? '').replace(/[\r\n]+/g, ' ').trim();
  const html = typeof mail.html === 'string' && mail.html.trim() ? sanitizeEmailHtml(mail.html) : null;
  let body = '';
  if (mail.text?.trim()) body = stripQuotedHistory(mail.text);
  else if (html) body = stripQuotedHistory(htmlToText(html, { dropQuotes: true }));

  const dropped: { name: string; reason: DroppedReason }[] = [];
  const attachments: InboundAttachment[] = [];
  const maxCount = options.maxAttachments ?? 10;
  const maxBytes = options.maxAttachmentBytes ?? 10 * 1024 * 1024;
  for (const a of mail.attachments) {
    // Images embedded in the HTML (logos, signatures) are part of the body, not files the customer sent.
    if (a.related) continue;
    const name = (a.filename ?? 'attachment').replace(/[\r\n/\\]+/g, '_').slice(0, 200);
    const type = a.contentType.toLowerCase();
    if (!STORED_TYPES.has(type)) dropped.push({ name, reason: 'unsupported_type' });
    else if (a.size > maxBytes || a.content.length > maxBytes) dropped.push({ name, reason: 'too_large' });
    else if (attachments.length >= maxCount) dropped.push({ name, reason: 'too_many' });
    else attachments.push({ name, mimeType: type, content: a.content });
  }

  // A first mail often says it all in the subject ("Order 1234 not arrived"), so the conversation and
  // the bot see it; a reply's subject is only "Re: …" of what is already there.
  const isReply = threadRefs.length > 0 || /^\s*(re|aw|回复|答复)\s*[:：]/i.test(subject);
  let text = body;
  if (!isReply && subject && !body.startsWith(subject)) text = body ? `${subject}\n\n${body}` : subject;
  const max = options.maxTextLength ?? 5000;
  if (dropped.length > 0) {
    // Said in the message, as the server does for files it refuses, so the agent knows to ask for them.
    const note = cut(`[${dropped.map((d) => d.name).join(', ')} — not kept]`, Math.floor(max / 2));
    text = text ? `${cut(text, max - note.length - 2)}\n\n${note}` : note;
  } else text = cut(text, max);
  if (!text && attachments.length === 0) throw new InboundParseError('mail without text or files');

  const verified = senderVerified({
    fromAddress: from.address,
    authenticatedRelay: options.authenticatedRelay,
    authenticationResults: authenticationResults(mail),
    trustedAuthServId: options.trustedAuthServId ?? null,
  });
  const meta: Record<string, string> = { subject };
  if (ownId) meta.messageId = ownId;
  if (threadRefs.length > 0) meta.references = threadRefs.join(' ');

  return {
    kind: 'message',
    event: {
      kind: 'message',
      providerMessageId,
      identity: { kind: 'email', value: from.address, verified },
      profile: { name: from.name || null, email: from.address },
      text,
      attachments,
      threadRefs,
      meta,
    },
    html,
    dropped,
  };
}
