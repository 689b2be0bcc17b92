// Tencent Cloud real-time speech recognition over WebSocket (asr.cloud.tencent.com/asr/v2/<appid>): a signed
// URL, PCM sent in 40 ms pieces no faster than the service allows, {"type":"end"}, and the sentence slices
// joined once the service reports final=1. Engines per language: Mandarin 8k/16k, Cantonese, dialects.
import { randomInt, randomUUID } from 'node:crypto';
import {
  type PcmAudio,
  pcm16ToBytes,
  resampleYielding,
  type SpeechRecognizer,
  type TranscribeOptions,
  type Transcript,
} from '@zhike/voice';
import { signAsrQuery } from '../../http/tencentSigning.ts';
import { SpeechProviderError } from '../errors.ts';
import { lookupByLanguage } from '../languages.ts';
import { defaultWebSocketFactory, runSocketSession, sendPaced, type WebSocketFactory } from '../socket.ts';

export interface TencentAsrOptions {
  appId: string;
  secretId: string;
  secretKey: string;
  /** Engine per language tag, merged over the defaults (see tencentEngineFor). */
  engines?: Record<string, string>;
  /** Default 'wss://asr.cloud.tencent.com'; tests point it at a local server. */
  baseUrl?: string;
  /**
   * How much faster than real time audio is sent. The service rejects more than 3 s of audio per second
   * (error 4000); the default 2.5 keeps a margin while a 3 s utterance still goes up in 1.2 s.
   */
  speedup?: number;
  /** Whole recognition. Default 20 s. */
  timeoutMs?: number;
  webSocket?: WebSocketFactory;
  /** Seconds since the epoch; tests fix it. */
  now?: () => number;
}

const DEFAULT_ENGINES: Record<string, string> = {
  zh: '16k_zh',
  'zh-cn': '16k_zh',
  cmn: '16k_zh',
  'zh-tw': '16k_zh-TW',
  yue: '16k_yue',
  // 16k_zh_dialect covers 23 dialects, Sichuanese among them.
  'zh-sichuan': '16k_zh_dialect',
  'zh-dialect': '16k_zh_dialect',
  en: '16k_en',
};

export function tencentEngineFor(
  language: string | undefined,
  overrides: Record<string, string> = {},
): string {
  return lookupByLanguage(language ?? 'zh-CN', overrides, DEFAULT_ENGINES) ?? DEFAULT_ENGINES['zh-cn']!;
}

interface TencentMessage {
  code?: number;
  message?: string;
  final?: number;
  result?: { slice_type?: number; index?: number; voice_text_str?: string };
}

/** The signed request URL; exported for the tests, which check it against Tencent's documented example. */
export function tencentAsrUrl(
  baseUrl: string,
  appId: string,
  secretKey: string,
  params: Record<string, string>,
): string {
  const base = new URL(baseUrl);
  const path = `/asr/v2/${encodeURIComponent(appId)}`;
  const signature = signAsrQuery(secretKey, `${base.host}${path}`, params);
  const query = new URLSearchParams({ ...params, signature });
  return `${base.protocol}//${base.host}${path}?${query.toString()}`;
}

export function createTencentAsr(options: TencentAsrOptions): SpeechRecognizer {
  const baseUrl = options.baseUrl ?? 'wss://asr.cloud.tencent.com';
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const speedup = options.speedup ?? 2.5;
  return {
    id: 'tencent',
    async transcribe(audio: PcmAudio, transcribe: TranscribeOptions = {}): Promise<Transcript> {
      if (audio.samples.length === 0) return { text: '' };
      const engine = tencentEngineFor(transcribe.language, options.engines);
      const rate = engine.startsWith('8k_') ? 8000 : 16000;
      const pcm = pcm16ToBytes(await resampleYielding(audio.samples, audio.sampleRate, rate));
      const timestamp = now();
      const params: Record<string, string> = {
        secretid: options.secretId,
        timestamp: String(timestamp),
        expired: String(timestamp + 3600),
        nonce: String(randomInt(1, 2_000_000_000)),
        engine_model_type: engine,
        voice_id: randomUUID(),
        voice_format: '1',
        needvad: '0',
      };
      const url = tencentAsrUrl(baseUrl, options.appId, options.secretKey, params);
      const slices = new Map<number, string>();
      let handshaken = false;
      return runSocketSession<Transcript>({
        provider: 'tencent',
        factory: options.webSocket ?? defaultWebSocketFactory,
        url,
        timeoutMs: options.timeoutMs ?? 20_000,
        signal: transcribe.signal,
        onOpen: () => {},
        onText: (text, control) => {
          const message = JSON.parse(text) as TencentMessage;
          if (typeof message !== 'object' || message === null || typeof message.code !== 'number')
            throw new SpeechProviderError(
              'tencent',
              'bad_response',
              `event without code: ${text.slice(0, 200)}`,
            );
          if (message.code !== 0) {
            // 4002: authentication failed (bad signature, key or clock).
            const code = message.code === 4002 ? 'auth' : 'provider';
            control.reject(
              new SpeechProviderError('tencent', code, `error ${message.code}: ${message.message ?? ''}`, {
                body: text.slice(0, 300),
              }),
            );
            return;
          }
          if (!handshaken) {
            // The first code-0 message confirms the signature; only then does audio go up.
            handshaken = true;
            void sendPaced(control, pcm, rate / 500, 40, speedup).then(
              () => {
                if (!control.settled) control.socket.send(JSON.stringify({ type: 'end' }));
              },
              (error: unknown) =>
                control.reject(
                  new SpeechProviderError('tencent', 'network', `sending audio failed: ${String(error)}`),
                ),
            );
            return;
          }
          const result = message.result;
          if (result && typeof result.voice_text_str === 'string')
            slices.set(typeof result.index === 'number' ? result.index : slices.size, result.voice_text_str);
          if (message.final === 1) {
            const ordered = [...slices.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
            control.resolve({ text: ordered.join('').trim() });
          }
        },
      });
    },
  };
}
