// Entity extraction: order numbers, phones, e-mails, money, dates/times, quantities, products and
// places in one pass, overlapping matches resolved longest-first.

import type { MappedRewrite } from '../dialect/rewrite.ts';
import { dialects, toSimplified } from '../normalise/index.ts';
import { compileOrderPattern, extractEmails, extractOrderNumbers, extractPhones } from './contact.ts';
import { type DateTimeValue, type DateValue, extractDateTimes } from './datetime.ts';
import { extractLocations, type LocationValue } from './location.ts';
import {
  type Currency,
  extractMoney,
  extractQuantities,
  type MoneyValue,
  type QuantityValue,
} from './money.ts';
import { zonedNow } from './zoned.ts';

export { DEFAULT_ORDER_NUMBER_PATTERN } from './contact.ts';
export type { Currency, DateTimeValue, DateValue, LocationValue, MoneyValue, QuantityValue };

interface EntityBase<T extends string, V> {
  type: T;
  /** The matched text, exactly as the customer wrote it. */
  text: string;
  /** UTF-16 offsets into the input: `input.slice(start, end) === text`. */
  start: number;
  end: number;
  value: V;
}

export type Entity =
  | EntityBase<'order_number', string>
  | EntityBase<'phone', string>
  | EntityBase<'email', string>
  | EntityBase<'money', MoneyValue>
  | EntityBase<'datetime', DateTimeValue>
  | EntityBase<'date', DateValue>
  | EntityBase<'quantity', QuantityValue>
  | EntityBase<'product', { id: string }>
  | EntityBase<'location', LocationValue>;

export type EntityType = Entity['type'];

export interface ProductRecord {
  id: string;
  name: string;
  aliases?: string[];
}

export interface EntityExtractorConfig {
  /** Per-workspace order-number regex source (no flags, no anchors; matched case-insensitively); default `DEFAULT_ORDER_NUMBER_PATTERN`. */
  orderNumberPattern?: string;
  products?: readonly ProductRecord[];
  now?: () => Date;
  /** IANA zone that "明天" and "3pm" are read in; default Asia/Shanghai. */
  timeZone?: string;
}

export interface EntityExtractor {
  extract(text: string): Entity[];
}

/**
 * When two matches overlap, the longer wins; on equal length the more specific type wins (an order
 * number over a phone, money over a quantity: "三块" is money, "三件" a quantity).
 */
const PRIORITY: Readonly<Record<EntityType, number>> = {
  email: 9,
  order_number: 8,
  phone: 7,
  money: 6,
  datetime: 5,
  date: 4,
  product: 3,
  location: 2,
  quantity: 1,
};

/** Full-width ASCII → half-width and lower case, keeping every index (one UTF-16 unit per unit). */
function shadow(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (ch === '\u3000') out += ' ';
    else out += ch;
  }
  // toLowerCase can change length for a few non-ASCII letters (İ); lower-case ASCII only.
  return out.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The Mandarin form of a message in a dialect, converted character by character (so indices still match)
 * and rewritten with source spans; null for Mandarin and everything else.
 */
function mandarinView(text: string): MappedRewrite | null {
  let simplified = toSimplified(text);
  // OpenCC's phrase table may change a length; then convert one character at a time.
  if (simplified.length !== text.length) {
    simplified = Array.from(text, (c) => {
      const s = toSimplified(c);
      return s.length === c.length ? s : c;
    }).join('');
  }
  if (!dialects().mayShow(simplified)) return null;
  return dialects().rewriteMapped(simplified);
}

function resolveOverlaps(entities: Entity[]): Entity[] {
  const ranked = [...entities].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || PRIORITY[b.type] - PRIORITY[a.type] || a.start - b.start,
  );
  const kept: Entity[] = [];
  for (const e of ranked) {
    if (!kept.some((k) => e.start < k.end && k.start < e.end)) kept.push(e);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function productMatcher(
  products: readonly ProductRecord[],
): (lower: string) => { start: number; end: number; id: string }[] {
  const surfaces = products
    .flatMap((p) => [p.name, ...(p.aliases ?? [])].map((s) => ({ surface: shadow(s.trim()), id: p.id })))
    .filter((s) => s.surface.length > 0)
    .sort((a, b) => b.surface.length - a.surface.length);
  return (lower) => {
    const hits: { start: number; end: number; id: string }[] = [];
    for (const { surface, id } of surfaces) {
      let at = lower.indexOf(surface);
      while (at !== -1) {
        const before = lower[at - 1] ?? '';
        const after = lower[at + surface.length] ?? '';
        // Latin names must be whole words ("pro" is not in "product").
        const latin = /[a-z0-9]/;
        const bounded =
          !(latin.test(surface[0]!) && latin.test(before)) &&
          !(latin.test(surface.at(-1)!) && latin.test(after));
        if (bounded) hits.push({ start: at, end: at + surface.length, id });
        at = lower.indexOf(surface, at + 1);
      }
    }
    return hits;
  };
}

export function createEntityExtractor(config: EntityExtractorConfig = {}): EntityExtractor {
  const orderPattern = compileOrderPattern(config.orderNumberPattern);
  const now = config.now ?? (() => new Date());
  const timeZone = config.timeZone ?? 'Asia/Shanghai';
  const findProducts = productMatcher(config.products ?? []);

  return {
    extract(text) {
      const shadowed = shadow(text);
      // Cantonese or Sichuanese read in Mandarin (聽日 → 明天), spans mapped back to the customer's text.
      const view = mandarinView(shadowed);
      const lower = view?.text ?? shadowed;
      const found: Entity[] = [];
      const add = <T extends Entity>(type: T['type'], at: number, until: number, value: T['value']): void => {
        const start = view ? view.sourceStart[at]! : at;
        const end = view ? view.sourceEnd[until - 1]! : until;
        found.push({ type, text: text.slice(start, end), start, end, value } as T);
      };
      for (const s of extractOrderNumbers(lower, orderPattern)) add('order_number', s.start, s.end, s.value);
      for (const s of extractPhones(lower)) add('phone', s.start, s.end, s.value);
      for (const s of extractEmails(lower)) add('email', s.start, s.end, s.value);
      for (const s of extractMoney(lower)) add('money', s.start, s.end, s.value);
      for (const s of extractQuantities(lower)) add('quantity', s.start, s.end, s.value);
      for (const h of extractDateTimes(lower, zonedNow(now(), timeZone), timeZone))
        add(h.type, h.start, h.end, h.value);
      for (const p of findProducts(lower)) add('product', p.start, p.end, { id: p.id });
      for (const l of extractLocations(lower)) add('location', l.start, l.end, l.value);
      return resolveOverlaps(found);
    },
  };
}
