import { describe, expect, it } from 'vitest';
import { createCachedTranslator } from './cache.ts';
import { defineTranslator, type TranslationUsage } from './translator.ts';

/** An in-memory provider that upper-cases, records what it was sent and can be held or made to fail. */
function recordingTranslator() {
  const calls: string[][] = [];
  const usage: TranslationUsage[] = [];
  let gate: Promise<void> | undefined;
  let fail = false;
  const translator = defineTranslator(
    'memory',
    async ({ texts, to }) => {
      calls.push([...texts]);
      await gate;
      if (fail) throw new Error('provider down');
      return {
        texts: texts.map((t) => `${to}:${t.toUpperCase()}`),
        characters: texts.join('').length,
        detected: 'en',
      };
    },
    (u) => usage.push(u),
  );
  return {
    translator,
    calls,
    usage,
    hold: () => {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    failNext: (value: boolean) => {
      fail = value;
    },
  };
}

describe('translation cache', () => {
  it('sends only the texts it misses, in one call, and meters only that call', async () => {
    const inner = recordingTranslator();
    const cached = createCachedTranslator(inner.translator, { maxEntries: 10 });
    const first = await cached.translate({ texts: ['hi', 'thanks'], from: 'en', to: 'ja' });
    expect(first).toMatchObject({
      texts: ['ja:HI', 'ja:THANKS'],
      characters: 8,
      cachedTexts: 0,
      provider: 'memory',
    });
    const second = await cached.translate({ texts: ['thanks', 'bye', 'hi', 'bye'], from: 'en', to: 'ja' });
    expect(second).toMatchObject({
      texts: ['ja:THANKS', 'ja:BYE', 'ja:HI', 'ja:BYE'],
      characters: 3,
      cachedTexts: 3,
      detected: 'en',
    });
    expect(inner.calls).toEqual([['hi', 'thanks'], ['bye']]);
    expect(inner.usage.map((u) => u.characters)).toEqual([8, 3]);
    const perRequest: TranslationUsage[] = [];
    await cached.translate({
      texts: ['hi', 'new'],
      from: 'en',
      to: 'ja',
      onUsage: (u) => perRequest.push(u),
    });
    expect(perRequest).toEqual([{ provider: 'memory', from: 'en', to: 'ja', texts: 1, characters: 3 }]);
    const all = await cached.translate({ texts: ['hi'], from: 'en', to: 'ja' });
    expect(all).toMatchObject({ characters: 0, cachedTexts: 1 });
    expect(inner.calls).toHaveLength(3);
    expect(cached.stats()).toEqual({ hits: 4, misses: 4, entries: 4 });
  });

  it('keys by languages and glossary', async () => {
    const inner = recordingTranslator();
    const cached = createCachedTranslator(inner.translator);
    await cached.translate({ texts: ['hi'], from: 'en', to: 'ja' });
    await cached.translate({ texts: ['hi'], from: 'en', to: 'ko' });
    await cached.translate({ texts: ['hi'], from: 'auto', to: 'ja' });
    await cached.translate({ texts: ['hi'], from: 'en', to: 'ja', glossary: ['hi'] });
    await cached.translate({ texts: ['hi'], from: 'en-US', to: 'ja-JP' });
    expect(inner.calls).toHaveLength(4);
  });

  it('evicts the least recently used entry', async () => {
    const inner = recordingTranslator();
    const cached = createCachedTranslator(inner.translator, { maxEntries: 2 });
    await cached.translate({ texts: ['a', 'b'], from: 'en', to: 'ja' });
    await cached.translate({ texts: ['a'], from: 'en', to: 'ja' }); // a is now the most recent
    await cached.translate({ texts: ['c'], from: 'en', to: 'ja' }); // evicts b
    await cached.translate({ texts: ['a', 'b'], from: 'en', to: 'ja' });
    expect(inner.calls).toEqual([['a', 'b'], ['c'], ['b']]);
  });

  it('lets concurrent requests share one call, and caches nothing when it fails', async () => {
    const inner = recordingTranslator();
    const cached = createCachedTranslator(inner.translator);
    const release = inner.hold();
    const one = cached.translate({ texts: ['order'], from: 'en', to: 'ja' });
    const two = cached.translate({ texts: ['order', 'refund'], from: 'en', to: 'ja' });
    release();
    expect((await one).texts).toEqual(['ja:ORDER']);
    expect((await two).texts).toEqual(['ja:ORDER', 'ja:REFUND']);
    expect(inner.calls).toEqual([['order'], ['refund']]);

    inner.failNext(true);
    await expect(cached.translate({ texts: ['x'], from: 'en', to: 'ja' })).rejects.toThrow('provider down');
    inner.failNext(false);
    expect((await cached.translate({ texts: ['x'], from: 'en', to: 'ja' })).texts).toEqual(['ja:X']);
  });
});
