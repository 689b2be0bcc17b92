// Embedded offline speech to text with sherpa-onnx and a SenseVoice model directory the admin supplies
// (Mandarin, Cantonese, English, Japanese, Korean; punctuation and inverse text normalisation built in).
// Nothing is downloaded: the directory must already hold the model (see packages/providers/README.md).
import {
  type PcmAudio,
  pcm16ToFloat32,
  resampleYielding,
  type SpeechRecognizer,
  type TranscribeOptions,
  type Transcript,
} from '@zhike/voice';
import { SpeechProviderError } from './errors.ts';
import {
  createSerialQueue,
  loadSherpaOnnx,
  type SherpaLoader,
  type SherpaRecognizer,
} from './sherpaEngine.ts';
import {
  resolveSenseVoiceDir,
  type SenseVoiceLanguage,
  senseVoiceConfig,
  senseVoiceLanguage,
} from './sherpaModels.ts';

export interface SherpaAsrOptions {
  /** Directory holding model.int8.onnx (or model.onnx) and tokens.txt. */
  modelDir: string;
  /** Model file name when it is neither model.int8.onnx nor model.onnx. */
  modelFile?: string;
  /**
   * Fixed when the model loads: 'auto' (default) detects per utterance, which also covers callers who
   * switch between Mandarin and Cantonese; per-call language hints cannot change it.
   */
  language?: string;
  /** Default 2. */
  numThreads?: number;
  loader?: SherpaLoader;
}

const MODEL_RATE = 16000;

/** '<|yue|>' → 'yue'. */
function reportedLanguage(tag: string | undefined): string | undefined {
  const match = /^<\|([a-z]+)\|>$/.exec(tag ?? '');
  return match && match[1] !== 'nospeech' ? match[1] : undefined;
}

export function createSherpaAsr(options: SherpaAsrOptions): SpeechRecognizer {
  // Validate at construction so a settings page learns about a wrong directory at once.
  const files = resolveSenseVoiceDir(options.modelDir, options.modelFile);
  const language: SenseVoiceLanguage = senseVoiceLanguage(options.language);
  const loader = options.loader ?? loadSherpaOnnx;
  const serial = createSerialQueue();
  let recognizer: Promise<SherpaRecognizer> | undefined;

  const load = () => {
    recognizer ??= loader()
      .then((sherpa) =>
        sherpa.OfflineRecognizer.createAsync(senseVoiceConfig(files, language, options.numThreads ?? 2)),
      )
      .catch((error: unknown) => {
        recognizer = undefined;
        if (error instanceof SpeechProviderError) throw error;
        throw new SpeechProviderError(
          'sherpa-onnx',
          'engine',
          `could not load ${files.model}: ${String(error)}`,
          {
            cause: error,
          },
        );
      });
    return recognizer;
  };

  return {
    id: 'sherpa-onnx',
    async transcribe(audio: PcmAudio, transcribe: TranscribeOptions = {}): Promise<Transcript> {
      if (audio.samples.length === 0) return { text: '' };
      const engine = await load();
      const samples = pcm16ToFloat32(await resampleYielding(audio.samples, audio.sampleRate, MODEL_RATE));
      return serial(async () => {
        // A native decode cannot be interrupted; an aborted turn at least skips the queued work.
        if (transcribe.signal?.aborted)
          throw new SpeechProviderError('sherpa-onnx', 'aborted', 'transcription aborted');
        let result: { text?: unknown; lang?: unknown };
        try {
          const stream = engine.createStream();
          stream.acceptWaveform({ samples, sampleRate: MODEL_RATE });
          result = await engine.decodeAsync(stream);
        } catch (error) {
          throw new SpeechProviderError('sherpa-onnx', 'engine', `decoding failed: ${String(error)}`, {
            cause: error,
          });
        }
        if (typeof result?.text !== 'string')
          throw new SpeechProviderError('sherpa-onnx', 'bad_response', 'recognizer returned no text');
        const reported = reportedLanguage(typeof result.lang === 'string' ? result.lang : undefined);
        return { text: result.text.trim(), ...(reported ? { language: reported } : {}) };
      });
    },
  };
}
