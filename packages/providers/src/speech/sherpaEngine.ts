// Loading sherpa-onnx-node lazily: it is an optional dependency (native, ~30 MB), so the providers package
// must import and work where it is missing; only choosing a sherpa provider needs it. The shapes below are
// the part of its API the adapters use (the package ships no type declarations).
import { SpeechProviderError } from './errors.ts';

export interface SherpaStream {
  acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
}

export interface SherpaRecognizerResult {
  text: string;
  /** SenseVoice reports the language as a tag such as '<|zh|>'. */
  lang?: string;
}

export interface SherpaRecognizer {
  createStream(): SherpaStream;
  decodeAsync(stream: SherpaStream): Promise<SherpaRecognizerResult>;
}

export interface SherpaTts {
  readonly sampleRate: number;
  readonly numSpeakers: number;
  generateAsync(request: { text: string; sid: number; speed: number }): Promise<{
    samples: Float32Array;
    sampleRate: number;
  }>;
}

export interface SherpaModule {
  OfflineRecognizer: { createAsync(config: unknown): Promise<SherpaRecognizer> };
  OfflineTts: { createAsync(config: unknown): Promise<SherpaTts> };
}

/** How the adapters get the module; tests inject one to check the wiring without a model. */
export type SherpaLoader = () => Promise<SherpaModule>;

export const loadSherpaOnnx: SherpaLoader = async () => {
  try {
    // A specifier in a variable keeps bundlers and tsc from resolving the optional package up front.
    const specifier = 'sherpa-onnx-node';
    const imported = (await import(specifier)) as { default?: SherpaModule } & Partial<SherpaModule>;
    const module = (imported.default ?? imported) as SherpaModule;
    if (typeof module.OfflineRecognizer?.createAsync !== 'function')
      throw new Error('the installed sherpa-onnx-node has no OfflineRecognizer.createAsync');
    return module;
  } catch (error) {
    throw new SpeechProviderError(
      'sherpa-onnx',
      'config',
      `sherpa-onnx-node is not available (${(error as Error).message}); install it or choose another provider`,
      { cause: error },
    );
  }
};

/** Runs native jobs one after another: one model instance, and a 2-core box gains nothing from overlap. */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}
