// Two server processes sharing one PostgreSQL and one Redis: a visitor connected to one process and an
// agent connected to the other see each other's messages in real time.
import type { ConsoleServerFrame, InboxList, WidgetServerFrame, WidgetSession } from '@zhike/contracts';
import { afterAll, expect, it } from 'vitest';
import { consoleApi, FrameSocket, login } from '../support/clients.ts';
import { createSchema, testRedisUrl } from '../support/postgres.ts';
import {
  ADMIN,
  freePort,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

it('fans real-time events out across processes through Redis', async () => {
  const db = await createSchema();
  cleanups.push(db.drop);
  const start = async (): Promise<ServerProcess> => {
    const env = serverEnv({
      dataDir: tempDataDir(),
      port: await freePort(),
      databaseUrl: db.url,
      redisUrl: testRedisUrl,
    });
    const s = await startServer(env);
    cleanups.push(() => s.stop());
    return s;
  };
  const a = await start();
  const b = await start();

  // The agent signs in on process B and listens there.
  const agent = await login(b.url, ADMIN.email, ADMIN.password);
  const consoleWs = await FrameSocket.open(`${b.url.replace('http', 'ws')}/api/v1/console/ws`, {
    cookie: agent.cookie,
  });
  cleanups.push(() => consoleWs.close());
  await consoleWs.waitFor<ConsoleServerFrame>((f) => f.type === 'ready');

  const { inboxes } = await consoleApi<InboxList>(b.url, agent, '/api/v1/inboxes');
  const widgetToken = inboxes.find((i) => i.channel === 'widget')?.widgetToken;
  expect(widgetToken).toBeTruthy();

  // The visitor chats through process A.
  const origin = a.url;
  const session = (await (
    await fetch(`${a.url}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ inbox: widgetToken }),
    })
  ).json()) as WidgetSession;
  const query = new URLSearchParams({ inbox: widgetToken!, visitorToken: session.visitorToken });
  const visitor = await FrameSocket.open(`${a.url.replace('http', 'ws')}/api/v1/widget/ws?${query}`, {
    origin,
  });
  cleanups.push(() => visitor.close());
  await visitor.waitFor<WidgetServerFrame>((f) => f.type === 'ready');

  visitor.send({ type: 'send', clientMessageId: 'two-proc-1', text: '你好，我想找人工客服聊聊我的订单' });
  const ack = await visitor.waitFor<WidgetServerFrame>((f) => f.type === 'ack');
  if (ack.type !== 'ack') throw new Error('unreachable');

  const seen = await consoleWs.waitFor<ConsoleServerFrame>(
    (f) => f.type === 'message.created' && f.message.id === ack.message.id,
  );
  expect(seen.type === 'message.created' && seen.message.text).toBe('你好，我想找人工客服聊聊我的订单');

  // The agent answers on B; the visitor on A receives it.
  await consoleApi(b.url, agent, `/api/v1/conversations/${ack.conversationId}/messages`, {
    text: '您好，我来帮您查',
  });
  const reply = await visitor.waitFor<WidgetServerFrame>(
    (f) => f.type === 'message' && f.message.author === 'agent',
  );
  expect(reply.type === 'message' && reply.message.text).toBe('您好，我来帮您查');
}, 120_000);
