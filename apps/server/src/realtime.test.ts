// Real sockets against a listening server: the widget round trip (ack after commit, idempotent resend,
// sync after reconnect, agent reply pushed), the console feed, and two apps sharing Redis + PostgreSQL.
import {
  type ConsoleServerFrame,
  WIDGET_CLOSE,
  WIDGET_SYNC_LIMIT,
  type WidgetServerFrame,
  type WidgetSession,
} from '@zhike/contracts';
import { type Backend, createTestDatabase, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

type Frame = WidgetServerFrame | ConsoleServerFrame;

class Client {
  frames: Frame[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => this.frames.push(JSON.parse(String(raw)) as Frame));
  }
  static open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new Client(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }
  /** Resolves with the close code the server sent. */
  closed(): Promise<number> {
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }
  next<T extends Frame['type']>(
    type: T,
    where: (f: Extract<Frame, { type: T }>) => boolean = () => true,
    // A listening app compiles its bots in the background, holding the event loop for a while on a
    // loaded machine: frames can be seconds late without anything being wrong.
    timeoutMs = 30_000,
  ) {
    return eventually(
      () =>
        this.frames.find(
          (f): f is Extract<Frame, { type: T }> => f.type === type && where(f as Extract<Frame, { type: T }>),
        ),
      timeoutMs,
    );
  }
  close() {
    this.ws.close();
  }
}

async function listen(t: TestApp): Promise<{ http: string; ws: string }> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

async function widgetToken(t: TestApp): Promise<string> {
  const inboxes = await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list();
  return inboxes.find((i) => i.channel === 'widget')!.widgetToken!;
}

describe.each(testBackends)('realtime on %s', (backend: Backend) => {
  let t: TestApp;
  let base: { http: string; ws: string };
  let agent: TestSession;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(backend);
    base = await listen(t);
    agent = await t.login();
    token = await widgetToken(t);
  });
  afterAll(async () => t?.close());

  const startSession = async (visitorToken?: string, origin = base.http, name?: string) => {
    const res = await fetch(`${base.http}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        inbox: token,
        ...(visitorToken ? { visitorToken } : {}),
        ...(name ? { name } : {}),
      }),
    });
    return { status: res.status, body: (await res.json()) as WidgetSession };
  };

  it('carries a visitor message to the console and the agent reply back, across a reconnect', async () => {
    const config = await fetch(`${base.http}/api/v1/widget/config?inbox=${token}`);
    expect(await config.json()).toMatchObject({ name: '演示小店', locale: 'zh-CN' });

    const session = (await startSession()).body;
    expect(session.conversationId).toBeNull();
    const consoleClient = await Client.open(`${base.ws}/api/v1/console/ws`, {
      cookie: agent.cookie,
      origin: base.http,
    });
    await consoleClient.next('ready');

    const url = `${base.ws}/api/v1/widget/ws?inbox=${token}&visitorToken=${encodeURIComponent(session.visitorToken)}`;
    const visitor = await Client.open(url, { origin: base.http });
    await visitor.next('ready');
    visitor.send({ type: 'send', clientMessageId: 'c-1', text: '转人工，我要找客服' });
    const ack = await visitor.next('ack');
    expect(ack).toMatchObject({
      clientMessageId: 'c-1',
      duplicate: false,
      message: { author: 'customer', text: '转人工，我要找客服' },
    });

    // The console sees it live, and the bot's hand-off notice reaches the visitor.
    const live = await consoleClient.next('message.created', (f) => f.message.id === ack.message.id);
    expect(live.conversationId).toBe(ack.conversationId);
    await visitor.next('message', (f) => f.message.author === 'system');

    // Resending the same clientMessageId (e.g. after a lost ack) stores nothing new.
    visitor.send({ type: 'send', clientMessageId: 'c-1', text: '转人工，我要找客服' });
    const dup = await visitor.next('ack', (f) => f.duplicate);
    expect(dup.message.id).toBe(ack.message.id);

    // Reconnect, miss the agent's reply while offline, then sync.
    visitor.close();
    const reply = await fetch(`${base.http}/api/v1/conversations/${ack.conversationId}/messages`, {
      method: 'POST',
      headers: { ...agent.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '您好，我是客服小王' }),
    });
    expect(reply.status).toBe(201);
    const again = await Client.open(url, { origin: base.http });
    const ready = await again.next('ready');
    expect(ready).toMatchObject({ conversationId: ack.conversationId });
    again.send({ type: 'sync', after: ack.message.id });
    const history = await again.next('history');
    // The hand-off notice, the customer's place in line, the reply.
    expect(history.messages.map((m) => m.author)).toEqual(['system', 'system', 'agent']);

    // Live push of the next agent reply.
    await fetch(`${base.http}/api/v1/conversations/${ack.conversationId}/messages`, {
      method: 'POST',
      headers: { ...agent.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '订单已查到' }),
    });
    const pushed = await again.next('message', (f) => f.message.text === '订单已查到');
    expect(pushed.message).toMatchObject({ author: 'agent', authorName: '店主' });

    // Reload: the same visitor token resumes identity and history.
    const resumed = (await startSession(session.visitorToken)).body;
    expect(resumed.visitorId).toBe(session.visitorId);
    expect(resumed.conversationId).toBe(ack.conversationId);
    expect(resumed.messages.map((m) => m.text)).toContain('订单已查到');
    again.close();
    consoleClient.close();
  });

  it('refuses foreign origins, forged visitor tokens, and bad frames', async () => {
    const inbox = (await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list()).find(
      (i) => i.channel === 'widget',
    )!;
    expect(inbox.allowedOrigins).toContain('http://localhost:3000');
    expect((await startSession(undefined, 'https://evil.example')).status).toBe(403);
    const forged = await startSession(`${'0'.repeat(36)}.forged`);
    expect(forged.status).toBe(200);
    expect(forged.body.visitorId).not.toBe('0'.repeat(36));
    // Refusals are close codes the widget can read, not handshake failures that look like a dead network.
    const forgedSocket = await Client.open(
      `${base.ws}/api/v1/widget/ws?inbox=${token}&visitorToken=abc.def`,
      {
        origin: base.http,
      },
    );
    expect(await forgedSocket.closed()).toBe(WIDGET_CLOSE.unknownVisitor);
    const foreign = await Client.open(`${base.ws}/api/v1/widget/ws?inbox=${token}&visitorToken=abc.def`, {
      origin: 'https://evil.example',
    });
    expect(await foreign.closed()).toBe(WIDGET_CLOSE.originNotAllowed);
    const unknownInbox = await Client.open(`${base.ws}/api/v1/widget/ws?inbox=nope&visitorToken=abc.def`);
    expect(await unknownInbox.closed()).toBe(WIDGET_CLOSE.unknownInbox);
    // Without an upgrade the same route still answers problem+json.
    const plain = await fetch(`${base.http}/api/v1/widget/ws?inbox=${token}&visitorToken=abc.def`);
    expect(plain.status).toBe(401);
    await expect(Client.open(`${base.ws}/api/v1/console/ws`)).rejects.toThrow(/401/);
    const s = (await startSession()).body;
    const c = await Client.open(
      `${base.ws}/api/v1/widget/ws?inbox=${token}&visitorToken=${encodeURIComponent(s.visitorToken)}`,
    );
    c.ws.send('not json');
    expect((await c.next('error')).code).toBe('bad_frame');
    c.send({ type: 'send', clientMessageId: 'x', text: '' });
    expect((await c.next('error', (f) => f.code === 'validation_failed')).clientMessageId).toBe('x');
    c.send({ type: 'ping' });
    await c.next('pong');
    c.close();
  });

  it('names the failed send in every error, including an unexpected failure', async () => {
    const s = (await startSession()).body;
    const c = await Client.open(
      `${base.ws}/api/v1/widget/ws?inbox=${token}&visitorToken=${encodeURIComponent(s.visitorToken)}`,
    );
    await c.next('ready');
    const commands = t.app.zhike.commands;
    const original = commands.receiveCustomerMessage;
    commands.receiveCustomerMessage = async () => {
      throw new Error('database went away');
    };
    try {
      c.send({ type: 'send', clientMessageId: 'boom', text: '你好' });
      expect(await c.next('error')).toMatchObject({ code: 'internal', clientMessageId: 'boom' });
    } finally {
      commands.receiveCustomerMessage = original;
    }
    c.send({ type: 'send', clientMessageId: 'boom', text: '你好' });
    expect(await c.next('ack')).toMatchObject({ clientMessageId: 'boom', duplicate: false });
    c.close();
  });

  it('pages a long sync with hasMore, and stores the name a visitor gives', async () => {
    const s = (await startSession(undefined, base.http, '  李雷 ')).body;
    const workspaceId = await t.demoWorkspaceId();
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const customer = await store.customers.findByIdentity('visitor', s.visitorId);
    expect(customer?.name).toBe('李雷');
    const c = await Client.open(
      `${base.ws}/api/v1/widget/ws?inbox=${token}&visitorToken=${encodeURIComponent(s.visitorToken)}`,
    );
    await c.next('ready');
    c.send({ type: 'send', clientMessageId: 'first', text: '在吗' });
    const ack = await c.next('ack');
    // Fill the conversation past one sync page with agent replies.
    const owner = await store.users.list();
    for (let i = 0; i < WIDGET_SYNC_LIMIT + 5; i++) {
      await t.app.zhike.commands.replyAsAgent(workspaceId, {
        conversationId: ack.conversationId,
        agentId: owner[0]!.id,
        text: `reply ${i}`,
        clientMessageId: null,
      });
    }
    c.frames.length = 0;
    c.send({ type: 'sync', after: null });
    const page1 = await c.next('history');
    expect(page1.messages).toHaveLength(WIDGET_SYNC_LIMIT);
    expect(page1.hasMore).toBe(true);
    c.frames.length = 0;
    c.send({ type: 'sync', after: page1.messages.at(-1)!.id });
    const page2 = await c.next('history');
    expect(page2.hasMore).toBe(false);
    expect(page2.messages.at(-1)?.text).toBe(`reply ${WIDGET_SYNC_LIMIT + 4}`);
    const all = [...page1.messages, ...page2.messages];
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    // Naming again updates the same customer.
    await startSession(s.visitorToken, base.http, 'Li Lei');
    expect((await store.customers.findByIdentity('visitor', s.visitorId))?.name).toBe('Li Lei');
    c.close();
  });

  it('closes sockets with 1001 on shutdown', async () => {
    const other = await createTestApp(backend);
    const b = await listen(other);
    const tok = await widgetToken(other);
    const s = (await (
      await fetch(`${b.http}/api/v1/widget/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inbox: tok }),
      })
    ).json()) as WidgetSession;
    const c = await Client.open(
      `${b.ws}/api/v1/widget/ws?inbox=${tok}&visitorToken=${encodeURIComponent(s.visitorToken)}`,
    );
    await c.next('ready');
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    await other.close();
    expect(await closed).toBe(1001);
  });
});

describe('two server processes sharing PostgreSQL and Redis', () => {
  const redisUrl = process.env.ZHIKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    const database = await createTestDatabase('postgres');
    const channel = `zhike:test:${Math.random().toString(36).slice(2)}`;
    one = await createTestApp('postgres', { database, env: { REDIS_URL: redisUrl }, redisChannel: channel });
    two = await createTestApp('postgres', { database, env: { REDIS_URL: redisUrl }, redisChannel: channel });
    // Only now own the schema's lifetime: drop it with the second app.
    const close = two.close;
    two.close = async () => {
      await close();
      await database.drop();
    };
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it("delivers a visitor's message on one process to a console connected to the other", async () => {
    const a = await listen(one);
    const b = await listen(two);
    const agent = await two.login();
    const consoleClient = await Client.open(`${b.ws}/api/v1/console/ws`, { cookie: agent.cookie });
    await consoleClient.next('ready');
    const tok = await widgetToken(one);
    const s = (await (
      await fetch(`${a.http}/api/v1/widget/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inbox: tok }),
      })
    ).json()) as WidgetSession;
    const visitor = await Client.open(
      `${a.ws}/api/v1/widget/ws?inbox=${tok}&visitorToken=${encodeURIComponent(s.visitorToken)}`,
    );
    visitor.send({ type: 'send', clientMessageId: 'm1', text: '跨进程你好' });
    const ack = await visitor.next('ack');
    const live = await consoleClient.next('message.created', (f) => f.message.id === ack.message.id);
    expect(live.message.text).toBe('跨进程你好');
    // …and the agent's reply, written through process two, reaches the visitor on process one.
    await fetch(`${b.http}/api/v1/conversations/${ack.conversationId}/messages`, {
      method: 'POST',
      headers: { ...agent.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '来自另一台' }),
    });
    await visitor.next('message', (f) => f.message.text === '来自另一台');
    visitor.close();
    consoleClient.close();
  });
});
