// Money ("三百五十块", "¥99.9", "99元", "$20", "1万2块") and quantities ("两件", "3 boxes").
import { parseChineseNumber } from '../normalise/numerals.ts';

export type Currency = 'CNY' | 'USD' | 'EUR' | 'GBP' | 'HKD' | 'JPY' | 'TWD';

export interface MoneyValue {
  amount: number;
  currency: Currency;
}

export interface QuantityValue {
  amount: number;
  unit: string;
}

export interface Span<V> {
  start: number;
  end: number;
  value: V;
}

/** A Chinese or Arabic number, with units and elision ("1万2", "三百五十", "1.2万"). */
const NUM =
  '(?:\\d+(?:\\.\\d+)?(?:[万千百]\\d*)?|[零〇一二两三四五六七八九十百千万亿]+(?:点[一二三四五六七八九零]+)?)';
const NUM_WITH_COMMAS = '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?(?:[万千百kK]\\d*)?)';

const SYMBOLS: Readonly<Record<string, Currency>> = {
  '¥': 'CNY',
  '￥': 'CNY',
  rmb: 'CNY',
  cny: 'CNY',
  $: 'USD',
  us$: 'USD',
  usd: 'USD',
  hk$: 'HKD',
  hkd: 'HKD',
  nt$: 'TWD',
  twd: 'TWD',
  '€': 'EUR',
  eur: 'EUR',
  '£': 'GBP',
  gbp: 'GBP',
  jpy: 'JPY',
};

const CN_CURRENCY_WORDS: Readonly<Record<string, Currency>> = {
  美元: 'USD',
  美金: 'USD',
  刀: 'USD',
  港币: 'HKD',
  港元: 'HKD',
  港纸: 'HKD',
  欧元: 'EUR',
  英镑: 'GBP',
  日元: 'JPY',
  日币: 'JPY',
  台币: 'TWD',
  新台币: 'TWD',
  人民币: 'CNY',
  元: 'CNY',
  块钱: 'CNY',
  块: 'CNY',
  圆: 'CNY',
};

const EN_CURRENCY_WORDS: Readonly<Record<string, Currency>> = {
  dollars: 'USD',
  dollar: 'USD',
  bucks: 'USD',
  usd: 'USD',
  rmb: 'CNY',
  yuan: 'CNY',
  cny: 'CNY',
  euros: 'EUR',
  euro: 'EUR',
  eur: 'EUR',
  pounds: 'GBP',
  gbp: 'GBP',
  hkd: 'HKD',
  yen: 'JPY',
  jpy: 'JPY',
};

function parseAmount(raw: string): number | null {
  const s = raw.replace(/,/g, '').replace(/[kK]$/, '千');
  return parseChineseNumber(s);
}

export function extractMoney(text: string): Span<MoneyValue>[] {
  const spans: Span<MoneyValue>[] = [];
  const push = (start: number, end: number, amount: number | null, currency: Currency): void => {
    if (amount !== null && Number.isFinite(amount)) spans.push({ start, end, value: { amount, currency } });
  };

  // Symbol or code first: "¥99.9", "$20", "RMB 99", "HK$100".
  const symbolRe = new RegExp(
    `(hk\\$|nt\\$|us\\$|[¥￥$€£]|\\b(?:rmb|cny|usd|hkd|twd|eur|gbp|jpy)\\b)\\s?(${NUM_WITH_COMMAS})`,
    'g',
  );
  for (const m of text.matchAll(symbolRe)) {
    push(m.index, m.index + m[0].length, parseAmount(m[2]!), SYMBOLS[m[1]!] ?? 'CNY');
  }

  // Chinese yuan with optional jiao/fen: "三块五", "三块五毛", "12元5角", "350块钱", "1万2块".
  const yuanRe = new RegExp(
    `(${NUM})\\s?(块钱|块|元|圆)(?:(?:零)?([一二三四五六七八九\\d])(?:毛|角)?(?:([一二三四五六七八九\\d])分?)?)?(?:钱)?`,
    'g',
  );
  for (const m of text.matchAll(yuanRe)) {
    const yuan = parseAmount(m[1]!);
    if (yuan === null) continue;
    // "三块五" reads 5 as jiao; "一块五分" is handled by the fen group.
    const jiao = m[3] ? (parseChineseNumber(m[3]) ?? 0) : 0;
    const fen = m[4] ? (parseChineseNumber(m[4]) ?? 0) : 0;
    push(m.index, m.index + m[0].length, Math.round((yuan + jiao / 10 + fen / 100) * 100) / 100, 'CNY');
  }
  for (const m of text.matchAll(new RegExp(`(${NUM})\\s?(?:毛|角)(?:钱)?`, 'g'))) {
    const jiao = parseAmount(m[1]!);
    if (jiao !== null && jiao < 10) push(m.index, m.index + m[0].length, jiao / 10, 'CNY');
  }
  // Other currencies written in Chinese: "20美元", "100港币".
  const cnForeign = Object.keys(CN_CURRENCY_WORDS).filter((w) => !['元', '块钱', '块', '圆'].includes(w));
  for (const m of text.matchAll(new RegExp(`(${NUM})\\s?(${cnForeign.join('|')})`, 'g'))) {
    push(m.index, m.index + m[0].length, parseAmount(m[1]!), CN_CURRENCY_WORDS[m[2]!]!);
  }
  for (const m of text.matchAll(new RegExp(`人民币\\s?(${NUM})(?:元|块)?`, 'g'))) {
    push(m.index, m.index + m[0].length, parseAmount(m[1]!), 'CNY');
  }
  // English words: "20 dollars", "50 bucks", "100 rmb".
  const enWords = Object.keys(EN_CURRENCY_WORDS).join('|');
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])(${NUM_WITH_COMMAS})\\s?(${enWords})\\b`, 'g'))) {
    push(m.index, m.index + m[0].length, parseAmount(m[1]!), EN_CURRENCY_WORDS[m[2]!]!);
  }
  // A bare amount after a price word ("预算1万2", "花了三百五"): the words make it money.
  const priceWords = '预算|价格|价钱|售价|花了|付了|付款|一共|总共|退了|扣了|多扣了|差价|运费';
  for (const m of text.matchAll(
    new RegExp(`(?:${priceWords})(?:是|为|:)?\\s?(${NUM})(?![\\d号件个天点月年日周次%])`, 'g'),
  )) {
    const start = m.index + m[0].length - m[1]!.length;
    push(start, m.index + m[0].length, parseAmount(m[1]!), 'CNY');
  }
  return spans;
}

const CN_MEASURES =
  '件|个|双|箱|瓶|盒|包|袋|套|条|台|份|张|本|支|只|斤|公斤|千克|克|kg|米|卷|桶|罐|片|颗|粒|对|副|把|顶|块|单';
const EN_UNITS: Readonly<Record<string, string>> = {
  pcs: 'piece',
  pc: 'piece',
  pieces: 'piece',
  piece: 'piece',
  items: 'item',
  item: 'item',
  pairs: 'pair',
  pair: 'pair',
  boxes: 'box',
  box: 'box',
  bottles: 'bottle',
  bottle: 'bottle',
  packs: 'pack',
  pack: 'pack',
  sets: 'set',
  set: 'set',
  units: 'unit',
  unit: 'unit',
  kg: 'kg',
  kgs: 'kg',
  lbs: 'lb',
  lb: 'lb',
};

export function extractQuantities(text: string): Span<QuantityValue>[] {
  const spans: Span<QuantityValue>[] = [];
  // Chinese numerals are limited to plain counts, so "一起" or "统一" never reach here (no measure word).
  const cnRe = new RegExp(
    `(?<![\\d.])(\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百千]+)\\s?(${CN_MEASURES})`,
    'g',
  );
  for (const m of text.matchAll(cnRe)) {
    const amount = parseChineseNumber(m[1]!);
    // "一下", "一个劲" and similar are filtered by the measure list; "一个" alone is still a count of one.
    if (amount !== null)
      spans.push({ start: m.index, end: m.index + m[0].length, value: { amount, unit: m[2]! } });
  }
  const enUnits = Object.keys(EN_UNITS).join('|');
  for (const m of text.matchAll(new RegExp(`(?<![\\w.$])(\\d+)\\s?(${enUnits})\\b`, 'g'))) {
    spans.push({
      start: m.index,
      end: m.index + m[0].length,
      value: { amount: Number(m[1]), unit: EN_UNITS[m[2]!]! },
    });
  }
  for (const m of text.matchAll(/(?<![\w])[x×*]\s?(\d{1,4})\b/g)) {
    spans.push({ start: m.index, end: m.index + m[0].length, value: { amount: Number(m[1]), unit: 'item' } });
  }
  return spans;
}
