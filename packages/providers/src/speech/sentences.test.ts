import { describe, expect, it } from 'vitest';
import { concatSamples, splitForSynthesis } from './sentences.ts';

describe('splitting text for length-capped vendors', () => {
  it('keeps short text whole and cuts long text at sentence ends, then clause marks, then hard', () => {
    expect(splitForSynthesis('  您好。 ', 10)).toEqual(['您好。']);
    expect(splitForSynthesis('您的订单已发货。预计明天送达，请注意查收。', 12)).toEqual([
      '您的订单已发货。',
      '预计明天送达，请注意查收。'.slice(0, 7),
      '请注意查收。',
    ]);
    const long = '一'.repeat(25);
    expect(splitForSynthesis(long, 10)).toEqual(['一'.repeat(10), '一'.repeat(10), '一'.repeat(5)]);
    for (const piece of splitForSynthesis('这是很长的一句话，'.repeat(40), 150))
      expect(piece.length).toBeLessThanOrEqual(150);
    expect(splitForSynthesis('这是很长的一句话，'.repeat(40), 150).join('')).toBe(
      '这是很长的一句话，'.repeat(40),
    );
  });

  it('joins PCM pieces in order', () => {
    expect(
      Array.from(concatSamples([Int16Array.from([1, 2]), Int16Array.from([]), Int16Array.from([3])])),
    ).toEqual([1, 2, 3]);
  });
});
