// Builds a workspace's recognizer and synthesizer from its speech settings: validated first, then one
// adapter per provider, with espeak-ng as the synthesizer when nothing else is chosen and every synthesizer
// behind the prompt cache. Build once per settings change and reuse (Aliyun tokens and loaded sherpa-onnx
// models live in the built objects).

import { createHash } from 'node:crypto';
import type { SpeechRecognizer, SpeechSynthesizer } from '@zhike/voice';
import { createAliyunAsr } from './aliyun/aliyunAsr.ts';
import { createAliyunTts } from './aliyun/aliyunTts.ts';
import { createNlsTokenSource } from './aliyun/nlsToken.ts';
import { createCachedSynthesizer } from './cachedSynthesizer.ts';
import { SpeechProviderError } from './errors.ts';
import { createEspeakTts } from './espeakTts.ts';
import type { FetchLike } from './http.ts';
import { modelDirProblem } from './modelRoot.ts';
import { createOpenAiAsr } from './openaiAsr.ts';
import { createOpenAiTts } from './openaiTts.ts';
import {
  type ProviderSettings,
  perLanguage,
  type SpeechSecrets,
  type SpeechSettings,
  validateSpeechSettings,
} from './settings.ts';
import { createSherpaAsr } from './sherpaAsr.ts';
import type { SherpaLoader } from './sherpaEngine.ts';
import { createSherpaTts } from './sherpaTts.ts';
import type { WebSocketFactory } from './socket.ts';
import { createTencentAsr } from './tencent/tencentAsr.ts';
import { createTencentTts } from './tencent/tencentTts.ts';

export interface SpeechDeps {
  /** Outbound HTTP (the server passes its SSRF-guarded fetch). */
  fetch: FetchLike;
  /** Outbound WebSocket; default: ws with a 10 s handshake timeout. */
  webSocket?: WebSocketFactory;
  /** espeak-ng program when the settings name none (from the server config). */
  espeakBinary?: string;
  /** Where synthesised prompts persist across restarts; memory only without it. */
  ttsCacheDirectory?: string;
  /** Memory budget of the prompt cache; default 32 MiB. */
  ttsCacheMemoryBytes?: number;
  /** Tests inject a stand-in for sherpa-onnx-node. */
  sherpaLoader?: SherpaLoader;
  /** The root sherpa-onnx model directories must lie inside (the server's ZHIKE_SPEECH_MODELS_DIR). */
  modelsRoot?: string;
}

function assertValid(settings: SpeechSettings, secrets: SpeechSecrets): void {
  const problems = validateSpeechSettings(settings, secrets);
  if (problems.length > 0) throw new SpeechProviderError('settings', 'config', problems.join('; '));
}

const str = (record: ProviderSettings, field: string): string | undefined =>
  record[field] === undefined ? undefined : String(record[field]);
const num = (record: ProviderSettings, field: string): number | undefined =>
  record[field] === undefined ? undefined : Number(record[field]);

/** The recognizer the settings choose; a 'config' error when none is configured (keypad-only calls). */
export function buildRecognizer(
  settings: SpeechSettings,
  secrets: SpeechSecrets,
  deps: SpeechDeps,
): SpeechRecognizer {
  assertValid(settings, secrets);
  const asr = settings.asr;
  if (!asr) throw new SpeechProviderError('settings', 'config', 'no speech recognition is configured');
  const secret = (field: string) => secrets[`asr.${field}`];
  switch (asr.provider) {
    case 'openai':
      return createOpenAiAsr({
        baseUrl: str(asr, 'baseUrl')!,
        apiKey: secret('apiKey'),
        model: str(asr, 'model'),
        timeoutMs: num(asr, 'timeoutMs'),
        fetch: deps.fetch,
      });
    case 'sherpa-onnx':
      return createSherpaAsr({
        modelDir: confined(deps, 'asr', str(asr, 'modelDir')!),
        modelFile: str(asr, 'modelFile'),
        language: str(asr, 'language'),
        numThreads: num(asr, 'numThreads'),
        loader: deps.sherpaLoader,
      });
    case 'tencent':
      return createTencentAsr({
        appId: str(asr, 'appId')!,
        secretId: str(asr, 'secretId')!,
        secretKey: secret('secretKey')!,
        engines: perLanguage(asr, 'engine'),
        baseUrl: str(asr, 'baseUrl'),
        speedup: num(asr, 'speedup'),
        timeoutMs: num(asr, 'timeoutMs'),
        webSocket: deps.webSocket,
      });
    case 'aliyun':
      return createAliyunAsr({
        appKey: str(asr, 'appKey')!,
        appKeys: perLanguage(asr, 'appKey'),
        tokens: createNlsTokenSource({
          accessKeyId: str(asr, 'accessKeyId')!,
          accessKeySecret: secret('accessKeySecret')!,
          metaUrl: str(asr, 'metaUrl'),
          fetch: deps.fetch,
        }),
        sampleRate: num(asr, 'sampleRate') as 8000 | 16000 | undefined,
        gatewayUrl: str(asr, 'gatewayUrl'),
        speedup: num(asr, 'speedup'),
        timeoutMs: num(asr, 'timeoutMs'),
        webSocket: deps.webSocket,
      });
    default:
      throw new SpeechProviderError('settings', 'config', `unknown ASR provider ${asr.provider}`);
  }
}

function buildRawSynthesizer(
  tts: ProviderSettings,
  secrets: SpeechSecrets,
  deps: SpeechDeps,
): SpeechSynthesizer {
  const secret = (field: string) => secrets[`tts.${field}`];
  switch (tts.provider) {
    case 'espeak-ng':
      return createEspeakTts({
        binary: str(tts, 'binary') ?? deps.espeakBinary,
        voices: perLanguage(tts, 'voice'),
        wordsPerMinute: num(tts, 'wordsPerMinute'),
      });
    case 'openai':
      return createOpenAiTts({
        baseUrl: str(tts, 'baseUrl')!,
        apiKey: secret('apiKey'),
        model: str(tts, 'model'),
        voices: perLanguage(tts, 'voice'),
        defaultVoice: str(tts, 'defaultVoice'),
        responseFormat: str(tts, 'responseFormat') as 'wav' | 'pcm' | undefined,
        timeoutMs: num(tts, 'timeoutMs'),
        fetch: deps.fetch,
      });
    case 'sherpa-onnx':
      return createSherpaTts({
        kind: str(tts, 'kind') as 'vits' | 'matcha',
        dir: confined(deps, 'tts', str(tts, 'modelDir')!),
        modelFile: str(tts, 'modelFile'),
        vocoder: str(tts, 'vocoder'),
        speakerId: num(tts, 'speakerId'),
        numThreads: num(tts, 'numThreads'),
        loader: deps.sherpaLoader,
      });
    case 'tencent':
      return createTencentTts({
        secretId: str(tts, 'secretId')!,
        secretKey: secret('secretKey')!,
        region: str(tts, 'region'),
        voices: perLanguage(tts, 'voice'),
        defaultVoiceType: num(tts, 'defaultVoiceType'),
        sampleRate: num(tts, 'sampleRate') as 8000 | 16000 | 24000 | undefined,
        baseUrl: str(tts, 'baseUrl'),
        timeoutMs: num(tts, 'timeoutMs'),
        fetch: deps.fetch,
      });
    case 'aliyun':
      return createAliyunTts({
        appKey: str(tts, 'appKey')!,
        tokens: createNlsTokenSource({
          accessKeyId: str(tts, 'accessKeyId')!,
          accessKeySecret: secret('accessKeySecret')!,
          metaUrl: str(tts, 'metaUrl'),
          fetch: deps.fetch,
        }),
        voices: perLanguage(tts, 'voice'),
        defaultVoice: str(tts, 'defaultVoice'),
        sampleRate: num(tts, 'sampleRate') as 8000 | 16000 | 24000 | undefined,
        gatewayUrl: str(tts, 'gatewayUrl'),
        timeoutMs: num(tts, 'timeoutMs'),
        fetch: deps.fetch,
      });
    default:
      throw new SpeechProviderError('settings', 'config', `unknown TTS provider ${tts.provider}`);
  }
}

/**
 * The synthesizer the settings choose (espeak-ng when none), behind the prompt cache. The cache key
 * includes a digest of the non-secret settings, so changing the model or a voice never replays old audio.
 */
export function buildSynthesizer(settings: SpeechSettings, secrets: SpeechSecrets, deps: SpeechDeps) {
  assertValid(settings, secrets);
  const tts: ProviderSettings = settings.tts ?? { provider: 'espeak-ng' };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(Object.entries(tts).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex')
    .slice(0, 16);
  return createCachedSynthesizer(buildRawSynthesizer(tts, secrets, deps), {
    keyPrefix: fingerprint,
    directory: deps.ttsCacheDirectory,
    maxMemoryBytes: deps.ttsCacheMemoryBytes,
  });
}

function confined(deps: SpeechDeps, direction: 'asr' | 'tts', dir: string): string {
  const problem = modelDirProblem(deps.modelsRoot, dir);
  if (problem) throw new SpeechProviderError('sherpa-onnx', 'config', `${direction}.modelDir ${problem}`);
  return dir;
}
