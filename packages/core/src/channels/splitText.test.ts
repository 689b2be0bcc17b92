import { describe, expect, it } from 'vitest';
import { splitText } from './splitText.ts';

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('您好，有什么可以帮您？', 70)).toEqual(['您好，有什么可以帮您？']);
    expect(splitText('', 70)).toEqual(['']);
  });

  it('cuts long texts at sentence ends, every part within the limit, nothing lost', () => {
    const sentence = '您的订单已发货，预计三天内送达。';
    const text = sentence.repeat(12);
    const parts = splitText(text, 70);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect([...p].length).toBeLessThanOrEqual(70);
    for (const p of parts) expect(p.endsWith('。')).toBe(true);
    expect(parts.join('')).toBe(text);
  });

  it('prefers paragraphs, and cuts a text without any break at the limit', () => {
    const text = `${'a'.repeat(30)}\n\n${'b'.repeat(30)}`;
    expect(splitText(text, 40)).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('counts characters, not UTF-16 units (emoji are not split in half)', () => {
    const parts = splitText('😀'.repeat(5), 2);
    expect(parts).toEqual(['😀😀', '😀😀', '😀']);
  });
});
