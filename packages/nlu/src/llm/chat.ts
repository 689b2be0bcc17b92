// Minimal OpenAI-compatible chat-completions client (DeepSeek, Qwen/DashScope, Ollama, vLLM all speak
// `POST {baseUrl}/chat/completions`), on global fetch with a hard timeout.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatClientConfig {
  /** e.g. "https://api.deepseek.com/v1", "http://localhost:11434/v1"; without "/chat/completions". */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Whole request, including reading the body. Default 10 s. */
  timeoutMs?: number;
  /** Injected for tests or proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface ChatRequestOptions {
  temperature?: number;
  maxTokens?: number;
  /** Ask for `response_format: { type: "json_object" }`; not every server supports it. */
  jsonMode?: boolean;
  signal?: AbortSignal;
}

export interface ChatCompletion {
  content: string;
  model: string;
  finishReason: string | null;
  usage?: { promptTokens: number; completionTokens: number };
}

export type LlmErrorCode = 'timeout' | 'network' | 'http' | 'bad_response' | 'aborted';

export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly status: number | undefined;

  constructor(code: LlmErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.code = code;
    this.status = options.status;
  }
}

export interface ChatClient {
  complete(messages: readonly ChatMessage[], options?: ChatRequestOptions): Promise<ChatCompletion>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The provider's own error message, when the body is the usual `{ error: { message } }`. */
function errorDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.message === 'string') {
      return parsed.error.message;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 200);
}

function parseCompletion(body: string): ChatCompletion {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new LlmError('bad_response', `chat completion is not JSON: ${body.slice(0, 80)}`, { cause });
  }
  const choice = isRecord(parsed) && Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  const message = isRecord(choice) ? choice.message : undefined;
  if (!isRecord(parsed) || !isRecord(message) || typeof message.content !== 'string') {
    throw new LlmError('bad_response', 'chat completion has no choices[0].message.content');
  }
  const usage = isRecord(parsed.usage) ? parsed.usage : undefined;
  return {
    content: message.content,
    model: typeof parsed.model === 'string' ? parsed.model : '',
    finishReason: isRecord(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    ...(usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number'
      ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } }
      : {}),
  };
}

export function createChatClient(config: ChatClientConfig): ChatClient {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const doFetch = config.fetch ?? globalThis.fetch;

  return {
    async complete(messages, options = {}) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const onCallerAbort = (): void => controller.abort();
      options.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
      const body = {
        model: config.model,
        messages,
        temperature: options.temperature ?? 0,
        stream: false,
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
        ...(options.jsonMode ? { response_format: { type: 'json_object' } } : {}),
      };
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: controller.signal,
        });
        const text = await response.text();
        if (!response.ok) {
          throw new LlmError(
            'http',
            `chat completion failed with HTTP ${response.status}: ${errorDetail(text)}`,
            {
              status: response.status,
            },
          );
        }
        return parseCompletion(text);
      } catch (error) {
        if (error instanceof LlmError) throw error;
        if (timedOut)
          throw new LlmError('timeout', `chat completion timed out after ${timeoutMs} ms`, { cause: error });
        if (controller.signal.aborted)
          throw new LlmError('aborted', 'chat completion aborted by caller', { cause: error });
        const reason = error instanceof Error ? error.message : String(error);
        throw new LlmError('network', `chat completion request to ${url} failed: ${reason}`, {
          cause: error,
        });
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}
