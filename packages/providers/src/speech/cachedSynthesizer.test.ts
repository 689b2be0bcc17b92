import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PcmAudio, SpeechSynthesizer, SynthesizeOptions } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey, createCachedSynthesizer } from './cachedSynthesizer.ts';
import { SpeechProviderError } from './errors.ts';

/** Counts calls and makes audio whose length is the text's length, so results are recognisable. */
function countingSynth(): SpeechSynthesizer & { calls: string[] } {
  const calls: string[] = [];
  return {
    id: 'fake',
    calls,
    async synthesize(text: string, options: SynthesizeOptions = {}): Promise<PcmAudio> {
      calls.push(text);
      await new Promise((r) => setImmediate(r));
      if (options.signal?.aborted) throw new SpeechProviderError('fake', 'aborted', 'aborted');
      return { samples: new Int16Array(text.length * 100).fill(text.length), sampleRate: 16000 };
    },
  };
}

describe('cached synthesizer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhike-tts-cache-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keys by provider, prefix, voice, language, rate and text', () => {
    const base = cacheKey('p', 'm1', 'hi', { language: 'zh-CN', rate: 1 });
    expect(cacheKey('p', 'm1', 'hi', { language: 'zh-CN' })).toBe(base);
    expect(cacheKey('q', 'm1', 'hi', { language: 'zh-CN' })).not.toBe(base);
    expect(cacheKey('p', 'm2', 'hi', { language: 'zh-CN' })).not.toBe(base);
    expect(cacheKey('p', 'm1', 'hi', { language: 'yue' })).not.toBe(base);
    expect(cacheKey('p', 'm1', 'hi', { language: 'zh-CN', voice: 'v' })).not.toBe(base);
    expect(cacheKey('p', 'm1', 'hi', { language: 'zh-CN', rate: 1.2 })).not.toBe(base);
    expect(cacheKey('p', 'm1', 'hi!', { language: 'zh-CN' })).not.toBe(base);
  });

  it('serves repeats from memory, shares concurrent misses and returns copies', async () => {
    const inner = countingSynth();
    const cache = createCachedSynthesizer(inner);
    const [a, b] = await Promise.all([cache.synthesize('hello'), cache.synthesize('hello')]);
    expect(inner.calls).toEqual(['hello']);
    a.samples[0] = 999;
    const c = await cache.synthesize('hello');
    expect(c.samples[0]).toBe(5);
    expect(b.samples[0]).toBe(5);
    expect(inner.calls).toEqual(['hello']);
    expect(cache.stats()).toMatchObject({ misses: 1, memoryHits: 1 });
    await cache.synthesize('hello', { rate: 1.5 });
    expect(inner.calls).toHaveLength(2);
  });

  it('evicts the least recently used entries beyond the byte budget', async () => {
    const inner = countingSynth();
    // 'aaaa' is 400 samples = 800 bytes; the budget holds two such entries.
    const cache = createCachedSynthesizer(inner, { maxMemoryBytes: 1700 });
    await cache.synthesize('aaaa');
    await cache.synthesize('bbbb');
    await cache.synthesize('aaaa');
    await cache.synthesize('cccc');
    expect(cache.stats().memoryBytes).toBeLessThanOrEqual(1700);
    await cache.synthesize('aaaa');
    expect(inner.calls).toEqual(['aaaa', 'bbbb', 'cccc']);
    await cache.synthesize('bbbb');
    expect(inner.calls).toEqual(['aaaa', 'bbbb', 'cccc', 'bbbb']);
  });

  it('persists to a directory under hashed names and survives a new instance', async () => {
    const directory = join(dir, 'store');
    const first = countingSynth();
    await createCachedSynthesizer(first, { directory }).synthesize('你好，欢迎致电');
    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.wav$/);
    const second = countingSynth();
    const cache = createCachedSynthesizer(second, { directory, maxMemoryBytes: 0 });
    const audio = await cache.synthesize('你好，欢迎致电');
    expect(second.calls).toEqual([]);
    expect(audio.sampleRate).toBe(16000);
    expect(audio.samples.length).toBe(700);
    expect(cache.stats().diskHits).toBe(1);
  });

  it('synthesises again when a stored file is damaged', async () => {
    const directory = join(dir, 'damaged');
    const inner = countingSynth();
    await createCachedSynthesizer(inner, { directory }).synthesize('x');
    const [file] = await readdir(directory);
    await writeFile(join(directory, file!), 'not a wav');
    const again = countingSynth();
    const audio = await createCachedSynthesizer(again, { directory }).synthesize('x');
    expect(again.calls).toEqual(['x']);
    expect(audio.samples.length).toBe(100);
  });

  it('does not cache failures, and a waiter survives the first caller aborting', async () => {
    const inner = countingSynth();
    const cache = createCachedSynthesizer(inner);
    const controller = new AbortController();
    const first = cache.synthesize('abc', { signal: controller.signal });
    const second = cache.synthesize('abc');
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted' });
    expect((await second).samples.length).toBe(300);
    expect(inner.calls).toEqual(['abc', 'abc']);
  });
});
