// Email threading: which earlier messages a mail refers to (Message-ID, In-Reply-To, References), the
// Message-ID we give our own replies, and the headers that make a customer's mail client show our reply
// in the same thread.
import { createHash } from 'node:crypto';

/** RFC 5322 allows far longer chains; past this many only the newest matter for finding the thread. */
const MAX_REFERENCES = 20;
const MAX_ID_LENGTH = 250;

/** `<abc@host>` → `abc@host`; null for anything that is not an id (empty, spaces, no @). */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const id = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  if (id.length === 0 || id.length > MAX_ID_LENGTH || /[\s<>]/.test(id) || !id.includes('@')) return null;
  return id;
}

/** Splits a References/In-Reply-To header value (or mailparser's parsed form) into ids, oldest first. */
export function messageIdsOf(value: string | readonly string[] | null | undefined): string[] {
  if (!value) return [];
  const parts = typeof value === 'string' ? [value] : value;
  const ids: string[] = [];
  for (const part of parts)
    for (const m of part.matchAll(/<[^<>]*>|[^\s<>,]+/g)) {
      const id = normaliseMessageId(m[0]);
      if (id) ids.push(id);
    }
  return ids;
}

/**
 * The ids an incoming mail refers to, newest last: References (oldest first by RFC 5322) then
 * In-Reply-To, de-duplicated and capped to the newest few.
 */
export function threadRefsOf(
  references: string | readonly string[] | null | undefined,
  inReplyTo: string | readonly string[] | null | undefined,
): string[] {
  const ordered = [...messageIdsOf(references), ...messageIdsOf(inReplyTo)];
  const seen = new Set<string>();
  const refs: string[] = [];
  // Walk from the newest so a repeated id keeps its newest position.
  for (let i = ordered.length - 1; i >= 0; i--) {
    const id = ordered[i]!;
    if (seen.has(id)) continue;
    seen.add(id);
    refs.unshift(id);
  }
  return refs.slice(-MAX_REFERENCES);
}

/**
 * Our Message-ID for an outgoing message: derived from its idempotency key, so a retried send carries
 * the same id and the customer's client (and our threading) sees one message, not two threads.
 */
export function ourMessageId(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32);
  return `${digest}.zhike@${domain}`;
}

/** Subject of a reply: "Re: " once, however many Re:/回复:/AW: the original already had. */
export function replySubject(original: string | null | undefined, fallback: string): string {
  const base = (original ?? '')
    .replace(/^\s*((re|aw|sv|fw|fwd|回复|答复|转发)\s*(\[\d+\])?\s*[:：]\s*)+/i, '')
    .trim();
  return `Re: ${base.length > 0 ? base : fallback}`;
}

export interface ReplyHeaders {
  inReplyTo?: string;
  references?: string[];
}

/**
 * In-Reply-To and References for a reply to the thread's last inbound mail: its id, after the ids it
 * referred to itself (RFC 5322 §3.6.4), so clients that thread by References keep the whole chain.
 */
export function replyHeaders(threadMeta: Readonly<Record<string, string>> | undefined): ReplyHeaders {
  const parent = normaliseMessageId(threadMeta?.messageId);
  if (!parent) return {};
  const earlier = messageIdsOf(threadMeta?.references ?? '').filter((id) => id !== parent);
  return {
    inReplyTo: `<${parent}>`,
    references: [...earlier, parent].slice(-MAX_REFERENCES).map((id) => `<${id}>`),
  };
}

/** The domain part of an address, lower-cased (for Message-IDs and the EHLO name). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at >= 0 ? address.slice(at + 1) : address).trim().toLowerCase();
}
