// Order numbers, Chinese mobile numbers and e-mail addresses.
import type { Span } from './money.ts';

/** Words that announce an order or tracking number: what follows is that, even if it looks like a phone. */
const ORDER_CUES =
  /(?:订单号?|单号|运单号?|快递单号?|物流单号?|包裹号|order\s*(?:no\.?|number|num|id|#)?|tracking\s*(?:no\.?|number|#)?|#)\s*[:：是为]?\s*$/i;

/** Default order-number shape when a workspace configures none: a letter prefix + 6+ digits, or 12+ digits. */
export const DEFAULT_ORDER_NUMBER_PATTERN = '(?:[A-Za-z]{1,4}-?\\d{6,20}|\\d{12,24})';

export function hasOrderCue(text: string, start: number): boolean {
  return ORDER_CUES.test(text.slice(Math.max(0, start - 16), start));
}

export function compileOrderPattern(source: string | undefined): RegExp {
  const body = source ?? DEFAULT_ORDER_NUMBER_PATTERN;
  // Wrapped so a workspace pattern never matches inside a longer code; case-insensitive because it runs
  // on the lower-cased text (values are upper-cased again).
  return new RegExp(`(?<![A-Za-z0-9])(?:${body})(?![A-Za-z0-9])`, 'gi');
}

export function extractOrderNumbers(original: string, pattern: RegExp): Span<string>[] {
  const spans: Span<string>[] = [];
  for (const m of original.matchAll(pattern)) {
    spans.push({ start: m.index, end: m.index + m[0].length, value: m[0].toUpperCase() });
  }
  // Any 8+ character code right after an order cue, whatever its shape ("单号 13812345678").
  for (const m of original.matchAll(/(?<![A-Za-z0-9])[A-Za-z0-9-]{8,30}(?![A-Za-z0-9])/g)) {
    if (/\d{6}/.test(m[0]) && hasOrderCue(original, m.index)) {
      spans.push({ start: m.index, end: m.index + m[0].length, value: m[0].toUpperCase() });
    }
  }
  return spans;
}

/** Chinese mobiles: 1[3-9]x xxxx xxxx, optionally +86/0086/86 and spaces or dashes in 3-4-4 groups. */
const PHONE_RE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;

export function extractPhones(text: string): Span<string>[] {
  const spans: Span<string>[] = [];
  for (const m of text.matchAll(PHONE_RE)) {
    // Inside an alphanumeric code ("SF13812345678") it is part of that code.
    if (/[A-Za-z]/.test(text[m.index - 1] ?? '')) continue;
    if (hasOrderCue(text, m.index)) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, value: `${m[1]}${m[2]}${m[3]}` });
  }
  return spans;
}

const EMAIL_RE = /(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])/g;

export function extractEmails(text: string): Span<string>[] {
  return [...text.matchAll(EMAIL_RE)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    value: m[0].toLowerCase(),
  }));
}
