// The widget inbox's origin allow-list (issue 5): a page on a site the owner did not list gets nothing from
// the widget config, cannot start or resume a visitor session, and its socket is closed as
// origin_not_allowed before a single frame, even with a valid visitor token. A listed site works.
import { WIDGET_CLOSE, type WidgetSession } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../apps/server/src/testing.ts';
import { FrameSocket } from '../support/clients.ts';

const SHOP = 'https://shop.example';
const FOREIGN = ['https://evil.example', 'https://shop.example.evil.test', 'http://shop.example', 'null'];

describe.each(testBackends)('widget origin allow-list on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let ws = '';
  let inbox: { id: string; token: string };

  beforeAll(async () => {
    t = await createTestApp(backend, { startWorker: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    ws = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    owner = await t.login();
    const widget = (await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list()).find(
      (i) => i.channel === 'widget',
    );
    if (!widget?.widgetToken) throw new Error('no widget inbox');
    inbox = { id: widget.id, token: widget.widgetToken };
    // The owner lists one site, through the API the console uses.
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inbox.id}`,
      headers: owner.headers,
      payload: { allowedOrigins: [SHOP] },
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const config = (origin: string) =>
    t.app.inject({ url: `/api/v1/widget/config?inbox=${inbox.token}`, headers: { origin } });
  const session = (origin: string, body: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      headers: { origin },
      payload: { inbox: inbox.token, ...body },
    });
  const socketUrl = (visitorToken: string) =>
    `${ws}/api/v1/widget/ws?inbox=${encodeURIComponent(inbox.token)}&visitorToken=${encodeURIComponent(visitorToken)}`;

  it('serves the listed site', async () => {
    expect((await config(SHOP)).json()).toMatchObject({ inboxId: inbox.id });
    const started = await session(SHOP);
    expect(started.statusCode).toBe(200);
    const socket = await FrameSocket.open(socketUrl((started.json() as WidgetSession).visitorToken), {
      origin: SHOP,
    });
    await socket.waitFor<{ type: string }>((f) => f.type === 'ready');
    socket.close();
  });

  it('refuses every other origin on config, sessions and the socket, and stores nothing', async () => {
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    const visitor = (await session(SHOP, { name: '白名单访客' })).json() as WidgetSession;
    const customer = await store.customers.findByIdentity('visitor', visitor.visitorId);
    expect(customer?.name).toBe('白名单访客');

    for (const origin of FOREIGN) {
      const cfg = await config(origin);
      expect(cfg.statusCode, origin).toBe(403);
      expect(cfg.json().type, origin).toBe('urn:zhike:problem:origin_not_allowed');
      expect(cfg.body, origin).not.toContain(inbox.id);
      expect(cfg.body, origin).not.toContain('演示小店');

      const bodies: Record<string, string>[] = [
        {},
        { visitorToken: visitor.visitorToken },
        { name: '外站访客' },
      ];
      for (const body of bodies) {
        const res = await session(origin, body);
        expect(res.statusCode, `${origin} ${JSON.stringify(body)}`).toBe(403);
        expect(res.body).not.toContain(visitor.visitorId);
        expect(res.body).not.toContain('visitorToken');
      }

      // A valid visitor token does not help a foreign page: closed before any frame.
      const socket = await FrameSocket.open(socketUrl(visitor.visitorToken), { origin });
      const frames: string[] = [];
      socket.ws.on('message', (raw) => frames.push(String(raw)));
      const code = await new Promise<number>((resolve) => socket.ws.once('close', (c) => resolve(c)));
      expect(code, origin).toBe(WIDGET_CLOSE.originNotAllowed);
      expect(frames, origin).toEqual([]);
    }
    // The foreign page named nobody and opened no conversation.
    expect(await store.customers.findByIdentity('visitor', visitor.visitorId)).toMatchObject({
      name: '白名单访客',
    });
    expect(await store.conversations.latest(customer?.id ?? '', inbox.id)).toBeNull();
  });
});
