// The routing tuning sets (dev.zh-CN.jsonl, and dev2.zh-CN.jsonl written later by other hands to catch
// what tuning on the first one overfitted) are what routing is tuned on, so the replay set stays held
// out: same format and policy as the replay set, their own hand-written texts, none equal to a replay
// text or to each other's and none taken from what the bot is trained on. The replay file is read only
// as hashes of normalised texts, and a failure names tuning lines only.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_OF_SCOPE_EXAMPLES } from '@zhike/bot';
import { normalise } from '@zhike/nlu';
import { describe, expect, it } from 'vitest';
import { CHANNELS, loadReplaySet, mixOf, REPLAY_PATH, REPLAY2_PATH, TARGETS, tierOf } from './replay.ts';
import { BANDS } from './simulate.ts';

const here = (file: string) => new URL(file, import.meta.url).pathname;
const SETS = [
  { name: 'dev', path: here('./dev.zh-CN.jsonl'), id: /^d\d{3}$/, minLines: 400, broad: true },
  { name: 'dev2', path: here('./dev2.zh-CN.jsonl'), id: /^e\d{3}$/, minLines: 400, broad: true },
  // Written after replay2, weighted to out-of-scope asks, requests for a person and complaints: no mix.
  { name: 'dev3', path: here('./dev3.zh-CN.jsonl'), id: /^f\d{3}$/, minLines: 100, broad: false },
] as const;
const templatesDir = new URL('../../templates/', import.meta.url).pathname;

/** The replay test's comparison form: normalised, no spaces/punctuation/symbols/final particles. */
function nearKey(text: string): string {
  return normalise(text)
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[吗呢吧啊呀啦嘛哦哈]+$/u, '');
}
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/** FAQ questions and similars, intent examples, out-of-scope examples and test lines of every template. */
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
      } else if (file.endsWith('.jsonl') && !file.startsWith('escalation.')) {
        // Hand-off examples are not compared: the tuning sets' own lines are among them by design (a
        // tuning set is training data for the hand-off model; bench/routing/cv.ts leaves each one out).
        for (const l of readFileSync(path, 'utf8').split('\n'))
          if (l.trim()) texts.push((JSON.parse(l) as { text: string }).text);
      }
    }
  }
  return texts;
}

/** As in replay.test.ts: template texts of ≥ 6 Han characters or 18 Latin letters must not be contained. */
const MIN_CONTAINED_WEIGHT = 18;
const containWeight = (key: string) => key.length + 2 * (key.match(/\p{Script=Han}/gu)?.length ?? 0);

describe.each(SETS)('routing tuning set $name', ({ name, path, id, minLines, broad }) => {
  const lines = loadReplaySet(path);
  const mix = mixOf(lines);
  const share = (n: number | undefined) => (n ?? 0) / mix.total;

  it('has enough well-formed lines with unique ids and texts', () => {
    expect(lines.length).toBeGreaterThanOrEqual(minLines);
    for (const line of lines) {
      const where = `${line.id}: ${line.text}`;
      expect(Object.keys(line).sort(), where).toEqual(['channel', 'customer', 'expect', 'id', 'text', 'why']);
      expect(line.id, where).toMatch(id);
      expect(line.text.trim().length, where).toBeGreaterThan(0);
      expect(CHANNELS, where).toContain(line.channel);
      const c = line.customer;
      expect(Object.keys(c).sort(), where).toEqual(['lifetimeSpend', 'memberLevel', 'orderCount', 'tags']);
      expect(c.memberLevel === null || typeof c.memberLevel === 'string', where).toBe(true);
      expect(Number.isFinite(c.lifetimeSpend) && c.lifetimeSpend >= 0, where).toBe(true);
      expect(Number.isInteger(c.orderCount) && c.orderCount >= 0, where).toBe(true);
      expect(
        c.tags.every((t) => typeof t === 'string'),
        where,
      ).toBe(true);
      expect(Object.keys(line.expect).sort(), where).toEqual(['band', 'target']);
      expect(TARGETS, where).toContain(line.expect.target);
      expect(BANDS, where).toContain(line.expect.band);
      expect(line.why.trim().length, where).toBeGreaterThan(0);
      for (const m of line.text.match(/ZK\d+/g) ?? []) expect(m, where).toMatch(/^ZK2026\d{7}$/);
    }
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    expect(new Set(lines.map((l) => nearKey(l.text))).size).toBe(lines.length);
  });

  it.runIf(broad)('has a mix like the replay set’s', () => {
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
    for (const rule of ['level', 'spend', 'tag'])
      expect(mix.vipBy[rule] ?? 0, rule).toBeGreaterThanOrEqual(15);
    expect(share(mix.script['zh-Hant'])).toBeGreaterThanOrEqual(0.04);
    expect(share((mix.script.en ?? 0) + (mix.script.mixed ?? 0))).toBeGreaterThanOrEqual(0.08);
    const complaints = lines.filter((l) => l.expect.target === 'complaints');
    const without = complaints.filter((l) => !nearKey(l.text).includes('投诉'));
    expect(without.length / complaints.length).toBeGreaterThan(0.8);
  });

  it('labels every line by the routing policy’s band rules for its target and tier', () => {
    for (const line of lines) {
      const where = `${line.id}: ${line.text} (${line.why})`;
      const tier = tierOf(line.customer);
      const { target, band } = line.expect;
      expect(band, where).not.toBe('low');
      if (target === 'vip') expect([tier, band], where).toEqual(['vip', 'high']);
      if (target === 'general') expect([tier === 'vip', band], where).toEqual([false, 'normal']);
      if (target === 'bot') expect(band, where).toBe(tier === 'vip' ? 'high' : 'normal');
      if (target === 'complaints')
        expect(band, where).toBe(tier === 'vip' || /threat|safety/.test(line.why) ? 'urgent' : 'high');
    }
  });

  it('shares no text with the replay sets or the other tuning set', () => {
    const replay = new Set(
      [REPLAY_PATH, REPLAY2_PATH].flatMap((p) => loadReplaySet(p).map((l) => hash(nearKey(l.text)))),
    );
    const shared = lines.filter((l) => replay.has(hash(nearKey(l.text)))).map((l) => l.id);
    expect(shared).toEqual([]);
    for (const other of SETS.filter((s) => s.name !== name)) {
      const theirs = new Set(loadReplaySet(other.path).map((l) => nearKey(l.text)));
      expect(lines.filter((l) => theirs.has(nearKey(l.text))).map((l) => `${l.id} ${l.text}`)).toEqual([]);
    }
  });

  it('takes no text from the templates, their test suites or the out-of-scope examples', () => {
    const training = trainingTexts().map(nearKey);
    const exact = new Set(training);
    const contained = training.filter((k) => containWeight(k) >= MIN_CONTAINED_WEIGHT);
    const leaks: string[] = [];
    for (const line of lines) {
      const key = nearKey(line.text);
      const hit = exact.has(key) ? key : contained.find((t) => key.includes(t));
      if (hit !== undefined) leaks.push(`${line.id} ${line.text} ⊇ ${hit}`);
    }
    expect(leaks).toEqual([]);
  });
});
