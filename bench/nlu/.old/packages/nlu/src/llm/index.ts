// Optional LLM assistance over any OpenAI-compatible chat-completions server.
export {
  type ChatClient,
  type ChatClientConfig,
  type ChatCompletion,
  type ChatMessage,
  type ChatRequestOptions,
  type ChatStreamOptions,
  createChatClient,
  LlmError,
  type LlmErrorCode,
} from './chat.ts';
export {
  createGroundedAnswerer,
  type FallbackReason,
  type GroundedAnswer,
  type GroundedAnswerer,
  type GroundedAnswererOptions,
  type GroundedAnswerInput,
} from './grounded-answer.ts';
export {
  type AnswerCheck,
  type AnswerRejection,
  allowedNumbers,
  answerLanguage,
  type ConversationTurn,
  checkDraft,
  checkGroundedAnswer,
  DEFAULT_MAX_ANSWER_CHARS,
  type GroundingPassage,
  type Grounds,
  groundedPrompt,
  groundsOf,
  maskForPrompt,
  numbersIn,
} from './grounding.ts';
export {
  createLlmIntentFallback,
  type IntentDescription,
  type LlmIntentFallback,
  type LlmIntentFallbackConfig,
  type LlmIntentResult,
  parseIntentAnswer,
} from './intent-fallback.ts';
export { createSseReader, type SseReader } from './sse.ts';
