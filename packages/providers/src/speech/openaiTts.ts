// Text to speech through any OpenAI-compatible `POST /v1/audio/speech` server, asking for WAV (parsed for
// its rate) or raw PCM (24 kHz mono PCM16 by the API's definition).
import {
  type PcmAudio,
  pcm16FromBytes,
  readMonoWav,
  type SpeechSynthesizer,
  type SynthesizeOptions,
} from '@zhike/voice';
import { SpeechProviderError } from './errors.ts';
import { callHttp, type FetchLike } from './http.ts';
import { lookupByLanguage } from './languages.ts';
import { bearer, openaiAudioUrl } from './openaiCommon.ts';

export interface OpenAiTtsOptions {
  baseUrl: string;
  apiKey?: string;
  /** Default 'tts-1'. */
  model?: string;
  /** Voice per language tag (exact tag, then primary subtag); `defaultVoice` otherwise. */
  voices?: Record<string, string>;
  /** Default 'alloy'. */
  defaultVoice?: string;
  /** Default 'wav'. */
  responseFormat?: 'wav' | 'pcm';
  fetch: FetchLike;
  /** Default 20 s. */
  timeoutMs?: number;
}

/** The API's raw 'pcm' format. */
export const OPENAI_PCM_RATE = 24000;

/** The configured voice for a language tag (exact tag, Cantonese alias, then primary subtag). */
export function voiceForLanguage(
  voices: Record<string, string> | undefined,
  language: string | undefined,
): string | undefined {
  return lookupByLanguage(language, voices);
}

export function createOpenAiTts(options: OpenAiTtsOptions): SpeechSynthesizer {
  const url = openaiAudioUrl(options.baseUrl, 'speech');
  const format = options.responseFormat ?? 'wav';
  return {
    id: 'openai',
    async synthesize(text: string, synth: SynthesizeOptions = {}): Promise<PcmAudio> {
      if (text.trim() === '')
        throw new SpeechProviderError('openai', 'config', 'nothing to say (empty text)');
      const voice =
        synth.voice ?? voiceForLanguage(options.voices, synth.language) ?? options.defaultVoice ?? 'alloy';
      const request: Record<string, unknown> = {
        model: options.model ?? 'tts-1',
        input: text,
        voice,
        response_format: format,
      };
      // The API accepts 0.25..4.
      if (synth.rate !== undefined && synth.rate !== 1)
        request.speed = Math.min(4, Math.max(0.25, synth.rate));
      const answer = await callHttp({
        provider: 'openai',
        fetch: options.fetch,
        url,
        headers: { 'content-type': 'application/json', ...bearer(options.apiKey) },
        body: JSON.stringify(request),
        timeoutMs: options.timeoutMs ?? 20_000,
        signal: synth.signal,
      });
      if (format === 'pcm') {
        if (answer.body.length % 2 !== 0)
          throw new SpeechProviderError('openai', 'bad_response', 'PCM answer has an odd number of bytes');
        return { samples: pcm16FromBytes(answer.body), sampleRate: OPENAI_PCM_RATE };
      }
      try {
        return readMonoWav(answer.body);
      } catch (error) {
        const type = answer.headers.get('content-type') ?? 'no content type';
        throw new SpeechProviderError(
          'openai',
          'bad_response',
          `answer is not PCM WAV (${type}): ${(error as Error).message}`,
        );
      }
    },
  };
}
