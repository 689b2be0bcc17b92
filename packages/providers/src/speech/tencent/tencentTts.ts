// Tencent Cloud text to speech, API 3.0 action TextToVoice (version 2019-08-23) signed with TC3-HMAC-SHA256;
// asks for raw PCM at the configured rate (8 kHz suits the phone line as it is) and decodes the base64 audio.
import { randomUUID } from 'node:crypto';
import { type PcmAudio, pcm16FromBytes, type SpeechSynthesizer, type SynthesizeOptions } from '@zhike/voice';
import { tc3Headers } from '../../http/tencentSigning.ts';
import { SpeechProviderError } from '../errors.ts';
import { callHttp, type FetchLike, parseJson } from '../http.ts';
import { voiceForLanguage } from '../openaiTts.ts';
import { concatSamples, splitForSynthesis } from '../sentences.ts';

export interface TencentTtsOptions {
  secretId: string;
  secretKey: string;
  /** Default 'ap-guangzhou'. */
  region?: string;
  /** VoiceType per language tag (numbers as the console lists them); `defaultVoiceType` otherwise. */
  voices?: Record<string, string>;
  /** Default 101001 (a standard Mandarin female voice). */
  defaultVoiceType?: number;
  /** 8000, 16000 or 24000. Default 16000. */
  sampleRate?: 8000 | 16000 | 24000;
  /** Default 'https://tts.tencentcloudapi.com'. */
  baseUrl?: string;
  fetch: FetchLike;
  timeoutMs?: number;
  now?: () => number;
}

/** The API takes up to 150 Chinese characters per request (basic voices); longer text is split. */
const MAX_TEXT = 150;

interface TextToVoiceAnswer {
  Response?: { Audio?: unknown; Error?: { Code?: string; Message?: string }; RequestId?: string };
}

export function createTencentTts(options: TencentTtsOptions): SpeechSynthesizer {
  const baseUrl = options.baseUrl ?? 'https://tts.tencentcloudapi.com';
  const host = new URL(baseUrl).host;
  const sampleRate = options.sampleRate ?? 16000;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    id: 'tencent',
    async synthesize(text: string, synth: SynthesizeOptions = {}): Promise<PcmAudio> {
      if (text.trim() === '')
        throw new SpeechProviderError('tencent', 'config', 'nothing to say (empty text)');
      // Longer text is split into requests; this only bounds how many one prompt may cost.
      if (text.length > MAX_TEXT * 20) throw new SpeechProviderError('tencent', 'config', 'text too long');
      const voice = synth.voice ?? voiceForLanguage(options.voices, synth.language);
      const voiceType = voice === undefined ? (options.defaultVoiceType ?? 101001) : Number(voice);
      if (!Number.isInteger(voiceType))
        throw new SpeechProviderError('tencent', 'config', `VoiceType must be a number, not ${voice}`);
      // Speed runs from -2 (0.6×) to 6 (2.4×) with 0 normal; map the relative rate linearly around 0.
      const rate = synth.rate ?? 1;
      const speed = Math.max(-2, Math.min(6, Math.round((rate - 1) * 5 * 10) / 10));
      const english = (synth.language ?? '').toLowerCase().startsWith('en');
      const pieces: Int16Array[] = [];
      for (const piece of splitForSynthesis(text, MAX_TEXT))
        pieces.push(await synthesizeOne(piece, { voiceType, speed, english, signal: synth.signal }));
      return { samples: concatSamples(pieces), sampleRate };
    },
  };

  async function synthesizeOne(
    text: string,
    request: { voiceType: number; speed: number; english: boolean; signal: AbortSignal | undefined },
  ): Promise<Int16Array> {
    const { voiceType, speed, english } = request;
    const payload = JSON.stringify({
      Text: text,
      SessionId: randomUUID(),
      VoiceType: voiceType,
      Codec: 'pcm',
      SampleRate: sampleRate,
      Speed: speed,
      PrimaryLanguage: english ? 2 : 1,
    });
    const headers = tc3Headers({
      secretId: options.secretId,
      secretKey: options.secretKey,
      service: 'tts',
      host,
      action: 'TextToVoice',
      version: '2019-08-23',
      region: options.region ?? 'ap-guangzhou',
      timestamp: now(),
      payload,
    });
    const answer = await callHttp({
      provider: 'tencent',
      fetch: options.fetch,
      url: `${baseUrl.replace(/\/+$/, '')}/`,
      headers,
      body: payload,
      timeoutMs: options.timeoutMs ?? 15_000,
      signal: request.signal,
    });
    const json = parseJson('tencent', answer.body) as TextToVoiceAnswer;
    const response = json?.Response;
    if (response?.Error) {
      const errorCode = response.Error.Code ?? 'unknown';
      const code = errorCode.startsWith('AuthFailure') ? 'auth' : 'provider';
      throw new SpeechProviderError('tencent', code, `${errorCode}: ${response.Error.Message ?? ''}`, {
        body: JSON.stringify(response.Error).slice(0, 300),
      });
    }
    if (typeof response?.Audio !== 'string' || response.Audio === '')
      throw new SpeechProviderError('tencent', 'bad_response', 'answer has no Audio');
    return pcm16FromBytes(Buffer.from(response.Audio, 'base64'));
  }
}
