// Minimal OpenAI-compatible chat-completions client (DeepSeek, Qwen/DashScope, Ollama, vLLM all speak
// `POST {baseUrl}/chat/completions`), on global fetch with a hard timeout; plain or streamed (SSE).
// The base URL is configured by the operator, not by tenants, so it is not SSRF-guarded: a model served
// on localhost (Ollama, vLLM) is a normal set-up.
import { createSseReader } from './sse.ts';

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

export interface ChatStreamOptions extends Omit<ChatRequestOptions, 'jsonMode'> {
  /** Called for every piece of content, in order, with everything received so far. Must not throw: to stop
   * early, abort `signal`. */
  onDelta?: (delta: string, content: string) => void;
  /** Fail with `timeout` when no content arrives this soon after sending (a stuck model). */
  firstTokenTimeoutMs?: number;
}

export interface ChatCompletion {
  content: string;
  model: string;
  finishReason: string | null;
  usage?: { promptTokens: number; completionTokens: number };
}

/** `provider`: the server reported an error inside a stream it had started with 200. */
export type LlmErrorCode = 'timeout' | 'network' | 'http' | 'provider' | 'bad_response' | 'aborted';

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
  /**
   * The same request with `stream: true`: content arrives through `onDelta` as the model writes it; the
   * promise settles with the whole completion after `data: [DONE]` (or the final chunk's finish reason).
   */
  stream(messages: readonly ChatMessage[], options?: ChatStreamOptions): Promise<ChatCompletion>;
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

/** One streamed chunk's content piece and finish reason; throws on an in-stream `{ error }`. */
function parseChunk(data: string): { content: string; finishReason: string | null; model: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (cause) {
    throw new LlmError('bad_response', `stream chunk is not JSON: ${data.slice(0, 80)}`, { cause });
  }
  if (!isRecord(parsed)) throw new LlmError('bad_response', 'stream chunk is not an object');
  if (parsed.error !== undefined) {
    const message =
      isRecord(parsed.error) && typeof parsed.error.message === 'string' ? parsed.error.message : '';
    throw new LlmError('provider', `chat completion stream failed: ${message.slice(0, 200)}`);
  }
  // Some servers send chunks without choices (usage-only, or role-only keep-alives): nothing to add.
  const choice = Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  const delta = isRecord(choice) && isRecord(choice.delta) ? choice.delta : undefined;
  return {
    content: delta && typeof delta.content === 'string' ? delta.content : '',
    finishReason: isRecord(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    model: typeof parsed.model === 'string' ? parsed.model : null,
  };
}

export function createChatClient(config: ChatClientConfig): ChatClient {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const doFetch = config.fetch ?? globalThis.fetch;
  // Providers sometimes echo the key in an error message; it must never reach a log line.
  const redact = (text: string): string =>
    config.apiKey ? text.split(config.apiKey).join('[redacted]') : text;

  /** Runs one request under the overall timeout, the caller's signal and `read`'s own deadline. */
  async function request<T>(
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
    read: (response: Response, deadline: Deadline) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    let timedOut: string | null = null;
    const expire = (why: string) => {
      timedOut ??= why;
      controller.abort();
    };
    const timer = setTimeout(() => expire(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: body.stream ? 'text/event-stream' : 'application/json',
    };
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: config.model, ...body }),
        signal: controller.signal,
      });
      if (!response.ok) {
        const text = await response.text();
        throw new LlmError(
          'http',
          `chat completion failed with HTTP ${response.status}: ${redact(errorDetail(text))}`,
          { status: response.status },
        );
      }
      return await read(response, { expire });
    } catch (error) {
      // Aborting mid-body can surface as any error; the abort's reason is the one to report.
      if (error instanceof LlmError && !controller.signal.aborted) throw error;
      if (timedOut) throw new LlmError('timeout', `chat completion ${timedOut}`, { cause: error });
      if (controller.signal.aborted)
        throw new LlmError('aborted', 'chat completion aborted by caller', { cause: error });
      const reason = error instanceof Error ? error.message : String(error);
      throw new LlmError('network', `chat completion request to ${url} failed: ${redact(reason)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  return {
    complete(messages, options = {}) {
      const body = {
        messages,
        temperature: options.temperature ?? 0,
        stream: false,
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
        ...(options.jsonMode ? { response_format: { type: 'json_object' } } : {}),
      };
      return request(body, options.signal, async (response) => parseCompletion(await response.text()));
    },

    stream(messages, options = {}) {
      const body = {
        messages,
        temperature: options.temperature ?? 0,
        stream: true,
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
      };
      return request(body, options.signal, async (response, deadline) => {
        if (!response.body) throw new LlmError('bad_response', 'streamed chat completion has no body');
        const body = response.body.getReader();
        const firstTokenMs = options.firstTokenTimeoutMs;
        const firstToken =
          firstTokenMs === undefined
            ? null
            : setTimeout(() => deadline.expire(`sent no content within ${firstTokenMs} ms`), firstTokenMs);
        const reader = createSseReader();
        let content = '';
        let model = '';
        let finishReason: string | null = null;
        let done = false;
        const take = (events: string[]) => {
          for (const data of events) {
            if (done) return;
            if (data.trim() === '[DONE]') {
              done = true;
              return;
            }
            const chunk = parseChunk(data);
            if (chunk.model) model = chunk.model;
            if (chunk.finishReason) finishReason = chunk.finishReason;
            if (chunk.content === '') continue;
            if (firstToken) clearTimeout(firstToken);
            content += chunk.content;
            options.onDelta?.(chunk.content, content);
          }
        };
        try {
          for (;;) {
            const { value, done: ended } = await body.read();
            if (ended) break;
            take(reader.push(value));
            if (done) break;
          }
          if (!done) take(reader.end());
        } finally {
          if (firstToken) clearTimeout(firstToken);
          // Stop the download once [DONE] (or an error) is seen; the server may keep the socket open.
          body.cancel().catch(() => {});
        }
        // A stream cut before its end must not pass for a short answer.
        if (!done && finishReason === null)
          throw new LlmError('bad_response', 'chat completion stream ended before [DONE]');
        return { content, model, finishReason };
      });
    },
  };
}

interface Deadline {
  /** Aborts the request as timed out, for reasons only the reader can see (no first token yet). */
  expire(why: string): void;
}
