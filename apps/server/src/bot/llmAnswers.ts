// The knowledge-answer writer behind the core's port: an OpenAI-compatible LLM (configured by the
// operator) grounded in the retrieved passages, via @zhike/nlu's checked streaming. Declines are logged
// with their reason only: never the question, the answer or the key.
import type { KnowledgeAnswerWriter } from '@zhike/core';
import { createChatClient, createGroundedAnswerer } from '@zhike/nlu';
import { safeFetch } from '@zhike/security';
import type { Logger } from 'pino';
import type { LlmConfig } from '../config.ts';
import type { Telemetry } from '../observability/telemetry.ts';

/** Declines that are the provider's failure, not the answer checks' (those are counted nowhere else). */
const PROVIDER_FAILURES = new Set(['timeout', 'http', 'provider', 'network', 'bad_response']);

/** A long streamed answer is a few KB; anything near this is a misbehaving endpoint. */
const LLM_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * All outbound HTTP goes through the one SSRF guard. The operator chose this base URL (often a local
 * Ollama or vLLM), so its host is allowed even on loopback or the LAN; what the guard still enforces is
 * no redirects elsewhere, the DNS answer it checked being the address it connects to, and a size cap.
 */
export function guardedLlmFetch(baseUrl: string): typeof fetch {
  const allowHosts = [new URL(baseUrl).hostname];
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    return safeFetch(url, {
      method: init?.method ?? 'GET',
      headers,
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
      allowHosts,
      maxResponseBytes: LLM_MAX_RESPONSE_BYTES,
    });
  }) as typeof fetch;
}

export function createLlmAnswerWriter(
  config: LlmConfig,
  deps: { log: Logger; fetch?: typeof fetch; telemetry?: Telemetry },
): KnowledgeAnswerWriter {
  const answerer = createGroundedAnswerer({
    client: createChatClient({
      baseUrl: config.baseUrl,
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      model: config.model,
      timeoutMs: config.timeoutMs,
      fetch: deps.fetch ?? guardedLlmFetch(config.baseUrl),
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
      if (PROVIDER_FAILURES.has(answer.reason)) deps.telemetry?.providerError('llm', answer.reason);
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
