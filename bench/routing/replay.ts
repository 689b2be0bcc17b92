// The labelled routing replay set: its line type, a loader, the demo shop's default customer tiers as
// the labels were written against them, and the set's mix (what the README table and the test report).
import { readFileSync } from 'node:fs';
import type { Band } from './simulate.ts';

export const CHANNELS = ['widget', 'sms', 'email', 'wechat', 'api'] as const;
export const TARGETS = ['bot', 'general', 'complaints', 'vip'] as const;
export type ReplayChannel = (typeof CHANNELS)[number];
export type ReplayTarget = (typeof TARGETS)[number];
export type Tier = 'vip' | 'regular' | 'new';

export interface ReplayCustomer {
  memberLevel: string | null;
  lifetimeSpend: number;
  orderCount: number;
  tags: string[];
}

export interface ReplayLine {
  id: string;
  text: string;
  channel: ReplayChannel;
  customer: ReplayCustomer;
  expect: { target: ReplayTarget; band: Band };
  /** The labeller's reason, in a few words. */
  why: string;
}

export const REPLAY_PATH = new URL('./replay.zh-CN.jsonl', import.meta.url).pathname;
/** The second held-out set, written when the first had been replayed too often to stay held out. */
export const REPLAY2_PATH = new URL('./replay2.zh-CN.jsonl', import.meta.url).pathname;
/** The third, written after the hand-off model was tuned (replay2 had then been run three times). */
export const REPLAY3_PATH = new URL('./replay3.zh-CN.jsonl', import.meta.url).pathname;

export function loadReplaySet(path = REPLAY_PATH): ReplayLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReplayLine);
}

const VIP_LEVELS = new Set(['gold', 'platinum', 'diamond']);
const VIP_SPEND = 5000;

/**
 * The retail demo shop's default tiers (bench policy): gold/platinum/diamond, ≥ 5000 CNY spent or the
 * `vip` tag make a VIP; any order or spend makes a regular; everyone else is new. Kept here rather than
 * imported from the routing engine so the labels stay an independent judgement.
 */
export function tierOf(customer: ReplayCustomer): Tier {
  if (
    (customer.memberLevel !== null && VIP_LEVELS.has(customer.memberLevel)) ||
    customer.lifetimeSpend >= VIP_SPEND ||
    customer.tags.includes('vip')
  )
    return 'vip';
  if (customer.orderCount >= 1 || customer.lifetimeSpend > 0) return 'regular';
  return 'new';
}

/** Why a customer is a VIP, for the mix table: the first rule that makes them one. */
export function vipBy(customer: ReplayCustomer): 'level' | 'spend' | 'tag' | null {
  if (customer.memberLevel !== null && VIP_LEVELS.has(customer.memberLevel)) return 'level';
  if (customer.lifetimeSpend >= VIP_SPEND) return 'spend';
  if (customer.tags.includes('vip')) return 'tag';
  return null;
}

const HAN = /\p{Script=Han}/u;
// Characters that exist only in traditional writing (their simplified forms differ), enough to spot a
// traditional-script line without a conversion table.
const TRADITIONAL_ONLY =
  /[們這個麼說還請問東運費貨單號裡嗎電話幾時錢體驗後會對發壞幫讓給買賣開關閉點過護圖顏應該處謝轉誰歸兒險機顯報錯適掃換積滿現際與實當從倉讀聽寫張]/u;

export type Script = 'zh-Hans' | 'zh-Hant' | 'en' | 'mixed';

/** Writing of a line: English only, Chinese with English words, traditional or simplified Chinese. */
export function scriptOf(text: string): Script {
  if (!HAN.test(text)) return 'en';
  // Order numbers, tracking numbers and error codes are not English words.
  const words = text.replace(/\b[A-Z]{1,3}\d+\b/g, '').match(/[A-Za-z]{3,}/g) ?? [];
  if (words.some((w) => !['app', 'logo', 'PayPal', 'wifi', 'iPad', 'TMD'].includes(w))) return 'mixed';
  return TRADITIONAL_ONLY.test(text) ? 'zh-Hant' : 'zh-Hans';
}

export interface Mix {
  total: number;
  target: Record<string, number>;
  band: Record<string, number>;
  tier: Record<string, number>;
  vipBy: Record<string, number>;
  channel: Record<string, number>;
  script: Record<string, number>;
}

function count(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

export function mixOf(lines: readonly ReplayLine[]): Mix {
  return {
    total: lines.length,
    target: count(lines.map((l) => l.expect.target)),
    band: count(lines.map((l) => l.expect.band)),
    tier: count(lines.map((l) => tierOf(l.customer))),
    vipBy: count(lines.flatMap((l) => vipBy(l.customer) ?? [])),
    channel: count(lines.map((l) => l.channel)),
    script: count(lines.map((l) => scriptOf(l.text))),
  };
}

/** The mix as a Markdown table (README). */
export function mixTable(mix: Mix): string {
  const rows = ['| dimension | value | lines | share |', '| --- | --- | ---: | ---: |'];
  const dims: [string, Record<string, number>][] = [
    ['target', mix.target],
    ['band', mix.band],
    ['tier', mix.tier],
    ['VIP by', mix.vipBy],
    ['channel', mix.channel],
    ['script', mix.script],
  ];
  for (const [name, counts] of dims) {
    for (const [value, n] of Object.entries(counts)) {
      rows.push(`| ${name} | ${value} | ${n} | ${((n / mix.total) * 100).toFixed(1)} % |`);
    }
  }
  rows.push(`| total | | ${mix.total} | 100 % |`);
  return rows.join('\n');
}
