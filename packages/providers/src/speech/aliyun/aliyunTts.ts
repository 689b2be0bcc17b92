// Aliyun intelligent speech interaction TTS over HTTPS (POST /stream/v1/tts on the NLS gateway with the
// token): asks for raw PCM at the configured rate; errors come back as JSON instead of audio.
import { type PcmAudio, pcm16FromBytes, type SpeechSynthesizer, type SynthesizeOptions } from '@zhike/voice';
import { excerpt, SpeechProviderError } from '../errors.ts';
import { callHttp, type FetchLike } from '../http.ts';
import { lookupByLanguage } from '../languages.ts';
import { concatSamples, splitForSynthesis } from '../sentences.ts';
import type { NlsTokenSource } from './nlsToken.ts';

export interface AliyunTtsOptions {
  appKey: string;
  tokens: NlsTokenSource;
  /** Voice per language tag ('xiaoyun', Cantonese 'shanshan'…); `defaultVoice` otherwise. */
  voices?: Record<string, string>;
  /** Default 'xiaoyun'. */
  defaultVoice?: string;
  /** 8000, 16000 or 24000. Default 16000. */
  sampleRate?: 8000 | 16000 | 24000;
  /** Default 'https://nls-gateway-cn-shanghai.aliyuncs.com'. */
  gatewayUrl?: string;
  fetch: FetchLike;
  timeoutMs?: number;
}

/** The RESTful interface takes up to 300 characters per request; longer text is split. */
const MAX_TEXT = 300;

export function createAliyunTts(options: AliyunTtsOptions): SpeechSynthesizer {
  const url = `${(options.gatewayUrl ?? 'https://nls-gateway-cn-shanghai.aliyuncs.com').replace(/\/+$/, '')}/stream/v1/tts`;
  const sampleRate = options.sampleRate ?? 16000;
  return {
    id: 'aliyun',
    async synthesize(text: string, synth: SynthesizeOptions = {}): Promise<PcmAudio> {
      if (text.trim() === '')
        throw new SpeechProviderError('aliyun', 'config', 'nothing to say (empty text)');
      if (synth.rate !== undefined && !(synth.rate > 0))
        throw new SpeechProviderError('aliyun', 'config', `bad rate ${synth.rate}`);
      const voice =
        synth.voice ?? lookupByLanguage(synth.language, options.voices) ?? options.defaultVoice ?? 'xiaoyun';
      // speech_rate runs from -500 to 500, 0 normal; Aliyun's conversion from a speed factor s is
      // (1 - 1/s) / 0.002 above 1 and (1 - 1/s) / 0.001 below.
      const rate = synth.rate ?? 1;
      const speechRate = Math.round(
        Math.max(-500, Math.min(500, (1 - 1 / rate) / (rate >= 1 ? 0.002 : 0.001))),
      );
      if (text.length > MAX_TEXT * 20) throw new SpeechProviderError('aliyun', 'config', 'text too long');
      const pieces: Int16Array[] = [];
      for (const piece of splitForSynthesis(text, MAX_TEXT))
        pieces.push(await synthesizeOne(piece, voice, speechRate, synth.signal));
      return { samples: concatSamples(pieces), sampleRate };
    },
  };

  async function synthesizeOne(
    text: string,
    voice: string,
    speechRate: number,
    signal: AbortSignal | undefined,
  ): Promise<Int16Array> {
    const token = await options.tokens.token(signal);
    const answer = await callHttp({
      provider: 'aliyun',
      fetch: options.fetch,
      url,
      headers: { 'content-type': 'application/json', 'X-NLS-Token': token },
      body: JSON.stringify({
        appkey: options.appKey,
        token,
        text,
        format: 'pcm',
        sample_rate: sampleRate,
        voice,
        speech_rate: speechRate,
      }),
      timeoutMs: options.timeoutMs ?? 15_000,
      signal,
    }).catch((error: unknown) => {
      if (error instanceof SpeechProviderError && /40000001/.test(error.body ?? '')) {
        options.tokens.invalidate();
        throw new SpeechProviderError('aliyun', 'auth', error.message, {
          status: error.status,
          body: error.body,
        });
      }
      throw error;
    });
    const type = answer.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      const body = excerpt(answer.body.toString('utf8'));
      const code = /40000001/.test(body) ? 'auth' : 'provider';
      if (code === 'auth') options.tokens.invalidate();
      throw new SpeechProviderError('aliyun', code, `TTS failed: ${body}`, { body });
    }
    if (answer.body.length % 2 !== 0)
      throw new SpeechProviderError('aliyun', 'bad_response', 'PCM answer has an odd number of bytes');
    return pcm16FromBytes(answer.body);
  }
}
