import { describe, expect, it } from 'vitest';
import { DtmfCollector, spokenDigits } from './dtmfCollector.ts';
import { ManualClock } from './test-support.ts';

describe('DtmfCollector', () => {
  it('ends at maxDigits', async () => {
    const clock = new ManualClock();
    const c = new DtmfCollector({ clock, maxDigits: 3 });
    for (const d of ['1', '2', '3', '4'] as const) c.push(d);
    expect(await c.result).toEqual({ digits: '123', reason: 'max-digits' });
  });

  it("ends on '#' without including it", async () => {
    const clock = new ManualClock();
    const c = new DtmfCollector({ clock, maxDigits: 10 });
    c.push('4');
    c.push('2');
    c.push('#');
    expect(await c.result).toEqual({ digits: '42', reason: 'terminator' });
  });

  it('ends after the inter-digit timeout, counted from the last key', async () => {
    const clock = new ManualClock();
    const c = new DtmfCollector({ clock, interDigitTimeoutMs: 2000 });
    c.push('7');
    clock.advance(1500);
    c.push('8');
    clock.advance(1900);
    expect(c.finished).toBe(false);
    clock.advance(100);
    expect(await c.result).toEqual({ digits: '78', reason: 'timeout' });
  });

  it('ignores keys after it finished and can be cancelled', async () => {
    const clock = new ManualClock();
    const c = new DtmfCollector({ clock });
    c.push('1');
    c.cancel();
    c.push('2');
    expect(await c.result).toEqual({ digits: '1', reason: 'cancelled' });
    expect(clock.pending).toBe(0);
  });
});

describe('spokenDigits', () => {
  it('reads digits said in Chinese, English or written as numerals', () => {
    expect(spokenDigits('一零二四五')).toBe('10245');
    expect(spokenDigits('我的订单号是 1 0 二 四 五。')).toBe('10245');
    expect(spokenDigits('幺三八，幺二三四，五六七八')).toBe('13812345678');
    expect(spokenDigits('one oh two four five')).toBe('10245');
    expect(spokenDigits('It is 10245')).toBe('10245');
  });

  it('accepts a lone digit said with little else (survey answers)', () => {
    expect(spokenDigits('三')).toBe('3');
    expect(spokenDigits('我选五')).toBe('5');
    expect(spokenDigits('four please')).toBe('4');
  });

  it('finds no digits in ordinary sentences', () => {
    expect(spokenDigits('帮我查一下我的订单状态吧')).toBeNull();
    expect(spokenDigits('I want to pay for it')).toBeNull();
    expect(spokenDigits('转人工')).toBeNull();
    expect(spokenDigits('')).toBeNull();
  });

  it('leaves quantities read as numbers to the brain', () => {
    expect(spokenDigits('一万零二百四十五')).toBeNull();
  });
});
