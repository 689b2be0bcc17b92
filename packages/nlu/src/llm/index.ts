// Optional LLM assistance over any OpenAI-compatible chat-completions server.
export {
  type ChatClient,
  type ChatClientConfig,
  type ChatCompletion,
  type ChatMessage,
  type ChatRequestOptions,
  createChatClient,
  LlmError,
  type LlmErrorCode,
} from './chat.ts';
export {
  createLlmIntentFallback,
  type IntentDescription,
  type LlmIntentFallback,
  type LlmIntentFallbackConfig,
  type LlmIntentResult,
  parseIntentAnswer,
} from './intent-fallback.ts';
