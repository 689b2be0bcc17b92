// Aliyun intelligent speech interaction, one-sentence recognition over the NLS gateway WebSocket:
// StartRecognition (JSON header/payload), binary PCM frames, StopRecognition, RecognitionCompleted.
// Aliyun picks the model (Mandarin, Cantonese, Sichuanese…) per project, so languages map to app keys.
import { randomUUID } from 'node:crypto';
import {
  type PcmAudio,
  pcm16ToBytes,
  resampleYielding,
  type SpeechRecognizer,
  type TranscribeOptions,
  type Transcript,
} from '@zhike/voice';
import { SpeechProviderError } from '../errors.ts';
import { lookupByLanguage } from '../languages.ts';
import { defaultWebSocketFactory, runSocketSession, sendPaced, type WebSocketFactory } from '../socket.ts';
import type { NlsTokenSource } from './nlsToken.ts';

export interface AliyunAsrOptions {
  /** The project's app key for languages without their own. */
  appKey: string;
  /** App key per language tag (a Cantonese or Sichuanese project), tried before `appKey`. */
  appKeys?: Record<string, string>;
  tokens: NlsTokenSource;
  /** 8000 for telephone-model projects, 16000 otherwise. Default 16000. */
  sampleRate?: 8000 | 16000;
  /** Default 'wss://nls-gateway-cn-shanghai.aliyuncs.com/ws/v1'. */
  gatewayUrl?: string;
  /** How much faster than real time audio is sent. Default 2.5. */
  speedup?: number;
  timeoutMs?: number;
  webSocket?: WebSocketFactory;
}

/** The gateway's ids: 32 hexadecimal characters. */
const nlsId = () => randomUUID().replace(/-/g, '');

const SUCCESS = 20000000;

interface NlsEvent {
  header?: { name?: string; status?: number; status_text?: string; task_id?: string };
  payload?: { result?: unknown };
}

export function createAliyunAsr(options: AliyunAsrOptions): SpeechRecognizer {
  const gatewayUrl = options.gatewayUrl ?? 'wss://nls-gateway-cn-shanghai.aliyuncs.com/ws/v1';
  const sampleRate = options.sampleRate ?? 16000;
  const speedup = options.speedup ?? 2.5;
  return {
    id: 'aliyun',
    async transcribe(audio: PcmAudio, transcribe: TranscribeOptions = {}): Promise<Transcript> {
      if (audio.samples.length === 0) return { text: '' };
      const appkey = lookupByLanguage(transcribe.language, options.appKeys) ?? options.appKey;
      const token = await options.tokens.token(transcribe.signal);
      const pcm = pcm16ToBytes(await resampleYielding(audio.samples, audio.sampleRate, sampleRate));
      const taskId = nlsId();
      const header = (name: string) => ({
        message_id: nlsId(),
        task_id: taskId,
        namespace: 'SpeechRecognizer',
        name,
        appkey,
      });
      try {
        return await runSocketSession<Transcript>({
          provider: 'aliyun',
          factory: options.webSocket ?? defaultWebSocketFactory,
          url: gatewayUrl,
          headers: { 'X-NLS-Token': token },
          timeoutMs: options.timeoutMs ?? 20_000,
          signal: transcribe.signal,
          onOpen: ({ socket }) => {
            socket.send(
              JSON.stringify({
                header: header('StartRecognition'),
                payload: {
                  format: 'pcm',
                  sample_rate: sampleRate,
                  enable_intermediate_result: false,
                  enable_punctuation_prediction: true,
                  enable_inverse_text_normalization: true,
                },
              }),
            );
          },
          onText: (text, control) => {
            const event = JSON.parse(text) as NlsEvent;
            const name = event?.header?.name;
            const status = event?.header?.status;
            if (typeof name !== 'string')
              throw new SpeechProviderError(
                'aliyun',
                'bad_response',
                `event without a name: ${text.slice(0, 200)}`,
              );
            if (name === 'TaskFailed' || (typeof status === 'number' && status !== SUCCESS)) {
              // 40000001: the token is missing, invalid or expired.
              const code = status === 40000001 ? 'auth' : 'provider';
              control.reject(
                new SpeechProviderError(
                  'aliyun',
                  code,
                  `${name} ${status}: ${event.header?.status_text ?? ''}`,
                  {
                    body: text.slice(0, 300),
                  },
                ),
              );
              return;
            }
            if (name === 'RecognitionStarted') {
              void sendPaced(control, pcm, sampleRate / 500, 40, speedup).then(
                () => {
                  if (!control.settled)
                    control.socket.send(JSON.stringify({ header: header('StopRecognition') }));
                },
                (error: unknown) =>
                  control.reject(
                    new SpeechProviderError('aliyun', 'network', `sending audio failed: ${String(error)}`),
                  ),
              );
            } else if (name === 'RecognitionCompleted') {
              const result = event.payload?.result;
              if (typeof result !== 'string')
                throw new SpeechProviderError(
                  'aliyun',
                  'bad_response',
                  'RecognitionCompleted without a result',
                );
              control.resolve({ text: result.trim() });
            }
          },
        });
      } catch (error) {
        if (error instanceof SpeechProviderError && error.code === 'auth') options.tokens.invalidate();
        throw error;
      }
    },
  };
}
