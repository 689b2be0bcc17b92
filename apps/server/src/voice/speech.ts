// Each workspace's speech providers, built from its saved settings (PUT /api/v1/voice/speech-settings):
// `asr.provider` openai | tencent, `tts.provider` espeak-ng | openai | tencent, each with its flat fields,
// secrets (`asr.apiKey`, `asr.secretKey` …) opened only here. HTTP providers go through the SSRF-guarded
// client (private addresses only for hosts in ZHIKE_CHANNEL_ALLOW_HOSTS). Built once per settings version.
import type { HttpClient } from '@zhike/channels';
import type { Database } from '@zhike/db';
import {
  createCachedSynthesizer,
  createEspeakTts,
  createOpenAiAsr,
  createOpenAiTts,
  createTencentAsr,
  createTencentTts,
  type FetchLike,
  SpeechProviderError,
} from '@zhike/providers';
import type { SpeechRecognizer, SpeechSynthesizer } from '@zhike/voice';
import type { CallSpeech } from './voiceCalls.ts';

type Fields = Record<string, unknown>;

const str = (f: Fields, key: string): string | undefined => {
  const v = f[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** Refuses every utterance: with no ASR chosen the brain hears only no-match and hands the call to people. */
export const noRecognizer: SpeechRecognizer = {
  id: 'none',
  async transcribe() {
    throw new SpeechProviderError('none', 'config', 'no speech recognizer is configured for this workspace');
  },
};

function need(value: string | undefined, what: string): string {
  if (!value) throw new SpeechProviderError('settings', 'config', `${what} is not set`);
  return value;
}

export function buildRecognizer(
  asr: Fields,
  secrets: Record<string, string>,
  fetch: FetchLike,
): SpeechRecognizer {
  switch (str(asr, 'provider')) {
    case undefined:
    case 'none':
      return noRecognizer;
    case 'openai':
      return createOpenAiAsr({
        baseUrl: need(str(asr, 'baseUrl'), 'asr.baseUrl'),
        fetch,
        ...(secrets['asr.apiKey'] ? { apiKey: secrets['asr.apiKey'] } : {}),
        ...(str(asr, 'model') ? { model: str(asr, 'model') } : {}),
      });
    case 'tencent': {
      const engine = str(asr, 'engine');
      return createTencentAsr({
        appId: need(str(asr, 'appId'), 'asr.appId'),
        secretId: need(secrets['asr.secretId'], 'asr.secretId'),
        secretKey: need(secrets['asr.secretKey'], 'asr.secretKey'),
        // One engine for every language the workspace speaks when chosen (16k_zh, 16k_yue, 16k_zh_dialect…).
        ...(engine ? { engines: { zh: engine, 'zh-CN': engine, yue: engine } } : {}),
      });
    }
    default:
      throw new SpeechProviderError('settings', 'config', `unknown ASR provider ${String(asr.provider)}`);
  }
}

export function buildSynthesizer(
  tts: Fields,
  secrets: Record<string, string>,
  fetch: FetchLike,
  espeak: SpeechSynthesizer,
): SpeechSynthesizer {
  switch (str(tts, 'provider')) {
    case undefined:
    case 'espeak-ng':
      return espeak;
    case 'openai':
      return createCachedSynthesizer(
        createOpenAiTts({
          baseUrl: need(str(tts, 'baseUrl'), 'tts.baseUrl'),
          fetch,
          ...(secrets['tts.apiKey'] ? { apiKey: secrets['tts.apiKey'] } : {}),
          ...(str(tts, 'model') ? { model: str(tts, 'model') } : {}),
          ...(str(tts, 'voice') ? { defaultVoice: str(tts, 'voice') } : {}),
        }),
        { keyPrefix: `openai:${str(tts, 'baseUrl')}:${str(tts, 'model') ?? ''}` },
      );
    case 'tencent': {
      const voiceType = Number(tts.voiceType);
      return createCachedSynthesizer(
        createTencentTts({
          fetch,
          secretId: need(secrets['tts.secretId'], 'tts.secretId'),
          secretKey: need(secrets['tts.secretKey'], 'tts.secretKey'),
          ...(str(tts, 'region') ? { region: str(tts, 'region') } : {}),
          ...(Number.isInteger(voiceType) && voiceType > 0 ? { defaultVoiceType: voiceType } : {}),
        }),
        { keyPrefix: `tencent:${str(tts, 'region') ?? ''}:${Number.isInteger(voiceType) ? voiceType : ''}` },
      );
    }
    default:
      throw new SpeechProviderError('settings', 'config', `unknown TTS provider ${String(tts.provider)}`);
  }
}

/** Per-workspace providers, rebuilt when the workspace saves new settings. */
export function workspaceSpeech(deps: {
  db: Database;
  http: HttpClient;
  /** Settings that cannot be built (saved before a provider changed its fields) are reported here. */
  onInvalid?: (workspaceId: string, error: unknown) => void;
}): (workspaceId: string) => Promise<CallSpeech> {
  const espeak = createCachedSynthesizer(createEspeakTts());
  // Providers adapt Buffer bodies themselves; the guarded client takes them as they are.
  const fetch: FetchLike = (url, init) => deps.http(url, init as unknown as RequestInit);
  const built = new Map<string, { version: string; speech: CallSpeech }>();
  return async (workspaceId) => {
    const store = deps.db.forWorkspace(workspaceId);
    const saved = await store.voice.speechSettings.get();
    const version = saved?.updatedAt ?? 'default';
    const cached = built.get(workspaceId);
    if (cached && cached.version === version) return cached.speech;
    const secrets = saved ? await store.voice.speechSettings.secrets() : {};
    const settings = (saved?.settings ?? {}) as { asr?: Fields; tts?: Fields };
    let speech: CallSpeech;
    try {
      speech = {
        recognizer: buildRecognizer(settings.asr ?? {}, secrets, fetch),
        synthesizer: buildSynthesizer(settings.tts ?? {}, secrets, fetch, espeak),
      };
    } catch (error) {
      // A call still gets a voice (espeak-ng) and, hearing nothing it understands, goes to people.
      deps.onInvalid?.(workspaceId, error);
      speech = { recognizer: noRecognizer, synthesizer: espeak };
    }
    built.set(workspaceId, { version, speech });
    return speech;
  };
}
