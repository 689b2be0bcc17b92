// A local speech-recognition server speaking the OpenAI `POST /v1/audio/transcriptions` wire format
// (multipart: `file` WAV, `model`, optional `language`, `response_format`) that recognises only its
// candidate phrases (recognizer.ts). It checks the request shape like the real API does (400 with an
// OpenAI-style error body) and records every request so tests can assert what the server sent.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRecognizer,
  DEFAULT_THRESHOLD,
  type Recognition,
  type RecognizerOptions,
} from './recognizer.js';
import { monoSamples, parseWav } from './wav.js';

export interface AsrDoubleRequest {
  model: string;
  language?: string;
  responseFormat: string;
  sampleRate: number;
  durationSeconds: number;
  /** What the double answered ('' when it knew no phrase). */
  text: string;
  /** Score of the best candidate, recognised or not (what to look at when a test gets ''). */
  bestScore: number;
  /** The uploaded audio, mono, for a failing test to save and listen to. */
  samples: Int16Array;
}

export interface AsrDoubleOptions extends RecognizerOptions {
  /** Phrases it can recognise; setCandidates() replaces them. */
  candidates: readonly string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface AsrDouble {
  /** Base URL like an OpenAI-compatible server's: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  readonly requests: readonly AsrDoubleRequest[];
  setCandidates(candidates: readonly string[]): void;
  close(): Promise<void>;
}

const MAX_BODY = 25 * 1024 * 1024;
const FORMATS = new Set(['json', 'text', 'verbose_json']);

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function sendError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BadRequest('request body larger than 25 MB', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function parseForm(req: IncomingMessage): Promise<FormData> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;\s*boundary=/i.test(type)) {
    throw new BadRequest('Content-Type must be multipart/form-data with a boundary');
  }
  const body = await readBody(req);
  try {
    return await new Request('http://asr.local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(body),
    }).formData();
  } catch (e) {
    throw new BadRequest(`malformed multipart body: ${(e as Error).message}`);
  }
}

function field(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  if (v === null) return undefined;
  if (typeof v !== 'string') throw new BadRequest(`'${name}' must be a text field`);
  return v;
}

export async function startAsrDouble(opts: AsrDoubleOptions): Promise<AsrDouble> {
  const recognizer = createRecognizer(opts);
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  let candidates = [...opts.candidates];
  const requests: AsrDoubleRequest[] = [];

  const transcribe = async (req: IncomingMessage, res: ServerResponse) => {
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
      );
      return;
    }
    const form = await parseForm(req);
    const file = form.get('file');
    if (file === null || typeof file === 'string')
      throw new BadRequest("'file' must be an uploaded audio file");
    const model = field(form, 'model');
    if (!model) throw new BadRequest("'model' is required");
    const language = field(form, 'language');
    // OpenAI takes ISO-639-1 codes ('zh'); servers that speak the same API also use 'yue' for Cantonese.
    if (language !== undefined && !/^[a-z]{2,3}$/.test(language)) {
      throw new BadRequest(`'language' must be an ISO-639 code like 'zh', got '${language}'`);
    }
    const responseFormat = field(form, 'response_format') ?? 'json';
    if (!FORMATS.has(responseFormat)) throw new BadRequest(`unsupported response_format '${responseFormat}'`);
    let samples: Int16Array;
    let sampleRate: number;
    try {
      const wav = parseWav(Buffer.from(await (file as Blob).arrayBuffer()));
      samples = monoSamples(wav);
      sampleRate = wav.sampleRate;
    } catch (e) {
      throw new BadRequest(`'file' is not a 16-bit PCM WAV: ${(e as Error).message}`);
    }
    if (samples.length === 0) throw new BadRequest("'file' holds no audio");
    let best: Recognition | undefined;
    try {
      best = await recognizer.best(samples, sampleRate, candidates);
    } catch (e) {
      throw new BadRequest((e as Error).message);
    }
    const found = best && best.score >= threshold ? best : undefined;
    const text = found?.text ?? '';
    const durationSeconds = samples.length / sampleRate;
    requests.push({
      model,
      language,
      responseFormat,
      sampleRate,
      durationSeconds,
      text,
      bestScore: best?.score ?? 0,
      samples,
    });
    if (responseFormat === 'text') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
      return;
    }
    const body =
      responseFormat === 'verbose_json'
        ? { task: 'transcribe', language: language ?? 'zh', duration: durationSeconds, text, segments: [] }
        : { text };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/audio/transcriptions') return sendError(res, 404, `no route ${req.method} ${path}`);
    if (req.method !== 'POST') return sendError(res, 405, 'use POST');
    transcribe(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof BadRequest) sendError(res, e.status, e.message);
      else sendError(res, 500, (e as Error).message);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setCandidates(next) {
      if (next.length === 0) throw new Error('the ASR double needs candidate phrases');
      candidates = [...next];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
