// The fields each speech provider takes, as the speech settings form shows them: the names, secrecy and
// required flags of @zhike/providers' SPEECH_PROVIDERS catalogue (a test keeps the two in step), limited
// to what a shop usually sets; everything else keeps the provider's default. Secrets are write-only
// (`asr.<field>` / `tts.<field>` in the request's `secrets`).
import type { MessageKey } from '../i18n/catalogue.ts';

export type SpeechRole = 'asr' | 'tts';

/** Field names, each with its label in the catalogue as `speech.field.<name>`. */
export type SpeechFieldName =
  | 'baseUrl'
  | 'apiKey'
  | 'model'
  | 'modelDir'
  | 'language'
  | 'appId'
  | 'secretId'
  | 'secretKey'
  | 'region'
  | 'appKey'
  | 'accessKeyId'
  | 'accessKeySecret'
  | 'wordsPerMinute'
  | 'defaultVoice'
  | 'defaultVoiceType'
  | 'kind'
  | 'speakerId';

export interface SpeechField {
  name: SpeechFieldName;
  required?: boolean;
  secret?: boolean;
  placeholder?: string;
  kind?: 'text' | 'number';
  /** A fixed choice (shown as a select). */
  options?: readonly string[];
}

export interface SpeechProviderForm {
  /** 'none' = no speech recognition; otherwise the provider id of the catalogue. */
  id: string;
  labelKey: MessageKey;
  fields: SpeechField[];
}

const baseUrl: SpeechField = { name: 'baseUrl', required: true, placeholder: 'http://127.0.0.1:8000' };
const apiKey: SpeechField = { name: 'apiKey', secret: true };
const aliyunKeys: SpeechField[] = [
  { name: 'appKey', required: true },
  { name: 'accessKeyId', required: true },
  { name: 'accessKeySecret', secret: true, required: true },
];

export const speechProviders: Record<SpeechRole, SpeechProviderForm[]> = {
  asr: [
    { id: 'none', labelKey: 'speech.provider.none', fields: [] },
    {
      id: 'openai',
      labelKey: 'speech.provider.openai',
      fields: [baseUrl, { name: 'model', placeholder: 'whisper-1' }, apiKey],
    },
    {
      id: 'sherpa-onnx',
      labelKey: 'speech.provider.sherpa',
      fields: [
        { name: 'modelDir', required: true, placeholder: '/models/sherpa-onnx-sense-voice' },
        { name: 'language', options: ['auto', 'zh', 'yue', 'en', 'ja', 'ko'] },
      ],
    },
    {
      id: 'tencent',
      labelKey: 'speech.provider.tencent',
      fields: [
        { name: 'appId', required: true },
        { name: 'secretId', required: true },
        { name: 'secretKey', secret: true, required: true },
      ],
    },
    { id: 'aliyun', labelKey: 'speech.provider.aliyun', fields: aliyunKeys },
  ],
  tts: [
    {
      id: 'espeak-ng',
      labelKey: 'speech.provider.espeak',
      fields: [{ name: 'wordsPerMinute', kind: 'number', placeholder: '175' }],
    },
    {
      id: 'openai',
      labelKey: 'speech.provider.openai',
      fields: [
        baseUrl,
        { name: 'model', placeholder: 'tts-1' },
        { name: 'defaultVoice', placeholder: 'alloy' },
        apiKey,
      ],
    },
    {
      id: 'sherpa-onnx',
      labelKey: 'speech.provider.sherpa',
      fields: [
        { name: 'kind', required: true, options: ['vits', 'matcha'] },
        { name: 'modelDir', required: true, placeholder: '/models/vits-zh' },
        { name: 'speakerId', kind: 'number', placeholder: '0' },
      ],
    },
    {
      id: 'tencent',
      labelKey: 'speech.provider.tencent',
      fields: [
        { name: 'secretId', required: true },
        { name: 'secretKey', secret: true, required: true },
        { name: 'region', placeholder: 'ap-guangzhou' },
        { name: 'defaultVoiceType', kind: 'number', placeholder: '101001' },
      ],
    },
    {
      id: 'aliyun',
      labelKey: 'speech.provider.aliyun',
      fields: [...aliyunKeys, { name: 'defaultVoice', placeholder: 'xiaoyun' }],
    },
  ],
};

export const defaultProvider: Record<SpeechRole, string> = { asr: 'none', tts: 'espeak-ng' };
