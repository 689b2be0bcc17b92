// Each workspace's speech providers, built from its saved settings (PUT /api/v1/voice/speech-settings) by
// the providers' registry (@zhike/providers buildRecognizer/buildSynthesizer: openai, sherpa-onnx,
// tencent, aliyun, espeak-ng), secrets opened only here, HTTP through the SSRF-guarded client (private
// addresses only for hosts in ZHIKE_CHANNEL_ALLOW_HOSTS). Built once per settings version and reused.
import type { HttpClient } from '@zhike/channels';
import type { Database } from '@zhike/db';
import {
  buildRecognizer,
  buildSynthesizer,
  type FetchLike,
  modelDirProblem,
  type SpeechDeps,
  SpeechProviderError,
  type SpeechSettings,
  validateSpeechSettings,
} from '@zhike/providers';
import type { SpeechRecognizer } from '@zhike/voice';
import type { CallSpeech } from './voiceCalls.ts';

/** Refuses every utterance: with no ASR chosen the brain hears only no-match and hands the call to people. */
export const noRecognizer: SpeechRecognizer = {
  id: 'none',
  async transcribe() {
    throw new SpeechProviderError('none', 'config', 'no speech recognizer is configured for this workspace');
  },
};

/**
 * Every problem of settings about to be saved, as `asr.field: what is wrong`; embedded model directories
 * must lie inside `modelsRoot` (ZHIKE_SPEECH_MODELS_DIR).
 */
export function speechSettingsProblems(
  settings: unknown,
  secrets: Record<string, string>,
  modelsRoot: string,
): string[] {
  const problems = validateSpeechSettings(settings, secrets);
  if (problems.length > 0) return problems;
  for (const direction of ['asr', 'tts'] as const) {
    const chosen = (settings as SpeechSettings)[direction] as Record<string, unknown> | undefined;
    if (chosen?.provider !== 'sherpa-onnx' || typeof chosen.modelDir !== 'string') continue;
    const problem = modelDirProblem(modelsRoot, chosen.modelDir);
    if (problem) problems.push(`${direction}.modelDir ${problem}`);
  }
  return problems;
}

/** Builds a workspace's providers; without ASR settings calls get `noRecognizer` (keypad and hand-off). */
export function speechOf(
  settings: SpeechSettings,
  secrets: Record<string, string>,
  deps: SpeechDeps,
): CallSpeech {
  return {
    recognizer: settings.asr ? buildRecognizer(settings, secrets, deps) : noRecognizer,
    synthesizer: buildSynthesizer(settings, secrets, deps),
  };
}

/** Per-workspace providers, rebuilt when the workspace saves new settings. */
export function workspaceSpeech(deps: {
  db: Database;
  http: HttpClient;
  /** ZHIKE_SPEECH_MODELS_DIR: embedded model directories must lie inside it. */
  modelsRoot: string;
  /** Settings that cannot be built (saved before a provider changed its fields) are reported here. */
  onInvalid?: (workspaceId: string, error: unknown) => void;
}): (workspaceId: string) => Promise<CallSpeech> {
  // Providers hand Buffer bodies over as they are; the guarded client takes them.
  const fetch: FetchLike = (url, init) => deps.http(url, init as unknown as RequestInit);
  const speechDeps: SpeechDeps = { fetch, modelsRoot: deps.modelsRoot };
  const fallback = speechOf({}, {}, speechDeps);
  const built = new Map<string, { version: string; speech: CallSpeech }>();
  return async (workspaceId) => {
    const store = deps.db.forWorkspace(workspaceId);
    const saved = await store.voice.speechSettings.get();
    const version = saved?.updatedAt ?? 'default';
    const cached = built.get(workspaceId);
    if (cached && cached.version === version) return cached.speech;
    let speech = fallback;
    if (saved) {
      try {
        speech = speechOf(
          saved.settings as SpeechSettings,
          await store.voice.speechSettings.secrets(),
          speechDeps,
        );
      } catch (error) {
        // A call still gets a voice (espeak-ng) and, hearing nothing it understands, goes to people.
        deps.onInvalid?.(workspaceId, error);
      }
    }
    built.set(workspaceId, { version, speech });
    return speech;
  };
}
