import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeechProviderError } from './errors.ts';
import { createEspeakTts, espeakVoiceFor } from './espeakTts.ts';

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length)) / 32768;
}

describe('espeak-ng TTS', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhike-espeak-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('maps languages to voices, Mandarin to cmn-latn-pinyin (not cmn)', () => {
    expect(espeakVoiceFor('zh-CN')).toBe('cmn-latn-pinyin');
    expect(espeakVoiceFor('zh')).toBe('cmn-latn-pinyin');
    expect(espeakVoiceFor('yue')).toBe('yue');
    expect(espeakVoiceFor('zh-HK')).toBe('yue');
    expect(espeakVoiceFor('en-US')).toBe('en-us');
    expect(espeakVoiceFor('en-AU')).toBe('en-us');
    expect(espeakVoiceFor('fr-FR')).toBeUndefined();
    expect(espeakVoiceFor('fr-FR', { fr: 'fr-fr' })).toBe('fr-fr');
  });

  it('speaks Mandarin as 22 050 Hz PCM that is not silent, faster at a higher rate', async () => {
    const tts = createEspeakTts();
    const normal = await tts.synthesize('你好，我想查询订单状态', { language: 'zh-CN' });
    expect(normal.sampleRate).toBe(22050);
    expect(normal.samples.length / normal.sampleRate).toBeGreaterThan(1);
    expect(rms(normal.samples)).toBeGreaterThan(0.02);
    const fast = await tts.synthesize('你好，我想查询订单状态', { language: 'zh-CN', rate: 1.8 });
    expect(fast.samples.length).toBeLessThan(normal.samples.length * 0.8);
  });

  it('speaks Cantonese and English, and text starting with a dash is text, not an option', async () => {
    const tts = createEspeakTts();
    const yue = await tts.synthesize('你好，我想轉人工', { language: 'yue' });
    expect(rms(yue.samples)).toBeGreaterThan(0.02);
    const en = await tts.synthesize('--help me with my order', { language: 'en-US' });
    expect(en.samples.length / en.sampleRate).toBeGreaterThan(0.8);
  });

  it('reports a missing program, an unknown voice with its stderr, and empty text', async () => {
    await expect(createEspeakTts({ binary: join(dir, 'missing') }).synthesize('hi')).rejects.toMatchObject({
      code: 'config',
    });
    const error = await createEspeakTts()
      .synthesize('hi', { voice: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechProviderError);
    expect((error as SpeechProviderError).code).toBe('engine');
    expect((error as Error).message).toMatch(/voice does not exist/);
    await expect(createEspeakTts().synthesize('  ')).rejects.toMatchObject({ code: 'config' });
    await expect(createEspeakTts().synthesize('hi', { language: 'xx' })).rejects.toThrow(/no voice/);
  });

  it('kills a program that hangs after the timeout, and stops on abort', async () => {
    const hang = join(dir, 'hang.sh');
    await writeFile(hang, '#!/bin/sh\nexec sleep 30\n');
    await chmod(hang, 0o755);
    const started = Date.now();
    await expect(createEspeakTts({ binary: hang, timeoutMs: 200 }).synthesize('hi')).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    const controller = new AbortController();
    const pending = createEspeakTts({ binary: hang }).synthesize('hi', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('reports output that is not WAV', async () => {
    const liar = join(dir, 'liar.sh');
    await writeFile(liar, '#!/bin/sh\ncat >/dev/null\necho garbage\n');
    await chmod(liar, 0o755);
    await expect(createEspeakTts({ binary: liar }).synthesize('hi')).rejects.toThrow(/unreadable output/);
  });
});
