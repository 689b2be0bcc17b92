// Scale-out as deployed (docker-compose.yml): server processes on one PostgreSQL and one Redis, the
// production nginx config (deploy/nginx/zhike.conf, real nginx, TLS) in front of two of them, a third
// serving the console. Real time crosses processes both ways; a rolling restart (SIGTERM, start again)
// and a kill -9 under a steady load cost no customer a failed send and lose no acknowledged message.
import type { ConsoleServerFrame, InboxList, WidgetServerFrame, WidgetSession } from '@zhike/contracts';
import { afterAll, expect, it } from 'vitest';
import { consoleApi, FrameSocket, login } from '../support/clients.ts';
import { createSchema, testRedisUrl } from '../support/postgres.ts';
import { httpsJson, startProxy } from '../support/proxy.ts';
import {
  ADMIN,
  freePort,
  runCli,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

type Ack = { conversationId: string; messageId: string; duplicate: boolean };

it('runs one shop on three processes behind the proxy through a rolling restart and a kill -9', async () => {
  const db = await createSchema();
  cleanups.push(db.drop);
  // One data directory for all, as the compose file's shared volume.
  const dataDir = tempDataDir();
  const envs = await Promise.all(
    [1, 2, 3].map(
      async (): Promise<Record<string, string>> => ({
        ...serverEnv({ dataDir, port: await freePort(), databaseUrl: db.url, redisUrl: testRedisUrl }),
        ZHIKE_TRUST_PROXY: '1',
      }),
    ),
  );
  const everyServer: ServerProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServer(env, 90_000);
    everyServer.push(server);
    cleanups.push(() => server.stop());
    return server;
  };
  // Started together: the migration lock lets exactly one of them migrate, and one seed.
  const [p1, p2, p3] = (await Promise.all(envs.map(start))) as [ServerProcess, ServerProcess, ServerProcess];
  const key = (await runCli(['api-key', 'create', '--workspace', 'demo', '--name', 'scale'], envs[0]!))
    .trim()
    .split('\n')
    .at(-1)!
    .trim();

  // --- Real time across processes: a visitor on process 1, the agent's console on process 3.
  const agent = await login(p3.url, ADMIN.email, ADMIN.password);
  const consoleWs = await FrameSocket.open(`${p3.url.replace('http', 'ws')}/api/v1/console/ws`, {
    cookie: agent.cookie,
  });
  cleanups.push(() => consoleWs.close());
  await consoleWs.waitFor<ConsoleServerFrame>((f) => f.type === 'ready');
  const { inboxes } = await consoleApi<InboxList>(p3.url, agent, '/api/v1/inboxes');
  const widgetToken = inboxes.find((i) => i.channel === 'widget')!.widgetToken!;
  const session = (await (
    await fetch(`${p1.url}/api/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: p1.url },
      body: JSON.stringify({ inbox: widgetToken }),
    })
  ).json()) as WidgetSession;
  const query = new URLSearchParams({ inbox: widgetToken, visitorToken: session.visitorToken });
  const visitor = await FrameSocket.open(`${p1.url.replace('http', 'ws')}/api/v1/widget/ws?${query}`, {
    origin: p1.url,
  });
  cleanups.push(() => visitor.close());
  await visitor.waitFor<WidgetServerFrame>((f) => f.type === 'ready');
  visitor.send({
    type: 'send',
    clientMessageId: 'scale-visitor-1',
    text: '你好，我想找人工客服聊聊我的订单',
  });
  const ack = await visitor.waitFor<WidgetServerFrame>((f) => f.type === 'ack', 20_000);
  if (ack.type !== 'ack') throw new Error('unreachable');
  const seen = await consoleWs.waitFor<ConsoleServerFrame>(
    (f) => f.type === 'message.created' && f.message.id === ack.message.id,
    20_000,
  );
  expect(seen.type === 'message.created' && seen.message.text).toBe('你好，我想找人工客服聊聊我的订单');
  await consoleApi(p3.url, agent, `/api/v1/conversations/${ack.conversationId}/messages`, {
    text: '您好，我来帮您查',
  });
  const reply = await visitor.waitFor<WidgetServerFrame>(
    (f) => f.type === 'message' && f.message.author === 'agent',
    20_000,
  );
  expect(reply.type === 'message' && reply.message.text).toBe('您好，我来帮您查');

  // --- Customers send through the proxy (processes 1 and 2) while process 1 is restarted with SIGTERM
  // and then process 2 is killed with -9.
  const proxy = await startProxy({
    dir: tempDataDir('zhike-proxy-'),
    upstreams: [Number(envs[0]!.PORT), Number(envs[1]!.PORT)],
    httpPort: await freePort(),
    httpsPort: await freePort(),
  });
  cleanups.push(() => proxy.stop());
  const send = (base: string, i: number) =>
    httpsJson(
      base,
      proxy.ca,
      'POST',
      '/api/v1/inbound',
      {
        customer: { externalId: `scale-${i % 30}`, name: `顾客${i % 30}` },
        text: `第 ${i} 条消息`,
        messageId: `scale-${i}`,
      },
      { authorization: `Bearer ${key}` },
    );
  const acked = new Map<number, Ack>();
  const failures: string[] = [];
  let next = 0;
  let sending = true;
  const sender = async () => {
    while (sending) {
      const i = next++;
      try {
        const res = await send(proxy.url, i);
        if (res.status === 200) acked.set(i, res.body as Ack);
        else failures.push(`${i}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      } catch (error) {
        failures.push(`${i}: ${(error as Error).message}`);
      }
    }
  };
  const senders = Array.from({ length: 8 }, sender);
  const settled = async (more: number) => {
    const target = next + more;
    while (acked.size + failures.length < target) await new Promise((r) => setTimeout(r, 20));
  };
  await settled(80);
  await p1.stop(); // SIGTERM: no new requests, the accepted ones finished, then exit
  const p1again = await start(envs[0]!);
  await settled(80); // the restarted process takes traffic again
  await p2.kill9();
  await settled(80);
  sending = false;
  await Promise.all(senders);
  console.log(`[scale-out] ${acked.size} sends through nginx, ${failures.length} failed`);
  if (failures.length > 0)
    console.log(
      everyServer
        .flatMap((server) => server.output().split('\n'))
        .filter((line) => line.includes('"level":50'))
        .join('\n'),
    );
  expect(failures).toEqual([]);
  expect(acked.size).toBe(next);

  // Every acknowledged message is stored once: its id sent again to a survivor is a duplicate of it.
  const survivors = [p1again.url, p3.url];
  const replays = await Promise.all(
    [...acked].map(async ([i, first], n) => {
      const res = await fetch(`${survivors[n % 2]}/api/v1/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          customer: { externalId: `scale-${i % 30}`, name: `顾客${i % 30}` },
          text: `第 ${i} 条消息`,
          messageId: `scale-${i}`,
        }),
      });
      const again = (await res.json()) as Ack;
      return { i, same: again.duplicate && again.messageId === first.messageId };
    }),
  );
  expect(replays.filter((r) => !r.same).map((r) => r.i)).toEqual([]);
  expect(new Set([...acked.values()].map((a) => a.messageId)).size).toBe(acked.size);
}, 300_000);
