// The knowledge-answer writer behind the core's port: an OpenAI-compatible LLM (configured by the
// operator) grounded in the retrieved passages, via @zhike/nlu's checked streaming. Declines are logged
// with their reason only: never the question, the answer or the key.
import type { KnowledgeAnswerWriter } from '@zhike/core';
import { createChatClient, createGroundedAnswerer } from '@zhike/nlu';
import type { Logger } from 'pino';
import type { LlmConfig } from '../config.ts';

export function createLlmAnswerWriter(
  config: LlmConfig,
  deps: { log: Logger; fetch?: typeof fetch },
): KnowledgeAnswerWriter {
  const answerer = createGroundedAnswerer({
    client: createChatClient({
      baseUrl: config.baseUrl,
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      model: config.model,
      timeoutMs: config.timeoutMs,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
    firstTokenTimeoutMs: config.firstTokenTimeoutMs,
  });
  return {
    async write(request) {
      const started = Date.now();
      const answer = await answerer.answer({
        question: request.question,
        passages: request.passages,
        history: request.history,
        onDraft: request.onDraft,
      });
      const ms = Date.now() - started;
      if (answer.kind === 'generated') {
        deps.log.debug(
          { conversationId: request.conversationId, model: answer.model, ms },
          'llm answer written',
        );
        return { kind: 'written', text: answer.text };
      }
      deps.log.warn(
        {
          conversationId: request.conversationId,
          reason: answer.reason,
          ...(answer.status ? { status: answer.status } : {}),
          ms,
        },
        'llm answer declined; plain knowledge answer sent',
      );
      return { kind: 'declined', reason: answer.reason };
    },
  };
}
