// Embedded offline text to speech with sherpa-onnx and a VITS or Matcha model directory the admin
// supplies; output is PCM at the model's own rate (22 050 Hz for most Chinese models).
import { float32ToPcm16, type PcmAudio, type SpeechSynthesizer, type SynthesizeOptions } from '@zhike/voice';
import { SpeechProviderError } from './errors.ts';
import { createSerialQueue, loadSherpaOnnx, type SherpaLoader, type SherpaTts } from './sherpaEngine.ts';
import { resolveSherpaTtsDir, type SherpaTtsDirOptions, sherpaTtsConfig } from './sherpaModels.ts';

export interface SherpaTtsOptions extends SherpaTtsDirOptions {
  /** Speaker id for multi-speaker models; a numeric `voice` in a request overrides it. Default 0. */
  speakerId?: number;
  /** Default 2. */
  numThreads?: number;
  /** Longest text accepted, in characters. Default 2000. */
  maxTextLength?: number;
  loader?: SherpaLoader;
}

export function createSherpaTts(options: SherpaTtsOptions): SpeechSynthesizer {
  const files = resolveSherpaTtsDir(options);
  const loader = options.loader ?? loadSherpaOnnx;
  const serial = createSerialQueue();
  const maxTextLength = options.maxTextLength ?? 2000;
  let tts: Promise<SherpaTts> | undefined;

  const load = () => {
    tts ??= loader()
      .then((sherpa) => sherpa.OfflineTts.createAsync(sherpaTtsConfig(files, options.numThreads ?? 2)))
      .catch((error: unknown) => {
        tts = undefined;
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
    return tts;
  };

  return {
    id: 'sherpa-onnx',
    async synthesize(text: string, synth: SynthesizeOptions = {}): Promise<PcmAudio> {
      if (text.trim() === '')
        throw new SpeechProviderError('sherpa-onnx', 'config', 'nothing to say (empty text)');
      if (text.length > maxTextLength)
        throw new SpeechProviderError(
          'sherpa-onnx',
          'config',
          `text longer than ${maxTextLength} characters`,
        );
      const sid = synth.voice === undefined ? (options.speakerId ?? 0) : Number(synth.voice);
      if (!Number.isInteger(sid) || sid < 0)
        throw new SpeechProviderError(
          'sherpa-onnx',
          'config',
          `voice must be a speaker number, not ${synth.voice}`,
        );
      const speed = synth.rate ?? 1;
      if (!Number.isFinite(speed) || speed <= 0)
        throw new SpeechProviderError('sherpa-onnx', 'config', `bad rate ${speed}`);
      const engine = await load();
      if (sid >= engine.numSpeakers && engine.numSpeakers > 0)
        throw new SpeechProviderError(
          'sherpa-onnx',
          'config',
          `speaker ${sid} not in this model (it has ${engine.numSpeakers})`,
        );
      return serial(async () => {
        if (synth.signal?.aborted)
          throw new SpeechProviderError('sherpa-onnx', 'aborted', 'synthesis aborted');
        let audio: { samples: Float32Array; sampleRate: number };
        try {
          audio = await engine.generateAsync({ text, sid, speed });
        } catch (error) {
          throw new SpeechProviderError('sherpa-onnx', 'engine', `synthesis failed: ${String(error)}`, {
            cause: error,
          });
        }
        if (!(audio?.samples instanceof Float32Array) || !(audio.sampleRate > 0))
          throw new SpeechProviderError('sherpa-onnx', 'bad_response', 'engine returned no audio');
        return { samples: float32ToPcm16(audio.samples), sampleRate: audio.sampleRate };
      });
    },
  };
}
