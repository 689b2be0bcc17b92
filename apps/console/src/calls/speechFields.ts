// The fields each speech provider takes, as the speech settings form shows them. The names are the
// provider settings the server hands to @zhike/providers' registry; secrets are stored sealed and are
// write-only (`asr.<field>` / `tts.<field>` in the request's `secrets`).
import type { MessageKey } from '../i18n/catalogue.ts';

export type SpeechRole = 'asr' | 'tts';

/** Field names, each with its label in the catalogue as `speech.field.<name>`. */
export type SpeechFieldName =
  | 'baseUrl'
  | 'apiKey'
  | 'model'
  | 'modelDir'
  | 'appId'
  | 'secretId'
  | 'secretKey'
  | 'region'
  | 'appKey'
  | 'accessKeyId'
  | 'accessKeySecret'
  | 'rate'
  | 'voice'
  | 'voiceType';

export interface SpeechField {
  /** Also its label's catalogue key: `speech.field.<name>`. */
  name: SpeechFieldName;
  required?: boolean;
  secret?: boolean;
  placeholder?: string;
  kind?: 'text' | 'number';
}

export interface SpeechProviderForm {
  id: string;
  /** Catalogue key of the provider's name. */
  labelKey: MessageKey;
  fields: SpeechField[];
}

const baseUrl: SpeechField = { name: 'baseUrl', required: true, placeholder: 'http://127.0.0.1:8000' };
const apiKey: SpeechField = { name: 'apiKey', secret: true };
const tencentKeys: SpeechField[] = [
  { name: 'secretId', secret: true, required: true },
  { name: 'secretKey', secret: true, required: true },
  { name: 'region', placeholder: 'ap-guangzhou' },
];
const aliyunKeys: SpeechField[] = [
  { name: 'appKey', required: true },
  { name: 'accessKeyId', secret: true, required: true },
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
      fields: [{ name: 'modelDir', required: true, placeholder: '/models/sense-voice' }],
    },
    {
      id: 'tencent',
      labelKey: 'speech.provider.tencent',
      fields: [{ name: 'appId', required: true }, ...tencentKeys],
    },
    { id: 'aliyun', labelKey: 'speech.provider.aliyun', fields: aliyunKeys },
  ],
  tts: [
    {
      id: 'espeak-ng',
      labelKey: 'speech.provider.espeak',
      fields: [{ name: 'rate', kind: 'number', placeholder: '160' }],
    },
    {
      id: 'openai',
      labelKey: 'speech.provider.openai',
      fields: [
        baseUrl,
        { name: 'model', placeholder: 'tts-1' },
        { name: 'voice', placeholder: 'alloy' },
        apiKey,
      ],
    },
    {
      id: 'sherpa-onnx',
      labelKey: 'speech.provider.sherpa',
      fields: [{ name: 'modelDir', required: true, placeholder: '/models/vits-zh' }],
    },
    {
      id: 'tencent',
      labelKey: 'speech.provider.tencent',
      fields: [{ name: 'voiceType', kind: 'number', placeholder: '101001' }, ...tencentKeys],
    },
    {
      id: 'aliyun',
      labelKey: 'speech.provider.aliyun',
      fields: [{ name: 'voice', placeholder: 'xiaoyun' }, ...aliyunKeys],
    },
  ],
};

export const defaultProvider: Record<SpeechRole, string> = { asr: 'none', tts: 'espeak-ng' };
