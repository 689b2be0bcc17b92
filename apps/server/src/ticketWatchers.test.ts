// Watchers and @mentions over the API on both backends: agents follow and unfollow tickets (themselves
// or a colleague), the timeline says who; a note that @mentions an agent lands in their
// GET /api/v1/me/mentions and pops on their console (only theirs) as a `ticket.mentioned` frame.
import type { ConsoleServerFrame } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

/** Enough of a WebSocket for the hub: open, and keeps what it was sent. */
const fakeSocket = () => {
  const frames: ConsoleServerFrame[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send: (data: string) => frames.push(JSON.parse(data) as ConsoleServerFrame),
    close: () => undefined,
  };
  return { socket: socket as unknown as WebSocket, frames };
};

describe.each(testBackends)(
  'ticket watchers and mentions on %s',
  { timeout: 120_000 },
  (backend: Backend) => {
    let t: TestApp;
    let owner: TestSession;
    let agent: TestSession;
    let agentId = '';
    let key = '';
    let workspaceId = '';

    const inject = (opts: {
      method?: 'GET' | 'POST' | 'DELETE';
      url: string;
      payload?: unknown;
      as?: TestSession;
    }) =>
      t.app.inject({
        method: opts.method ?? 'GET',
        url: opts.url,
        headers: (opts.as ?? owner).headers,
        ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
      });

    beforeAll(async () => {
      t = await createTestApp(backend);
      owner = await t.login();
      key = await t.apiKey();
      workspaceId = await t.demoWorkspaceId();
      ({ id: agentId, session: agent } = await t.signInNewUser({
        email: 'chen.jing@shop.test',
        name: '陈静',
      }));
    });

    afterAll(async () => {
      await t?.close();
    });

    it('adds and removes watchers, and the timeline says who', async () => {
      const ticket = (
        await inject({ method: 'POST', url: '/api/v1/tickets', payload: { subject: '电视黑屏' } })
      ).json().ticket;
      const ownerId = owner.info.user.id;
      const url = `/api/v1/tickets/${ticket.id}/watchers`;
      expect((await inject({ url, as: agent })).json()).toEqual({ watchers: [ownerId] });
      const self = await inject({ method: 'POST', url, as: agent, payload: {} });
      expect(self.json()).toEqual({ watchers: [ownerId, agentId] });
      // Twice is once.
      expect((await inject({ method: 'POST', url, as: agent, payload: {} })).json().watchers).toHaveLength(2);
      const removed = await inject({ method: 'DELETE', url: `${url}/${ownerId}`, as: agent });
      expect(removed.json()).toEqual({ watchers: [agentId] });
      const added = await inject({ method: 'POST', url, as: agent, payload: { userId: ownerId } });
      expect(added.json()).toEqual({ watchers: [agentId, ownerId] });
      const entries = (await inject({ url: `/api/v1/tickets/${ticket.id}` })).json().entries;
      expect(
        entries.filter((e: { kind: string }) => e.kind === 'watchers').map((e: { data: unknown }) => e.data),
      ).toEqual([{ added: agentId }, { removed: ownerId }, { added: ownerId }]);

      const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
      expect((await inject({ method: 'POST', url, payload: { userId: unknown } })).statusCode).toBe(400);
      expect((await inject({ method: 'POST', url, payload: { userId: 'x' } })).statusCode).toBe(400);
      expect((await inject({ method: 'POST', url, payload: { extra: 1 } })).statusCode).toBe(400);
      expect((await inject({ url: `/api/v1/tickets/${unknown}/watchers` })).statusCode).toBe(404);
      expect(
        (await inject({ method: 'POST', url: `/api/v1/tickets/${unknown}/watchers`, payload: {} }))
          .statusCode,
      ).toBe(404);
      // An API key names whom it adds.
      const byKey = await t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${key}` },
        payload: {},
      });
      expect(byKey.statusCode).toBe(400);
    });

    it('shows a mention in the agent’s list and pops it on their console only', async () => {
      const mine = fakeSocket();
      const others = fakeSocket();
      const dropMine = t.app.zhike.hub.addConsole(workspaceId, mine.socket, {
        userId: agentId,
        role: 'agent',
      });
      const dropOthers = t.app.zhike.hub.addConsole(workspaceId, others.socket, {
        userId: owner.info.user.id,
        role: 'owner',
      });
      try {
        const ticket = (
          await inject({ method: 'POST', url: '/api/v1/tickets', payload: { subject: '空调漏水' } })
        ).json().ticket;
        const note = await inject({
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/comments`,
          payload: { body: '@陈静 客户明天上午在家，请安排上门', visibility: 'internal' },
        });
        expect(note.json().entry.mentions).toEqual([agentId]);

        const frame = await eventually(
          async () => mine.frames.find((f) => f.type === 'ticket.mentioned'),
          10_000,
        );
        expect(frame).toEqual({
          type: 'ticket.mentioned',
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          entryId: note.json().entry.id,
          authorId: owner.info.user.id,
        });
        expect(others.frames.some((f) => f.type === 'ticket.mentioned')).toBe(false);

        const list = (await inject({ url: '/api/v1/me/mentions', as: agent })).json().mentions;
        expect(list[0]).toMatchObject({
          entry: { id: note.json().entry.id, body: '@陈静 客户明天上午在家，请安排上门', kind: 'note' },
          ticket: { id: ticket.id, number: ticket.number, subject: '空调漏水', status: 'new' },
        });
        expect((await inject({ url: '/api/v1/me/mentions' })).json().mentions).toEqual([]);
        expect((await inject({ url: '/api/v1/me/mentions?limit=0', as: agent })).statusCode).toBe(400);
        expect(
          (await t.app.inject({ url: '/api/v1/me/mentions', headers: { authorization: `Bearer ${key}` } }))
            .statusCode,
        ).toBeGreaterThanOrEqual(400);
      } finally {
        dropMine();
        dropOthers();
      }
    });
  },
);
