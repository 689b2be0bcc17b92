// Translation by any OpenAI-compatible chat model (DeepSeek, Qwen/DashScope, Ollama, vLLM…): POST
// {baseUrl}/chat/completions with a strict system prompt and the texts as a JSON list; the model answers a
// JSON object with exactly one translation per text. A batch whose answer does not parse or has the wrong
// count is asked again text by text, so one confused answer never shifts translations between messages.
import { type FetchLike, joinUrl, sendHttp } from '../http/call.ts';
import { fromHttpError, parseJsonAnswer, TranslationError, type TranslationErrorCode } from './errors.ts';
import { LANGUAGE_NAMES, type TranslationLanguage, translationLanguage } from './languages.ts';
import {
  batches,
  countCharacters,
  defineTranslator,
  type TokenUsage,
  type Translator,
  type UsageListener,
} from './translator.ts';

export interface OpenAiTranslatorOptions {
  /** e.g. https://api.deepseek.com/v1, http://127.0.0.1:11434/v1 (without /chat/completions). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch: FetchLike;
  /** Per request. Default 30 s (a local model on CPU is slow). */
  timeoutMs?: number;
  /** Texts per request. Default 20. */
  maxBatch?: number;
  onUsage?: UsageListener;
}

const PROVIDER = 'openai';

export const TRANSLATION_SYSTEM_PROMPT = [
  'You are a translation engine inside a customer-service chat between a shop and its customer.',
  'The user message is JSON: {"from": source language, "to": target language, "texts": [strings]}.',
  'Translate every string from the source language into the target language, faithfully and naturally,',
  'keeping the tone of a chat message. Do not answer, explain, summarise, merge or split the texts.',
  'Keep numbers, order numbers, tracking numbers, URLs, e-mail addresses and emoji exactly as they are.',
  'Tokens of the form ZXQ<number>QXZ are names: copy them unchanged into the translation.',
  'Reply with only a JSON object, no code fence: {"detected": the source language code,',
  '"translations": [strings]} with exactly one translation per input string, in the same order.',
].join('\n');

function describe(language: TranslationLanguage | 'auto'): string {
  return language === 'auto' ? 'auto (detect it)' : `${language}: ${LANGUAGE_NAMES[language]}`;
}

/** Insufficient balance or quota shows up as 402 (DeepSeek) or as a 429 with a quota code (OpenAI). */
function classify(status: number, body: string): TranslationErrorCode | undefined {
  if (status === 402 || /insufficient_quota|insufficient balance|quota|arrear/i.test(body)) return 'quota';
  if (status === 404) return 'config';
  return undefined;
}

/** The JSON object in a model reply, tolerating a code fence or words around it. */
export function parseTranslationReply(
  content: string,
  expected: number,
): { translations: string[]; detected?: TranslationLanguage } | undefined {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { translations, detected } = parsed as { translations?: unknown; detected?: unknown };
  if (!Array.isArray(translations) || translations.length !== expected) return undefined;
  if (translations.some((t) => typeof t !== 'string')) return undefined;
  const language = typeof detected === 'string' ? translationLanguage(detected) : undefined;
  return { translations: translations as string[], ...(language ? { detected: language } : {}) };
}

export function createOpenAiTranslator(options: OpenAiTranslatorOptions): Translator {
  const url = joinUrl(options.baseUrl, '/chat/completions');
  const maxBatch = options.maxBatch ?? 20;
  // Providers sometimes echo the key in an error message; it must never reach a log line.
  const redact = (text: string) => (options.apiKey ? text.split(options.apiKey).join('[redacted]') : text);

  async function ask(
    texts: readonly string[],
    from: TranslationLanguage | 'auto',
    to: TranslationLanguage,
    signal: AbortSignal | undefined,
  ): Promise<{ content: string; tokens?: TokenUsage }> {
    const payload = JSON.stringify({
      model: options.model,
      temperature: 0,
      stream: false,
      messages: [
        { role: 'system', content: TRANSLATION_SYSTEM_PROMPT },
        { role: 'user', content: JSON.stringify({ from: describe(from), to: describe(to), texts }) },
      ],
    });
    let answer: Awaited<ReturnType<typeof sendHttp>>;
    try {
      answer = await sendHttp({
        provider: PROVIDER,
        fetch: options.fetch,
        url,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: payload,
        timeoutMs: options.timeoutMs ?? 30_000,
        signal,
      });
    } catch (error) {
      throw fromHttpError(PROVIDER, error, classify, redact);
    }
    const json = parseJsonAnswer(PROVIDER, answer.body) as {
      choices?: { message?: { content?: unknown } }[];
      usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
      error?: { message?: unknown };
    };
    const content = json?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') {
      const reason = typeof json?.error?.message === 'string' ? `: ${redact(json.error.message)}` : '';
      throw new TranslationError(
        PROVIDER,
        'bad_response',
        `answer has no choices[0].message.content${reason}`,
      );
    }
    const prompt = json.usage?.prompt_tokens;
    const completion = json.usage?.completion_tokens;
    return {
      content,
      ...(typeof prompt === 'number' && typeof completion === 'number'
        ? { tokens: { prompt, completion } }
        : {}),
    };
  }

  return defineTranslator(
    PROVIDER,
    async ({ texts, from, to, signal }) => {
      const out: string[] = [];
      let detected: TranslationLanguage | undefined;
      let tokens: TokenUsage | undefined;
      const add = (usage: TokenUsage | undefined) => {
        if (!usage) return;
        tokens = {
          prompt: (tokens?.prompt ?? 0) + usage.prompt,
          completion: (tokens?.completion ?? 0) + usage.completion,
        };
      };
      for (const batch of batches(texts, maxBatch, 6000)) {
        const first = await ask(batch.texts, from, to, signal);
        add(first.tokens);
        let parsed = parseTranslationReply(first.content, batch.texts.length);
        if (parsed) {
          out.push(...parsed.translations);
          detected ??= parsed.detected;
          continue;
        }
        if (batch.texts.length === 1)
          throw new TranslationError(
            PROVIDER,
            'bad_response',
            `the model did not answer one translation: ${redact(first.content).slice(0, 200)}`,
          );
        for (const text of batch.texts) {
          const single = await ask([text], from, to, signal);
          add(single.tokens);
          parsed = parseTranslationReply(single.content, 1);
          if (!parsed)
            throw new TranslationError(
              PROVIDER,
              'bad_response',
              `the model did not answer one translation: ${redact(single.content).slice(0, 200)}`,
            );
          out.push(parsed.translations[0]!);
          detected ??= parsed.detected;
        }
      }
      return {
        texts: out,
        ...(detected ? { detected } : {}),
        characters: countCharacters(texts),
        ...(tokens ? { tokens } : {}),
      };
    },
    options.onUsage,
  );
}
