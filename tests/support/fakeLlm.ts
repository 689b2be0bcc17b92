// A local server speaking the OpenAI chat-completions wire format (what DeepSeek, Qwen, Ollama and vLLM
// serve): `POST /v1/chat/completions`, JSON or, with `stream: true`, Server-Sent Events framed exactly as
// those servers frame them (a role chunk, content chunks, a finish chunk, `data: [DONE]`). Each test
// scripts how the next answer behaves: its pieces and pacing, an HTTP error, an in-stream error, silence.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LlmRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    stream?: boolean;
    messages?: { role: string; content: string }[];
    [key: string]: unknown;
  };
}

export type LlmScript =
  /** Content pieces sent as chunks `delayMs` apart (after `firstDelayMs` for the first one). */
  | {
      kind: 'stream';
      pieces: string[];
      delayMs?: number;
      firstDelayMs?: number;
      /** Line ending of the SSE framing; real servers use LF, some proxies CRLF. */
      eol?: '\n' | '\r\n';
      finishReason?: string;
    }
  | { kind: 'status'; status: number; body: string }
  /** A 200 stream whose second event is `{ "error": {...} }`, as vLLM and DashScope do mid-stream. */
  | { kind: 'stream_error'; message: string }
  /** Headers sent, then nothing until the client gives up. */
  | { kind: 'silent' };

export interface FakeLlm {
  /** Base URL to configure, e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: LlmRequest[];
  /** What the next requests get, in order; the last script repeats. */
  script(...scripts: LlmScript[]): void;
  close(): Promise<void>;
}

const chunk = (id: string, model: string, delta: Record<string, string>, finishReason: string | null) =>
  JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: LlmRequest[] = [];
  let scripts: LlmScript[] = [{ kind: 'stream', pieces: ['OK'] }];
  const open = new Set<ServerResponse>();

  async function respond(req: LlmRequest, res: ServerResponse): Promise<void> {
    const script = scripts.length > 1 ? (scripts.shift() as LlmScript) : (scripts[0] as LlmScript);
    const model = req.body.model ?? 'fake';
    const id = `chatcmpl-${requests.length}`;
    if (script.kind === 'status') {
      res.writeHead(script.status, { 'content-type': 'application/json' });
      res.end(script.body);
      return;
    }
    if (!req.body.stream) {
      // A plain (non-streamed) answer: silence and a slow first piece hold back the whole body.
      if (script.kind === 'silent') return; // until the client aborts
      if (script.kind === 'stream') await sleep(script.firstDelayMs ?? 0);
      if (res.destroyed) return;
      const content = script.kind === 'stream' ? script.pieces.join('') : '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    if (script.kind === 'silent') return; // until the client aborts
    const eol = script.kind === 'stream' ? (script.eol ?? '\n') : '\n';
    const event = (data: string) => {
      if (!res.destroyed) res.write(`data: ${data}${eol}${eol}`);
    };
    event(chunk(id, model, { role: 'assistant', content: '' }, null));
    if (script.kind === 'stream_error') {
      event(JSON.stringify({ error: { message: script.message, type: 'server_error', code: 500 } }));
      res.end();
      return;
    }
    for (const [index, piece] of script.pieces.entries()) {
      await sleep(index === 0 ? (script.firstDelayMs ?? script.delayMs ?? 0) : (script.delayMs ?? 0));
      if (res.destroyed) return;
      event(chunk(id, model, { content: piece }, null));
    }
    event(chunk(id, model, {}, script.finishReason ?? 'stop'));
    event('[DONE]');
    res.end();
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (piece: string) => {
      raw += piece;
    });
    req.on('end', () => {
      let body: LlmRequest['body'] = {};
      try {
        body = raw ? (JSON.parse(raw) as LlmRequest['body']) : {};
      } catch {
        res.writeHead(400).end('{"error":{"message":"bad json"}}');
        return;
      }
      const recorded: LlmRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      if (recorded.method !== 'POST' || recorded.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error":{"message":"not found"}}');
        return;
      }
      open.add(res);
      res.on('close', () => open.delete(res));
      void respond(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...next) {
      if (next.length > 0) scripts = next;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
