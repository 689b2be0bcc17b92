import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveSenseVoiceDir,
  resolveSherpaTtsDir,
  senseVoiceConfig,
  senseVoiceLanguage,
  sherpaTtsConfig,
} from './sherpaModels.ts';

describe('sherpa-onnx model directories', () => {
  let root: string;
  const make = async (name: string, files: string[]) => {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    for (const file of files) {
      if (file.endsWith('/')) await mkdir(join(dir, file), { recursive: true });
      else await writeFile(join(dir, file), 'x');
    }
    return dir;
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'zhike-sherpa-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds a SenseVoice model, preferring int8, and names what is missing', async () => {
    const both = await make('sv-both', ['model.onnx', 'model.int8.onnx', 'tokens.txt']);
    expect(resolveSenseVoiceDir(both)).toEqual({
      model: join(both, 'model.int8.onnx'),
      tokens: join(both, 'tokens.txt'),
    });
    const full = await make('sv-full', ['model.onnx', 'tokens.txt']);
    expect(resolveSenseVoiceDir(full).model).toBe(join(full, 'model.onnx'));
    const named = await make('sv-named', ['sensevoice.onnx', 'tokens.txt']);
    expect(resolveSenseVoiceDir(named, 'sensevoice.onnx').model).toBe(join(named, 'sensevoice.onnx'));
    expect(() => resolveSenseVoiceDir(named)).toThrow(/lacks model.int8.onnx or model.onnx$/);
    const noTokens = await make('sv-no-tokens', ['model.int8.onnx']);
    expect(() => resolveSenseVoiceDir(noTokens)).toThrow(/lacks tokens.txt/);
    expect(() => resolveSenseVoiceDir(join(root, 'nowhere'))).toThrow(/model directory not found/);
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    expect(() => resolveSenseVoiceDir(file)).toThrow(expect.objectContaining({ code: 'config' }));
  });

  it('maps language tags to SenseVoice languages and builds its config with ITN on', () => {
    expect(senseVoiceLanguage(undefined)).toBe('auto');
    expect(senseVoiceLanguage('zh-CN')).toBe('zh');
    expect(senseVoiceLanguage('zh-sichuan')).toBe('zh');
    expect(senseVoiceLanguage('yue')).toBe('yue');
    expect(senseVoiceLanguage('zh-HK')).toBe('yue');
    expect(senseVoiceLanguage('en-US')).toBe('en');
    expect(senseVoiceLanguage('fr')).toBe('auto');
    expect(senseVoiceConfig({ model: '/m/model.int8.onnx', tokens: '/m/tokens.txt' }, 'yue', 2)).toEqual({
      featConfig: { sampleRate: 16000, featureDim: 80 },
      modelConfig: {
        senseVoice: { model: '/m/model.int8.onnx', language: 'yue', useInverseTextNormalization: 1 },
        tokens: '/m/tokens.txt',
        numThreads: 2,
        provider: 'cpu',
        debug: 0,
      },
    });
  });

  it('resolves a VITS directory with lexicon, rule FSTs and espeak-ng-data', async () => {
    const dir = await make('vits', [
      'vits-zh-aishell3.onnx',
      'tokens.txt',
      'lexicon.txt',
      'phone.fst',
      'number.fst',
      'espeak-ng-data/',
    ]);
    const files = resolveSherpaTtsDir({ kind: 'vits', dir });
    expect(files).toEqual({
      kind: 'vits',
      model: join(dir, 'vits-zh-aishell3.onnx'),
      tokens: join(dir, 'tokens.txt'),
      lexicon: join(dir, 'lexicon.txt'),
      dataDir: join(dir, 'espeak-ng-data'),
      ruleFsts: `${join(dir, 'phone.fst')},${join(dir, 'number.fst')}`,
    });
    expect(sherpaTtsConfig(files, 1)).toEqual({
      model: {
        vits: { model: files.model, tokens: files.tokens, lexicon: files.lexicon, dataDir: files.dataDir },
        numThreads: 1,
        provider: 'cpu',
        debug: 0,
      },
      maxNumSentences: 1,
      ruleFsts: files.ruleFsts,
    });
  });

  it('requires one model file, tokens and (for Matcha) a vocoder', async () => {
    const two = await make('vits-two', ['a.onnx', 'b.onnx', 'tokens.txt']);
    expect(() => resolveSherpaTtsDir({ kind: 'vits', dir: two })).toThrow(
      /found a.onnx, b.onnx; set the model file name/,
    );
    expect(resolveSherpaTtsDir({ kind: 'vits', dir: two, modelFile: 'b.onnx' }).model).toBe(
      join(two, 'b.onnx'),
    );
    const none = await make('vits-none', ['tokens.txt']);
    expect(() => resolveSherpaTtsDir({ kind: 'vits', dir: none })).toThrow(/lacks a model .onnx file/);
    const noTokens = await make('vits-no-tokens', ['m.onnx']);
    expect(() => resolveSherpaTtsDir({ kind: 'vits', dir: noTokens })).toThrow(/lacks tokens.txt/);

    const matcha = await make('matcha', [
      'model-steps-3.onnx',
      'vocos-22khz-univ.onnx',
      'tokens.txt',
      'lexicon.txt',
    ]);
    expect(() => resolveSherpaTtsDir({ kind: 'matcha', dir: matcha })).toThrow(/lacks .*a vocoder/);
    expect(() => resolveSherpaTtsDir({ kind: 'matcha', dir: matcha, vocoder: 'hifigan.onnx' })).toThrow(
      /the vocoder/,
    );
    const files = resolveSherpaTtsDir({ kind: 'matcha', dir: matcha, vocoder: 'vocos-22khz-univ.onnx' });
    expect(files).toMatchObject({
      model: join(matcha, 'model-steps-3.onnx'),
      vocoder: join(matcha, 'vocos-22khz-univ.onnx'),
    });
    expect(sherpaTtsConfig(files, 2).model).toEqual({
      matcha: {
        acousticModel: files.model,
        vocoder: files.vocoder,
        tokens: files.tokens,
        lexicon: files.lexicon,
        dataDir: '',
      },
      numThreads: 2,
      provider: 'cpu',
      debug: 0,
    });
  });
});
