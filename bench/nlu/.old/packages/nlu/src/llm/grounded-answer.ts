// Writes a knowledge-base answer with an LLM, streamed: every piece is checked before it is shown, and
// anything wrong (timeout, HTTP error, an invented number, an empty or overlong answer) ends in a
// fallback the caller answers with the plain knowledge-base text. Never throws.
import type { ChatClient } from './chat.ts';
import { LlmError } from './chat.ts';
import {
  type AnswerRejection,
  type ConversationTurn,
  checkDraft,
  checkGroundedAnswer,
  DEFAULT_MAX_ANSWER_CHARS,
  type GroundingPassage,
  groundedPrompt,
  groundsOf,
} from './grounding.ts';

export interface GroundedAnswerInput {
  question: string;
  passages: readonly GroundingPassage[];
  history?: readonly ConversationTurn[];
  /** Called with the checked text so far each time it grows; must not throw. */
  onDraft?: (text: string) => void;
  signal?: AbortSignal;
}

export type FallbackReason =
  | AnswerRejection
  | 'no_passages'
  | 'timeout'
  | 'http'
  | 'provider'
  | 'network'
  | 'bad_response'
  | 'aborted';

export type GroundedAnswer =
  | { kind: 'generated'; text: string; model: string }
  | { kind: 'fallback'; reason: FallbackReason; status?: number; numbers?: string[] };

export interface GroundedAnswerer {
  answer(input: GroundedAnswerInput): Promise<GroundedAnswer>;
}

export interface GroundedAnswererOptions {
  client: ChatClient;
  /** No first piece of content this soon: give up and answer without the model. Default 4 s. */
  firstTokenTimeoutMs?: number;
  maxChars?: number;
}

export function createGroundedAnswerer(options: GroundedAnswererOptions): GroundedAnswerer {
  const maxChars = options.maxChars ?? DEFAULT_MAX_ANSWER_CHARS;
  const firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? 4_000;
  return {
    async answer(input) {
      if (input.passages.length === 0) return { kind: 'fallback', reason: 'no_passages' };
      const grounds = groundsOf(input.passages, input.question);
      const controller = new AbortController();
      const onCallerAbort = () => controller.abort();
      input.signal?.addEventListener('abort', onCallerAbort, { once: true });
      let stopped: GroundedAnswer | null = null;
      let shown = '';
      try {
        const completion = await options.client.stream(
          groundedPrompt({
            question: input.question,
            passages: input.passages,
            history: input.history ?? [],
            maxChars,
          }),
          {
            signal: controller.signal,
            firstTokenTimeoutMs,
            temperature: 0.2,
            // A Chinese character is about one token; the margin lets the length check, not the server, cut.
            maxTokens: Math.ceil(maxChars * 1.5),
            onDelta: (_delta, content) => {
              if (stopped) return;
              const draft = checkDraft(content, grounds, maxChars);
              if (!draft.ok) {
                stopped = {
                  kind: 'fallback',
                  reason: draft.reason,
                  ...(draft.numbers ? { numbers: draft.numbers } : {}),
                };
                controller.abort();
                return;
              }
              if (draft.text.length > shown.length) {
                shown = draft.text;
                input.onDraft?.(shown);
              }
            },
          },
        );
        const checked = checkGroundedAnswer({
          answer: completion.content,
          passages: input.passages,
          question: input.question,
          maxChars,
          finishReason: completion.finishReason,
        });
        if (!checked.ok)
          return {
            kind: 'fallback',
            reason: checked.reason,
            ...(checked.numbers ? { numbers: checked.numbers } : {}),
          };
        return { kind: 'generated', text: checked.text, model: completion.model };
      } catch (error) {
        if (stopped) return stopped;
        if (error instanceof LlmError)
          return { kind: 'fallback', reason: error.code, ...(error.status ? { status: error.status } : {}) };
        return { kind: 'fallback', reason: 'network' };
      } finally {
        input.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}
