// Outside services behind interfaces; speech first (issue 9). No server or database imports here.
export type {
  PcmAudio,
  SpeechRecognizer,
  SpeechSynthesizer,
  SynthesizeOptions,
  TranscribeOptions,
  Transcript,
} from '@zhike/voice';
export { percentEncode, popSignature } from './http/aliyunSigning.ts';
export { signAsrQuery, tc3Headers } from './http/tencentSigning.ts';
export { type AliyunAsrOptions, createAliyunAsr } from './speech/aliyun/aliyunAsr.ts';
export { type AliyunTtsOptions, createAliyunTts } from './speech/aliyun/aliyunTts.ts';
export { createNlsTokenSource, type NlsTokenOptions, type NlsTokenSource } from './speech/aliyun/nlsToken.ts';
export {
  type CachedSynthesizer,
  cacheKey,
  createCachedSynthesizer,
  type SynthesisCacheOptions,
} from './speech/cachedSynthesizer.ts';
export { type SpeechErrorCode, SpeechProviderError } from './speech/errors.ts';
export { createEspeakTts, type EspeakTtsOptions, espeakVoiceFor } from './speech/espeakTts.ts';
export { type FetchLike, globalFetch } from './speech/http.ts';
export { languageKeys, lookupByLanguage } from './speech/languages.ts';
export { modelDirProblem } from './speech/modelRoot.ts';
export { createOpenAiAsr, type OpenAiAsrOptions } from './speech/openaiAsr.ts';
export { createOpenAiTts, OPENAI_PCM_RATE, type OpenAiTtsOptions } from './speech/openaiTts.ts';
export { buildRecognizer, buildSynthesizer, type SpeechDeps } from './speech/registry.ts';
export {
  type FieldSpec,
  type FieldType,
  type ProviderSettings,
  perLanguage,
  SPEECH_PROVIDERS,
  type SpeechDirection,
  type SpeechFieldValue,
  type SpeechSecrets,
  type SpeechSettings,
  validateSpeechSettings,
} from './speech/settings.ts';
export { createSherpaAsr, type SherpaAsrOptions } from './speech/sherpaAsr.ts';
export { loadSherpaOnnx, type SherpaLoader, type SherpaModule } from './speech/sherpaEngine.ts';
export {
  resolveSenseVoiceDir,
  resolveSherpaTtsDir,
  type SenseVoiceLanguage,
  type SherpaTtsKind,
  senseVoiceLanguage,
} from './speech/sherpaModels.ts';
export { createSherpaTts, type SherpaTtsOptions } from './speech/sherpaTts.ts';
export { defaultWebSocketFactory, type WebSocketFactory } from './speech/socket.ts';
export { createTencentAsr, type TencentAsrOptions, tencentEngineFor } from './speech/tencent/tencentAsr.ts';
export { createTencentTts, type TencentTtsOptions } from './speech/tencent/tencentTts.ts';
export {
  assertBlobKey,
  type BlobInfo,
  BlobNotFound,
  type BlobStore,
  BlobStoreError,
  writerSettled,
} from './storage/blobStore.ts';
export { createLocalBlobStore, type LocalBlobStore } from './storage/localBlobStore.ts';
export { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from './storage/s3/s3BlobStore.ts';
export { S3Error } from './storage/s3/s3Client.ts';
export {
  type CachedTranslator,
  createCachedTranslator,
  type TranslationCacheOptions,
} from './translation/cache.ts';
export { createDeepL, type DeepLOptions, deeplBaseUrl } from './translation/deepl.ts';
export { TranslationError, type TranslationErrorCode } from './translation/errors.ts';
export { protectTerms, restoreTerms } from './translation/glossary.ts';
export {
  isChinese,
  LANGUAGE_NAMES,
  TRANSLATION_LANGUAGES,
  type TranslationLanguage,
  translationLanguage,
} from './translation/languages.ts';
export { createLibreTranslate, type LibreTranslateOptions } from './translation/libreTranslate.ts';
export {
  createOpenAiTranslator,
  type OpenAiTranslatorOptions,
  TRANSLATION_SYSTEM_PROMPT,
} from './translation/openaiChat.ts';
export { buildRawTranslator, buildTranslator, type TranslationDeps } from './translation/registry.ts';
export {
  secretFields,
  TRANSLATION_PROVIDER_IDS,
  TRANSLATION_PROVIDERS,
  type TranslationFieldError,
  type TranslationProviderId,
  type TranslationSecrets,
  type TranslationSettings,
  type TranslationSettingsValidation,
  validateTranslationSettings,
} from './translation/settings.ts';
export { createTencentTmt, type TencentTmtOptions } from './translation/tencentTmt.ts';
export {
  countCharacters,
  type GlossaryTerm,
  type TokenUsage,
  type TranslationRequest,
  type TranslationResult,
  type TranslationUsage,
  type Translator,
  type UsageListener,
} from './translation/translator.ts';
