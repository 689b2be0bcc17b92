import { describe, expect, it } from 'vitest';
import { compileJsonPath, JsonPathError, jsonPathFirst } from './jsonPath.ts';

const doc = {
  data: {
    order: {
      no: 'ZK1',
      'ship-info': { carrier: '顺丰' },
      'weird key.with dots': 7,
      packages: [
        { tracking: 'SF1', lines: [{ name: 'T恤' }, { name: '帽子' }] },
        { tracking: 'SF2', lines: [{ name: '袜子' }] },
      ],
    },
  },
  items: [{ name: 'a' }, { name: 'b' }, { title: 'no name' }],
  flag: false,
  empty: [],
  nothing: null,
};

describe('JSON path subset', () => {
  it.each([
    ['$.data.order.no', ['ZK1']],
    ['$.data.order.ship-info.carrier', ['顺丰']],
    ["$.data.order['ship-info'].carrier", ['顺丰']],
    ['$["data"]["order"]["no"]', ['ZK1']],
    ["$.data.order['weird key.with dots']", [7]],
    ['$.data.order.packages[0].tracking', ['SF1']],
    ['$.data.order.packages[-1].tracking', ['SF2']],
    ['$.data.order.packages[*].tracking', ['SF1', 'SF2']],
    ['$.data.order.packages[*].lines[*].name', ['T恤', '帽子', '袜子']],
    ['$.items[*].name', ['a', 'b']],
    ['$.items.*.name', ['a', 'b']],
    ['$.flag', [false]],
    ['$.nothing', [null]],
    ['$.empty[*]', []],
    ['$.missing.deeper', []],
    ['$.items[9].name', []],
    ['$.data.order.no.length', []],
    ['$.items.length', []],
    ['$', [doc]],
  ])('%s', (path, expected) => {
    expect(compileJsonPath(path).evaluate(doc)).toEqual(expected);
  });

  it('reads inherited names as missing, not as Object.prototype members', () => {
    expect(jsonPathFirst('$.constructor', {})).toBeUndefined();
    expect(jsonPathFirst("$['__proto__']", {})).toBeUndefined();
  });

  it('does not descend into strings or numbers', () => {
    expect(compileJsonPath('$[0]').evaluate('abc')).toEqual([]);
    expect(compileJsonPath('$.*').evaluate(42)).toEqual([]);
  });

  it('handles escaped quotes inside quoted keys', () => {
    expect(jsonPathFirst("$['it\\'s']", { "it's": 1 })).toBe(1);
  });

  it.each(['data.order', '$..no', '$.items[?(@.name)]', '$.items[1:2]', "$['open", '$.', '$[abc]', '$ .a'])(
    'refuses %s',
    (path) => {
      expect(() => compileJsonPath(path)).toThrow(JsonPathError);
    },
  );
});
