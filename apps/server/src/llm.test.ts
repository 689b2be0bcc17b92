// Knowledge answers written by an LLM, end to end on both backends: a local server speaking the OpenAI
// chat-completions wire format (real SSE framing), a real widget WebSocket watching the answer grow, the
// stored answer replacing the draft exactly once, and every failure falling back to the plain answer.
import { Writable } from 'node:stream';
import type { Message, WidgetMessage, WidgetServerFrame, WidgetSession } from '@zhike/contracts';
import { type Backend, createTestDatabase, testBackends } from '@zhike/db';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FrameSocket } from '../../../tests/support/clients.ts';
import { type FakeLlm, startFakeLlm } from '../../../tests/support/fakeLlm.ts';
import { parseExposition, sampleValue } from './observability/exposition.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const API_KEY = 'sk-zhike-test-7f3a9c';
const INVOICE_QUESTION = '可以开发票吗？';
const INVOICE_ANSWER = '可以开具电子普通发票和增值税专用发票';

type DraftFrame = Extract<WidgetServerFrame, { type: 'draft' }>;
type MessageFrame = Extract<WidgetServerFrame, { type: 'message' }>;

describe.each(testBackends)('LLM knowledge answers on %s', (backend: Backend) => {
  let llm: FakeLlm;
  let t: TestApp;
  let agent: TestSession;
  let http: string;
  let ws: string;
  let widgetToken: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    llm = await startFakeLlm();
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    t = await createTestApp(backend, {
      logger,
      env: {
        ZHIKE_LLM_BASE_URL: llm.baseUrl,
        ZHIKE_LLM_API_KEY: API_KEY,
        ZHIKE_LLM_MODEL: 'deepseek-chat',
        ZHIKE_LLM_TIMEOUT_MS: '5000',
        ZHIKE_LLM_FIRST_TOKEN_MS: '300',
      },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    http = `http://127.0.0.1:${port}`;
    ws = `ws://127.0.0.1:${port}`;
    agent = await t.login();
    const inboxes = await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list();
    widgetToken = inboxes.find((i) => i.channel === 'widget')?.widgetToken ?? '';
  });
  afterAll(async () => {
    await t?.close();
    await llm?.close();
  });
  beforeEach(() => {
    llm.requests.length = 0;
  });

  /** A new visitor on the widget socket, as the browser widget connects. */
  async function visitor(): Promise<FrameSocket> {
    const res = await fetch(`${http}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: http },
      body: JSON.stringify({ inbox: widgetToken }),
    });
    const session = (await res.json()) as WidgetSession;
    const socket = await FrameSocket.open(
      `${ws}/api/v1/widget/ws?inbox=${widgetToken}&visitorToken=${encodeURIComponent(session.visitorToken)}`,
      { origin: http },
    );
    await socket.waitFor<WidgetServerFrame>((f) => f.type === 'ready');
    return socket;
  }

  /** Sends a question; resolves with the bot's stored answer and every draft frame that came before it. */
  async function ask(socket: FrameSocket, text: string) {
    const drafts: DraftFrame[] = [];
    socket.ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as WidgetServerFrame;
      if (frame.type === 'draft') drafts.push(frame);
    });
    socket.send({ type: 'send', clientMessageId: `c-${Date.now()}`, text });
    const ack = await socket.waitFor<Extract<WidgetServerFrame, { type: 'ack' }>>((f) => f.type === 'ack');
    const answer = await socket.waitFor<MessageFrame>(
      (f) => f.type === 'message' && f.message.author === 'bot',
      15_000,
    );
    return { ack, answer: answer.message, drafts };
  }

  async function consoleMessages(conversationId: string): Promise<Message[]> {
    const res = await t.app.inject({
      url: `/api/v1/conversations/${conversationId}/messages?limit=200`,
      headers: agent.headers,
    });
    return (res.json() as { messages: Message[] }).messages;
  }

  it('streams the answer to the widget in order, then stores it once under the draft id, with its sources', async () => {
    const pieces = [
      '可以的，',
      '我们可以开具电子普通发票',
      '和增值税专用发票。',
      '确认收货后申请，',
      '电子发票3个工作日内',
      '发到您的邮箱。',
    ];
    llm.script({ kind: 'stream', pieces, delayMs: 40 });
    const socket = await visitor();
    const { ack, answer, drafts } = await ask(socket, INVOICE_QUESTION);
    const full = pieces.join('');

    // Progressive: several drafts, one id, rising seq, each text extending the previous; the last is the answer.
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(drafts.map((d) => d.draftId))).toEqual(new Set([answer.id]));
    expect(drafts.map((d) => d.seq)).toEqual(drafts.map((_, i) => i + 1));
    for (const [i, d] of drafts.entries()) {
      expect(d.conversationId).toBe(ack.conversationId);
      if (i > 0) expect(d.text.startsWith(drafts[i - 1]?.text ?? '')).toBe(true);
    }
    expect(drafts.at(-1)?.text).toBe(full);
    expect(answer.text).toBe(full);
    // The customer never sees where it came from.
    expect(answer).not.toHaveProperty('sources');
    expect(answer).not.toHaveProperty('generatedBy');

    // The request: OpenAI wire format, the key as a bearer token, grounded in the invoice FAQ.
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0];
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({ model: 'deepseek-chat', stream: true });
    const prompt = request?.body.messages ?? [];
    expect(prompt[0]?.role).toBe('system');
    expect(prompt[0]?.content).toContain(INVOICE_ANSWER);
    expect(prompt.at(-1)).toEqual({ role: 'user', content: INVOICE_QUESTION });

    // Stored exactly once, and agents see the sources.
    const stored = (await consoleMessages(ack.conversationId)).filter((m) => m.author === 'bot');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: answer.id, text: full, generatedBy: 'llm' });
    expect(stored[0]?.sources?.[0]).toMatchObject({ kind: 'faq', title: expect.stringContaining('发票') });
    // The widget's history after a reload carries no sources either.
    socket.send({ type: 'sync', after: null });
    const history = await socket.waitFor<Extract<WidgetServerFrame, { type: 'history' }>>(
      (f) => f.type === 'history',
    );
    const bot = history.messages.find((m: WidgetMessage) => m.author === 'bot');
    expect(bot?.id).toBe(answer.id);
    expect(bot).not.toHaveProperty('sources');

    // A retried job (the worker crashed after the commit) neither calls the model nor answers twice.
    const workspaceId = await t.demoWorkspaceId();
    const outcome = await t.app.zhike.commands.runBotTurn(workspaceId, {
      conversationId: ack.conversationId,
      messageId: ack.message.id,
    });
    expect(outcome).toBe('silent');
    expect(llm.requests).toHaveLength(1);
    expect((await consoleMessages(ack.conversationId)).filter((m) => m.author === 'bot')).toHaveLength(1);
    socket.close();
  });

  /** The plain knowledge answer, stored under the draft's id when there was one. */
  async function expectPlainAnswer(question: string) {
    const socket = await visitor();
    const { ack, answer, drafts } = await ask(socket, question);
    expect(answer.text).toContain(INVOICE_ANSWER);
    for (const d of drafts) expect(d.draftId).toBe(answer.id);
    const stored = (await consoleMessages(ack.conversationId)).filter((m) => m.author === 'bot');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.generatedBy).toBeUndefined();
    expect(stored[0]?.sources).toHaveLength(1);
    expect(llm.requests).toHaveLength(1);
    socket.close();
    return drafts;
  }

  it('falls back to the plain answer when the first token is late', async () => {
    llm.script({ kind: 'stream', pieces: ['可以的，', '我们支持开票。'], firstDelayMs: 1_500 });
    const started = Date.now();
    const drafts = await expectPlainAnswer(INVOICE_QUESTION);
    expect(drafts).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('falls back to the plain answer on HTTP 500, counted as the LLM provider’s error', async () => {
    const failures = async () =>
      sampleValue(
        parseExposition((await t.app.inject({ url: '/metrics' })).body),
        'zhike_provider_errors_total',
        {
          provider: 'llm',
          kind: 'http',
        },
      ) ?? 0;
    const before = await failures();
    llm.script({
      kind: 'status',
      status: 500,
      body: '{"error":{"message":"internal error","type":"server_error"}}',
    });
    await expectPlainAnswer(INVOICE_QUESTION);
    expect(await failures()).toBe(before + 1);
  });

  it('falls back on 401, and the key that the provider echoes never reaches a log line', async () => {
    llm.script({
      kind: 'status',
      status: 401,
      body: `{"error":{"message":"Incorrect API key provided: ${API_KEY}","type":"invalid_request_error"}}`,
    });
    await expectPlainAnswer(INVOICE_QUESTION);
    await eventually(() => logLines.some((l) => l.includes('llm answer declined')));
    const declined = logLines.filter((l) => l.includes('llm answer declined')).at(-1) ?? '';
    expect(JSON.parse(declined)).toMatchObject({ reason: 'http', status: 401 });
    expect(logLines.join('\n')).not.toContain(API_KEY);
  });

  it('an invented price is caught while streaming: the visitor never sees it, and the plain answer is stored', async () => {
    llm.script({
      kind: 'stream',
      pieces: ['可以开发票，', '开票需另付手续费', '8', '8元，', '三个工作日内发出。'],
      delayMs: 30,
    });
    const drafts = await expectPlainAnswer(INVOICE_QUESTION);
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) expect(d.text).not.toMatch(/8/);
  });

  it('a form (refund) never reaches the LLM, not even a knowledge question asked in the middle of it', async () => {
    const socket = await visitor();
    const first = await ask(socket, '我要申请退款');
    expect(first.answer.text).toContain('订单号');
    const drafts: DraftFrame[] = [];
    socket.ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as WidgetServerFrame;
      if (frame.type === 'draft') drafts.push(frame);
    });
    socket.send({ type: 'send', clientMessageId: 'side-1', text: INVOICE_QUESTION });
    // The knowledge answer, then the form's question again: both plain, neither streamed.
    await socket.waitFor<MessageFrame>(
      (f) => f.type === 'message' && f.message.author === 'bot' && f.message.text.includes(INVOICE_ANSWER),
      15_000,
    );
    await socket.waitFor<MessageFrame>(
      (f) => f.type === 'message' && f.message.author === 'bot' && f.message.text.includes('订单号'),
      15_000,
    );
    expect(drafts).toEqual([]);
    expect(first.drafts).toEqual([]);
    expect(llm.requests).toHaveLength(0);
    socket.close();
  });

  it('a slow LLM answer holds back no other conversation: another visitor is answered meanwhile', async () => {
    const pieces = [
      '可以开具',
      '电子普通发票',
      '和增值税',
      '专用发票，',
      '确认收货后',
      '在订单页',
      '申请开票。',
    ];
    llm.script({ kind: 'stream', pieces, firstDelayMs: 0, delayMs: 400 });
    const slow = await visitor();
    const quick = await visitor();
    let slowDone = 0;
    let quickDone = 0;
    slow.send({ type: 'send', clientMessageId: 'slow-1', text: INVOICE_QUESTION });
    await slow.waitFor<WidgetServerFrame>((f) => f.type === 'draft', 10_000);
    const slowAnswer = slow
      .waitFor<MessageFrame>((f) => f.type === 'message' && f.message.author === 'bot', 15_000)
      .then((f) => {
        slowDone = Date.now();
        return f;
      });
    quick.send({ type: 'send', clientMessageId: 'quick-1', text: '帮我查下订单ZK20261125002' });
    await quick.waitFor<MessageFrame>((f) => f.type === 'message' && f.message.author === 'bot', 15_000);
    quickDone = Date.now();
    expect((await slowAnswer).message.text).toBe(pieces.join(''));
    expect(quickDone).toBeLessThan(slowDone);
    slow.close();
    quick.close();
  });

  it('an order-status question never reaches the LLM', async () => {
    const socket = await visitor();
    const { answer, drafts } = await ask(socket, '帮我查下订单ZK20261125001到哪了');
    expect(answer.text).not.toContain('已发货'); // asks for the phone's last 4 digits first
    expect(drafts).toEqual([]);
    expect(llm.requests).toHaveLength(0);
    socket.close();
  });
});

describe('LLM drafts across two processes sharing PostgreSQL and Redis', () => {
  const redisUrl = process.env.ZHIKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let llm: FakeLlm;
  let worker: TestApp;
  let front: TestApp;
  beforeAll(async () => {
    llm = await startFakeLlm();
    const database = await createTestDatabase('postgres');
    const channel = `zhike:test:${Math.random().toString(36).slice(2)}`;
    const env = { REDIS_URL: redisUrl, ZHIKE_LLM_BASE_URL: llm.baseUrl, ZHIKE_LLM_MODEL: 'qwen-plus' };
    // Only `worker` runs jobs: the bot turn (and its drafts) happen in the process the visitor is not on.
    worker = await createTestApp('postgres', { database, env, redisChannel: channel });
    front = await createTestApp('postgres', { database, env, redisChannel: channel, startWorker: false });
    const close = front.close;
    front.close = async () => {
      await close();
      await database.drop();
    };
  });
  afterAll(async () => {
    await worker?.close();
    await front?.close();
    await llm?.close();
  });

  it('a visitor on the other process watches the answer being written', async () => {
    await front.app.listen({ port: 0, host: '127.0.0.1' });
    const address = front.app.server.address();
    const base = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const inboxes = await front.app.zhike.db.forWorkspace(await front.demoWorkspaceId()).inboxes.list();
    const token = inboxes.find((i) => i.channel === 'widget')?.widgetToken ?? '';
    const session = (await (
      await fetch(`http://${base}/api/v1/widget/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inbox: token }),
      })
    ).json()) as WidgetSession;
    const socket = await FrameSocket.open(
      `ws://${base}/api/v1/widget/ws?inbox=${token}&visitorToken=${encodeURIComponent(session.visitorToken)}`,
      {},
    );
    await socket.waitFor<WidgetServerFrame>((f) => f.type === 'ready');
    llm.script({ kind: 'stream', pieces: ['可以开具', '电子普通发票', '和增值税专用发票。'], delayMs: 40 });
    const drafts: DraftFrame[] = [];
    socket.ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as WidgetServerFrame;
      if (frame.type === 'draft') drafts.push(frame);
    });
    socket.send({ type: 'send', clientMessageId: 'x-1', text: INVOICE_QUESTION });
    const answer = await socket.waitFor<MessageFrame>(
      (f) => f.type === 'message' && f.message.author === 'bot',
      15_000,
    );
    expect(answer.message.text).toBe('可以开具电子普通发票和增值税专用发票。');
    expect(drafts.map((d) => d.text)).toEqual(['可以开具', '可以开具电子普通发票', answer.message.text]);
    expect(drafts.every((d) => d.draftId === answer.message.id)).toBe(true);
    socket.close();
  });
});
