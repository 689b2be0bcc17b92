// A local machine-translation server for end-to-end tests of live translation. It speaks the LibreTranslate
// protocol (POST /translate, GET /languages, POST /detect) and the OpenAI chat-completions protocol in the
// shape Zhike's OpenAI translator sends (POST /v1/chat/completions, the texts as JSON in the user message),
// and translates with a small zh-Hans ⇄ en phrase table of e-commerce chat. Text it does not know comes back
// marked with the target language, "[en] 原文", so a test sees that it went through translation and where.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** [Simplified Chinese, English]; the first row for a text wins when a text appears twice. */
export const PHRASES: readonly (readonly [zh: string, en: string])[] = [
  ['你好', 'Hello'],
  ['您好', 'Hello'],
  ['你好，我想问一下', 'Hello, I have a question'],
  ['我的订单在哪里？', 'Where is my order?'],
  ['我的订单到哪了？', 'Where is my order?'],
  ['我的快递什么时候到？', 'When will my parcel arrive?'],
  ['明天发货。', 'It ships tomorrow.'],
  ['您的订单明天发货。', 'Your order ships tomorrow.'],
  ['您的订单已经发货了。', 'Your order has shipped.'],
  ['预计三天内送达。', 'It should arrive within three days.'],
  ['请提供您的订单号。', 'Please send me your order number.'],
  ['请稍等，我帮您查一下。', 'One moment, let me check for you.'],
  ['谢谢', 'Thank you'],
  ['谢谢！', 'Thank you!'],
  ['非常感谢', 'Thank you very much'],
  ['不客气', "You're welcome"],
  ['我想退款', 'I want a refund'],
  ['我要退款', 'I want a refund'],
  ['退款', 'Refund'],
  ['退款已经处理了。', 'The refund has been processed.'],
  ['退款会在三到五个工作日内到账。', 'The refund will arrive within 3 to 5 working days.'],
  ['可以换货吗？', 'Can I exchange it?'],
  ['可以退货吗？', 'Can I return it?'],
  ['有货吗？', 'Is it in stock?'],
  ['多少钱？', 'How much is it?'],
  ['很抱歉给您带来不便。', 'Sorry for the inconvenience.'],
  ['还有其他可以帮您的吗？', 'Is there anything else I can help you with?'],
  ['没有了', "No, that's all"],
  ['好的', 'OK'],
  ['再见', 'Goodbye'],
  ['转人工', 'Talk to an agent'],
];

export type DoubleProtocol = 'libretranslate' | 'openai';

export interface TranslationDoubleCall {
  protocol: DoubleProtocol;
  /** As the client named them ('zh-Hans', 'en', 'auto'…). */
  from: string;
  to: string;
  texts: string[];
  translations: string[];
}

export interface TranslationDoubleOptions {
  /** When set, LibreTranslate requests need `api_key` and OpenAI ones `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** More [zh-Hans, en] rows, tried before the built-in ones. */
  phrases?: readonly (readonly [string, string])[];
}

export interface TranslationDouble {
  /** LibreTranslate base URL, http://127.0.0.1:<port> (configure as the libretranslate baseUrl). */
  url: string;
  /** OpenAI-compatible base URL, http://127.0.0.1:<port>/v1 (configure as the openai baseUrl). */
  openaiBaseUrl: string;
  /** Every translation request, in order. */
  calls: TranslationDoubleCall[];
  /** Answer every request with this HTTP status (e.g. 503, 429) until called with undefined. */
  fail(status: number | undefined): void;
  close(): Promise<void>;
}

/** Lower case, without spaces and punctuation: how a phrase is looked up. */
const key = (text: string) => text.toLowerCase().replace(/[\s\p{P}]+/gu, '');

const hasHan = (text: string) => /\p{Script=Han}/u.test(text);

/** The language a text is in, as far as this double can tell. */
export function detectDoubleLanguage(text: string): 'zh-Hans' | 'en' {
  return hasHan(text) ? 'zh-Hans' : 'en';
}

/** Language tags to the two the table knows: zh-Hans ('zh', 'zh-CN'…) and en ('en-US'…). */
function side(tag: string): 'zh' | 'en' | undefined {
  const lowered = tag.toLowerCase();
  if (lowered === 'zh' || lowered === 'zh-hans' || lowered === 'zh-cn') return 'zh';
  if (lowered === 'en' || lowered.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * How the double translates one text: a known phrase (whole, or sentence by sentence when every sentence is
 * known) from zh-Hans to en or back; otherwise the text marked with the target, "[to] text".
 */
export function translateWithPhrases(
  text: string,
  from: string,
  to: string,
  extra: readonly (readonly [string, string])[] = [],
): string {
  const source = side(from === 'auto' ? detectDoubleLanguage(text) : from);
  const target = side(to);
  if (text.trim() === '') return text;
  if (source && target && source === target) return text;
  if (source && target) {
    const table = new Map<string, string>();
    for (const [zh, en] of [...extra, ...PHRASES]) {
      const [input, output] = source === 'zh' ? [zh, en] : [en, zh];
      if (!table.has(key(input))) table.set(key(input), output);
    }
    const whole = table.get(key(text));
    if (whole) return whole;
    const sentences = text.match(/[^。！？.!?，,]+[。！？.!?，,]*/gu) ?? [];
    const pieces = sentences.map((sentence) => {
      const known = table.get(key(sentence));
      // A comma that closed the source sentence closes its translation too.
      if (known === undefined || !/[，,]\s*$/u.test(sentence) || /\p{P}$/u.test(known)) return known;
      return `${known}${target === 'en' ? ',' : '，'}`;
    });
    if (sentences.length > 1 && pieces.every((piece) => piece !== undefined))
      return pieces.join(target === 'en' ? ' ' : '');
  }
  return `[${to}] ${text}`;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (piece: string) => {
      raw += piece;
    });
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });

const LANGUAGES = ['en', 'zh-Hans', 'zh-Hant', 'ja', 'ko', 'vi', 'th', 'ms', 'id', 'ru'];

export async function startTranslationDouble(
  options: TranslationDoubleOptions = {},
): Promise<TranslationDouble> {
  const calls: TranslationDoubleCall[] = [];
  const extra = options.phrases ?? [];
  let failure: number | undefined;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const translateAll = (protocol: DoubleProtocol, texts: string[], from: string, to: string) => {
    const translations = texts.map((text) => translateWithPhrases(text, from, to, extra));
    calls.push({ protocol, from, to, texts, translations });
    return translations;
  };

  async function libreTranslate(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === 'GET' && path === '/languages')
      return json(
        res,
        200,
        LANGUAGES.map((code) => ({ code, name: code, targets: LANGUAGES.filter((c) => c !== code) })),
      );
    if (req.method !== 'POST' || (path !== '/translate' && path !== '/detect'))
      return json(res, 404, { error: 'Not Found' });
    let body: { q?: unknown; source?: unknown; target?: unknown; api_key?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return json(res, 400, { error: 'Invalid request: body is not JSON' });
    }
    if (options.apiKey && body.api_key !== options.apiKey)
      return json(res, 403, { error: 'Invalid API key' });
    if (failure) return json(res, failure, { error: `Translation failed (double set to ${failure})` });
    const list = Array.isArray(body.q) ? body.q : [body.q];
    if (list.some((text) => typeof text !== 'string'))
      return json(res, 400, { error: 'Invalid request: missing q parameter' });
    const texts = list as string[];
    if (path === '/detect')
      return json(res, 200, [{ confidence: 90, language: detectDoubleLanguage(texts.join(' ')) }]);
    const source = typeof body.source === 'string' ? body.source : 'auto';
    const target = typeof body.target === 'string' ? body.target : '';
    for (const code of [source, target])
      if (code !== 'auto' && !LANGUAGES.includes(code))
        return json(res, 400, { error: `${code} is not supported` });
    const translations = translateAll('libretranslate', texts, source, target);
    const detected = texts.map((text) => ({ confidence: 90, language: detectDoubleLanguage(text) }));
    return json(res, 200, {
      translatedText: Array.isArray(body.q) ? translations : translations[0],
      ...(source === 'auto' ? { detectedLanguage: Array.isArray(body.q) ? detected : detected[0] } : {}),
    });
  }

  async function openai(req: IncomingMessage, res: ServerResponse) {
    const error = (status: number, message: string) =>
      json(res, status, { error: { message, type: 'invalid_request_error', code: null } });
    if (req.method !== 'POST') return error(404, 'Not found');
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`)
      return error(401, 'Incorrect API key provided');
    if (failure) return error(failure, `double set to ${failure}`);
    let body: { model?: unknown; messages?: { role: string; content: string }[] };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return error(400, 'body is not JSON');
    }
    const user = body.messages?.findLast((message) => message.role === 'user')?.content ?? '';
    let request: { from?: unknown; to?: unknown; texts?: unknown };
    try {
      request = JSON.parse(user);
    } catch {
      request = { from: 'auto', to: 'en', texts: [user] };
    }
    // Zhike's translator names languages as "en: English" and the source "auto (detect it)".
    const code = (value: unknown) => (typeof value === 'string' ? value.split(/[:\s]/)[0]! : 'auto');
    const texts = Array.isArray(request.texts) ? request.texts.map(String) : [];
    const from = code(request.from);
    const to = code(request.to);
    const translations = translateAll('openai', texts, from, to);
    const content = JSON.stringify({
      detected: from === 'auto' ? detectDoubleLanguage(texts.join(' ')) : from,
      translations,
    });
    return json(res, 200, {
      id: `chatcmpl-double-${calls.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' ? body.model : 'double',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 50 + user.length,
        completion_tokens: content.length,
        total_tokens: 50 + user.length + content.length,
      },
    });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    const handle = path === '/v1/chat/completions' ? openai(req, res) : libreTranslate(req, res, path);
    handle.catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    openaiBaseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    fail(status) {
      failure = status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
