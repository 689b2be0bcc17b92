// Keeps the routing replay sets honest: every line well formed, the mix the benchmark claims, labels that
// follow the demo shop's routing policy, and no text taken from what the bot is trained on (held out).
// replay2 was written later, before any tuning after it, when the first set had been run too often to
// stay held out: it also shares no text with the first set or the tuning sets (compared as hashes).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_OF_SCOPE_EXAMPLES } from '@zhike/bot';
import { normalise } from '@zhike/nlu';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  loadReplaySet,
  mixOf,
  REPLAY_PATH,
  REPLAY2_PATH,
  REPLAY3_PATH,
  type ReplayLine,
  TARGETS,
  tierOf,
} from './replay.ts';
import { BANDS } from './simulate.ts';

const templatesDir = new URL('../../templates/', import.meta.url).pathname;
const tuningPaths = ['./dev.zh-CN.jsonl', './dev2.zh-CN.jsonl'].map(
  (p) => new URL(p, import.meta.url).pathname,
);
const SETS = [
  { name: 'replay', path: REPLAY_PATH, id: /^r\d{3}$/, earlier: [] as string[] },
  { name: 'replay2', path: REPLAY2_PATH, id: /^n\d{3}$/, earlier: [REPLAY_PATH, ...tuningPaths] },
  {
    name: 'replay3',
    path: REPLAY3_PATH,
    id: /^p\d{3}$/,
    earlier: [REPLAY_PATH, REPLAY2_PATH, ...tuningPaths],
  },
];

/** Same comparison form as templates.test.ts: normalised, no spaces/punctuation/symbols/final particles. */
function nearKey(text: string): string {
  return normalise(text)
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[吗呢吧啊呀啦嘛哦哈]+$/u, '');
}

/** Every text the bot learns from or is tested on: FAQ questions and similars, intent examples, test lines. */
function trainingTexts(): string[] {
  const texts: string[] = [...OUT_OF_SCOPE_EXAMPLES.zh, ...OUT_OF_SCOPE_EXAMPLES.en];
  for (const industry of readdirSync(templatesDir)) {
    const dir = join(templatesDir, industry);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) {
      const path = join(dir, file);
      if (/^[a-z]{2}-[A-Z]{2}\.json$/.test(file)) {
        const t = JSON.parse(readFileSync(path, 'utf8')) as {
          faqs: { question: string; similar: string[] }[];
          intents: { examples: string[] }[];
          outOfScope?: string[];
        };
        for (const f of t.faqs) texts.push(f.question, ...f.similar);
        for (const i of t.intents) texts.push(...i.examples);
        texts.push(...(t.outOfScope ?? []));
      } else if (file.endsWith('.jsonl') && existsSync(path)) {
        for (const l of readFileSync(path, 'utf8').split('\n')) {
          if (l.trim()) texts.push((JSON.parse(l) as { text: string }).text);
        }
      }
    }
  }
  return texts;
}

/**
 * Containment is checked for template texts of at least 6 Han characters or 18 Latin letters (after
 * nearKey; a Han character weighs 3). Shorter ones are words a customer writes inside any sentence (你好,
 * 转人工, 退款, thanks, customer service); a message that contains one has not been copied from the template.
 */
const MIN_CONTAINED_WEIGHT = 18;
const containWeight = (key: string) => key.length + 2 * (key.match(/\p{Script=Han}/gu)?.length ?? 0);

const THREAT_OR_SAFETY = /threat|safety/i;

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

describe.each(SETS)('routing replay set $name', ({ path, id, earlier }) => {
  const lines = loadReplaySet(path);
  const mix = mixOf(lines);
  const share = (n: number | undefined) => (n ?? 0) / mix.total;

  it('has at least 400 well-formed lines with unique ids and texts', () => {
    expect(lines.length).toBeGreaterThanOrEqual(400);
    const keys = new Set(['id', 'text', 'channel', 'customer', 'expect', 'why']);
    for (const line of lines) {
      const where = `${line.id}: ${line.text}`;
      expect(Object.keys(line).sort(), where).toEqual([...keys].sort());
      expect(line.id, where).toMatch(id);
      expect(typeof line.text === 'string' && line.text.trim().length > 0, where).toBe(true);
      expect(CHANNELS, where).toContain(line.channel);
      const c = line.customer;
      expect(Object.keys(c).sort(), where).toEqual(['lifetimeSpend', 'memberLevel', 'orderCount', 'tags']);
      expect(c.memberLevel === null || typeof c.memberLevel === 'string', where).toBe(true);
      expect(Number.isFinite(c.lifetimeSpend) && c.lifetimeSpend >= 0, where).toBe(true);
      expect(Number.isInteger(c.orderCount) && c.orderCount >= 0, where).toBe(true);
      expect(Array.isArray(c.tags) && c.tags.every((t) => typeof t === 'string'), where).toBe(true);
      expect(Object.keys(line.expect).sort(), where).toEqual(['band', 'target']);
      expect(TARGETS, where).toContain(line.expect.target);
      expect(BANDS, where).toContain(line.expect.band);
      expect(line.why.trim().length, where).toBeGreaterThan(0);
      // Order numbers follow the demo shop's format so order lookups can parse them.
      for (const m of line.text.match(/ZK\d+/g) ?? []) expect(m, where).toMatch(/^ZK2026\d{7}$/);
    }
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    expect(new Set(lines.map((l) => nearKey(l.text))).size).toBe(lines.length);
  });

  it('keeps the mix the benchmark describes', () => {
    // Roughly 40 % routine, 25 % complaints, 20 % human or out of scope, the rest edge cases spread
    // over all four targets.
    expect(share(mix.target.bot)).toBeGreaterThanOrEqual(0.35);
    expect(share(mix.target.bot)).toBeLessThanOrEqual(0.5);
    expect(share(mix.target.complaints)).toBeGreaterThanOrEqual(0.22);
    expect(share(mix.target.complaints)).toBeLessThanOrEqual(0.33);
    expect(share((mix.target.general ?? 0) + (mix.target.vip ?? 0))).toBeGreaterThanOrEqual(0.18);
    expect(share((mix.target.general ?? 0) + (mix.target.vip ?? 0))).toBeLessThanOrEqual(0.3);
    expect(share(mix.tier.vip)).toBeGreaterThanOrEqual(0.2);
    expect(share(mix.tier.vip)).toBeLessThanOrEqual(0.3);
    expect(share(mix.tier.new)).toBeGreaterThanOrEqual(0.15);
    expect(share(mix.tier.new)).toBeLessThanOrEqual(0.25);
    // VIPs by each of the three rules, so a tier rule that ignores one of them costs accuracy.
    for (const rule of ['level', 'spend', 'tag'])
      expect(mix.vipBy[rule] ?? 0, rule).toBeGreaterThanOrEqual(15);
    // Widget most, then WeChat, SMS, email, API.
    const order = ['widget', 'wechat', 'sms', 'email', 'api'].map((c) => mix.channel[c] ?? 0);
    for (let i = 1; i < order.length; i++) expect(order[i - 1]).toBeGreaterThan(order[i] as number);
    expect(share(mix.script['zh-Hant'])).toBeGreaterThanOrEqual(0.04);
    expect(share(mix.script['zh-Hant'])).toBeLessThanOrEqual(0.08);
    expect(share((mix.script.en ?? 0) + (mix.script.mixed ?? 0))).toBeGreaterThanOrEqual(0.08);
    expect(share((mix.script.en ?? 0) + (mix.script.mixed ?? 0))).toBeLessThanOrEqual(0.18);
  });

  it('labels every line by the routing policy’s band rules for its target and tier', () => {
    for (const line of lines) {
      const where = `${line.id}: ${line.text} (${line.why})`;
      const tier = tierOf(line.customer);
      const { target, band } = line.expect;
      // The policy never puts a first message in the low band.
      expect(band, where).not.toBe('low');
      if (target === 'vip') expect([tier, band], where).toEqual(['vip', 'high']);
      if (target === 'general') {
        expect(tier, where).not.toBe('vip');
        expect(band, where).toBe('normal');
      }
      if (target === 'bot') expect(band, where).toBe(tier === 'vip' ? 'high' : 'normal');
      if (target === 'complaints') {
        const escalated = tier === 'vip' || THREAT_OR_SAFETY.test(line.why);
        expect(band, where).toBe(escalated ? 'urgent' : 'high');
      }
    }
  });

  it('covers complaints of every kind, most of them without the word 投诉', () => {
    const complaints = lines.filter((l) => l.expect.target === 'complaints');
    const without = complaints.filter((l) => !nearKey(l.text).includes('投诉'));
    expect(without.length / complaints.length).toBeGreaterThan(0.8);
    const why = (re: RegExp) => complaints.filter((l) => re.test(l.why)).length;
    expect(why(/threat/i)).toBeGreaterThanOrEqual(15);
    expect(why(/safety/i)).toBeGreaterThanOrEqual(15);
    expect(why(/abusive/i)).toBeGreaterThanOrEqual(8);
    expect(why(/polite/i)).toBeGreaterThanOrEqual(4);
    // Routine questions asked impatiently stay with the bot: anger has to be clear to count.
    expect(
      lines.filter((l) => l.expect.target === 'bot' && /impatient|irritated/.test(l.why)).length,
    ).toBeGreaterThan(4);
  });

  it('holds out every template example, FAQ question and test line', () => {
    const training = trainingTexts().map(nearKey);
    expect(training.length).toBeGreaterThan(2000);
    const contained = training.filter((k) => containWeight(k) >= MIN_CONTAINED_WEIGHT);
    const leaks: string[] = [];
    for (const line of lines as ReplayLine[]) {
      const key = nearKey(line.text);
      const hit = training.find((t) => t === key) ?? contained.find((t) => key.includes(t));
      if (hit !== undefined) leaks.push(`${line.id} ${line.text} ⊇ ${hit}`);
    }
    expect(leaks).toEqual([]);
  });

  it('shares no text with the sets written before it (compared as hashes of normalised texts)', () => {
    const before = new Set(earlier.flatMap((p) => loadReplaySet(p).map((l) => hash(nearKey(l.text)))));
    expect(lines.filter((l) => before.has(hash(nearKey(l.text)))).map((l) => l.id)).toEqual([]);
  });
});
