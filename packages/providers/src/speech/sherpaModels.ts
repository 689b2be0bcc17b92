// Model directories for the embedded sherpa-onnx engines: what files an admin-supplied directory must hold
// and how they map onto sherpa-onnx-node's config objects. Pure checks on the file system, no native code,
// so a wrong directory gets a clear error long before (and instead of) the native loader.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SpeechProviderError } from './errors.ts';

/** Languages SenseVoice takes; 'auto' lets the model detect (it tells zh, yue, en, ja and ko apart). */
export type SenseVoiceLanguage = 'auto' | 'zh' | 'yue' | 'en' | 'ja' | 'ko';

export interface SenseVoiceFiles {
  model: string;
  tokens: string;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function requireDirectory(provider: string, dir: string): void {
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new SpeechProviderError(provider, 'config', `model directory not found: ${dir}`);
}

/**
 * A SenseVoice directory as released by sherpa-onnx holds model.int8.onnx and/or model.onnx plus
 * tokens.txt; the int8 model is preferred (about 4× smaller, faster on CPU, same accuracy in practice).
 */
export function resolveSenseVoiceDir(dir: string, modelFile?: string): SenseVoiceFiles {
  requireDirectory('sherpa-onnx', dir);
  const candidates = modelFile ? [modelFile] : ['model.int8.onnx', 'model.onnx'];
  const model = candidates.map((name) => join(dir, name)).find(isFile);
  const tokens = join(dir, 'tokens.txt');
  const missing = [...(model ? [] : [candidates.join(' or ')]), ...(isFile(tokens) ? [] : ['tokens.txt'])];
  if (missing.length > 0)
    throw new SpeechProviderError(
      'sherpa-onnx',
      'config',
      `model directory ${dir} lacks ${missing.join(', ')}`,
    );
  return { model: model!, tokens };
}

/** Our language tags to SenseVoice's; anything it does not know is left to detection. */
export function senseVoiceLanguage(language: string | undefined): SenseVoiceLanguage {
  if (!language) return 'auto';
  const tag = language.toLowerCase();
  if (tag === 'auto') return 'auto';
  if (tag === 'yue' || tag === 'zh-yue' || tag === 'zh-hk' || tag === 'zh-mo') return 'yue';
  const primary = tag.split('-')[0]!;
  if (primary === 'zh' || primary === 'cmn') return 'zh';
  if (primary === 'en' || primary === 'ja' || primary === 'ko') return primary;
  return 'auto';
}

/** SenseVoice works on 16 kHz audio with 80-dimensional features; inverse text normalisation is on, so
 * "一百二十三" comes back as "123" and order numbers stay digits. */
export function senseVoiceConfig(files: SenseVoiceFiles, language: SenseVoiceLanguage, numThreads: number) {
  return {
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
      senseVoice: { model: files.model, language, useInverseTextNormalization: 1 },
      tokens: files.tokens,
      numThreads,
      provider: 'cpu',
      debug: 0,
    },
  };
}

export type SherpaTtsKind = 'vits' | 'matcha';

export interface SherpaTtsFiles {
  kind: SherpaTtsKind;
  /** VITS: the model; Matcha: the acoustic model. */
  model: string;
  /** Matcha only. */
  vocoder?: string;
  tokens: string;
  lexicon?: string;
  /** espeak-ng-data inside the directory (models with English phonemes need it). */
  dataDir?: string;
  /** Text-normalisation rules shipped with Chinese models (phone.fst, date.fst, number.fst…). */
  ruleFsts?: string;
}

export interface SherpaTtsDirOptions {
  kind: SherpaTtsKind;
  dir: string;
  /** File name of the (acoustic) model when the directory holds several .onnx files. */
  modelFile?: string;
  /** Matcha's vocoder: a file name inside the directory or an absolute path. */
  vocoder?: string;
}

/** Checks a VITS or Matcha directory as sherpa-onnx releases them and names what is missing. */
export function resolveSherpaTtsDir(options: SherpaTtsDirOptions): SherpaTtsFiles {
  const { dir, kind } = options;
  requireDirectory('sherpa-onnx', dir);
  const names = readdirSync(dir);
  const onnx = names.filter((n) => n.endsWith('.onnx'));
  const vocoderPath = options.vocoder
    ? options.vocoder.startsWith('/')
      ? options.vocoder
      : join(dir, options.vocoder)
    : undefined;
  const vocoderName = vocoderPath?.startsWith(`${dir}/`) ? vocoderPath.slice(dir.length + 1) : undefined;
  const modelCandidates = options.modelFile ? [options.modelFile] : onnx.filter((n) => n !== vocoderName);
  const problems: string[] = [];
  if (modelCandidates.length === 0) problems.push('a model .onnx file');
  else if (modelCandidates.length > 1)
    problems.push(`one model file (found ${modelCandidates.join(', ')}; set the model file name)`);
  else if (!isFile(join(dir, modelCandidates[0]!))) problems.push(modelCandidates[0]!);
  if (!names.includes('tokens.txt')) problems.push('tokens.txt');
  if (kind === 'matcha') {
    if (!vocoderPath) problems.push('a vocoder (set its file name, e.g. vocos-22khz-univ.onnx)');
    else if (!isFile(vocoderPath)) problems.push(`the vocoder ${vocoderPath}`);
  }
  if (problems.length > 0)
    throw new SpeechProviderError(
      'sherpa-onnx',
      'config',
      `${kind} model directory ${dir} lacks ${problems.join(', ')}`,
    );
  const fsts = ['phone.fst', 'date.fst', 'number.fst', 'new_heteronym.fst']
    .filter((n) => names.includes(n))
    .map((n) => join(dir, n));
  const dataDir = join(dir, 'espeak-ng-data');
  return {
    kind,
    model: join(dir, modelCandidates[0]!),
    ...(kind === 'matcha' ? { vocoder: vocoderPath! } : {}),
    tokens: join(dir, 'tokens.txt'),
    ...(names.includes('lexicon.txt') ? { lexicon: join(dir, 'lexicon.txt') } : {}),
    ...(existsSync(dataDir) ? { dataDir } : {}),
    ...(fsts.length > 0 ? { ruleFsts: fsts.join(',') } : {}),
  };
}

export function sherpaTtsConfig(files: SherpaTtsFiles, numThreads: number) {
  const shared = {
    tokens: files.tokens,
    lexicon: files.lexicon ?? '',
    dataDir: files.dataDir ?? '',
  };
  const model =
    files.kind === 'vits'
      ? { vits: { model: files.model, ...shared } }
      : { matcha: { acousticModel: files.model, vocoder: files.vocoder!, ...shared } };
  return {
    model: { ...model, numThreads, provider: 'cpu', debug: 0 },
    maxNumSentences: 1,
    ...(files.ruleFsts ? { ruleFsts: files.ruleFsts } : {}),
  };
}
