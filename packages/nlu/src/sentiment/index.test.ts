import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../eval/dataset.ts';
import { analyseSentiment } from './index.ts';

describe('analyseSentiment', () => {
  it('reads Chinese polarity from the shipped model', () => {
    expect(analyseSentiment('菜很好吃，送餐也快').polarity).toBe('positive');
    expect(analyseSentiment('太难吃了，再也不点了').polarity).toBe('negative');
  });
  it('reads English polarity from the lexicon, with negation', () => {
    expect(analyseSentiment('The food was great, thanks!').polarity).toBe('positive');
    expect(analyseSentiment('This is not good at all').polarity).toBe('negative');
    expect(analyseSentiment('What time do you open?').polarity).toBe('neutral');
  });
  it('reads plain Chinese questions as neutral, and clear English anger as negative', () => {
    for (const text of ['运费怎么算的', '这个可以退吗', '退款多久能到账？', '你们几点下班'])
      expect(analyseSentiment(text).polarity, text).toBe('neutral');
    // A question with an anger cue keeps the model's reading.
    expect(analyseSentiment('你们是不是骗子？').polarity).toBe('negative');
    expect(analyseSentiment('太难吃了，再也不点了').polarity).toBe('negative');
    expect(analyseSentiment('f***ing useless shop, where is my order').polarity).toBe('negative');
  });
  it('scores anger and anxiety in both languages', () => {
    const angry = analyseSentiment('等了两个小时还没到，气死了！！我要投诉');
    expect(angry.anger).toBeGreaterThan(0.5);
    expect(analyseSentiment('URGENT my card was stolen, please help asap').anxiety).toBeGreaterThan(0.5);
    expect(analyseSentiment('着急用，怎么办').anxiety).toBeGreaterThan(0.5);
    // Insults count as anger, censored ones too; asking for money back is no anger by itself.
    expect(analyseSentiment('你们这群饭桶 一个快递都查不到').anger).toBeGreaterThanOrEqual(0.5);
    expect(analyseSentiment('f***ing useless shop').anger).toBeGreaterThanOrEqual(0.5);
    expect(analyseSentiment('这单不要了 帮我退钱').anger).toBeLessThan(0.5);
    const calm = analyseSentiment('谢谢，收到了');
    expect(calm.anger).toBe(0);
    expect(calm.anxiety).toBe(0);
  });
  it('keeps scores in range for empty and emoji-only input', () => {
    for (const text of ['', '😡😡😡', '👍']) {
      const r = analyseSentiment(text);
      expect(r.score).toBeGreaterThanOrEqual(-1);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.anger).toBeGreaterThanOrEqual(0);
      expect(r.anger).toBeLessThanOrEqual(1);
    }
    expect(analyseSentiment('😡😡😡').anger).toBeGreaterThan(0.5);
  });
});

const datasets =
  process.env.ZHIKE_DATASETS ?? fileURLToPath(new URL('../../../../../shared/datasets', import.meta.url));
const testPath = `${datasets}/waimai10k-sentiment/test.jsonl`;
if (!existsSync(testPath)) console.warn(`[nlu sentiment] accuracy skipped: ${testPath} not found`);

describe.skipIf(!existsSync(testPath))('sentiment accuracy', () => {
  it('waimai10k-sentiment test ≥ 90 %', () => {
    const test = parseJsonl(readFileSync(testPath, 'utf8'), testPath);
    const correct = test.filter(
      (e) => (analyseSentiment(e.text).score >= 0 ? 'pos' : 'neg') === e.label,
    ).length;
    console.log(`[nlu sentiment] waimai10k ${((correct / test.length) * 100).toFixed(2)} %`);
    expect(correct / test.length).toBeGreaterThanOrEqual(0.9);
  });
});
