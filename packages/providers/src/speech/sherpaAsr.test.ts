import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEspeakTts } from './espeakTts.ts';
import { createSherpaAsr } from './sherpaAsr.ts';
import { loadSherpaOnnx, type SherpaModule } from './sherpaEngine.ts';
import { createSherpaTts } from './sherpaTts.ts';

/** A stand-in for the native module that records what the adapters hand it. */
function fakeSherpa(log: unknown[]): SherpaModule {
  return {
    OfflineRecognizer: {
      async createAsync(config) {
        log.push({ recognizer: config });
        return {
          createStream() {
            return {
              acceptWaveform(wave) {
                log.push({
                  rate: wave.sampleRate,
                  length: wave.samples.length,
                  // Mid-clip: a band-limited resampler rings at the clip's edges, not in between.
                  middle: wave.samples[wave.samples.length >> 1],
                });
              },
            };
          },
          async decodeAsync() {
            return { text: ' 我想查询订单123。 ', lang: '<|zh|>' };
          },
        };
      },
    },
    OfflineTts: {
      async createAsync(config) {
        log.push({ tts: config });
        return {
          sampleRate: 22050,
          numSpeakers: 2,
          async generateAsync(request) {
            log.push({ generate: request });
            return { samples: Float32Array.from([0, 0.5, -1, 2]), sampleRate: 22050 };
          },
        };
      },
    },
  };
}

describe('sherpa-onnx adapters', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'zhike-sherpa-asr-'));
    await writeFile(join(root, 'model.int8.onnx'), 'x');
    await writeFile(join(root, 'tokens.txt'), 'x');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('fails at construction when the directory is wrong, before loading anything', () => {
    let loaded = false;
    const loader = async () => {
      loaded = true;
      return fakeSherpa([]);
    };
    expect(() => createSherpaAsr({ modelDir: join(root, 'missing'), loader })).toThrow(
      /model directory not found/,
    );
    expect(() => createSherpaTts({ kind: 'matcha', dir: root, loader })).toThrow(/lacks a vocoder/);
    expect(loaded).toBe(false);
  });

  it('loads the model once, feeds 16 kHz float audio and reports text and language', async () => {
    const log: unknown[] = [];
    let loads = 0;
    const asr = createSherpaAsr({
      modelDir: root,
      language: 'zh-HK',
      loader: async () => {
        loads++;
        return fakeSherpa(log);
      },
    });
    const audio = { samples: new Int16Array(8000).fill(16384), sampleRate: 8000 };
    const [a, b] = await Promise.all([asr.transcribe(audio), asr.transcribe(audio)]);
    expect(a).toEqual({ text: '我想查询订单123。', language: 'zh' });
    expect(b).toEqual(a);
    expect(loads).toBe(1);
    expect(log[0]).toMatchObject({
      recognizer: { modelConfig: { senseVoice: { language: 'yue', useInverseTextNormalization: 1 } } },
    });
    expect(log[1]).toEqual({ rate: 16000, length: 16000, middle: expect.closeTo(0.5, 4) });
    expect(await asr.transcribe({ samples: new Int16Array(0), sampleRate: 8000 })).toEqual({ text: '' });
    const controller = new AbortController();
    controller.abort();
    await expect(asr.transcribe(audio, { signal: controller.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
  });

  it('synthesises with speaker and speed, clipping float output to PCM16', async () => {
    const dir = join(root, 'vits');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    await writeFile(join(dir, 'model.onnx'), 'x');
    await writeFile(join(dir, 'tokens.txt'), 'x');
    const log: unknown[] = [];
    const tts = createSherpaTts({ kind: 'vits', dir, speakerId: 1, loader: async () => fakeSherpa(log) });
    const audio = await tts.synthesize('您好', { rate: 1.25 });
    expect(audio.sampleRate).toBe(22050);
    expect(Array.from(audio.samples)).toEqual([0, 16384, -32768, 32767]);
    expect(log[1]).toEqual({ generate: { text: '您好', sid: 1, speed: 1.25 } });
    await tts.synthesize('您好', { voice: '0' });
    expect(log[2]).toEqual({ generate: { text: '您好', sid: 0, speed: 1 } });
    await expect(tts.synthesize('您好', { voice: '5' })).rejects.toThrow(/speaker 5 not in this model/);
    await expect(tts.synthesize('您好', { voice: 'alloy' })).rejects.toThrow(/speaker number/);
  });

  it('reports a loader failure as a clear error and tries again on the next call', async () => {
    let attempts = 0;
    const asr = createSherpaAsr({
      modelDir: root,
      loader: async () => {
        attempts++;
        throw new Error('cannot open shared object file');
      },
    });
    const audio = { samples: new Int16Array(160), sampleRate: 8000 };
    await expect(asr.transcribe(audio)).rejects.toMatchObject({ code: 'engine' });
    await expect(asr.transcribe(audio)).rejects.toThrow(/cannot open shared object/);
    expect(attempts).toBe(2);
  });

  it('loads the installed sherpa-onnx-node lazily', async () => {
    const sherpa = await loadSherpaOnnx();
    expect(typeof sherpa.OfflineRecognizer.createAsync).toBe('function');
    expect(typeof sherpa.OfflineTts.createAsync).toBe('function');
  });

  const realDir = process.env.ZHIKE_TEST_SHERPA_ASR_DIR;
  if (!realDir)
    console.log(
      'sherpa-onnx real recognizer test skipped: set ZHIKE_TEST_SHERPA_ASR_DIR to a SenseVoice model directory',
    );
  it.skipIf(!realDir)(
    'recognises an espeak-ng Mandarin clip with the real SenseVoice model',
    async () => {
      const speech = await createEspeakTts().synthesize('你好，我想查询订单状态', {
        language: 'zh-CN',
        rate: 0.9,
      });
      const asr = createSherpaAsr({ modelDir: realDir!, language: 'auto' });
      const result = await asr.transcribe(speech);
      console.log('sherpa-onnx SenseVoice heard:', result);
      expect(result.text).toMatch(/订单|查询/);
    },
    60_000,
  );
});
