// Speech to text through any OpenAI-compatible `POST /v1/audio/transcriptions` server (OpenAI, FunASR,
// whisper.cpp's server, vLLM): the utterance goes up as a 16 kHz mono PCM16 WAV file.
import {
  type PcmAudio,
  resampleYielding,
  type SpeechRecognizer,
  type TranscribeOptions,
  type Transcript,
  writeWav,
} from '@zhike/voice';
import { SpeechProviderError } from './errors.ts';
import { callHttp, type FetchLike, parseJson } from './http.ts';
import { encodeMultipart } from './multipart.ts';
import { bearer, isoLanguage, openaiAudioUrl } from './openaiCommon.ts';

export interface OpenAiAsrOptions {
  /** e.g. 'https://api.openai.com' or 'http://127.0.0.1:10095' (a trailing /v1 is fine). */
  baseUrl: string;
  apiKey?: string;
  /** Model id as the server names it. Default 'whisper-1'. */
  model?: string;
  fetch: FetchLike;
  /** Whole request. Default 15 s. */
  timeoutMs?: number;
}

const UPLOAD_RATE = 16000;

export function createOpenAiAsr(options: OpenAiAsrOptions): SpeechRecognizer {
  const url = openaiAudioUrl(options.baseUrl, 'transcriptions');
  const model = options.model ?? 'whisper-1';
  return {
    id: 'openai',
    async transcribe(audio: PcmAudio, transcribe: TranscribeOptions = {}): Promise<Transcript> {
      if (audio.samples.length === 0) return { text: '' };
      const samples = await resampleYielding(audio.samples, audio.sampleRate, UPLOAD_RATE);
      const wav = writeWav({ samples, sampleRate: UPLOAD_RATE, channels: 1 });
      const parts = [
        { name: 'file', filename: 'utterance.wav', contentType: 'audio/wav', data: wav },
        { name: 'model', value: model },
        { name: 'response_format', value: 'json' },
      ];
      if (transcribe.language) parts.push({ name: 'language', value: isoLanguage(transcribe.language) });
      const form = encodeMultipart(parts);
      const answer = await callHttp({
        provider: 'openai',
        fetch: options.fetch,
        url,
        headers: { 'content-type': form.contentType, accept: 'application/json', ...bearer(options.apiKey) },
        body: form.body,
        timeoutMs: options.timeoutMs ?? 15_000,
        signal: transcribe.signal,
      });
      const json = parseJson('openai', answer.body) as { text?: unknown; language?: unknown };
      if (typeof json !== 'object' || json === null || typeof json.text !== 'string')
        throw new SpeechProviderError('openai', 'bad_response', 'answer has no text field');
      return {
        text: json.text.trim(),
        ...(typeof json.language === 'string' ? { language: json.language } : {}),
      };
    },
  };
}
