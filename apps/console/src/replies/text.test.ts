import { describe, expect, it } from 'vitest';
import { bodySegments, replaceRange, shortcutAt, unfilledVariables } from './text.ts';

describe('shortcutAt', () => {
  it('finds a slash at the start of a word up to the caret', () => {
    expect(shortcutAt('/ref', 4)).toEqual({ start: 0, end: 4, query: 'ref' });
    expect(shortcutAt('好的 /Ship', 8)).toEqual({ start: 3, end: 8, query: 'ship' });
    expect(shortcutAt('line\n/', 6)).toEqual({ start: 5, end: 6, query: '' });
    // Only up to the caret: text after it does not count.
    expect(shortcutAt('/refund now', 3)).toEqual({ start: 0, end: 3, query: 're' });
  });

  it('ignores slashes inside words, URLs and finished words', () => {
    expect(shortcutAt('a/b', 3)).toBeNull();
    expect(shortcutAt('see http://x', 12)).toBeNull();
    expect(shortcutAt('/refund ', 8)).toBeNull();
    expect(shortcutAt('/退款', 3)).toBeNull();
    expect(shortcutAt('', 0)).toBeNull();
  });
});

describe('replaceRange', () => {
  it('replaces the typed shortcut and puts the caret after the insert', () => {
    expect(replaceRange('好的 /ref 谢谢', 3, 7, '退款已受理')).toEqual({
      text: '好的 退款已受理 谢谢',
      caret: 8,
    });
  });
});

describe('unfilledVariables', () => {
  it('lists what is left to complete, once each', () => {
    expect(unfilledVariables('订单 {{order.number}} 与 {{ order.number }}，{{shop.name}}')).toEqual([
      'order.number',
      'shop.name',
    ]);
    expect(unfilledVariables('{ {agent.name} } done')).toEqual([]);
  });
});

describe('bodySegments', () => {
  it('cuts a body into text and known or unknown variables', () => {
    expect(bodySegments('Hi {{customer.name}}, {{nope}}!', new Set(['customer.name']))).toEqual([
      { text: 'Hi ' },
      { variable: 'customer.name', known: true },
      { text: ', ' },
      { variable: 'nope', known: false },
      { text: '!' },
    ]);
  });
});
